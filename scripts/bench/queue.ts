/**
 * The bare event queue under the engine's access pattern, the classic "hold" model: with P
 * events pending, pop the earliest and push it back at t + U(5, 50) ms (the scenarios' network
 * latency). One op = one pop + one push. This is the ceiling for the engine's event rate.
 */
import { EventQueue } from '../../engine/kernel/queue.js';

export interface QueueResult {
  pending: number;
  opsPerRep: number;
  reps: number[];
  /** push+pop pairs per second, median of reps. */
  median: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function holdBenchmark(pending = 100_000, opsPerRep = 2_000_000, reps = 5): QueueResult {
  // xorshift32: cheap and seeded, so every run does identical work.
  let x = 0x9e3779b9 | 0;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  // Records like the kernel's messages in flight: a kind, a handle, a cause and a slot.
  const q = new EventQueue();
  const slots: object[] = [];
  for (let i = 0; i < 1024; i++) slots.push({ i });
  for (let i = 0; i < pending; i++) q.push(rnd() * 50, 1, i & 1023, i, slots[i & 1023]);
  const hold = (n: number) => {
    for (let i = 0; i < n; i++) {
      const t = q.peekTime();
      q.pop();
      q.push(t + 5 + rnd() * 45, q.kind, q.a, q.b, q.slot);
    }
  };
  hold(opsPerRep >> 1); // warm-up: JIT, and the heap's time distribution reaches steady state
  const out: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    hold(opsPerRep);
    const sec = Number(process.hrtime.bigint() - t0) / 1e9;
    out.push(opsPerRep / sec);
  }
  if (q.size !== pending) throw new Error(`queue size drifted: ${q.size}`);
  return { pending, opsPerRep, reps: out, median: median(out) };
}
