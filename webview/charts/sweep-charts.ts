/**
 * A sweep's charts: each figure against each swept parameter, one line per combination of the
 * other parameters, the line at the mean over seeds and a band from the lowest to the highest.
 */
import uPlot from 'uplot';
import type { Scalars, Sweep } from '../../engine/figures/types.js';
import { axis, chartTheme } from './theme.js';
import { translucent } from './colour.js';

export const SWEEP_FIGURES: { key: keyof Scalars; label: string }[] = [
  { key: 'pushReach', label: 'push reach (share of non-leaders whose first copy came by push)' },
  { key: 'pullShare', label: 'pull share (first copies by pull)' },
  { key: 'coverage', label: 'coverage (share of peers holding each block at the end)' },
  { key: 'fullCoverageMs', label: 'time until every peer holds a block (ms)' },
  { key: 'latencyP50', label: 'latency p50 (ms)' },
  { key: 'latencyP99', label: 'latency p99 (ms)' },
  { key: 'dataMessagesPerBlock', label: 'DataMessages sent per block' },
  { key: 'messagesPerBlock', label: 'all messages sent per block' },
  { key: 'bytesPerSecond', label: 'bytes sent per second' },
];

export interface Series {
  label: string;
  xs: number[];
  mean: (number | null)[];
  min: (number | null)[];
  max: (number | null)[];
}

const num = (v: number | string, values: (number | string)[]): number => (typeof v === 'number' ? v : values.indexOf(v));

/** The lines of one chart: figure `key` against parameter `param`. */
export function sweepSeries(s: Sweep, key: keyof Scalars, param: string): Series[] {
  const p = s.params.find((q) => q.name === param)!;
  const others = s.params.filter((q) => q.name !== param);
  const groups = new Map<string, Map<number | string, number[]>>();
  for (const r of s.runs) {
    const g = others.map((q) => `${q.name}=${r.values[q.name]}`).join(' ');
    let byX = groups.get(g);
    if (byX === undefined) groups.set(g, (byX = new Map()));
    const v = r.scalars[key];
    const list = byX.get(r.values[param]) ?? [];
    if (typeof v === 'number') list.push(v);
    byX.set(r.values[param], list);
  }
  return [...groups].map(([label, byX]) => {
    const stats = p.values.map((x) => byX.get(x) ?? []);
    return {
      label: label === '' ? 'mean over seeds' : label,
      xs: p.values.map((x) => num(x, p.values)),
      mean: stats.map((l) => (l.length === 0 ? null : l.reduce((a, b) => a + b, 0) / l.length)),
      min: stats.map((l) => (l.length === 0 ? null : Math.min(...l))),
      max: stats.map((l) => (l.length === 0 ? null : Math.max(...l))),
    };
  });
}

export function drawSweepCharts(root: HTMLElement, s: Sweep): void {
  const t = chartTheme();
  // Two charts a row where there is room.
  root.classList.add('gs-sweep-grid');
  const width = Math.max(320, Math.min(540, Math.floor(root.clientWidth / 2) - 24));
  for (const fig of SWEEP_FIGURES) {
    if (s.runs.every((r) => r.scalars[fig.key] === null)) continue;
    for (const p of s.params) {
      const lines = sweepSeries(s, fig.key, p.name);
      const sec = document.createElement('section');
      sec.className = 'gs-chart gs-sweep-chart';
      sec.dataset.chart = `${fig.key}-vs-${p.name}`;
      sec.dataset.testid = 'chart';
      const h = document.createElement('h3');
      h.textContent = `${fig.label} against ${p.name} (${s.seeds.length} seed${s.seeds.length === 1 ? '' : 's'}: mean, band from min to max)`;
      const body = document.createElement('div');
      sec.append(h, body);
      root.append(sec);
      const series: uPlot.Series[] = [{ label: p.name }];
      const data: (number | null)[][] = [lines[0].xs];
      const bands: uPlot.Band[] = [];
      lines.forEach((l, i) => {
        const c = t.series[i % t.series.length];
        const base = series.length;
        series.push({ label: l.label, stroke: c, width: 2, points: { show: true, size: 6, fill: c } });
        // The spread's edges stay out of the legend (class gs-spread).
        series.push({ label: `${l.label} max`, class: 'gs-spread', stroke: translucent(c, 0.4), width: 1, points: { show: false } });
        series.push({ label: `${l.label} min`, class: 'gs-spread', stroke: translucent(c, 0.4), width: 1, points: { show: false } });
        data.push(l.mean, l.max, l.min);
        bands.push({ series: [base + 1, base + 2], fill: translucent(c, 0.18) });
      });
      const strings = p.values.some((v) => typeof v === 'string');
      new uPlot(
        {
          width,
          height: 260,
          bands,
          scales: { x: { time: false } },
          // A tick at each swept value, and only there.
          axes: [axis(t, p.name, { splits: () => lines[0].xs, ...(strings ? { values: (_u: uPlot, v: number[]) => v.map((i) => String(p.values[i] ?? '')) } : {}) }), axis(t, fig.key, { size: 84 })],
          series,
          hooks: {
            draw: [
              (u) => {
                sec.dataset.drawn = String(lines.length);
                void u;
              },
            ],
          },
        },
        data as uPlot.AlignedData,
        body,
      );
    }
  }
}
