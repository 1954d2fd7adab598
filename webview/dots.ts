/**
 * Messages in flight, drawn as dots on a canvas laid over the graph: Cytoscape never redraws
 * for them, which keeps 500 peers with hundreds of dots at display rate. A dot's path is
 * interpolated between the peers' model positions with the current pan and zoom applied.
 * When more messages arrive than can be shown, the extra are counted as skipped, never queued:
 * the state (graph, list, timeline) always gets every event; only the animation thins out.
 */
import { fitCanvas } from './dom.js';
import type { Graph } from './graph.js';
import { color, typeColor } from './theme.js';

export const MAX_DOTS = 300;
const FLIGHT_MS = 600;
const RADIUS = 3.5;
/** Half the diagonal of a rejection's diamond (px at zoom 1). */
const REJECT_SIZE = 4.5;

const enum DotKind {
  Send,
  /** Lost on the way: flies half way and ends in a cross. */
  Drop,
  /**
   * Refused by the receiver: a diamond where the message reached it, on the sender's side. Not a
   * ring round the peer: a red ring is how a crashed peer is drawn (the legend's "crashed").
   */
  Reject,
}

interface Dot {
  kind: DotKind;
  from: number;
  to: number;
  start: number;
  color: string;
}

export class Dots {
  private readonly ctx: CanvasRenderingContext2D;
  private dots: Dot[] = [];
  private drewSomething = false;
  /** Messages not animated because too many were in flight (since the network was opened). */
  skipped = 0;
  enabled = true;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly graph: Graph,
  ) {
    this.ctx = canvas.getContext('2d')!;
  }

  reset(): void {
    this.dots = [];
    this.skipped = 0;
  }

  get inFlight(): number {
    return this.dots.length;
  }

  /** `delay`: real ms from now until it leaves, to spread a frame's messages over the frame. */
  send(from: number, to: number, type: string | undefined, delay: number): void {
    this.push(DotKind.Send, from, to, typeColor(type), delay);
  }

  drop(from: number, to: number, delay: number): void {
    this.push(DotKind.Drop, from, to, color('--vscode-charts-red'), delay);
  }

  /** `at` refused a message from `from` (-1 or unknown: drawn above the peer). */
  reject(at: number, from: number, delay: number): void {
    this.push(DotKind.Reject, at, from < 0 ? at : from, color('--vscode-charts-red'), delay);
  }

  private push(kind: DotKind, from: number, to: number, c: string, delay: number): void {
    if (!this.enabled || from < 0 || to < 0) return;
    if (this.dots.length >= MAX_DOTS) {
      this.skipped++;
      return;
    }
    this.dots.push({ kind, from, to, start: performance.now() + delay, color: c });
  }

  draw(now: number): void {
    const { w, h, dpr } = fitCanvas(this.canvas);
    const ctx = this.ctx;
    if (this.dots.length === 0 && !this.drewSomething) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    this.drewSomething = this.dots.length > 0;
    if (this.dots.length === 0) return;
    const pos = this.graph.positions();
    const vp = this.graph.viewport();
    const r = RADIUS * Math.min(1.5, Math.max(0.6, vp.zoom));
    let kept = 0;
    for (let i = 0; i < this.dots.length; i++) {
      const d = this.dots[i];
      const t = (now - d.start) / FLIGHT_MS;
      if (t >= 1) continue;
      this.dots[kept++] = d;
      if (t < 0) continue;
      const ax = pos[2 * d.from] * vp.zoom + vp.x;
      const ay = pos[2 * d.from + 1] * vp.zoom + vp.y;
      ctx.fillStyle = d.color;
      ctx.strokeStyle = d.color;
      const bx = pos[2 * d.to] * vp.zoom + vp.x;
      const by = pos[2 * d.to + 1] * vp.zoom + vp.y;
      if (d.kind === DotKind.Reject) {
        // Just outside the receiver, towards the sender: the message stopped at its door.
        const len = Math.hypot(bx - ax, by - ay);
        const [ux, uy] = len > 1 ? [(bx - ax) / len, (by - ay) / len] : [0, -1];
        const off = 11 * Math.min(1.5, Math.max(0.6, vp.zoom));
        const s = REJECT_SIZE * Math.min(1.5, Math.max(0.6, vp.zoom));
        const cx = ax + ux * off;
        const cy = ay + uy * off;
        ctx.globalAlpha = 1 - t * t;
        ctx.beginPath();
        ctx.moveTo(cx, cy - s);
        ctx.lineTo(cx + s, cy);
        ctx.lineTo(cx, cy + s);
        ctx.lineTo(cx - s, cy);
        ctx.closePath();
        ctx.fill();
        ctx.globalAlpha = 1;
        continue;
      }
      const f = d.kind === DotKind.Drop ? Math.min(t, 0.5) : t;
      const x = ax + (bx - ax) * f;
      const y = ay + (by - ay) * f;
      if (d.kind === DotKind.Drop && t > 0.5) {
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(x - 4, y - 4);
        ctx.lineTo(x + 4, y + 4);
        ctx.moveTo(x + 4, y - 4);
        ctx.lineTo(x - 4, y + 4);
        ctx.stroke();
        continue;
      }
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fill();
    }
    this.dots.length = kept;
  }
}
