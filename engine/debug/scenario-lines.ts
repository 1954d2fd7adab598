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
