/**
 * Messages in flight, drawn as dots on a canvas laid over the graph: the graph itself never
 * redraws for them, which keeps hundreds of peers with hundreds of dots at display rate.
 * When more arrive than can be shown, the extra are counted as skipped, never queued.
 */
import type { Graph } from './graph.js';
import { typeColor } from './theme.js';

const MAX_DOTS = 200;
const FLIGHT_MS = 700;

interface Dot {
  from: number;
  to: number;
  start: number;
  color: string;
}

export class Dots {
  private readonly ctx: CanvasRenderingContext2D;
  private dots: Dot[] = [];
  skipped = 0;
  enabled = true;
  /** Frames drawn, for the benchmark. */
  frames = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly graph: Graph,
  ) {
    this.ctx = canvas.getContext('2d')!;
    const loop = (now: number) => {
      this.draw(now);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }

  add(from: number, to: number, type: string | undefined): void {
    if (!this.enabled || from < 0 || to < 0) return;
    if (this.dots.length >= MAX_DOTS) {
      this.skipped++;
      return;
    }
    this.dots.push({ from, to, start: performance.now(), color: typeColor(type) });
  }

  get inFlight(): number {
    return this.dots.length;
  }

  private draw(now: number): void {
    this.frames++;
    const c = this.canvas;
    const w = c.clientWidth;
    const h = c.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (this.dots.length === 0) return;
    const positions = new Map<number, { x: number; y: number } | null>();
    const at = (i: number) => {
      let p = positions.get(i);
      if (p === undefined) positions.set(i, (p = this.graph.position(i)));
      return p;
    };
    const alive: Dot[] = [];
    for (const d of this.dots) {
      const t = (now - d.start) / FLIGHT_MS;
      if (t >= 1) continue;
      alive.push(d);
      const a = at(d.from);
      const b = at(d.to);
      if (a === null || b === null) continue;
      ctx.fillStyle = d.color;
      ctx.beginPath();
      ctx.arc(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, 3.5, 0, 2 * Math.PI);
      ctx.fill();
    }
    this.dots = alive;
  }
}
