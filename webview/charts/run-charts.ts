/**
 * The charts of one run, drawn with uPlot: infection curves per block (a marker per receipt,
 * coloured by how it came), latency CDF and histogram (overall and per org, p50/p95/p99 marked),
 * messages per second by type, bytes per second. Used by the report page and the panel: hover
 * says which block or message type, a click hands its time (and trace event) to `onPick`, and
 * `setTime` draws the time cursor on the time charts.
 */
import uPlot from 'uplot';
import type { Figures } from '../../engine/figures/types.js';
import { axis, chartTheme, type ChartTheme } from './theme.js';
import { translucent } from './colour.js';
import { cdfColumns, describeReceipts, histogramColumns, infectionColumns, rateColumns, sampleBlocks } from './data.js';
import { placePercentileLabel } from './percentile-label.js';
import { blockLineStroke, maxStyledSeries, seriesStyle } from './series-style.js';

export interface Pick {
  /** Simulated ms. */
  t: number;
  /** A trace event id when the pick is one (a receipt). */
  event?: number;
  /** The peer of that receipt. */
  peer?: number;
  text: string;
}

export interface RunCharts {
  setTime(ms: number | null): void;
  destroy(): void;
}

interface Made {
  plot: uPlot;
  /** Whether the x axis is time in seconds (the cursor is drawn there). */
  timeAxis: boolean;
}

const HEIGHT = 240;

function section(parent: HTMLElement, name: string, title: string, note = ''): { body: HTMLElement; hover: HTMLElement } {
  const s = document.createElement('section');
  s.className = 'gs-chart';
  s.dataset.chart = name;
  s.dataset.testid = 'chart';
  const h = document.createElement('h3');
  h.textContent = title;
  s.append(h);
  if (note !== '') {
    const p = document.createElement('p');
    p.className = 'gs-chart-note';
    p.textContent = note;
    s.append(p);
  }
  const body = document.createElement('div');
  const hover = document.createElement('div');
  hover.className = 'gs-chart-hover';
  hover.dataset.testid = 'chart-hover';
  hover.textContent = '\u00a0';
  s.append(body, hover);
  parent.append(s);
  return { body, hover };
}

/** Marks the section drawn once uPlot has painted its series (tests wait for it). */
const drawnHook = (u: uPlot) => {
  const s = u.root.closest('section');
  if (s instanceof HTMLElement) s.dataset.drawn = String(u.series.length - 1);
};

function timeCursorHook(getT: () => number | null, t: ChartTheme) {
  return (u: uPlot) => {
    const ms = getT();
    if (ms === null) return;
    const x = u.valToPos(ms / 1000, 'x', true);
    if (!(x >= u.bbox.left && x <= u.bbox.left + u.bbox.width)) return;
    const c = u.ctx;
    c.save();
    c.strokeStyle = t.fg;
    c.lineWidth = 1.5 * devicePixelRatio;
    c.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
    c.beginPath();
    c.moveTo(x, u.bbox.top);
    c.lineTo(x, u.bbox.top + u.bbox.height);
    c.stroke();
    c.restore();
  };
}

