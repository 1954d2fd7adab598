/**
 * The panel's charts (webview/charts/run-charts.ts, the same as the HTML report's), in a pane
 * under the graph that opens from its header. While open it asks the host for the run's figures
 * about once a second (the engine computes them from the trace); a click on a chart hands its
 * time and peer to the panel, which moves the timeline's cursor (and the message list with it)
 * and selects the peer in the graph; the timeline's cursor is drawn on the charts.
 */
import type { Figures } from '../engine/figures/types.js';
import { drawRunCharts, type Pick, type RunCharts } from './charts/run-charts.js';
import { custom, el } from './dom.js';

const REFRESH_MS = 1000;

export class ChartsPane {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly note: HTMLElement;
  private readonly toggle: HTMLElement;
  private charts?: RunCharts;
  private shown: Figures | null = null;
  private timer?: ReturnType<typeof setInterval>;
  private cursor: number | null = null;
  onPick: (p: Pick) => void = () => {};

  constructor(private readonly ask: () => void) {
    this.toggle = custom('vscode-button', { secondary: '', 'data-testid': 'charts-toggle', title: 'Infection curves, latency, message and byte rates of this run' }, 'Charts');
    this.toggle.addEventListener('click', () => this.setOpen(!this.open));
    this.note = el('span', { class: 'hint charts-note' });
    this.body = el('div', { class: 'charts-body', 'data-testid': 'charts' });
    this.root = el('div', { class: 'charts-pane' }, el('div', { class: 'charts-head' }, this.toggle, this.note), this.body);
  }

  get open(): boolean {
    return this.root.classList.contains('open');
  }

  setOpen(open: boolean): void {
    this.root.classList.toggle('open', open);
    clearInterval(this.timer);
    if (!open) {
      this.charts?.destroy();
      this.charts = undefined;
      this.shown = null;
      this.note.textContent = '';
      return;
    }
    this.note.textContent = 'computing…';
    this.ask();
    this.timer = setInterval(() => this.ask(), REFRESH_MS);
  }

  /** A new network: what was drawn belongs to the old one. */
  reset(): void {
    if (this.open) this.setOpen(true);
  }

  receive(f: Figures | null): void {
    if (!this.open) return;
    if (f === null) {
      this.note.textContent = 'no figures for this network';
      return;
    }
    // Nothing moved since the last drawing: keep it (and the hover under the pointer).
    if (this.shown !== null && this.shown.simTimeMs === f.simTimeMs && this.shown.blocks.length === f.blocks.length) return;
    this.shown = f;
    this.charts?.destroy();
    this.charts = drawRunCharts(this.body, f, (p) => this.onPick(p));
    this.charts.setTime(this.cursor);
    const s = f.scalars;
    this.note.textContent = `${f.blocks.length} blocks · push reach ${s.pushReach} · latency p50 ${s.latencyP50 ?? '—'} ms, p99 ${s.latencyP99 ?? '—'} ms · at ${(f.simTimeMs / 1000).toFixed(1)} s`;
  }

  /** The timeline's cursor (null: following live). */
  setTime(t: number | null): void {
    this.cursor = t;
    this.charts?.setTime(t);
  }
}
