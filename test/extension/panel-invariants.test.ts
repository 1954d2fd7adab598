/**
 * Invariants in the panel's run (the engine worker's session, driven as the host drives it):
 * the scenario's and those added with Add Invariant… are checked at every event, and the run
 * stops where one breaks, like the debugger does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineSession, MAX_PANEL_INVARIANTS } from '../../extension/engine-session.js';
import type { FromWorker } from '../../extension/worker-protocol.js';
import { WORKER_FIXTURE } from './worker-fixture.js';

type Of<K extends FromWorker['type']> = Extract<FromWorker, { type: K }>;

/** A session, and a wait for the next message it posts of a kind (and matching `also`). */
function panelSession() {
  const waiters: { pick: (m: FromWorker) => boolean; resolve: (m: FromWorker) => void }[] = [];
  const session = new EngineSession((m) => {
    if (m.type === 'invariantBroken') told.push(m.violation);
    if (m.type === 'opened') told = [];
    for (const w of [...waiters])
      if (w.pick(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
  });
  const next = <K extends FromWorker['type']>(type: K, also: (m: Of<K>) => boolean = () => true) =>
    new Promise<Of<K>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} message within 30 s`)), 30_000);
      waiters.push({
        pick: (m) => m.type === type && also(m as Of<K>),
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Of<K>);
        },
      });
    });
  const open = async (text: string, openId?: number) => {
    const opened = next('opened');
    await session.handle({ type: 'open', file: 'fixture.yaml', text, speed: 0, maxTraceEvents: 10_000, openId });
    return opened;
  };
  const add = async (holds: string, requestId: number) => {
    const answer = next('invariantAdded', (m) => m.requestId === requestId);
    const refused = next('invariantRefused', (m) => m.requestId === requestId);
    await session.handle({ type: 'addInvariantQuery', requestId, name: holds, holds });
    return Promise.race([answer.then((a) => ({ holdsNow: a.holdsNow })), refused.then((f) => f.problem)]);
  };
  /** Runs on until the run stops; the violation it stopped at (if any) and the last frame. */
  let told: Of<'invariantBroken'>['violation'][] = [];
  const runToStop = async () => {
    const before = told.length;
    const stopped = next('frame', (f) => f.status.state !== 'running');
    await session.handle({ type: 'control', action: 'run' });
    const frame = await stopped;
    // The host is told of each violation once, before the frame that shows it.
    assert.deepEqual(frame.status.invariants!.broken, told);
    return { frame, violation: told.length > before ? told.at(-1) : undefined };
  };
  return { session, next, open, add, runToStop };
}

test('a query added in the panel stops the run where it breaks, says what broke, and a reset keeps it', async () => {
  const p = panelSession();
  await p.open(WORKER_FIXTURE); // peer2.org1 crashes at 20 s
  // Added before the start it does not hold yet (no peer runs): it breaks once it has held.
  assert.deepEqual(await p.add('running(peer2.org1)', 1), { holdsNow: false });
  const first = await p.runToStop();
  assert.equal(first.frame.status.state, 'paused');
  assert.equal(first.frame.status.simTime, 20_000);
  assert.ok(first.violation);
  assert.equal(first.violation.invariant, 'running(peer2.org1)');
  assert.equal(first.violation.t, 20_000);
  assert.match(first.violation.detail, /no longer holds/);
  assert.deepEqual(first.frame.status.invariants!.queries, [{ name: 'running(peer2.org1)', holds: 'running(peer2.org1)', fromPanel: true, hasBroken: true }]);
  assert.equal(first.frame.status.invariants!.builtIn.length, 4);
  // Run on: it has broken and does not hold, so the run goes to its end.
  const rest = await p.runToStop();
  assert.equal(rest.frame.status.state, 'finished');
  assert.equal(rest.frame.status.invariants!.broken.length, 1);
  // Reset: the network starts again with the panel's query, and breaks at the same event.
  const reopened = p.next('opened');
  await p.session.handle({ type: 'control', action: 'reset' });
  assert.deepEqual((await reopened).status.invariants!.queries.map((q) => q.fromPanel), [true]);
  const again = await p.runToStop();
  assert.equal(again.violation?.eventId, first.violation.eventId);
  // Another network does not inherit it.
  const other = await p.open(WORKER_FIXTURE, 7);
  assert.deepEqual(other.status.invariants!.queries, []);
  p.session.dispose();
});

test('a query that cannot be added says why: its syntax, an unknown peer, its length, too many', async () => {
  const p = panelSession();
  await p.open(WORKER_FIXTURE);
  assert.match(String(await p.add('height(', 1)), /expected|unexpected|end/i);
  assert.match(String(await p.add('running(peer9.org1)', 2)), /peer9\.org1/);
  assert.match(String(await p.add('x'.repeat(20_000), 3)), /at most 10000/);
  const frame = p.next('frame');
  await p.session.handle({ type: 'control', action: 'step' });
  assert.deepEqual((await frame).status.invariants!.queries, [], 'nothing refused was kept');
  // Each query is evaluated after every event: a network takes a bounded number.
  for (let i = 0; i < MAX_PANEL_INVARIANTS; i++) assert.deepEqual(await p.add(`now >= 0 and ${i} >= 0`, 10 + i), { holdsNow: true });
  assert.match(String(await p.add('now >= 0', 99)), /at most 20 invariants/);
  p.session.dispose();
});

test("the scenario's invariants stop the panel's run too, at the event that broke them", async () => {
  const p = panelSession();
  // peer0.org1 declares peer2.org1 dead after it crashed at 20 s (a refused dial: about 3 s later).
  await p.open(`${WORKER_FIXTURE}invariants:\n  - { name: "peer0.org1 declares nobody dead", holds: "dead(peer0.org1) == 0" }\n`);
  const { frame, violation } = await p.runToStop();
  assert.equal(violation?.invariant, 'peer0.org1 declares nobody dead');
  assert.ok(violation.t > 20_000, `broke at ${violation.t} ms`);
  assert.equal(frame.status.simTime, violation.t);
  assert.deepEqual(frame.status.invariants!.queries, [{ name: 'peer0.org1 declares nobody dead', holds: 'dead(peer0.org1) == 0', fromPanel: false, hasBroken: true }]);
  p.session.dispose();
});

test('a query about the current event is taken mid-run, and a reset (with no event yet to judge it on) still opens', async () => {
  const p = panelSession();
  await p.open(WORKER_FIXTURE);
  const stepped = p.next('frame');
  await p.session.handle({ type: 'control', action: 'step' });
  await stepped;
  assert.deepEqual(await p.add('kind != "fault"', 1), { holdsNow: true });
  // Reset re-adds it before any event: it cannot be judged yet, and the network opens anyway.
  const reopened = p.next('opened');
  await p.session.handle({ type: 'control', action: 'reset' });
  assert.deepEqual((await reopened).status.invariants!.queries.map((q) => q.holds), ['kind != "fault"']);
  const { violation } = await p.runToStop();
  assert.equal(violation?.t, 20_000, 'the scenario crash at 20 s is the first fault event');
  p.session.dispose();
});

test('a fault injected while paused that breaks an invariant is said at once, not at the next step', async () => {
  const p = panelSession();
  await p.open(WORKER_FIXTURE);
  const done = p.next('frame', (f) => f.status.state === 'finished');
  await p.session.handle({ type: 'control', action: 'run', until: 5000 });
  await done;
  assert.deepEqual(await p.add('running(peer0.org1)', 1), { holdsNow: true });
  const broken = p.next('invariantBroken');
  await p.session.handle({ type: 'fault', fault: { kind: 'crash', peer: 'peer0.org1' } });
  assert.equal((await broken).violation.invariant, 'running(peer0.org1)');
  p.session.dispose();
});
