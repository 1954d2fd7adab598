/**
 * A run to `until` ends after every event at that instant, wherever the wall-clock slices fall:
 * a run that stopped between two events of the same instant ended at a position that depended
 * on the machine's speed, and the replay of its saved trace then diverged.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineSession } from '../../extension/engine-session.js';
import type { FromWorker } from '../../extension/worker-protocol.js';
import { WORKER_FIXTURE } from './worker-fixture.js';


test('every slice boundary: a run to until has run every event at until', async () => {
  let waiting: ((m: FromWorker) => void) | undefined;
  // A clock that jumps 1 s per reading: every slice ends after one event, so slice boundaries
  // fall all over the run, inside groups of simultaneous events too.
  let clock = 0;
  const session = new EngineSession((m) => waiting?.(m), () => (clock += 1000));
  const finished = () =>
    new Promise<Extract<FromWorker, { type: 'frame' }>>((resolve) => {
      waiting = (m) => {
        if (m.type === 'frame' && m.status.state === 'finished') resolve(m);
      };
    });
  const opened = new Promise<FromWorker>((resolve) => (waiting = resolve));
  await session.handle({ type: 'open', file: 'until.yaml', text: WORKER_FIXTURE, speed: 0, maxTraceEvents: 1000 });
  assert.equal((await opened).type, 'opened');
  const sim = (session as unknown as { sim: { kernel: { now: number; nextTime(): number } } }).sim;
  for (let until = 1000; until <= 40_000; until += 1000) {
    const done = finished();
    await session.handle({ type: 'control', action: 'run', until });
    const frame = await done;
    assert.equal(frame.status.simTime, until);
    assert.ok(sim.kernel.nextTime() > until, `events at ${until} ms were left for the next run`);
  }
});

test('every slice boundary, with a lesson\'s expectations watched: the run still finishes at until', async () => {
  let waiting: ((m: FromWorker) => void) | undefined;
  let clock = 0;
  const session = new EngineSession((m) => waiting?.(m), () => (clock += 1000));
  const lesson = `${WORKER_FIXTURE}expect:\n  - { height: 99, by: 45s }\n`;
  const opened = new Promise<FromWorker>((resolve) => (waiting = resolve));
  await session.handle({ type: 'open', file: 'lesson.yaml', text: lesson, speed: 0, maxTraceEvents: 1000 });
  assert.equal((await opened).type, 'opened');
  const sim = (session as unknown as { sim: { kernel: { now: number; nextTime(): number } } }).sim;
  for (let until = 1000; until <= 20_000; until += 1000) {
    // A run left spinning (a slice stopped inside the events of `until`) never says finished.
    const done = new Promise<Extract<FromWorker, { type: 'frame' }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the run to ${until} ms never finished (at ${sim.kernel.now} ms)`)), 10_000);
      waiting = (m) => {
        if (m.type === 'frame' && m.status.state === 'finished') {
          clearTimeout(timer);
          resolve(m);
        }
      };
    });
    await session.handle({ type: 'control', action: 'run', until });
    const frame = await done;
    assert.equal(frame.status.simTime, until);
    assert.ok(sim.kernel.nextTime() > until, `events at ${until} ms were left for the next run`);
  }
});
