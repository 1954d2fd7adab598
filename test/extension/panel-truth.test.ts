/**
 * What the panel and the Peers view are told is what the network does: which peers have not
 * started, which are paused, which faults are in force (and until when), which rejections are
 * start-up noise; and the Peers view keeps rejections apart from drops, each event once.
 * Driven through the engine session the worker runs, with no VS Code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineSession } from '../../extension/engine-session.js';
import type { UiEvent, UiStatus } from '../../extension/protocol.js';
import { RecentEvents } from '../../extension/recent-events.js';
import type { FromWorker } from '../../extension/worker-protocol.js';
import { WORKER_FIXTURE } from './worker-fixture.js';

type Frame = Extract<FromWorker, { type: 'frame' }>;

/** A session and a way to run it to a time and get the frame that says it got there. */
async function openFixture(text = WORKER_FIXTURE) {
  const frames: Frame[] = [];
  let waiting: ((m: FromWorker) => void) | undefined;
  const session = new EngineSession((m) => {
    if (m.type === 'frame') frames.push(m);
    waiting?.(m);
  });
  const opened = new Promise<FromWorker>((resolve) => (waiting = resolve));
  await session.handle({ type: 'open', file: 'truth.yaml', text, speed: 0, maxTraceEvents: 100_000 });
  const first = await opened;
  assert.equal(first.type, 'opened');
  const runTo = async (until: number): Promise<Frame> => {
    const done = new Promise<Frame>((resolve) => {
      waiting = (m) => {
        if (m.type === 'frame' && m.status.state !== 'running' && m.status.simTime >= until) resolve(m);
      };
    });
    await session.handle({ type: 'control', action: 'run', until });
    return done;
  };
  const fault = async (f: Parameters<EngineSession['handle']>[0]) => {
    await session.handle(f);
    return frames.at(-1)!;
  };
  return { session, frames, opened: first as Extract<FromWorker, { type: 'opened' }>, runTo, fault };
}

const kinds = (s: UiStatus) => (s.faults ?? []).map((f) => f.kind).sort();

test('peers that have not started yet are told apart from crashed ones', async () => {
  const { opened, runTo, session } = await openFixture();
  assert.ok(opened.states.every((s) => !s.running && s.started === false), 'before the run no peer has started');
  const f = await runTo(1000);
  assert.ok(f.states.every((s) => s.running && s.started === true));
  const crashed = await runTo(21_000); // the fixture crashes peer2.org1 at 20 s
  const p = crashed.states[2];
  assert.deepEqual({ running: p.running, started: p.started }, { running: false, started: true });
  assert.deepEqual(kinds(crashed.status), ['crash']);
  assert.match(crashed.status.faults![0].label, /peer2\.org1 crashed/);
  session.dispose();
});

test('every fault in force is in the status for as long as it lasts, and no longer', async () => {
  const { runTo, fault, session } = await openFixture();
  await runTo(2000);
  let f = await fault({ type: 'fault', fault: { kind: 'pause', peer: 'peer1.org1' } });
  assert.deepEqual(kinds(f.status), ['pause']);
  assert.equal(f.states[1].paused, true, 'a paused peer is reported paused');
  f = await fault({ type: 'fault', fault: { kind: 'partition', groups: [['Org1MSP'], ['Org2MSP']] } });
  const partition = f.status.faults!.find((x) => x.kind === 'partition')!;
  assert.deepEqual(partition.groups!.map((g) => g.filter((i) => i >= 0).sort((a, b) => a - b)), [[0, 1, 2, 3], [4, 5, 6, 7]]);
  // Both sides lose each other: the graph marks every peer the partition touches, not one side.
  assert.deepEqual([...partition.peers].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7]);
  f = await fault({ type: 'fault', fault: { kind: 'partition', groups: [['peer2.org1'], ['peer0.org1', 'peer1.org1', 'peer3.org1', 'Org2MSP']] } });
  assert.deepEqual([...f.status.faults!.find((x) => x.kind === 'partition')!.peers].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7], 'an isolated peer and everyone it is cut from');
  f = await fault({ type: 'fault', fault: { kind: 'link', between: ['peer0.org1', 'peer3.org1'], loss: 1, delay: 0, forMs: 5000 } });
  const link = f.status.faults!.find((x) => x.kind === 'link')!;
  assert.equal(link.until, 7000);
  assert.deepEqual(link.peers, [0, 3]);
  assert.match(link.label, /peer0\.org1 ↔ peer3\.org1: 100 % loss/);
  f = await fault({ type: 'fault', fault: { kind: 'tamper', rule: { from: 'peer0.org2', to: null, type: 'AliveMessage', mode: 'flip', count: 3 } } });
  assert.match(f.status.faults!.find((x) => x.kind === 'tamper')!.label, /next 3 AliveMessages from peer0\.org2/);
  f = await fault({ type: 'fault', fault: { kind: 'byzantine', peer: 'peer3.org2', behaviour: 'flood', target: null, channel: null } });
  assert.deepEqual(kinds(f.status), ['byzantine', 'link', 'partition', 'pause', 'tamper']);
  f = await fault({ type: 'fault', fault: { kind: 'heal' } });
  assert.ok(!kinds(f.status).includes('partition'), 'a heal ends the partition');
  // The link rule ends at 7 s by itself, the tamper rule once it has caught its three messages.
  f = await runTo(12_000);
  assert.deepEqual(kinds(f.status), ['byzantine', 'pause']);
  f = await fault({ type: 'fault', fault: { kind: 'resume', peer: 'peer1.org1' } });
  f = await fault({ type: 'fault', fault: { kind: 'crash', peer: 'peer3.org2' } });
  assert.deepEqual(kinds(f.status), ['crash'], 'a crash ends the Byzantine behaviour of that process');
  session.dispose();
});

test("start-up StateInfo rejections are flagged benign, other rejections are not", async () => {
  const { frames, runTo, session } = await openFixture();
  await runTo(30_000);
  const rejects = frames.flatMap((f) => f.events).filter((e) => e.kind === 'reject');
  const unknown = rejects.filter((e) => /PKI-ID not found in identity mapper/.test(e.reason ?? ''));
  assert.ok(unknown.length > 0, 'the fixture shows the start-up rejections real Fabric logs');
  for (const e of unknown) assert.equal(e.benign, e.t < 15_000 ? true : undefined, `${e.reason} at ${e.t} ms`);
  for (const e of rejects.filter((x) => !unknown.includes(x))) assert.equal(e.benign, undefined);
  session.dispose();
});

test('the Peers view keeps the newest rejections and drops apart, each event once', () => {
  const ev = (id: number, kind: 'drop' | 'reject'): UiEvent => ({ id, t: id, kind, peer: 0, other: 1, type: 'StateInfo', msg: id, reason: 'x' });
  const drops = new RecentEvents(25);
  const rejects = new RecentEvents(25);
  // One rejection, then a flood of drops, with repeats (a frame may carry an event again).
  rejects.add(ev(1, 'reject'));
  for (let i = 2; i < 200; i++) {
    drops.add(ev(i, 'drop'));
    drops.add(ev(i, 'drop'));
  }
  rejects.add(ev(1, 'reject'));
  assert.deepEqual(rejects.newestFirst().map((e) => e.id), [1], 'the rejection is still there, once');
  assert.equal(rejects.total, 1);
  assert.equal(drops.size, 25);
  assert.equal(drops.total, 198, 'each drop counted once');
  const ids = drops.newestFirst().map((e) => e.id);
  assert.deepEqual(ids, Array.from({ length: 25 }, (_, i) => 199 - i), 'the newest 25, newest first, no duplicates');
});
