/**
 * How the charts tell their series apart so that the legend alone names each one: a colour and a
 * line style per series (the legend draws its marker as a short line in both), no two series
 * alike; block lines in the infection chart stay off the colours that mean how a block came.
 */
import type { ChartTheme } from './theme.js';

export interface SeriesStyle {
  stroke: string;
  /** uPlot's canvas dash, [] for solid. */
  dash: number[];
  /** The same style as a CSS border-style, for the legend's marker. */
  legendDash: 'solid' | 'dashed' | 'dotted';
}

const STYLES: { dash: number[]; legendDash: SeriesStyle['legendDash'] }[] = [
  { dash: [], legendDash: 'solid' },
  { dash: [7, 3], legendDash: 'dashed' },
  { dash: [2, 2], legendDash: 'dotted' },
];

/** Series `i` of `n`: the theme's colours first, solid; then each colour again dashed, then dotted. */
export function seriesStyle(t: ChartTheme, i: number): SeriesStyle {
  const c = t.series.length;
  const s = STYLES[Math.floor(i / c) % STYLES.length];
  // Past colours × styles (18 with VS Code's six) the pairs would repeat: say so in the legend's
  // order rather than draw two series alike (callers cap the count; see MAX_STYLED_SERIES).
  return { stroke: t.series[i % c], dash: s.dash, legendDash: s.legendDash };
}

/** Series beyond this would repeat a colour and style pair. */
export function maxStyledSeries(t: ChartTheme): number {
  return t.series.length * STYLES.length;
}

/**
 * The infection chart's block lines: one neutral colour (a block is named by hover, not by a
 * legend), so that its colours keep the one meaning the legend gives them, how a block came.
 */
export function blockLineStroke(t: ChartTheme): string {
  return t.muted;
}
