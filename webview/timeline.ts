/**
 * The timeline: a space-time diagram with one horizontal lane per peer (grouped by org) and a
 * line for each message from its sender's lane at the send time to its receiver's lane at the
 * delivery time; drops end in red, rejections are red marks. Dragging on it sets a cursor (the
 * view stops following live and the message list scrolls to that moment); the wheel zooms the
 * time span; "Live" or Escape returns to the present.
 */
import type { UiEvent, UiNetwork } from '../extension/protocol.js';
import { custom, el, fitCanvas, secs } from './dom.js';
import { color, typeColor } from './theme.js';

const CAPACITY = 40_000;
/** More lines than this in view are sampled: at that density the picture is the same. */
const MAX_DRAWN = 8_000;
const AXIS_H = 16;
const LABEL_W = 64;
const RENDER_MS = 50;

const enum LineKind {
  Delivered,
  Dropped,
  Rejected,
}

export class Timeline {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly cursorLabel: HTMLElement;
  // The lines, in a ring of typed arrays: no object per message.
  private readonly sent = new Float64Array(CAPACITY);
  private readonly arrived = new Float64Array(CAPACITY);
  private readonly from = new Int32Array(CAPACITY);
  private readonly to = new Int32Array(CAPACITY);
  private readonly kind = new Uint8Array(CAPACITY);
  private readonly typeOf = new Uint16Array(CAPACITY);
  private head = 0;
  private size = 0;
  private readonly typeNames: string[] = [];
  private readonly typeIds = new Map<string, number>();
  /** (msg × n + from) × n + to → send time, until the delivery (or drop) comes. */
  private readonly pendingSends = new Map<number, number>();
  private lanes = 1;
  private orgStarts: { lane: number; name: string }[] = [];
  private now = 0;
  private span = 10_000;
  /** End of the window when not following live. */
  private frozenEnd: number | null = null;
  private cursor: number | null = null;
  private dirty = true;
  private lastRender = 0;
  private dragging = false;
  onScrub: (t: number | null) => void = () => {};

