/**
 * Diagnostics for scenario files: `file:line:col: message`, and the helpers that find where in
 * the YAML a problem is (by path through the document) and what the user probably meant.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourcePos } from './types.js';

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** Every problem found in a scenario, sorted by position. `.message` is one `file:line:col: message` per line. */
export class ScenarioError extends Error {
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    const sorted = sortDiagnostics(diagnostics);
    super(sorted.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
    this.name = 'ScenarioError';
    this.diagnostics = sorted;
  }
}

/** Sorts by position and drops exact repeats (ajv can report one mistake twice). */
export function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return [...diags]
    .sort((a, b) => a.line - b.line || a.col - b.col)
    .filter((d) => {
      const key = `${d.line}:${d.col}:${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** A path into the document, as ajv's instancePath segments or our own: ['orgs', 0, 'mspId']. */
export type Path = readonly (string | number)[];

/** Finds the YAML node (and its key) at a path, to point messages at what the user wrote. */
export class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Position of the value at `path` or, with 'key', of its key; falls back to the nearest ancestor. */
  pos(path: Path, which: 'key' | 'value' = 'value'): SourcePos {
    let node: unknown = this.doc.contents;
    let key: unknown = undefined;
    let best = this.rangeStart(node) ?? 0;
    for (const seg of path) {
      node = this.deref(node);
      let next: unknown = undefined;
      let nextKey: unknown = undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(seg));
        if (pair) [next, nextKey] = [pair.value, pair.key];
      } else if (isSeq(node)) {
        next = node.items[Number(seg)];
      }
      if (next === undefined && nextKey === undefined) break;
      [node, key] = [next, nextKey];
      // An empty value (`orderer:` with nothing after it) has no text of its own: use its key.
      best = this.rangeStart(node, true) ?? this.rangeStart(key) ?? best;
    }
    if (which === 'key' && key !== undefined) best = this.rangeStart(key) ?? best;
    return this.lines.linePos(best);
  }

  /**
   * Position of the character `offset` into the one-line string at `path` (past its opening
   * quote): where in a query its problem is.
   */
  posIn(path: Path, offset: number): SourcePos {
    let node: unknown = this.doc.contents;
    for (const seg of path) {
      node = this.deref(node);
      if (isMap(node)) node = node.items.find((p) => keyText(p.key) === String(seg))?.value;
      else if (isSeq(node)) node = node.items[Number(seg)];
      else node = undefined;
    }
    if (!isScalar(node) || !node.range || typeof node.value !== 'string' || node.value.includes('\n')) return this.pos(path);
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
    return this.lines.linePos(node.range[0] + quoted + offset);
  }

  /** Position of a character offset. */
  offset(offset: number): SourcePos {
    return this.lines.linePos(offset);
  }

  private deref(node: unknown): unknown {
    // Follow aliases so paths through `*anchor` still land on the anchored text.
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  private rangeStart(node: unknown, nonEmpty = false): number | undefined {
    const range = (node as Node | null | undefined)?.range;
    if (!range) return undefined;
    if (nonEmpty && range[0] === range[1]) return undefined;
    return range[0];
  }
}

/** A map key as text, the way `toJS` turns it into an object key. */
export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The closest candidate if it is close enough to be a likely typo. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) [best, bestDist] = [c, d];
  }
  return bestDist <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** `; did you mean 'x'?` or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const s = suggest(word, candidates);
  return s === undefined ? '' : `; did you mean '${s}'?`;
}

/** How a value reads in a message: '4 seconds', 12, a list, a mapping, nothing. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** `gossip.state`, `orgs[0]`, or `the scenario` for the top level. */
export function where(path: Path): string {
  if (path.length === 0) return 'the scenario';
  return path.map((s, i) => (typeof s === 'number' || /^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
