/**
 * The debugger's small query language: breakpoint conditions, value breakpoints
 * (`height(peer3.org1) >= 10`) and the Debug Console all parse with it.
 *
 *   expr   := or
 *   or     := and (('or' | '||') and)*
 *   and    := unary (('and' | '&&') unary)*
 *   unary  := ('not' | '!') unary | cmp
 *   cmp    := sum (('==' | '!=' | '<' | '<=' | '>' | '>=') sum)?
 *   sum    := atom (('+' | '-') atom)*
 *   atom   := number | "string" | name | name '(' args ')' | atom '.' name | '(' expr ')'
 *
 * A bare name is a peer or channel id (`peer0.org1`, `mychannel`) unless it is a variable
 * (`now`, `event`, ...) — see queries.ts for what names and functions mean.
 */
import { MESSAGE_TYPES } from '../fabric/message-types.js';

export type Expr =
  | { kind: 'lit'; value: number | string | boolean }
  | { kind: 'name'; name: string }
  | { kind: 'call'; fn: string; args: Expr[] }
  | { kind: 'member'; of: Expr; name: string }
  | { kind: 'not'; of: Expr }
  | { kind: 'bin'; op: string; left: Expr; right: Expr };

export class ExprError extends Error {
  constructor(
    message: string,
    /** 0-based offset into the source where the problem is. */
    readonly offset: number,
  ) {
    super(message);
  }
}

interface Token {
  kind: 'num' | 'str' | 'name' | 'op' | 'end';
  text: string;
  at: number;
}

// Names may contain dots and dashes so that `peer0.org1` is one token; member access is
// therefore written after a call or a parenthesis (`event().type`), or as `event.type`, which
// the evaluator splits when the whole name is not a peer.
const NAME = /[A-Za-z_][A-Za-z0-9_.\-]*/y;
const NUM = /\d+(\.\d+)?(ms|s|m)?/y;
const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', ',', '+', '-', '.'];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ExprError('unterminated string', i);
      out.push({ kind: 'str', text: src.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    NUM.lastIndex = i;
    const num = /\d/.test(c) ? NUM.exec(src) : null;
    if (num) {
      out.push({ kind: 'num', text: num[0], at: i });
      i += num[0].length;
      continue;
    }
    NAME.lastIndex = i;
    const name = NAME.exec(src);
    if (name) {
      out.push({ kind: 'name', text: name[0].replace(/[.\-]+$/, ''), at: i });
      i += name[0].replace(/[.\-]+$/, '').length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprError(`unexpected "${c}"`, i);
    out.push({ kind: 'op', text: op, at: i });
    i += op.length;
  }
  out.push({ kind: 'end', text: '', at: src.length });
  return out;
}

/** Durations read as milliseconds: `30s` is 30000, `500ms` 500, `2m` 120000. */
function numberOf(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text)!;
  const v = Number(m[1]);
  return m[2] === 's' ? v * 1000 : m[2] === 'm' ? v * 60_000 : v;
}

/** The longest query taken (characters): a condition or a watch is a line, not a program. */
export const MAX_EXPR_LENGTH = 10_000;
/**
 * How deep a query may nest (parentheses, `not`, calls, and chains of operators, which nest
 * to the left): parsing and evaluating recurse, and a 100,000-deep query would overflow the stack.
 */
export const MAX_EXPR_DEPTH = 100;

