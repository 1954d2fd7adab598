import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EventQueue } from '../../engine/kernel/queue.js';
import { Rng } from '../../engine/kernel/rng.js';
import { Kernel } from '../../engine/kernel/kernel.js';

test('the event queue pops by time, and by insertion order among equal times', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
      const q = new EventQueue();
      times.forEach((t, i) => q.push(t, 1 + (i % 3), i, -i - 1, `slot ${i}`));
      const out: number[] = [];
      while (q.pop()) {
        // Every field of a record comes back together.
        assert.equal(q.kind, 1 + (q.a % 3));
        assert.equal(q.b, -q.a - 1);
        assert.equal(q.slot, `slot ${q.a}`);
        out.push(q.a);
      }
      const expected = times.map((t, i) => [t, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
      assert.deepEqual(out, expected);
    }),
    { seed: 42, numRuns: 300 },
  );
});

test('the kernel runs events in time order and stops at the horizon', () => {
  const k = new Kernel();
  const seen: number[] = [];
  k.at(30, () => seen.push(k.now));
  k.at(10, () => {
    seen.push(k.now);
    k.after(5, () => seen.push(k.now));
  });
  k.runUntil(20);
  assert.deepEqual(seen, [10, 15]);
  assert.equal(k.now, 20);
  k.runUntil(100);
  assert.deepEqual(seen, [10, 15, 30]);
});

test('seeded random streams are reproducible and independent by label', () => {
  const a = new Rng(7, 'x');
  const b = new Rng(7, 'x');
  const c = new Rng(7, 'y');
  const xs = Array.from({ length: 5 }, () => a.u64());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.u64()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.u64()));
  const r = new Rng(1);
  for (let i = 0; i < 1000; i++) {
    const v = r.next();
    assert.ok(v >= 0 && v < 1);
  }
});

test('select picks k distinct matching elements, uniformly', () => {
  const r = new Rng(3);
  const xs = Array.from({ length: 50 }, (_, i) => i);
  const counts = new Array(50).fill(0);
  for (let n = 0; n < 20_000; n++) {
    const got = r.select(3, xs, (x) => x % 2 === 0);
    assert.equal(got.length, 3);
    assert.equal(new Set(got).size, 3);
    for (const g of got) {
      assert.equal(g % 2, 0);
      counts[g]++;
    }
  }
  // 60,000 picks over 25 even numbers: 2,400 each, within a few percent.
  for (let i = 0; i < 50; i += 2) assert.ok(Math.abs(counts[i] - 2400) < 250, `${i}: ${counts[i]}`);
  assert.deepEqual(r.select(5, [1, 2], () => true).sort(), [1, 2]);
  assert.deepEqual(r.select(2, xs, () => false), []);
});

test('afterEvents runs a hook after exactly n events, at its own time, before later events', () => {
  const k = new Kernel();
  const seen: string[] = [];
  for (const t of [10, 10, 20]) k.at(t, () => seen.push(`e${t}@${k.now}`));
  k.afterEvents(1, 10, () => seen.push(`hook@${k.now}`));
  k.afterEvents(3, 25, () => seen.push(`end@${k.now}`));
  k.runUntil(30);
  assert.deepEqual(seen, ['e10@10', 'hook@10', 'e10@10', 'e20@20', 'end@25']);
});
