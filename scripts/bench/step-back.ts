/**
 * The debugger's Step Back at depth: a debug run of samples/two-orgs.yaml stepped forward to trace
 * event 100,000, then stepped back. With spares prepared in idle time (as the adapter does after
 * every stop) a step back re-executes at most SPARE_SPACING kernel events; without one it
 * re-executes the whole history. Both are measured.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebugRun, SPARE_SPACING, SPARES } from '../../engine/debug/run.js';

export interface StepBackResult {
  targetEvents: number;
  kernelEvents: number;
  forwardMs: number;
  prepareSparesMs: number;
  /** Consecutive step backs, each timed; the first SPARES find a spare ready. */
  stepBacksMs: number[];
  /** A step back with no spare: the whole history re-executed. */
  coldMs: number;
  deterministic: boolean;
  spareSpacing: number;
  spares: number;
}

export async function stepBackBenchmark(targetEvents = 100_000): Promise<StepBackResult> {
  const file = join(__dirname, '..', 'samples', 'two-orgs.yaml');
  const source = { file, text: readFileSync(file, 'utf8') };
  const until = 3_600_000; // far past the scenario's end: alive messages go on for ever
  const run = await DebugRun.open(source, until);
  let t = performance.now();
  while (run.sim.trace.count < targetEvents && run.step() !== null);
  const forwardMs = performance.now() - t;
  const kernelEvents = run.position;
  const hashAtTarget = run.sim.trace.hash();
  const countAtTarget = run.sim.trace.count;

  t = performance.now();
  await run.prepareSpares();
  const prepareSparesMs = performance.now() - t;

  const stepBacksMs: number[] = [];
  for (let i = 0; i < SPARES + 1; i++) {
    t = performance.now();
    await run.travelTo(run.previousVisible(run.position));
    stepBacksMs.push(performance.now() - t);
  }
  // Forward again to where we were: the same events and hash (determinism through time travel).
  while (run.sim.trace.count < countAtTarget && run.step() !== null);
  const deterministic = run.sim.trace.count === countAtTarget && run.sim.trace.hash() === hashAtTarget;
  run.dispose();

  const cold = await DebugRun.open(source, until);
  while (cold.sim.trace.count < targetEvents && cold.step() !== null);
  t = performance.now();
  await cold.travelTo(cold.previousVisible(cold.position));
  const coldMs = performance.now() - t;
  cold.dispose();
  return { targetEvents, kernelEvents, forwardMs, prepareSparesMs, stepBacksMs, coldMs, deterministic, spareSpacing: SPARE_SPACING, spares: SPARES };
}
