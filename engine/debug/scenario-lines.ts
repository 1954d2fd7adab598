/**
 * Where each entry of a scenario's `faults:` list is written, so a breakpoint on one of those
 * lines stops when that fault fires (and a fault's stack frame opens at its line).
 */
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';

/** 1-based [first, last] line of each fault entry, by index in `faults:`. */
export function faultLines(text: string): [number, number][] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, logLevel: 'silent' });
  if (!isMap(doc.contents)) return [];
  const faults = doc.contents.get('faults', true);
  if (!isSeq(faults)) return [];
  return faults.items.map((item) => {
    const range = (item as { range?: [number, number, number] }).range;
    if (range === undefined) return [0, 0];
    // The range's end is where the next entry (or a trailing newline) begins.
    const end = lines.linePos(Math.max(range[0], range[1] - 1)).line;
    return [lines.linePos(range[0]).line, end];
  });
}

/** The fault written on `line`, or -1 when no fault entry covers it. */
export function faultAtLine(spans: [number, number][], line: number): number {
  return spans.findIndex(([a, b]) => line >= a && line <= b);
}

/**
 * 1-based line where each org is declared (by MSP ID and by name), and `orderer` where the
 * orderer is: the "code" a peer's stack frames point at, so the scenario opens at its org.
 */
export function declarationLines(text: string): Map<string, number> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, logLevel: 'silent' });
  const out = new Map<string, number>();
  if (!isMap(doc.contents)) return out;
  const orgs = doc.contents.get('orgs', true);
  if (isSeq(orgs)) {
    for (const item of orgs.items) {
      const range = (item as { range?: [number, number, number] }).range;
      if (!isMap(item) || range === undefined) continue;
      const line = lines.linePos(range[0]).line;
      for (const key of ['mspId', 'name']) {
        const v = item.get(key);
        if (typeof v === 'string') out.set(v, line);
      }
    }
  }
  const pair = doc.contents.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'orderer');
  const keyRange = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
  if (keyRange !== undefined) out.set('orderer', lines.linePos(keyRange[0]).line);
  return out;
}