export function parseExpr(src: string): Expr {
  if (src.length > MAX_EXPR_LENGTH) throw new ExprError(`the expression is ${src.length} characters long; at most ${MAX_EXPR_LENGTH}`, MAX_EXPR_LENGTH);
  const toks = tokenize(src);
  let p = 0;
  // Depth of the tree built so far, per node, and of the recursion under way.
  const depth = new WeakMap<Expr, number>();
  let nesting = 0;
  const tooDeep = (at: number) => new ExprError(`the expression nests more than ${MAX_EXPR_DEPTH} deep`, at);
  const node = (e: Expr, ...kids: Expr[]): Expr => {
    const d = 1 + Math.max(0, ...kids.map((k) => depth.get(k) ?? 1));
    if (d > MAX_EXPR_DEPTH) throw tooDeep(peek().at);
    depth.set(e, d);
    return e;
  };
  const nested = <T>(f: () => T): T => {
    if (++nesting > MAX_EXPR_DEPTH) throw tooDeep(peek().at);
    try {
      return f();
    } finally {
      nesting--;
    }
  };
  const peek = () => toks[p];
  const isOp = (...ops: string[]) => peek().kind === 'op' && ops.includes(peek().text);
  const isWord = (...words: string[]) => peek().kind === 'name' && words.includes(peek().text);
  const expect = (op: string) => {
    if (!isOp(op)) throw new ExprError(`expected "${op}"${peek().kind === 'end' ? ' at the end' : ` before "${peek().text}"`}`, peek().at);
    p++;
  };

  const or = (): Expr =>
    nested(() => {
      let left = and();
      while (isOp('||') || isWord('or')) {
        p++;
        const right = and();
        left = node({ kind: 'bin', op: '||', left, right }, left, right);
      }
      return left;
    });
  const and = (): Expr => {
    let left = unary();
    while (isOp('&&') || isWord('and')) {
      p++;
      const right = unary();
      left = node({ kind: 'bin', op: '&&', left, right }, left, right);
    }
    return left;
  };
  const unary = (): Expr => {
    if (isOp('!') || isWord('not')) {
      p++;
      const of = nested(unary);
      return node({ kind: 'not', of }, of);
    }
    return cmp();
  };
  const cmp = (): Expr => {
    const left = sum();
    if (isOp('==', '!=', '<', '<=', '>', '>=')) {
      const op = toks[p++].text;
      const right = sum();
      return node({ kind: 'bin', op, left, right }, left, right);
    }
    return left;
  };
  const sum = (): Expr => {
    let left = postfix();
    while (isOp('+', '-')) {
      const op = toks[p++].text;
      const right = postfix();
      left = node({ kind: 'bin', op, left, right }, left, right);
    }
    return left;
  };
  const postfix = (): Expr => {
    let e = atom();
    while (isOp('.')) {
      p++;
      const t = peek();
      if (t.kind !== 'name') throw new ExprError('expected a field name after "."', t.at);
      p++;
      for (const part of t.text.split('.')) e = node({ kind: 'member', of: e, name: part }, e);
    }
    return e;
  };
  const atom = (): Expr => {
    const t = peek();
    if (t.kind === 'num') {
      p++;
      return { kind: 'lit', value: numberOf(t.text) };
    }
    if (t.kind === 'str') {
      p++;
      return { kind: 'lit', value: t.text };
    }
    if (t.kind === 'name') {
      p++;
      if (t.text === 'true' || t.text === 'false') return { kind: 'lit', value: t.text === 'true' };
      if (!isOp('(')) return { kind: 'name', name: t.text };
      p++;
      const args: Expr[] = [];
      if (!isOp(')')) {
        args.push(or());
        while (isOp(',')) {
          p++;
          args.push(or());
        }
      }
      expect(')');
      return node({ kind: 'call', fn: t.text, args }, ...args);
    }
    if (isOp('(')) {
      p++;
      const e = or();
      expect(')');
      return e;
    }
    throw new ExprError(t.kind === 'end' ? 'the expression ends too soon' : `unexpected "${t.text}"`, t.at);
  };

  const e = or();
  if (peek().kind !== 'end') throw new ExprError(`unexpected "${peek().text}"`, peek().at);
  return e;
}

/**
 * The problems a query can be seen to have before any network runs: unknown functions and
 * names that are neither variables nor known peers, channels or orgs. Offsets are into `src`.
 */
export function staticProblems(src: string, known: { functions: Iterable<string>; variables: Iterable<string>; names: Iterable<string> }): ExprError[] {
  let e: Expr;
  try {
    e = parseExpr(src);
  } catch (err) {
    return [err as ExprError];
  }
  const functions = new Set(known.functions);
  const variables = new Set(known.variables);
  const names = new Set(known.names);
  const out: ExprError[] = [];
  const at = (word: string) => Math.max(0, src.indexOf(word));
  const walk = (x: Expr): void => {
    switch (x.kind) {
      case 'name': {
        const head = x.name.split('.')[0];
        if (!names.has(x.name) && !variables.has(head) && !isMessageType(x.name)) out.push(new ExprError(`unknown name "${x.name}": not a peer, channel, org, message type or variable (${[...variables].join(', ')})`, at(x.name)));
        return;
      }
      case 'call':
        if (!functions.has(x.fn)) out.push(new ExprError(`unknown function "${x.fn}" (functions: ${[...functions].join(', ')})`, at(x.fn)));
        return x.args.forEach(walk);
      case 'member':
      case 'not':
        return walk(x.of);
      case 'bin':
        walk(x.left);
        return walk(x.right);
      case 'lit':
        return;
    }
  };
  walk(e);
  return out;
}

/** A bare Fabric message type (`sent(AliveMessage)`) names itself, as its quoted string does. */
export function isMessageType(name: string): boolean {
  return (MESSAGE_TYPES as readonly string[]).includes(name);
}
