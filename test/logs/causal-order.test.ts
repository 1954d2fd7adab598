/**
 * The happened-before order, taken from heaps of the peers whose next event may come, is the
 * order of the plain rule it implements (scan every peer's next event, take the earliest one
 * whose send is placed; in a cycle, the earliest of all), on random logs of many peers with
 * skewed clocks and receipts before their sends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { orderByCausality, type CausalEvent } from '../../engine/logs/causal-order.js';

/** The rule, one scan of every peer per event (what the reader did before: events × peers). */
function byScan(events: CausalEvent[], peers: number): { ordered: { raw: CausalEvent; time: number }[]; conflicts: number } {
  const queues: CausalEvent[][] = Array.from({ length: peers }, () => []);
  for (const e of events) queues[e.peer].push(e);
  for (const q of queues) q.sort((a, b) => a.order - b.order);
  const heads = new Array<number>(peers).fill(0);
  const placed = new Map<CausalEvent, number>();
  const last = new Array<number>(peers).fill(-Infinity);
  const ordered: { raw: CausalEvent; time: number }[] = [];
  const earlier = (a: CausalEvent, b: CausalEvent) => a.time < b.time || (a.time === b.time && a.order < b.order);
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
    if (best < 0) {
      best = fallback;
      conflicts++;
    }
    const e = queues[best][heads[best]++];
    const time = Math.max(e.time, last[best], e.cause ? placed.get(e.cause) ?? -Infinity : -Infinity);
    last[best] = time;
    placed.set(e, time);
    ordered.push({ raw: e, time });
  }
  return { ordered, conflicts };
}

/** A random log: events on peers at times (clocks skewed per peer), some receipts of earlier or later sends. */
const logs = fc
  .record({
    peers: fc.integer({ min: 1, max: 12 }),
    events: fc.array(fc.record({ peer: fc.nat(11), time: fc.integer({ min: 0, max: 50 }), causeOf: fc.option(fc.nat(200), { nil: undefined }) }), { maxLength: 200 }),
    skew: fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 12, maxLength: 12 }),
  })
  .map(({ peers, events, skew }) => {
    const list: CausalEvent[] = events.map((e, i) => ({ peer: e.peer % peers, time: e.time + skew[e.peer % peers], order: i + 1 }));
    // Each send causes at most one receipt, as a matched pair does.
    const used = new Set<number>();
    events.forEach((e, i) => {
      if (e.causeOf === undefined || list.length === 0) return;
      const c = e.causeOf % list.length;
      if (c === i || used.has(c)) return;
      used.add(c);
      list[i].cause = list[c];
    });
    return { list, peers };
  });

test('the heap order equals the scan order, conflicts included', () => {
  let withConflicts = 0;
  let reordered = 0;
  fc.assert(
    fc.property(logs, ({ list, peers }) => {
      const a = orderByCausality(list, peers);
      const b = byScan(list, peers);
      assert.equal(a.conflicts, b.conflicts);
      assert.deepEqual(a.ordered.map((x) => [x.raw.order, x.time]), b.ordered.map((x) => [x.raw.order, x.time]));
      if (a.conflicts > 0) withConflicts++;
      if (a.ordered.some((x) => x.time !== x.raw.time)) reordered++;
    }),
    { numRuns: 500, seed: 31 },
  );
  // The runs held what the heaps are for: receipts moved after their sends, and cycles broken.
  assert.ok(withConflicts > 20 && reordered > 100, `${withConflicts} runs with cycles, ${reordered} with receipts moved`);
});
