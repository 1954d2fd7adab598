/**
 * The live connections: an edge for every pair of peers that exchanged a message in the last
 * 20 simulated seconds (neither of them down), drawn on a canvas under Cytoscape's nodes.
 * Why not Cytoscape edges: measured at 100 peers, ~2,900 of them made every Cytoscape redraw
 * (any peer changing colour) cost 100–230 ms in a compound graph, a visible hitch each second;
 * drawn here they cost ~3 ms, and only when they, the positions or the viewport change.
 */
import type { UiEvent, UiPeerState } from '../extension/protocol.js';
import type { Graph } from './graph.js';
import { color } from './theme.js';

/** A pair with no message for this long (simulated ms) is no longer a live connection. */
const LIVE_MS = 20_000;
/** Beyond this many, new pairs are not drawn (the dots still show the traffic). */
const MAX_EDGES = 6000;
/**
 * Above this many peers the full mesh is a hairball: only the selected peer's connections (and
 * cut links) are drawn, on demand.
 */
export const EDGES_ON_DEMAND_ABOVE = 100;

export class EdgeLayer {
  private readonly ctx: CanvasRenderingContext2D;
  private n = 0;
  /** Pair key (lo × n + hi) → simulated ms of its latest message. */
  private readonly traffic = new Map<number, number>();
  /** The drawn pairs, a at [2k], b at [2k + 1]. */
  private pairs = new Int32Array(0);
  private count = 0;
  private down = new Uint8Array(0);
  /** Partition group of each peer while a partition is in force, else null. */
  private groupOf: Int32Array | null = null;
  /** Live pairs that a partition cut: drawn as cut links until it heals. */
  private cut = new Int32Array(0);
  private cutCount = 0;
  private now = 0;
  private selected = -1;
  /** What the last picture was drawn for; a change means drawing again. */
  private drawnFor = '';
  private dirty = true;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly graph: Graph,
  ) {
    this.ctx = canvas.getContext('2d')!;
  }

  reset(peers: number): void {
    this.n = peers;
    this.traffic.clear();
    this.pairs = new Int32Array(0);
    this.count = 0;
    this.down = new Uint8Array(peers);
    this.groupOf = null;
    this.cut = new Int32Array(0);
    this.cutCount = 0;
    this.now = 0;
    this.dirty = true;
  }

  /** A message between a and b at simulated time t. */
  note(a: number, b: number, t: number): void {
    if (a < 0 || b < 0 || a === b || a >= this.n || b >= this.n) return;
    this.traffic.set(a < b ? a * this.n + b : b * this.n + a, t);
    if (t > this.now) this.now = t;
  }

  /** The messages among `events` (sends and deliveries), as `note` takes them one by one. */
  noteAll(events: readonly UiEvent[]): void {
    for (const e of events) if (e.kind === 'send' || e.kind === 'deliver') this.note(e.peer, e.other ?? -1, e.t);
  }

  setStates(states: readonly UiPeerState[]): void {
    for (const s of states) if (s.idx < this.n) this.down[s.idx] = s.running ? 0 : 1;
  }

  /** The partition in force (groups of peer indexes, -1 the orderer), or null. */
  setPartition(groups: readonly (readonly number[])[] | null): void {
    const key = groups === null ? '' : groups.map((g) => g.join(',')).join('|');
    if (key === this.partitionKey) return;
    this.partitionKey = key;
    if (groups === null) this.groupOf = null;
    else {
      const g = new Int32Array(this.n).fill(-1);
      groups.forEach((members, i) => members.forEach((p) => p >= 0 && p < this.n && (g[p] = i)));
      this.groupOf = g;
    }
    this.refresh();
  }
  private partitionKey = '';

  /** The peer whose connections stand out (the selected one), or -1. */
  highlight(idx: number | null): void {
    this.selected = idx ?? -1;
    if (this.n > EDGES_ON_DEMAND_ABOVE) this.refresh();
    this.dirty = true;
  }

  /** Recomputes which pairs are live (a few times a second, not per event). */
  refresh(): void {
    const oldest = this.now - LIVE_MS;
    const pairs = new Int32Array(Math.min(this.traffic.size, MAX_EDGES) * 2);
    const cut: number[] = [];
    const groupOf = this.groupOf;
    const onDemand = this.n > EDGES_ON_DEMAND_ABOVE;
    let k = 0;
    for (const [key, t] of this.traffic) {
      const a = Math.floor(key / this.n);
      const b = key % this.n;
      // A link the partition cut stays drawn, as cut, for as long as the partition lasts.
      if (groupOf !== null && groupOf[a] !== groupOf[b]) {
        if (!this.down[a] && !this.down[b] && cut.length < 2 * MAX_EDGES) cut.push(a, b);
        continue;
      }
      if (t < oldest) {
        this.traffic.delete(key);
        continue;
      }
      if (this.down[a] || this.down[b] || k >= MAX_EDGES) continue;
      if (onDemand && a !== this.selected && b !== this.selected) continue;
      pairs[2 * k] = a;
      pairs[2 * k + 1] = b;
      k++;
    }
    this.pairs = pairs;
    this.count = k;
    this.cut = Int32Array.from(cut);
    this.cutCount = cut.length / 2;
    this.dirty = true;
  }

  /** Links cut by the partition in force (drawn red and dashed, crossed in the middle). */
  get cutLinks(): number {
    return this.cutCount;
  }

  get edgeCount(): number {
    return this.count;
  }

  restyle(): void {
    this.dirty = true;
  }

  draw(): void {
    const c = this.canvas;
    const w = c.clientWidth;
    const h = c.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    const vp = this.graph.viewport();
    const key = `${w}x${h}@${dpr} ${vp.zoom} ${vp.x} ${vp.y} ${this.graph.positionsVersion}`;
    if (!this.dirty && key === this.drawnFor) return;
    this.dirty = false;
    this.drawnFor = key;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const pos = this.graph.positions();
    const all = new Path2D();
    const mine = new Path2D();
    for (let k = 0; k < this.count; k++) {
      const a = this.pairs[2 * k];
      const b = this.pairs[2 * k + 1];
      const p = a === this.selected || b === this.selected ? mine : all;
      p.moveTo(pos[2 * a] * vp.zoom + vp.x, pos[2 * a + 1] * vp.zoom + vp.y);
      p.lineTo(pos[2 * b] * vp.zoom + vp.x, pos[2 * b + 1] * vp.zoom + vp.y);
    }
    ctx.lineWidth = 1;
    ctx.strokeStyle = color('--vscode-charts-lines');
    ctx.globalAlpha = this.count > 1000 ? 0.15 : 0.3;
    ctx.stroke(all);
    ctx.globalAlpha = 0.9;
    ctx.strokeStyle = color('--vscode-focusBorder');
    ctx.stroke(mine);
    if (this.cutCount > 0) this.drawCut(ctx, pos, vp);
    ctx.globalAlpha = 1;
  }

  private drawCut(ctx: CanvasRenderingContext2D, pos: Float64Array, vp: { zoom: number; x: number; y: number }): void {
    const lines = new Path2D();
    const crosses = new Path2D();
    const r = 3;
    for (let k = 0; k < this.cutCount; k++) {
      const a = this.cut[2 * k];
      const b = this.cut[2 * k + 1];
      const ax = pos[2 * a] * vp.zoom + vp.x;
      const ay = pos[2 * a + 1] * vp.zoom + vp.y;
      const bx = pos[2 * b] * vp.zoom + vp.x;
      const by = pos[2 * b + 1] * vp.zoom + vp.y;
      lines.moveTo(ax, ay);
      lines.lineTo(bx, by);
      const mx = (ax + bx) / 2;
      const my = (ay + by) / 2;
      crosses.moveTo(mx - r, my - r);
      crosses.lineTo(mx + r, my + r);
      crosses.moveTo(mx + r, my - r);
      crosses.lineTo(mx - r, my + r);
    }
    ctx.strokeStyle = color('--vscode-charts-red');
    ctx.globalAlpha = this.cutCount > 500 ? 0.25 : 0.6;
    ctx.setLineDash([4, 4]);
    ctx.stroke(lines);
    ctx.setLineDash([]);
    ctx.globalAlpha = 0.9;
    ctx.lineWidth = 1.5;
    ctx.stroke(crosses);
    ctx.lineWidth = 1;
  }

  /** The drawn edge nearest to a point of the graph pane (within a few pixels), for its menu. */
  edgeAt(x: number, y: number): [number, number] | null {
    const pos = this.graph.positions();
    const vp = this.graph.viewport();
    let best: [number, number] | null = null;
    let bestD = 5 * 5;
    for (let k = 0; k < this.count; k++) {
      const a = this.pairs[2 * k];
      const b = this.pairs[2 * k + 1];
      const ax = pos[2 * a] * vp.zoom + vp.x;
      const ay = pos[2 * a + 1] * vp.zoom + vp.y;
      const bx = pos[2 * b] * vp.zoom + vp.x;
      const by = pos[2 * b + 1] * vp.zoom + vp.y;
      const dx = bx - ax;
      const dy = by - ay;
      const len = dx * dx + dy * dy || 1;
      const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len));
      const d = (ax + t * dx - x) ** 2 + (ay + t * dy - y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = [a, b];
      }
    }
    return best;
  }
}
