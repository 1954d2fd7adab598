/**
 * Where a latency chart writes a percentile's name: beside its line, on whichever side has room
 * for the whole text; a percentile past the axis (the histogram is cut before the slowest commits)
 * is written inside the right edge with its value and an arrow, and no line, never cut to "p9".
 */
export interface LabelPlace {
  text: string;
  x: number;
  align: 'left' | 'right';
  /** Whether the percentile's line is inside the plot, to be drawn. */
  line: boolean;
}

export function placePercentileLabel(name: string, valueMs: number, x: number, left: number, right: number, width: (text: string) => number, gap: number): LabelPlace {
  if (!(x >= left && x <= right)) {
    const past = x > right;
    return { text: past ? `${name} ${valueMs} ms \u2192` : `\u2190 ${name} ${valueMs} ms`, x: past ? right - gap : left + gap, align: past ? 'right' : 'left', line: false };
  }
  const fitsRight = x + gap + width(name) <= right;
  return { text: name, x: fitsRight ? x + gap : x - gap, align: fitsRight ? 'left' : 'right', line: true };
}
