/**
 * The panel's Step Back on the engine worker's own network: the network goes back to exactly
 * the moment before its last step (same events, same time, same trace hash), the panel starts
 * over there and hears which step led there, and stepping forward again repeats the same run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineSession } from '../../extension/engine-session.js';
import type { FromWorker } from '../../extension/worker-protocol.js';
import { WORKER_FIXTURE } from './worker-fixture.js';

type Frame = Extract<FromWorker, { type: 'frame' }>;

function drive() {
  const seen: FromWorker[] = [];
  const session = new EngineSession((m) => seen.push(m));
  const sim = () => (session as unknown as { sim: { kernel: { now: number; executed: number }; trace: { count: number; hash(): string } } }).sim;
  const moment = () => ({ now: sim().kernel.now, events: sim().trace.count, hash: sim().trace.hash() });
  /** Handles a message and returns what the session posted for it. */
  const send = async (m: Parameters<EngineSession['handle']>[0]) => {
    const from = seen.length;
    await session.handle(m);
    return seen.slice(from);
  };
  return { session, send, moment };
}

test('Step Back returns to the moment before the last step; the panel starts over there and hears the step that led there', async () => {
  const { session, send, moment } = drive();
  await send({ type: 'open', file: 'back.yaml', text: WORKER_FIXTURE, speed: 0, maxTraceEvents: 10_000 });
  // Run a while, then step: each moment is remembered.
  const runTo = await send({ type: 'control', action: 'run', until: 3000 });
  assert.ok(runTo.length > 0);
  while (moment().now < 3000) await new Promise((r) => setTimeout(r, 20));
  const moments = [moment()];
  const stepFrames: Frame[] = [];
  for (let i = 0; i < 4; i++) {
    const posted = await send({ type: 'control', action: 'step' });
    stepFrames.push(posted.find((m): m is Frame => m.type === 'frame')!);
    moments.push(moment());
  }
  // Back one step: exactly the moment before, announced as a fresh start with the step that led there.
  const back = await send({ type: 'control', action: 'stepBack' });
  assert.deepEqual(moment(), moments[3]);
  assert.deepEqual(back.map((m) => m.type), ['opened', 'frame']);
  const opened = back[0] as Extract<FromWorker, { type: 'opened' }>;
  assert.equal(opened.status.events, moments[3].events);
  assert.equal(opened.status.state, 'paused');
  const frame = back[1] as Frame;
  assert.deepEqual(frame.events, []);
  assert.equal(frame.step?.how, 'back');
  assert.deepEqual(frame.step.events.map((e) => e.id), stepFrames[2].events.map((e) => e.id), 'the step that led here is the third step');
  // Its history ends at that moment.
  const history = await send({ type: 'history', requestId: 1, limit: 100 });
  const events = (history[0] as Extract<FromWorker, { type: 'history' }>).events;
  assert.equal(events.at(-1)?.id, moments[3].events);
  // Back twice more, then forward again: the same run, step for step.
  await send({ type: 'control', action: 'stepBack' });
  await send({ type: 'control', action: 'stepBack' });
  assert.deepEqual(moment(), moments[1]);
  for (let i = 1; i < 4; i++) {
    const again = (await send({ type: 'control', action: 'step' })).find((m): m is Frame => m.type === 'frame')!;
    assert.deepEqual(again.events, stepFrames[i].events);
    assert.deepEqual(moment(), moments[i + 1]);
  }
  session.dispose();
});

test('Step Back keeps the faults injected before that moment, and they happen again going forward', async () => {
  const { session, send, moment } = drive();
  await send({ type: 'open', file: 'back-fault.yaml', text: WORKER_FIXTURE, speed: 0, maxTraceEvents: 10_000 });
  for (let i = 0; i < 20; i++) await send({ type: 'control', action: 'step' });
  await send({ type: 'fault', fault: { kind: 'crash', peer: 'peer1.org1' } });
  const moments = [moment()];
  for (let i = 0; i < 3; i++) {
    await send({ type: 'control', action: 'step' });
    moments.push(moment());
  }
  await send({ type: 'control', action: 'stepBack' });
  await send({ type: 'control', action: 'stepBack' });
  assert.deepEqual(moment(), moments[1]);
  const opened = (await send({ type: 'control', action: 'stepBack' })).find((m) => m.type === 'opened') as Extract<FromWorker, { type: 'opened' }>;
  assert.deepEqual(moment(), moments[0], 'back to just after the crash');
  assert.equal(opened.states[1].running, false, 'peer1.org1 is still crashed there');
  await send({ type: 'control', action: 'step' });
  assert.deepEqual(moment(), moments[1]);
  session.dispose();
});