export function drawRunCharts(root: HTMLElement, f: Figures, onPick: (p: Pick) => void = () => {}): RunCharts {
  const t = chartTheme();
  const width = () => Math.max(320, root.clientWidth - 16);
  let cursorMs: number | null = null;
  const made: Made[] = [];
  const getT = () => cursorMs;

  // ---- infection curves -------------------------------------------------------------------
  {
    const blocks = sampleBlocks(f.blocks);
    const note = blocks.length < f.blocks.length ? `${blocks.length} of ${f.blocks.length} blocks drawn, evenly spaced.` : '';
    const { body, hover } = section(root, 'infection', 'Infection: share of the channel\u2019s peers holding each block', note);
    legendOfVias(body.parentElement!, t);
    const data = infectionColumns(blocks, f.simTimeMs);
    let focused: number | null = null;
    const marks = (u: uPlot) => {
      const c = u.ctx;
      const r = 2.5 * devicePixelRatio;
      blocks.forEach((b, i) => {
        if (!u.series[i + 1].show) return;
        b.receipts.forEach((rc, k) => {
          const x = u.valToPos(rc.t / 1000, 'x', true);
          const y = u.valToPos((k + 1) / Math.max(1, b.members), 'y', true);
          c.fillStyle = t.via[rc.via];
          c.beginPath();
          if (rc.via === 'pull' || rc.via === 'state') c.rect(x - r, y - r, 2 * r, 2 * r);
          else c.arc(x, y, r, 0, 2 * Math.PI);
          c.fill();
        });
      });
    };
    const plot = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        legend: { show: false },
        cursor: { focus: { prox: 24 }, drag: { x: true, y: false } },
        focus: { alpha: 0.25 },
        scales: { x: { time: false }, y: { range: [0, 1.02] } },
        axes: [axis(t, 'simulated time (s)'), axis(t, 'share of peers', { values: (_u: uPlot, v: number[]) => v.map((x) => `${Math.round(x * 100)}%`) })],
        series: [{}, ...blocks.map((b) => ({ label: `${b.channel} #${b.seq}`, stroke: blockLineStroke(t), width: 1.25, points: { show: false }, paths: uPlot.paths.stepped!({ align: 1 }) }))],
        hooks: {
          draw: [marks, timeCursorHook(getT, t), drawnHook],
          setSeries: [(_u, i) => (focused = i)],
          setCursor: [
            (u) => {
              const i = u.cursor.idx;
              if (i == null || focused == null || focused < 1) return void (hover.textContent = '\u00a0');
              hover.textContent = describeReceipts(blocks[focused - 1], (u.data[0][i] as number) * 1000);
            },
          ],
        },
      },
      data as uPlot.AlignedData,
      body,
    );
    plot.over.addEventListener('click', () => {
      const i = plot.cursor.idx;
      if (i == null || focused == null || focused < 1) return;
      const b = blocks[focused - 1];
      const at = (plot.data[0][i] as number) * 1000;
      const last = [...b.receipts].reverse().find((r) => r.t <= at);
      onPick({ t: last?.t ?? at, event: last?.event, peer: last?.peer, text: describeReceipts(b, at) });
    });
    made.push({ plot, timeAxis: true });
  }

  // ---- latency: CDF and histogram ---------------------------------------------------------
  const orgs = Object.keys(f.latency.byOrg);
  const dists = [f.latency.overall, ...orgs.map((o) => f.latency.byOrg[o])];
  const labels = ['all peers', ...orgs];
  const o = f.latency.overall;
  const pct = o.count === 0 ? 'no block was committed' : `p50 ${o.p50} ms, p95 ${o.p95} ms, p99 ${o.p99} ms over ${o.count} commits`;
  const percentileMarks = (u: uPlot) => {
    if (o.count === 0) return;
    const c = u.ctx;
    c.save();
    c.fillStyle = t.fg;
    c.strokeStyle = t.muted;
    c.font = `${10 * devicePixelRatio}px sans-serif`;
    c.setLineDash([3 * devicePixelRatio, 3 * devicePixelRatio]);
    [['p50', o.p50], ['p95', o.p95], ['p99', o.p99]].forEach(([name, v], row) => {
      const x = u.valToPos(v as number, 'x', true);
      const place = placePercentileLabel(name as string, v as number, x, u.bbox.left, u.bbox.left + u.bbox.width, (text) => c.measureText(text).width, 3 * devicePixelRatio);
      if (place.line) {
        c.beginPath();
        c.moveTo(x, u.bbox.top);
        c.lineTo(x, u.bbox.top + u.bbox.height);
        c.stroke();
      }
      c.textAlign = place.align;
      // One row each, so labels of close percentiles do not print over one another.
      c.fillText(place.text, place.x, u.bbox.top + (12 + 11 * row) * devicePixelRatio);
    });
    c.restore();
  };
  {
    const { body } = section(root, 'latency-cdf', `Dissemination latency, CDF (cut to commit): ${pct}`);
    const plot = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        scales: { x: { time: false }, y: { range: [0, 1] } },
        axes: [axis(t, 'latency (ms)'), axis(t, 'share of commits', { values: (_u: uPlot, v: number[]) => v.map((x) => `${Math.round(x * 100)}%`) })],
        series: [{ label: 'ms' }, ...labels.map((l, i) => ({ label: l, stroke: t.series[i % t.series.length], width: i === 0 ? 2.5 : 1.25, points: { show: false }, paths: uPlot.paths.stepped!({ align: 1 }) }))],
        hooks: { draw: [percentileMarks, drawnHook] },
      },
      cdfColumns(dists) as uPlot.AlignedData,
      body,
    );
    made.push({ plot, timeAxis: false });
  }
  {
    const { body } = section(root, 'latency-histogram', 'Dissemination latency, histogram (bars: all peers; lines: each org)');
    const cols = histogramColumns(dists);
    const plot = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        scales: { x: { time: false } },
        axes: [axis(t, 'latency (ms)'), axis(t, 'commits')],
        series: [
          { label: 'from ms' },
          ...labels.map((l, i) =>
            i === 0
              ? { label: l, stroke: t.series[0], fill: translucent(t.series[0], 0.35), width: 1, paths: uPlot.paths.bars!({ size: [0.9, 80], align: 1 }), points: { show: false } }
              : { label: l, stroke: t.series[i % t.series.length], width: 1.5, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
          ),
        ],
        hooks: { draw: [percentileMarks, drawnHook] },
      },
      cols as uPlot.AlignedData,
      body,
    );
    made.push({ plot, timeAxis: false });
  }

  // ---- rates ------------------------------------------------------------------------------
  const rc = rateColumns(f);
  const clickTime = (plot: uPlot, what: (i: number) => string) =>
    plot.over.addEventListener('click', () => {
      const i = plot.cursor.idx;
      if (i == null) return;
      onPick({ t: (plot.data[0][i] as number) * 1000, text: what(i) });
    });
  {
    const { body } = section(root, 'messages', `Messages sent per second, by type (${f.rates.bucketMs} ms buckets)`);
    body.classList.add('gs-line-markers');
    const rates = busiestFirst(rc.types, rc.messages, maxStyledSeries(t));
    const plot = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        scales: { x: { time: false } },
        axes: [axis(t, 'simulated time (s)'), axis(t, 'messages/s')],
        series: [{ label: 's' }, ...rates.types.map((ty, i) => ({ label: ty, stroke: seriesStyle(t, i).stroke, dash: seriesStyle(t, i).dash, width: 1.5, points: { show: false } }))],
        // The legend's marker is a short line in the series' colour and style (gs-line-markers).
        legend: { markers: { dash: (_u: uPlot, i: number) => (i === 0 ? 'solid' : seriesStyle(t, i - 1).legendDash), fill: () => 'transparent' } },
        hooks: { draw: [timeCursorHook(getT, t), drawnHook] },
      },
      rates.columns as uPlot.AlignedData,
      body,
    );
    clickTime(plot, (i) => rates.types.map((ty, k) => `${ty} ${rates.columns[k + 1][i]}/s`).join(', '));
    made.push({ plot, timeAxis: true });
  }
  {
    const { body } = section(root, 'bytes', rc.bytes === null ? 'Bytes sent per second: this trace records no message sizes (a saved trace; run the scenario for them)' : 'Bytes sent per second (encoded envelopes)');
    const cols = rc.bytes ?? [rc.messages[0], rc.messages[0].map(() => 0)];
    const plot = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        scales: { x: { time: false } },
        axes: [axis(t, 'simulated time (s)'), axis(t, 'bytes/s', { size: 70 })],
        series: [{ label: 's' }, { label: 'bytes/s', stroke: t.series[2], fill: translucent(t.series[2], 0.25), width: 1.5, points: { show: false } }],
        hooks: { draw: [timeCursorHook(getT, t), drawnHook] },
      },
      cols as uPlot.AlignedData,
      body,
    );
    clickTime(plot, (i) => `${Math.round(cols[1][i])} bytes/s`);
    made.push({ plot, timeAxis: true });
  }

  const onResize = () => {
    for (const m of made) m.plot.setSize({ width: width(), height: HEIGHT });
  };
  window.addEventListener('resize', onResize);
  return {
    setTime(ms) {
      cursorMs = ms;
      for (const m of made) if (m.timeAxis) m.plot.redraw(false, false);
    },
    destroy() {
      window.removeEventListener('resize', onResize);
      for (const m of made) m.plot.destroy();
      root.replaceChildren();
    },
  };
}

