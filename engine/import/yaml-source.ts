/**
 * A real network's YAML file, read with positions: every value found keeps the file, line and
 * column it came from, through anchors (`*Org1`) and merge keys (`<<: *ChannelDefaults`), as
 * configtx.yaml uses them. Problems are `file:line:col` diagnostics, never exceptions.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../scenario/diagnostics.js';

/** Where a value was written: `core.yaml:174:27`. */
export interface Origin {
  file: string;
  line: number;
  col: number;
}

export function originText(o: Origin): string {
  return `${o.file}:${o.line}:${o.col}`;
}

export class ImportError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
    this.name = 'ImportError';
  }
}

/** A node of a parsed file, with what it needs to say where it is. */
export class YamlNode {
  constructor(
    readonly src: YamlSource,
    readonly node: unknown,
    /** The key this node is the value of: used when the value is empty. */
    private readonly keyNode?: unknown,
  ) {}

  get origin(): Origin {
    const start = rangeStart(this.node, true) ?? rangeStart(this.keyNode) ?? 0;
    return this.src.at(start);
  }

  /** Where the key this node is the value of was written (`environment:`), else the node's own origin. */
  get keyOrigin(): Origin {
    const start = rangeStart(this.keyNode);
    return start === undefined ? this.origin : this.src.at(start);
  }

  /** The value at `key` of a mapping (merge keys followed), or undefined. */
  get(key: string): YamlNode | undefined {
    const map = this.src.deref(this.node);
    if (!isMap(map)) return undefined;
    const found = findPair(this.src, map, key, 0);
    return found ? new YamlNode(this.src, found.value, found.key) : undefined;
  }

  /** Follows a dotted path of keys. */
  path(dotted: string): YamlNode | undefined {
    let n: YamlNode | undefined = this as YamlNode;
    for (const k of dotted.split('.')) n = n?.get(k);
    return n;
  }

  /** Keys of a mapping in file order (merged keys after own keys), with their nodes. */
  entries(): [string, YamlNode][] {
    const map = this.src.deref(this.node);
    if (!isMap(map)) return [];
    const out = new Map<string, YamlNode>();
    collectEntries(this.src, map, out, 0);
    return [...out];
  }

  items(): YamlNode[] {
    const seq = this.src.deref(this.node);
    return isSeq(seq) ? seq.items.map((i) => new YamlNode(this.src, i)) : [];
  }

  isMap(): boolean {
    return isMap(this.src.deref(this.node));
  }

  isSeq(): boolean {
    return isSeq(this.src.deref(this.node));
  }

  /** An empty value (`endpoint:` with nothing after it). */
  isEmpty(): boolean {
    const n = this.src.deref(this.node);
    return n === null || n === undefined || (isScalar(n) && (n.value === null || n.value === ''));
  }

  /** The scalar's value (string, number, boolean, null), or undefined for a mapping or list. */
  scalar(): unknown {
    const n = this.src.deref(this.node);
    if (n === null || n === undefined) return null;
    return isScalar(n) ? n.value : undefined;
  }

  /** The scalar as the text it was written with (`5s`, `1500ms`, `10`). */
  text(): string | undefined {
    const v = this.scalar();
    return v === null || v === undefined ? undefined : String(v);
  }

  /** A diagnostic pointing here. */
  problem(message: string): Diagnostic {
    return { ...this.origin, message };
  }
}

export class YamlSource {
  private constructor(
    readonly file: string,
    /** The YAML document of the file that holds the configuration. */
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Parses a file; a YAML syntax error is an ImportError at its position. */
  static parse(file: string, text: string): YamlSource {
    const lines = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, merge: true, logLevel: 'error' });
    const list = Array.isArray(docs) ? docs : [];
    const errors = list.flatMap((d) => d.errors);
    if (!Array.isArray(docs) || errors.length > 0) {
      const diags = errors.map((e) => {
        const p = lines.linePos(e.pos[0]);
        return { file, line: p.line, col: p.col, message: `YAML: ${e.message.split('\n')[0]}` };
      });
      throw new ImportError(diags.length > 0 ? diags : [{ file, line: 1, col: 1, message: 'YAML: cannot parse the file' }]);
    }
    // A file of several documents: the last non-empty one is the configuration (configtx.yaml
    // as fabric-samples ship it starts with an empty '---' document of comments).
    let index = list.length - 1;
    while (index > 0 && (list[index].contents === null || list[index].contents === undefined)) index--;
    if (list.length === 0 || list[index].contents === null) {
      throw new ImportError([{ file, line: 1, col: 1, message: 'the file holds no YAML mapping' }]);
    }
    const undefinedAliases = danglingAliases(list[index]).map((a) => {
      const p = lines.linePos(a.offset);
      return { file, line: p.line, col: p.col, message: `YAML: alias *${a.name} names no anchor (no &${a.name} before it)` };
    });
    if (undefinedAliases.length > 0) throw new ImportError(undefinedAliases);
    return new YamlSource(file, list[index], lines);
  }

  get root(): YamlNode {
    return new YamlNode(this, this.doc.contents);
  }

  at(offset: number): Origin {
    const p = this.lines.linePos(offset);
    return { file: this.file, line: p.line, col: p.col };
  }

  deref(node: unknown): unknown {
    // A chain of aliases is followed; the yaml library refuses cycles when parsing.
    let n = node;
    for (let i = 0; i < 100 && isAlias(n); i++) n = n.resolve(this.doc);
    return n;
  }
}

/**
 * Aliases whose anchor is not defined before them. The yaml library parses them without an
 * error and resolves them to nothing, which would read as an empty value far from the mistake;
 * Fabric's configtxgen refuses them ("unknown anchor").
 */
function danglingAliases(doc: Document): { name: string; offset: number }[] {
  const out: { name: string; offset: number }[] = [];
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) === undefined) out.push({ name: alias.source, offset: alias.range?.[0] ?? 0 });
    },
  });
  return out;
}

type Pair = { key: unknown; value: unknown };

function findPair(src: YamlSource, map: YAMLMap, key: string, depth: number): Pair | undefined {
  const own = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  if (own) return own;
  if (depth > 20) return undefined;
  for (const merged of mergeSources(src, map)) {
    const found = findPair(src, merged, key, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function collectEntries(src: YamlSource, map: YAMLMap, out: Map<string, YamlNode>, depth: number): void {
  for (const p of map.items) {
    if (!isScalar(p.key)) continue;
    const k = String(p.key.value);
    if (k === '<<' || out.has(k)) continue;
    out.set(k, new YamlNode(src, p.value, p.key));
  }
  if (depth > 20) return;
  for (const merged of mergeSources(src, map)) collectEntries(src, merged, out, depth + 1);
}

/** The maps a `<<:` key merges in (one alias or a list of them). */
function mergeSources(src: YamlSource, map: YAMLMap): YAMLMap[] {
  const out: YAMLMap[] = [];
  for (const p of map.items) {
    const isMergeKey = isScalar(p.key) && (p.key.value === '<<' || String(p.key.source ?? '') === '<<');
    if (!isMergeKey) continue;
    const v = src.deref(p.value);
    if (isMap(v)) out.push(v);
    else if (isSeq(v)) for (const i of v.items) {
      const m = src.deref(i);
      if (isMap(m)) out.push(m);
    }
  }
  return out;
}

function rangeStart(node: unknown, nonEmpty = false): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  if (!range) return undefined;
  if (nonEmpty && range[0] === range[1]) return undefined;
  return range[0];
}
