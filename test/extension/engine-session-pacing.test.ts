/**
 * Pause lands where the user clicked: once the panel acknowledges the frames it has drawn
 * (frameShown), a run at a chosen speed is never more than one frame ahead of the picture, so
 * frames cannot pile up on their way and a Pause stops within a frame of what the panel showed.
 * And a run that cannot keep the chosen speed says what it keeps. The clock is the test's own:
 * nothing here depends on the machine's pace.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineSession, MAX_TICK_WALL_MS, SHOWN_WAIT_MAX_MS } from '../../extension/engine-session.js';
import { keptSpeedText } from '../../extension/kept-speed.js';
import type { FromWorker } from '../../extension/worker-protocol.js';
import { WORKER_FIXTURE } from './worker-fixture.js';

type Frame = Extract<FromWorker, { type: 'frame' }>;

/** Waits until `ok` holds (a bound for a slow machine, never a measured time). */
async function until(ok: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await sleep(10);
  }
}

async function openSession(clock: () => number, speed: number) {
  const frames: Frame[] = [];
  const session = new EngineSession((m) => {
    if (m.type === 'frame') frames.push(m);
  }, clock);
  await session.handle({ type: 'open', file: 'pacing.yaml', text: WORKER_FIXTURE, speed, maxTraceEvents: 1000 });
  const sim = (session as unknown as { sim: { kernel: { now: number } } }).sim;
  return { session, frames, sim };
}

test('acknowledged frames: the run waits for the panel to show each frame before it computes the next', async () => {
  let now = 0;
  const { session, frames, sim } = await openSession(() => now, 1);
  // The panel has shown what it was given: from now on the run is paced by it.
  await session.handle({ type: 'frameShown', seq: 0 });
  await session.handle({ type: 'control', action: 'run' });
  assert.equal(frames.length, 1);
  const first = frames[0].status;
  assert.equal(first.state, 'running');
  assert.equal(first.frame, 1);

  // 300 ms pass and the panel has not shown frame 1 yet: the run stands still (it used to run
  // on and queue frame after frame, seconds of them behind a busy webview).
  now = 300;
  await sleep(60);
  assert.equal(frames.length, 1, 'no frame while the last one is unshown');
  assert.equal(sim.kernel.now, 0, 'no simulated time while the last frame is unshown');

  // Shown: the run goes on one frame, then waits again. The 300 ms stall is not made up in one
  // leap (a frame of seconds of simulated time is what made Pause land seconds late).
  await session.handle({ type: 'frameShown', seq: 1 });
  await until(() => frames.length >= 2, 'a frame once frame 1 was shown');
  await sleep(60);
  assert.equal(frames.length, 2);
  const second = frames[1].status;
  assert.equal(second.simTime, MAX_TICK_WALL_MS);
  now = 600;
  await sleep(60);
  assert.equal(frames.length, 2);
  assert.equal(sim.kernel.now, MAX_TICK_WALL_MS);

  // Pause now: it stops where the panel's last frame is, not a moment later.
  await session.handle({ type: 'control', action: 'pause' });
  const paused = frames.at(-1)!.status;
  assert.equal(paused.state, 'paused');
  assert.equal(paused.simTime, second.simTime);
  session.dispose();
});

test('a panel that never says it has shown a frame holds the run up only a while', async () => {
  let now = 0;
  const { session, frames } = await openSession(() => now, 1);
  await session.handle({ type: 'frameShown', seq: 0 });
  await session.handle({ type: 'control', action: 'run' });
  now = SHOWN_WAIT_MAX_MS + 100;
  await until(() => frames.length >= 2, 'the run went on without the acknowledgement');
  assert.ok(frames[1].status.simTime > 0);
  session.dispose();
});

test('without acknowledgements (no panel, the CLI, tests) the run is not paced', async () => {
  let now = 0;
  const { session, frames, sim } = await openSession(() => now, 1);
  await session.handle({ type: 'control', action: 'run' });
  for (const t of [100, 200, 300]) {
    now = t;
    await until(() => sim.kernel.now === t, `the run went on to ${t} ms`);
  }
  assert.ok(frames.length >= 3, 'a frame after every step of the clock, none shown');
  session.dispose();
});

test('a run that falls short of its speed says what it keeps, in the status and in words', async () => {
  // Every reading of this clock moves it 10 ms: a slice (25 ms) holds a few events only, far
  // less than 100× asks for.
  let now = 0;
  const { session, frames } = await openSession(() => (now += 10), 100);
  await session.handle({ type: 'control', action: 'run' });
  await until(() => frames.some((f) => f.status.keptSpeed !== undefined), 'a frame saying the run falls short of 100×');
  await session.handle({ type: 'control', action: 'pause' });
  const short = frames.find((f) => f.status.keptSpeed !== undefined)?.status;
  assert.ok(short, 'no frame said the run falls short of 100×');
  assert.ok(short.keptSpeed! < 80, `kept ${short.keptSpeed}`);
  assert.match(keptSpeedText(short)!, /^[\d.]+× of 100× asked$/);
  // Paused, the status says nothing of a speed kept.
  assert.equal(frames.at(-1)!.status.keptSpeed, undefined);
  assert.equal(keptSpeedText({ ...short, keptSpeed: 0.1379 }), '0.14× of 100× asked');
  assert.equal(keptSpeedText({ ...short, speed: 1, keptSpeed: 0.1379 }), '0.14× of 1× asked');
  assert.equal(keptSpeedText({ ...short, state: 'paused' }), undefined);
  session.dispose();
});
