/**
 * Each peer's view of the network as its log tells it, after any prefix of the trace: the
 * members it learned alive and declared dead, the ledger heights StateInfo told it (its own
 * included), whether it said it leads, the highest block it handled, its warnings.
 */
import type { TraceEvent } from '../trace/events.js';

export interface LoggedPeerView {
  alive: Set<number | string>;
  dead: Set<number | string>;
  /** Height per member, from the StateInfo messages this peer received. */
  heights: Map<number | string, number>;
  /** The highest block (seq) this peer handled. */
  block: number;
  leader: boolean | null;
  warnings: number;
  received: Record<string, number>;
  sent: Record<string, number>;
}

export function peerViews(events: TraceEvent[], peers: number, upTo = events.length): LoggedPeerView[] {
  const views: LoggedPeerView[] = Array.from({ length: peers }, () => ({ alive: new Set(), dead: new Set(), heights: new Map(), block: 0, leader: null, warnings: 0, received: {}, sent: {} }));
  for (let i = 0; i < upTo; i++) {
    const e = events[i];
    const v = views[e.peer];
    if (!v) continue;
    if (e.kind === 'deliver' && e.type) v.received[e.type] = (v.received[e.type] ?? 0) + 1;
    else if (e.kind === 'send' && e.type) v.sent[e.type] = (v.sent[e.type] ?? 0) + 1;
    else if (e.kind === 'log') v.warnings++;
    else if (e.kind === 'state' && e.data) {
      const d = e.data;
      const members = Array.isArray(d.member) ? (d.member as (number | string)[]) : [d.member as number | string];
      if (d.what === 'alive') for (const m of members) (v.dead.delete(m), v.alive.add(m));
      else if (d.what === 'dead') for (const m of members) (v.alive.delete(m), v.dead.add(m));
      else if (d.what === 'stateInfo') v.heights.set(d.member as number | string, d.height as number);
      else if (d.what === 'block') v.block = Math.max(v.block, d.seq as number);
      else if (d.what === 'leader') v.leader = d.leader as boolean;
    }
  }
  return views;
}

/** Every peer's published height, worked out once per set of views: asked peer by peer, it would cost peers². */
const published = new WeakMap<LoggedPeerView[], Map<number | string, number>>();

/** A peer's own ledger height as the others heard it in StateInfo (the highest any reports). */
export function publishedHeight(views: LoggedPeerView[], peer: number): number {
  let heights = published.get(views);
  if (!heights) {
    heights = new Map();
    for (const v of views) for (const [member, h] of v.heights) heights.set(member, Math.max(heights.get(member) ?? 0, h));
    published.set(views, heights);
  }
  return heights.get(peer) ?? 0;
}
