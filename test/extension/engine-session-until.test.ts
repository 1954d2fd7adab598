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

test('a run the engine halts at its event bound finishes there and says why, with or without a lesson watched', async () => {
  for (const text of [WORKER_FIXTURE, `${WORKER_FIXTURE}expect:\n  - { height: 99, by: 45s }\n`]) {
    const got: FromWorker[] = [];
    let waiting: ((m: FromWorker) => void) | undefined;
    const session = new EngineSession((m) => (got.push(m), waiting?.(m)), () => 0);
    const opened = new Promise<FromWorker>((resolve) => (waiting = resolve));
    await session.handle({ type: 'open', file: 'halt.yaml', text, speed: 0, maxTraceEvents: 1000 });
    assert.equal((await opened).type, 'opened');
    type Sim = { kernel: { now: number; halted?: string; halt(r: string): void }; trace: { count: number; atCount(n: number, fn: () => void): void } };
    const sim = (session as unknown as { sim: Sim }).sim;
    // The bound (LIMITS.events.max in the engine) stands in at 200 events here.
    sim.trace.atCount(200, () => sim.kernel.halt('the run stopped at 200 events'));
    const done = new Promise<Extract<FromWorker, { type: 'frame' }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`never finished (at ${sim.kernel.now} ms, ${sim.trace.count} events)`)), 10_000);
      waiting = (m) => {
        if (m.type === 'frame' && m.status.state === 'finished') {
          clearTimeout(timer);
          resolve(m);
        }
      };
    });
    await session.handle({ type: 'control', action: 'run', until: 40_000 });
    const frame = await done;
    assert.ok(frame.status.simTime < 40_000 && frame.status.events < 220, `${frame.status.simTime} ms, ${frame.status.events} events`);
    assert.ok(got.some((m) => m.type === 'error' && m.message === 'the run stopped at 200 events'));
  }
});