/**
 * The rate series busiest first (the first get the solid lines); past `max` styles the quietest
 * are summed into one "other" series, named with how many types it holds.
 */
function busiestFirst(types: string[], columns: [number[], ...number[][]], max: number): { types: string[]; columns: number[][] } {
  const total = (k: number) => columns[k + 1].reduce((a, b) => a + b, 0);
  const order = types.map((_, k) => k).sort((a, b) => total(b) - total(a) || types[a].localeCompare(types[b]));
  if (order.length <= max) return { types: order.map((k) => types[k]), columns: [columns[0], ...order.map((k) => columns[k + 1])] };
  const kept = order.slice(0, max - 1);
  const rest = order.slice(max - 1);
  const other = columns[0].map((_, i) => rest.reduce((a, k) => a + columns[k + 1][i], 0));
  return { types: [...kept.map((k) => types[k]), `other (${rest.length} types)`], columns: [columns[0], ...kept.map((k) => columns[k + 1]), other] };
}

function legendOfVias(parent: HTMLElement, t: ChartTheme): void {
  const p = document.createElement('p');
  p.className = 'gs-chart-note';
  for (const [via, shape, text] of [
    ['orderer', '\u25cf', 'from the orderer'],
    ['push', '\u25cf', 'by push (DataMessage)'],
    ['pull', '\u25a0', 'by pull (DataUpdate)'],
    ['state', '\u25a0', 'by state transfer'],
  ] as const) {
    const s = document.createElement('span');
    s.style.marginRight = '1em';
    const m = document.createElement('span');
    m.style.color = t.via[via];
    m.textContent = `${shape} `;
    s.append(m, text);
    p.append(s);
  }
  // The lines are blocks, all one neutral colour: colour means how a receipt came, nothing else.
  const line = document.createElement('span');
  const m = document.createElement('span');
  m.style.color = t.muted;
  m.textContent = '\u2500 ';
  line.append(m, 'one line per block (hover to name it)');
  p.append(line);
  parent.insertBefore(p, parent.children[1] ?? null);
}