  constructor() {
    this.canvas = el('canvas', { class: 'timeline-canvas', 'data-testid': 'timeline', tabindex: '0', 'aria-label': 'timeline: drag to look at a moment, Escape to follow live' });
    this.ctx = this.canvas.getContext('2d')!;
    this.cursorLabel = el('span', { class: 'cursor-label' });
    const live = custom('vscode-button', { secondary: '', 'data-testid': 'timeline-live', title: 'Follow the present again' }, 'Live');
    live.addEventListener('click', () => this.setCursor(null));
    this.root = el('div', { class: 'timeline' }, this.canvas, el('div', { class: 'timeline-bar' }, this.cursorLabel, live));
    this.canvas.addEventListener('pointerdown', (e) => {
      this.dragging = true;
      this.canvas.setPointerCapture(e.pointerId);
      this.scrubAt(e.clientX);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (this.dragging) this.scrubAt(e.clientX);
    });
    this.canvas.addEventListener('pointerup', () => (this.dragging = false));
    this.canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      this.span = Math.min(120_000, Math.max(500, this.span * (e.deltaY > 0 ? 1.25 : 0.8)));
      if (this.frozenEnd !== null && this.cursor !== null) this.frozenEnd = this.cursor + this.span / 2;
      this.dirty = true;
    });
    this.canvas.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.setCursor(null);
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        const base = this.cursor ?? this.windowEnd();
        this.setCursor(base + (e.key === 'ArrowLeft' ? -1 : 1) * (this.span / 50));
      } else return;
      e.preventDefault();
    });
  }

  reset(network: UiNetwork): void {
    this.lanes = Math.max(1, network.peers.length);
    this.orgStarts = [];
    network.peers.forEach((p, i) => {
      if (i === 0 || network.peers[i - 1].mspId !== p.mspId) this.orgStarts.push({ lane: i, name: p.mspId });
    });
    this.head = 0;
    this.size = 0;
    this.pendingSends.clear();
    this.now = 0;
    this.frozenEnd = null;
    this.cursor = null;
    this.showCursor();
    this.dirty = true;
  }

  private typeId(type: string | undefined): number {
    const name = type ?? '';
    let id = this.typeIds.get(name);
    if (id === undefined) {
      id = this.typeNames.length;
      this.typeNames.push(name);
      this.typeIds.set(name, id);
    }
    return id;
  }

  private line(k: LineKind, a: number, b: number, t0: number, t1: number, type: string | undefined): void {
    const i = this.head;
    this.sent[i] = t0;
    this.arrived[i] = t1;
    this.from[i] = a;
    this.to[i] = b;
    this.kind[i] = k;
    this.typeOf[i] = this.typeId(type);
    this.head = (i + 1) % CAPACITY;
    if (this.size < CAPACITY) this.size++;
  }

  add(events: readonly UiEvent[], now: number): void {
    this.now = now;
    const n = this.lanes;
    for (const e of events) {
      if (e.msg === undefined || e.other === undefined || e.other < 0 || e.peer < 0) continue;
      if (e.kind === 'send') this.pendingSends.set((e.msg * n + e.peer) * n + e.other, e.t);
      else if (e.kind === 'deliver' || e.kind === 'drop') {
        const key = e.kind === 'deliver' ? (e.msg * n + e.other) * n + e.peer : (e.msg * n + e.peer) * n + e.other;
        const t0 = this.pendingSends.get(key) ?? e.t;
        this.pendingSends.delete(key);
        if (e.kind === 'deliver') this.line(LineKind.Delivered, e.other, e.peer, t0, e.t, e.type);
        else this.line(LineKind.Dropped, e.peer, e.other, t0, e.t, e.type);
      } else if (e.kind === 'reject') this.line(LineKind.Rejected, e.peer, e.peer, e.t, e.t, e.type);
    }
    // Sends whose fate never came (a crashed receiver): forget them in bulk.
    if (this.pendingSends.size > 200_000) this.pendingSends.clear();
    this.dirty = true;
  }

  private windowEnd(): number {
    return this.frozenEnd ?? Math.max(this.now, this.span);
  }

  private scrubAt(clientX: number): void {
    const r = this.canvas.getBoundingClientRect();
    const x = Math.min(1, Math.max(0, (clientX - r.left - LABEL_W) / Math.max(1, r.width - LABEL_W)));
    const end = this.windowEnd();
    this.setCursor(end - this.span + x * this.span);
  }

  /** Puts the cursor on a simulated time (the window stops following live); null: live again. */
  setCursor(t: number | null): void {
    if (t === null) {
      this.frozenEnd = null;
      this.cursor = null;
    } else {
      if (this.frozenEnd === null) this.frozenEnd = this.windowEnd();
      this.cursor = Math.max(0, t);
      // Keep the cursor inside the window: moving past an edge slides the window along.
      if (this.cursor > this.frozenEnd) this.frozenEnd = this.cursor;
      if (this.cursor < this.frozenEnd - this.span) this.frozenEnd = this.cursor + this.span;
    }
    this.showCursor();
    this.dirty = true;
    this.onScrub(this.cursor);
  }

  get cursorTime(): number | null {
    return this.cursor;
  }

  private showCursor(): void {
    this.cursorLabel.textContent = this.cursor === null ? 'live' : `at ${secs(this.cursor)}`;
    if (this.cursor === null) delete this.canvas.dataset.cursor;
    else this.canvas.dataset.cursor = String(Math.round(this.cursor));
  }

  render(now: number): void {
    if (!this.dirty || (now - this.lastRender < RENDER_MS && !this.dragging)) return;
    this.dirty = false;
    this.lastRender = now;
    const { w, h, dpr } = fitCanvas(this.canvas);
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const end = this.windowEnd();
    const t0 = end - this.span;
    const plotW = Math.max(1, w - LABEL_W);
    const laneH = (h - AXIS_H) / this.lanes;
    const x = (t: number) => LABEL_W + ((t - t0) / this.span) * plotW;
    const y = (lane: number) => (lane + 0.5) * laneH;
    this.drawOrgs(ctx, w, laneH);
    this.drawAxis(ctx, t0, h, x);
    this.drawLines(ctx, t0, end, x, y);
    if (this.cursor !== null) {
      ctx.strokeStyle = color('--vscode-focusBorder');
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x(this.cursor), 0);
      ctx.lineTo(x(this.cursor), h - AXIS_H);
      ctx.stroke();
      ctx.lineWidth = 1;
    }
  }

  private drawOrgs(ctx: CanvasRenderingContext2D, w: number, laneH: number): void {
    ctx.font = `10px ${getComputedStyle(document.body).fontFamily}`;
    ctx.textBaseline = 'top';
    this.orgStarts.forEach((o, k) => {
      const next = this.orgStarts[k + 1]?.lane ?? this.lanes;
      if (k % 2 === 1) {
        ctx.fillStyle = color('--vscode-editor-foreground');
        ctx.globalAlpha = 0.05;
        ctx.fillRect(0, o.lane * laneH, w, (next - o.lane) * laneH);
        ctx.globalAlpha = 1;
      }
      ctx.fillStyle = color('--vscode-descriptionForeground');
      if ((next - o.lane) * laneH >= 10) ctx.fillText(o.name, 4, o.lane * laneH + 1);
    });
  }

  private drawAxis(ctx: CanvasRenderingContext2D, t0: number, h: number, x: (t: number) => number): void {
    const step = [100, 250, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000].find((s) => this.span / s <= 10) ?? 60_000;
    ctx.fillStyle = color('--vscode-descriptionForeground');
    ctx.strokeStyle = color('--vscode-panel-border');
    ctx.textBaseline = 'bottom';
    for (let t = Math.ceil(t0 / step) * step; t <= t0 + this.span; t += step) {
      if (t < 0) continue;
      const px = x(t);
      ctx.beginPath();
      ctx.moveTo(px, 0);
      ctx.lineTo(px, h - AXIS_H + 3);
      ctx.globalAlpha = 0.4;
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.fillText(`${t / 1000}s`, px + 2, h - 2);
    }
  }

  private drawLines(ctx: CanvasRenderingContext2D, t0: number, end: number, x: (t: number) => number, y: (lane: number) => number): void {
    // Which lines are in the window, newest first, then sampled if there are too many.
    const inView: number[] = [];
    for (let k = 0; k < this.size; k++) {
      const i = (this.head - 1 - k + CAPACITY) % CAPACITY;
      if (this.arrived[i] >= t0 && this.sent[i] <= end) inView.push(i);
      else if (this.arrived[i] < t0 - 60_000) break; // far older than the window: the rest are too
    }
    const stride = Math.max(1, Math.ceil(inView.length / MAX_DRAWN));
    const paths = new Map<string, Path2D>();
    const bad = new Path2D();
    for (let k = 0; k < inView.length; k += stride) {
      const i = inView[k];
      if (this.kind[i] === LineKind.Rejected) {
        const px = x(this.sent[i]);
        const py = y(this.from[i]);
        bad.moveTo(px - 3, py - 3);
        bad.lineTo(px + 3, py + 3);
        bad.moveTo(px + 3, py - 3);
        bad.lineTo(px - 3, py + 3);
        continue;
      }
      const p = this.kind[i] === LineKind.Dropped ? bad : (paths.get(this.typeNames[this.typeOf[i]]) ?? new Path2D());
      if (p !== bad) paths.set(this.typeNames[this.typeOf[i]], p);
      p.moveTo(x(this.sent[i]), y(this.from[i]));
      p.lineTo(x(this.arrived[i]), y(this.to[i]));
    }
    ctx.lineWidth = 1;
    ctx.globalAlpha = 0.75;
    for (const [type, p] of paths) {
      ctx.strokeStyle = typeColor(type || undefined);
      ctx.stroke(p);
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = color('--vscode-charts-red');
    ctx.lineWidth = 1.5;
    ctx.stroke(bad);
    ctx.lineWidth = 1;
  }
}
