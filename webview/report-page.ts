/**
 * The report page (dist/report-page.js, inlined into every HTML report): reads the figures
 * embedded in the page and draws them. It talks to nothing: the report works offline, from a
 * file, in a browser or in a VS Code webview.
 */
import type { ReportData, Scalars, Sweep } from '../engine/figures/types.js';
import { drawRunCharts } from './charts/run-charts.js';
import { drawSweepCharts } from './charts/sweep-charts.js';

const SCALAR_TEXT: Record<keyof Scalars, string> = {
  blocks: 'blocks cut',
  pushReach: 'push reach (non-leaders whose first copy came by push)',
  pullShare: 'first copies by pull',
  stateShare: 'first copies by state transfer',
  coverage: 'coverage at the end',
  fullCoverageMs: 'mean time until every peer holds a block (ms)',
  latencyP50: 'latency p50 (ms)',
  latencyP95: 'latency p95 (ms)',
  latencyP99: 'latency p99 (ms)',
  dataMessagesPerBlock: 'DataMessages sent per block',
  messagesPerBlock: 'messages sent per block',
  messagesPerSecond: 'messages sent per second',
  bytesPerSecond: 'bytes sent per second',
};

function table(rows: [string, string][]): HTMLTableElement {
  const tb = document.createElement('table');
  tb.className = 'gs-facts';
  for (const [k, v] of rows) {
    const tr = tb.insertRow();
    const th = document.createElement('th');
    th.textContent = k;
    tr.append(th);
    tr.insertCell().textContent = v;
  }
  return tb;
}

const show = (v: number | null): string => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 4 : 2));

function sweepTable(s: Sweep): HTMLTableElement {
  const tb = document.createElement('table');
  tb.className = 'gs-sweep-table';
  tb.dataset.testid = 'sweep-table';
  const keys = Object.keys(SCALAR_TEXT) as (keyof Scalars)[];
  const head = tb.createTHead().insertRow();
  for (const h of [...s.params.map((p) => p.name), 'seed', ...keys]) {
    const th = document.createElement('th');
    th.textContent = h;
    head.append(th);
  }
  const body = tb.createTBody();
  for (const r of s.runs) {
    const tr = body.insertRow();
    for (const p of s.params) tr.insertCell().textContent = String(r.values[p.name]);
    tr.insertCell().textContent = String(r.seed);
    for (const k of keys) tr.insertCell().textContent = show(r.scalars[k]);
  }
  return tb;
}

function main(): void {
  const data = JSON.parse(document.getElementById('gossip-scope-data')!.textContent!) as ReportData;
  const root = document.getElementById('report')!;
  const h1 = document.createElement('h1');
  h1.textContent = data.title;
  root.append(h1, table(data.facts));
  const charts = document.createElement('div');
  charts.className = 'gs-charts';
  if (data.kind === 'run') {
    const sc = data.figures.scalars;
    root.append(table((Object.keys(SCALAR_TEXT) as (keyof Scalars)[]).map((k) => [SCALAR_TEXT[k], show(sc[k])])));
    root.append(charts);
    const picked = document.createElement('p');
    picked.className = 'gs-chart-note';
    picked.dataset.testid = 'picked';
    root.insertBefore(picked, charts);
    const rc = drawRunCharts(charts, data.figures, (p) => {
      picked.textContent = `Picked: ${p.text}`;
      rc.setTime(p.t);
    });
  } else {
    root.append(charts);
    drawSweepCharts(charts, data.sweep);
    const h2 = document.createElement('h2');
    h2.textContent = 'Every run';
    const scroll = document.createElement('div');
    scroll.className = 'gs-scroll';
    scroll.append(sweepTable(data.sweep));
    root.append(h2, scroll);
  }
}

main();
