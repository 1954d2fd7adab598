/**
 * Every chart series can be told apart from its legend alone: no two rate series share a colour
 * and line style, block lines never take a colour that means how a block came, and a percentile
 * label is written whole, inside the plot, even past the axis.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placePercentileLabel } from '../../webview/charts/percentile-label.js';
import { blockLineStroke, maxStyledSeries, seriesStyle } from '../../webview/charts/series-style.js';
import type { ChartTheme } from '../../webview/charts/theme.js';

const THEME: ChartTheme = {
  fg: '#cccccc',
  muted: '#9d9d9d',
  grid: '#444444',
  font: '11px sans-serif',
  series: ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'],
  via: { orderer: '#b180d7', push: '#3794ff', pull: '#d18616', state: '#89d185' },
};

test('15 message types: 15 different colour and line-style pairs, each style one the legend can draw', () => {
  assert.ok(maxStyledSeries(THEME) >= 15);
  const pairs = Array.from({ length: 15 }, (_, i) => seriesStyle(THEME, i));
  assert.equal(new Set(pairs.map((p) => `${p.stroke} ${p.legendDash}`)).size, 15);
  for (const p of pairs) assert.equal(p.dash.length === 0, p.legendDash === 'solid', `${p.legendDash} vs ${p.dash}`);
});

test('block lines use none of the colours that say how a block came', () => {
  assert.ok(!Object.values(THEME.via).includes(blockLineStroke(THEME)));
});

test('a percentile label is never cut: past the axis it is written inside the edge with its value', () => {
  const width = (s: string) => s.length * 6;
  // Past the right edge (the p99 the issue saw cut to "p9").
  const past = placePercentileLabel('p99', 1834, 650, 50, 600, width, 3);
  assert.deepEqual(past, { text: 'p99 1834 ms \u2192', x: 597, align: 'right', line: false });
  assert.ok(past.x - width(past.text) >= 50);
  // Inside, near the right edge: to the left of its line, whole.
  const near = placePercentileLabel('p99', 900, 595, 50, 600, width, 3);
  assert.equal(near.align, 'right');
  assert.ok(near.line && near.x <= 600 && near.x - width(near.text) >= 50);
  // Inside with room: to the right of its line.
  assert.equal(placePercentileLabel('p50', 100, 200, 50, 600, width, 3).align, 'left');
});
