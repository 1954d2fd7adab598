/**
 * Happened-before order for events from several hosts' logs (as ShiViz orders them): each
 * peer's events keep their log order, and a receipt comes after its send even when the
 * receiver's clock says otherwise. Among the events that may come next, the earliest timestamp
 * goes first, so where clocks agree the order is the timestamps'. A receipt whose clock is
 * behind its send's is shown at its send's time (its logged time is kept beside it).
 */

export interface CausalEvent {
  peer: number;
  time: number;
  /** Position in the input (file order), the local order of a peer's events. */
  order: number;
  /** The event that must come before this one on another peer (a receipt's send). */
  cause?: CausalEvent;
}

export function orderByCausality<E extends CausalEvent>(events: E[], peers: number): { ordered: { raw: E; time: number }[]; conflicts: number } {
  const queues: E[][] = Array.from({ length: peers }, () => []);
  for (const e of events) queues[e.peer].push(e);
  for (const q of queues) q.sort((a, b) => a.order - b.order);
  const heads = new Array<number>(peers).fill(0);
  const placed = new Map<CausalEvent, number>();
  const last = new Array<number>(peers).fill(-Infinity);
  const ordered: { raw: E; time: number }[] = [];
  let conflicts = 0;
  for (let left = events.length; left > 0; left--) {
    let best = -1;
    let fallback = -1;
    for (let p = 0; p < peers; p++) {
      const e = queues[p][heads[p]];
      if (!e) continue;
      if (fallback < 0 || earlier(e, queues[fallback][heads[fallback]])) fallback = p;
      const ready = !e.cause || placed.has(e.cause) || e.cause.peer === e.peer;
      if (ready && (best < 0 || earlier(e, queues[best][heads[best]]))) best = p;
    }
    // A cycle (a receipt before its own send on one peer) cannot be ordered: take the timestamp.
    if (best < 0) {
      best = fallback;
      conflicts++;
    }
    const e = queues[best][heads[best]++];
    const causeTime = e.cause ? placed.get(e.cause) ?? -Infinity : -Infinity;
    const time = Math.max(e.time, last[best], causeTime);
    last[best] = time;
    placed.set(e, time);
    ordered.push({ raw: e, time });
  }
  return { ordered, conflicts };
}

function earlier(a: CausalEvent, b: CausalEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.order < b.order);
}
