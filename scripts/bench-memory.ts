/**
 * Memory of a long run: the 200-peer lesson (samples/big-200.yaml) run on past its `until`, as a
 * user leaves it running in the panel, with the heap measured after a full GC every so often.
 * A run whose retained heap keeps growing after its blocks are in holds something per event.
 *
 * Usage: npm run bench:memory -- [--via session|sim] [--until 240] [--every 20]
 *   --via session  through the extension's engine session, as the panel runs it (default)
 *   --via sim      the bare Simulation (no panel-side buffers)
 * Prints one line per sample (simulated s, retained heap MB, RSS MB) and then the growth per
 * simulated second over the second half of the run, as JSON on the last line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineSession } from '../extension/engine-session.js';
import type { FromWorker } from '../extension/worker-protocol.js';
import { loadScenario } from '../engine/scenario/load.js';
import { Simulation } from '../engine/sim/simulation.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : args[i + 1];
};
const via = option('--via', 'session');
const untilS = Number(option('--until', '240'));
const everyS = Number(option('--every', '20'));
if (!['session', 'sim'].includes(via) || !(untilS > 0 && untilS <= 3600) || !(everyS > 0 && everyS <= untilS)) {
  process.stderr.write('usage: bench-memory [--via session|sim] [--until 1..3600] [--every S]\n');
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  process.stderr.write('bench-memory needs node --expose-gc (npm run bench:memory does it)\n');
  process.exit(2);
}

const FILE = join(__dirname, '..', 'samples', 'big-200.yaml');
// The lesson's own `until` is 15 s: a user who lets it run on gets this.
const text = readFileSync(FILE, 'utf8').replace(/run: \{ until: 15s \}/, `run: { until: ${untilS}s }`);
const mb = (n: number) => Math.round(n / (1 << 20));

interface Sample {
  simS: number;
  heapMB: number;
  rssMB: number;
  wallS: number;
}
const samples: Sample[] = [];
const t0 = performance.now();

function measure(simS: number): void {
  gc!();
  gc!();
  const m = process.memoryUsage();
  const s = { simS, heapMB: mb(m.heapUsed), rssMB: mb(m.rss), wallS: Math.round((performance.now() - t0) / 100) / 10 };
  samples.push(s);
  process.stdout.write(`${String(simS).padStart(5)} s simulated   retained heap ${String(s.heapMB).padStart(5)} MB   RSS ${String(s.rssMB).padStart(5)} MB   (${s.wallS} s wall)\n`);
}

async function viaSim(): Promise<void> {
  const sim = await Simulation.create(loadScenario(text, FILE));
  sim.start();
  measure(0);
  for (let t = everyS; t <= untilS; t += everyS) {
    sim.runUntil(t * 1000);
    measure(t);
  }
}

async function viaSession(): Promise<void> {
  let waiting: ((m: FromWorker) => void) | undefined;
  const session = new EngineSession((m) => waiting?.(m));
  const opened = new Promise<FromWorker>((resolve) => (waiting = resolve));
  await session.handle({ type: 'open', file: FILE, text, speed: 0, maxTraceEvents: 100_000 });
  const o = await opened;
  if (o.type !== 'opened') throw new Error(`the lesson did not open: ${JSON.stringify(o).slice(0, 300)}`);
  measure(0);
  for (let t = everyS; t <= untilS; t += everyS) {
    const done = new Promise<void>((resolve) => {
      waiting = (m) => {
        if (m.type === 'frame' && m.status.state === 'finished') resolve();
      };
    });
    await session.handle({ type: 'control', action: 'run', until: t * 1000 });
    await done;
    measure(t);
  }
  session.dispose();
}

void (via === 'sim' ? viaSim() : viaSession()).then(() => {
  const half = samples.filter((s) => s.simS >= untilS / 2);
  const first = half[0];
  const last = half[half.length - 1];
  const growth = last.simS > first.simS ? (last.heapMB - first.heapMB) / (last.simS - first.simS) : 0;
  process.stdout.write(`growth over the second half: ${growth.toFixed(2)} MB per simulated second\n`);
  process.stdout.write(JSON.stringify({ via, untilS, everyS, growthMBPerSimS: Math.round(growth * 100) / 100, samples }) + '\n');
});
