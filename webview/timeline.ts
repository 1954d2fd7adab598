/**
 * The timeline: a space-time diagram with one lane per peer and a line for each delivered
 * message, over the last stretch of simulated time. Clicking it picks a moment: the message
 * list then shows what happened up to there; clicking again at the right edge returns to live.
 */
import type { UiEvent, UiNetwork } from '../extension/protocol.js';
import { color, typeColor } from './theme.js';

const WINDOW_MS = 20_000;
const KEEP = 4000;

interface Line {
  from: number;
  to: number;
  sent: number;
  arrived: number;
  type?: string;
}

export class Timeline {
  private readonly ctx: CanvasRenderingContext2D;
  private lines: Line[] = [];
  private sends = new Map<string, number>();
  private now = 0;
  private lanes = 1;
  private dirty = true;
  cursor: number | null = null;
  onScrub: (t: number | null) => void = () => {};

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d')!;
    canvas.addEventListener('click', (e) => {
      const r = canvas.getBoundingClientRect();
      const x = (e.clientX - r.left) / r.width;
      this.cursor = x > 0.98 ? null : this.now - WINDOW_MS + x * WINDOW_MS;
      this.dirty = true;
      this.onScrub(this.cursor);
    });
  }

  reset(network: UiNetwork): void {
    this.lanes = Math.max(1, network.peers.length);
    this.lines = [];
    this.sends.clear();
    this.cursor = null;
    this.dirty = true;
  }

  add(events: UiEvent[], now: number): void {
    this.now = now;
    for (const e of events) {
      if (e.kind === 'send' && e.msg !== undefined && e.other !== undefined) this.sends.set(`${e.msg}/${e.peer}/${e.other}`, e.t);
      else if (e.kind === 'deliver' && e.msg !== undefined && e.other !== undefined) {
        const k = `${e.msg}/${e.other}/${e.peer}`;
        const sent = this.sends.get(k);
        if (sent === undefined) continue;
        this.sends.delete(k);
        this.lines.push({ from: e.other, to: e.peer, sent, arrived: e.t, type: e.type });
      }
    }
    if (this.lines.length > KEEP) this.lines = this.lines.slice(-KEEP);
    if (this.sends.size > KEEP * 4) this.sends.clear();
    this.dirty = true;
  }

  render(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const c = this.canvas;
    const w = c.clientWidth;
    const h = c.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const t0 = this.now - WINDOW_MS;
    const x = (t: number) => ((t - t0) / WINDOW_MS) * w;
    const y = (lane: number) => ((lane + 0.5) / this.lanes) * h;
    ctx.globalAlpha = 0.25;
    ctx.strokeStyle = color('--vscode-panel-border');
    if (this.lanes <= 60) {
      for (let i = 0; i < this.lanes; i++) {
        ctx.beginPath();
        ctx.moveTo(0, y(i));
        ctx.lineTo(w, y(i));
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 0.7;
    for (const l of this.lines) {
      if (l.arrived < t0) continue;
      ctx.strokeStyle = typeColor(l.type);
      ctx.beginPath();
      ctx.moveTo(x(l.sent), y(l.from));
      ctx.lineTo(x(l.arrived), y(l.to));
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    if (this.cursor !== null) {
      ctx.strokeStyle = color('--vscode-focusBorder');
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x(this.cursor), 0);
      ctx.lineTo(x(this.cursor), h);
      ctx.stroke();
      ctx.lineWidth = 1;
    }
  }
}
