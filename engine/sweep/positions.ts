/**
 * A combination's scenario is the user's document with values written in and printed again, so
 * its line numbers are not the user's (`tiny.yaml:10:21` in an 8-line file). A problem found in it
 * is placed back in the user's file: at the same key path, or the nearest key above it that the
 * user wrote (a swept key the file does not have yet is said at the section it goes in).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

type Path = (string | number)[];

/**
 * The user's line and column for a line:col of `generated`, by key path into `original`; `added`
 * names the part of the path the user's file does not have (the sweep wrote it in).
 */
export function placeInOriginal(generated: string, line: number, col: number, original: string): { line: number; col: number; added?: string } {
  const path = pathAt(parseDocument(generated).contents as Node | null, offsetOf(generated, line, col));
  const counter = new LineCounter();
  const doc = parseDocument(original, { lineCounter: counter });
  const { start, depth } = deepestStart(doc.contents as Node | null, path);
  const pos = start === undefined ? { line: 1, col: 1 } : counter.linePos(start);
  return depth < path.length ? { ...pos, added: path.join('.') } : pos;
}

function offsetOf(text: string, line: number, col: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return offset + col - 1;
}

const within = (n: unknown, offset: number) => {
  const r = (n as { range?: [number, number, number] } | null)?.range;
  return r !== undefined && offset >= r[0] && offset <= r[2];
};

/** The key path of the innermost value holding `offset`. */
function pathAt(node: Node | null, offset: number): Path {
  const path: Path = [];
  let n: unknown = node;
  for (;;) {
    if (isMap(n)) {
      const pair = n.items.find((p) => isPair(p) && (within(p.key, offset) || within(p.value, offset)));
      if (pair === undefined || !isScalar(pair.key)) return path;
      path.push(String(pair.key.value));
      if (within(pair.key, offset)) return path;
      n = pair.value;
    } else if (isSeq(n)) {
      const i = n.items.findIndex((item) => within(item, offset));
      if (i < 0) return path;
      path.push(i);
      n = n.items[i];
    } else return path;
  }
}

/** Where the deepest node along `path` that exists in the document starts (a key's value, or the key), and how deep it is. */
function deepestStart(node: Node | null, path: Path): { start: number | undefined; depth: number } {
  let n: unknown = node;
  let start = (node as { range?: [number] } | null)?.range?.[0];
  let depth = 0;
  for (const step of path) {
    if (isMap(n)) {
      const pair = n.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (pair === undefined) break;
      const value = pair.value as { range?: [number] } | null;
      start = value?.range?.[0] ?? (pair.key as { range?: [number] }).range?.[0] ?? start;
      n = pair.value;
    } else if (isSeq(n) && typeof step === 'number' && n.items[step] !== undefined) {
      start = (n.items[step] as { range?: [number] }).range?.[0] ?? start;
      n = n.items[step];
    } else break;
    depth++;
  }
  return { start, depth };
}
