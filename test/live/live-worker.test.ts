/**
 * Live mode in the extension's engine worker: the panel's protocol (opened, frames, states,
 * controls, faults) over a network of real peer processes, and nothing left running after.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EngineClient } from '../../extension/engine-client.js';
import type { FromWorker } from '../../extension/worker-protocol.js';

const ROOT = join(__dirname, '..', '..');
const WORKER = join(ROOT, 'extension', 'engine-worker.ts');
const SCENARIO = `
name: live-worker
seed: 2
profile: fabric-v3
orgs:
  - { mspId: Org1MSP, peers: 2, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 2, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
orderer: { start: 1s, batchTimeout: 300ms, blocks: 3, txPerBlock: 2 }
gossip: { aliveTimeInterval: 300ms, aliveExpirationTimeout: 1500ms, reconnectInterval: 1500ms }
run: { until: 60s }
`;

type Frame = Extract<FromWorker, { type: 'frame' }>;
let client: EngineClient;

/** This test process's children that are live peers (tsx has an esbuild child of its own). */
function children(): number[] {
  return spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((line) => / peer --scenario /.test(line))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

function next<T extends FromWorker>(pick: (m: FromWorker) => m is T, timeoutMs = 20_000, what = 'the worker'): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    const sub = client.onMessage((m) => {
      if (!pick(m)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(m);
    });
  });
}

before(() => {
  if (process.env.GOSSIP_SCOPE_BUILT !== '1') assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
  const tsx = require.resolve('tsx/cjs/api');
  client = new EngineClient(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(WORKER)});`, { eval: true });
});
after(async () => {
  await client.dispose();
});

test('a live network in the panel protocol: frames from every process, pause, faults, and no process left', async () => {
  const opened = await client.open({ file: 'live-worker.yaml', text: SCENARIO, speed: 1, maxTraceEvents: 10_000, live: true });
  assert.equal(opened.type, 'opened');
  if (opened.type !== 'opened') return;
  assert.equal(opened.network.peers.length, 4);
  assert.match(opened.network.peers[0].internalEndpoint, /^127\.0\.0\.1:\d+$/);
  assert.equal(children().length, 4, 'four peer processes');

  // Frames carry events of every peer, and the states fill in as the processes report.
  const seen = new Set<number>();
  const verified: number[] = [];
  const done = await next((m): m is Frame => {
    if (m.type !== 'frame') return false;
    for (const e of m.events) seen.add(e.peer);
    for (const e of m.events) if (e.kind === 'verify' && e.type === 'AliveMessage' && e.reason === 'valid' && e.msg !== undefined) verified.push(e.msg);
    return seen.size >= 4 && verified.length > 0 && m.states.every((s) => s.running && s.alive === 3 && s.height.mychannel === 4);
  }, 30_000);
  assert.equal(done.status.state, 'running');

  // The inspector asks the processes: a message's fields, bytes, signature and signer, with
  // every receiver's verdict from the merged trace; a peer's views with last-seen times.
  assert.ok(verified.length > 0, 'an alive message was verified');
  const msg = verified[verified.length - 1];
  client.send({ type: 'inspectMessage', msg });
  const shown = await next((m): m is Extract<FromWorker, { type: 'messageDetail' }> => m.type === 'messageDetail' && m.msg === msg);
  assert.ok(shown.detail, 'the message is described');
  assert.equal(shown.detail.type, 'AliveMessage');
  assert.equal(shown.detail.signature?.lowS, true);
  assert.match(shown.detail.signer?.mspId ?? '', /^Org[12]MSP$/);
  assert.match(shown.detail.signer?.subject ?? '', /CN=peer\d\.org\d\.example\.com/);
  assert.ok(shown.detail.payloadHex.length > 100);
  assert.ok(shown.detail.verdicts.some((v) => v.ok), JSON.stringify(shown.detail.verdicts));
  client.send({ type: 'inspectPeer', idx: 0 });
  const peer = await next((m): m is Extract<FromWorker, { type: 'peerDetail' }> => m.type === 'peerDetail' && m.idx === 0);
  assert.ok(peer.detail);
  assert.match(peer.detail.pkiId, /^[0-9a-f]{64}$/);
  assert.equal(peer.detail.membership.alive.length, 3);
  assert.ok(peer.detail.membership.alive.every((a) => a.lastSeen > 0));
  assert.equal(peer.detail.channels[0].height, 4);
  assert.ok(peer.detail.channels[0].worldState.length > 0, 'its world state');

  client.send({ type: 'control', action: 'pause' });
  // A frame already on its way may still say running: wait for the one that says paused.
  await next((m): m is Frame => m.type === 'frame' && m.status.state === 'paused');
  // Step to a message type: the network runs until a peer reports sending one, then pauses.
  let sentAlive = 0;
  client.send({ type: 'stepTo', messageType: 'AliveMessage' });
  await next((m): m is Frame => m.type === 'frame' && m.status.state === 'running');
  const paused = await next((m): m is Frame => {
    if (m.type !== 'frame') return false;
    sentAlive += m.events.filter((e) => e.kind === 'send' && e.type === 'AliveMessage').length;
    return m.status.state === 'paused';
  }, 10_000);
  // Then nothing is sent: what comes in is from before the pause (reports lag by ~100 ms, frames by 300).
  const late: number[] = [];
  const watch = client.onMessage((m) => {
    if (m.type !== 'frame') return;
    sentAlive += m.events.filter((e) => e.kind === 'send' && e.type === 'AliveMessage').length;
    late.push(...m.events.filter((e) => e.kind === 'send').map((e) => e.t));
  });
  // Sends every 300 ms would never let the network fall quiet; late reports may still come first.
  await quietFor(1000, () => late.length, 'nothing is sent while paused');
  watch.dispose();
  assert.ok(sentAlive > 0, 'an alive message was sent before the pause');
  assert.ok(late.every((t) => t <= paused.status.simTime), `sends after the pause at ${paused.status.simTime} ms: ${late.filter((t) => t > paused.status.simTime).join(', ')}`);

  // Stepping: peers hold what they receive (their timers go on, so they still send) ...
  const delivered: number[] = [];
  const sub = client.onMessage((m) => {
    // Messages taken in (a new connection's handshake is the transport's, not held).
    if (m.type === 'frame') delivered.push(m.events.filter((e) => e.kind === 'deliver' && e.type !== 'ConnEstablish').length);
  });
  client.send({ type: 'control', action: 'step' });
  // Deliveries from before the hold still come through (late under load): held, the network
  // falls quiet. Without the hold, alive messages every 300 ms would never let it.
  await quietFor(1000, () => delivered.reduce((a, b) => a + b, 0), 'nothing is taken in while stepping');
  delivered.length = 0;
  // ... and each Step lets exactly one message in: it comes, then nothing more.
  client.send({ type: 'control', action: 'step' });
  await next((m): m is Frame => m.type === 'frame' && delivered.reduce((a, b) => a + b, 0) > 0, 30_000);
  await quietFor(1000, () => delivered.reduce((a, b) => a + b, 0), 'one delivery per step');
  sub.dispose();
  assert.equal(delivered.reduce((a, b) => a + b, 0), 1, `deliveries after one step: ${delivered.join(',')}`);
  client.send({ type: 'control', action: 'run' });

  client.send({ type: 'fault', fault: { kind: 'crash', peer: 'peer1.org2' } });
  await next((m): m is Frame => m.type === 'frame' && m.states[3].running === false, 20_000, 'a frame with peer1.org2 crashed');
  assert.equal(children().length, 3, 'the crashed process is gone');

  // A process killed from outside is said at once, and its state says how it ended.
  const victim = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' }).stdout.split('\n').find((l) => / --id peer0\.org2 /.test(l));
  assert.ok(victim, 'peer0.org2 has a process');
  const exitSaid = next((m): m is Extract<FromWorker, { type: 'peerExited' }> => m.type === 'peerExited', 30_000, 'peer0.org2\'s exit to be said');
  process.kill(Number(victim.trim().split(/\s+/)[0]), 'SIGTERM');
  assert.match((await exitSaid).message, /^peer0\.org2 exited \(SIGTERM\) at [\d.]+ s: its process ended outside the scenario/);
  await next((m): m is Frame => m.type === 'frame' && m.states[2].running === false && m.states[2].exited === 'exited (SIGTERM)', 20_000, 'a frame with peer0.org2 exited');

  // Export Trace writes the merged events under a header marked live; it reads, it does not replay.
  const dir = mkdtempSync(join(tmpdir(), 'gs-live-export-'));
  const path = join(dir, 'live.jsonl');
  const exported = await client.request({ type: 'exportTrace', path });
  assert.equal(exported.type, 'exported');
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const header = JSON.parse(lines[0]) as { live: boolean; peers: string[]; traceHash: null; scenarioText: string };
  assert.equal(header.live, true);
  assert.equal(header.traceHash, null);
  assert.deepEqual(header.peers, ['peer0.org1', 'peer1.org1', 'peer0.org2', 'peer1.org2']);
  assert.ok(lines.length > 100 && lines.slice(1).every((l) => typeof (JSON.parse(l) as { kind: string }).kind === 'string'));
  const { readSavedTrace } = await import('../../extension/saved-trace.js');
  assert.match(String(await readSavedTrace(path)), /live\.jsonl:1:1: .*live network.*not replayed/);
  rmSync(dir, { recursive: true, force: true });

  // Reset starts the scenario again: every process anew, the crashed one too.
  client.send({ type: 'control', action: 'reset' });
  const reopened = await next((m): m is Extract<FromWorker, { type: 'opened' }> => m.type === 'opened');
  assert.equal(reopened.network.peers.length, 4);
  await next((m): m is Frame => m.type === 'frame' && m.states.every((s) => s.running && s.alive === 3 && s.exited === undefined), 30_000);
  assert.equal(children().length, 4, 'four processes again');

  // Opening a simulated network ends the live one and its processes.
  const sim = await client.open({ file: 'sim.yaml', text: SCENARIO, speed: 1, maxTraceEvents: 10_000 });
  assert.equal(sim.type, 'opened');
  const deadline = Date.now() + 30_000;
  while (children().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(children(), [], 'no peer process outlives the live network');
});

/** Waits until `count()` has not changed for `ms` over the frames that come (within a generous limit). */
async function quietFor(ms: number, count: () => number, what: string, limitMs = 30_000, onFrame?: (f: Frame) => void): Promise<void> {
  let last = count();
  let since = Date.now();
  await next((m): m is Frame => {
    if (m.type !== 'frame') return false;
    onFrame?.(m);
    if (count() !== last) {
      last = count();
      since = Date.now();
    }
    return Date.now() - since >= ms;
  }, limitMs).catch(() => {
    throw new Error(`never quiet for ${ms} ms within ${limitMs} ms: ${what}`);
  });
}

/** Frames over at least `ms` of wall time (a condition on frames seen, not a sleep). */
async function framesFor(ms: number, limitMs = 30_000): Promise<Frame[]> {
  const t0 = Date.now();
  const frames: Frame[] = [];
  await next((m): m is Frame => {
    if (m.type !== 'frame') return false;
    frames.push(m);
    return Date.now() - t0 >= ms;
  }, limitMs);
  return frames;
}

test('paused, the live clock stands still and nothing is sent; at until every process pauses and the run is finished', async () => {
  const opened = await client.open({ file: 'live-until.yaml', text: SCENARIO.replace('run: { until: 60s }', 'run: { until: 5s }'), speed: 1, maxTraceEvents: 10_000, live: true });
  assert.equal(opened.type, 'opened');
  // The clock counts from when every process is up: it starts near 0, not at the start-up time.
  assert.ok(opened.type === 'opened' && opened.status.simTime < 1000, `clock at open: ${opened.type === 'opened' && opened.status.simTime} ms`);
  await next((m): m is Frame => m.type === 'frame' && m.status.simTime >= 1500, 30_000);
  client.send({ type: 'control', action: 'pause' });
  const paused = await next((m): m is Frame => m.type === 'frame' && m.status.state === 'paused');
  const whilePaused = await framesFor(1500);
  assert.deepEqual([...new Set(whilePaused.map((f) => f.status.simTime))], [paused.status.simTime], 'the clock stands still while paused');
  // Nothing runs: once the last reports from before are in, no event comes.
  let seen = whilePaused.at(-1)!.status.events;
  await quietFor(1000, () => seen, 'no process runs while paused', 30_000, (f) => (seen = f.status.events));

  client.send({ type: 'control', action: 'run' });
  const finished = await next((m): m is Frame => m.type === 'frame' && m.status.state === 'finished', 60_000);
  assert.equal(finished.status.simTime, 5000, 'it stops at until');
  // Every process is paused: after the last reports come in, the event count stops growing.
  let last = -1;
  let since = Date.now();
  await next((m): m is Frame => {
    if (m.type !== 'frame') return false;
    assert.equal(m.status.state, 'finished');
    assert.equal(m.status.simTime, 5000, 'the clock stays at until');
    assert.ok(m.events.every((e) => e.t <= 5000), `events past until: ${m.events.filter((e) => e.t > 5000).map((e) => e.t).join(', ')}`);
    if (m.status.events !== last) {
      last = m.status.events;
      since = Date.now();
    }
    return Date.now() - since >= 1500;
  }, 30_000);
  // Run after the end does not run on past it (Reset starts again, as for a simulated network).
  client.send({ type: 'control', action: 'run' });
  const again = await framesFor(1000);
  assert.ok(again.every((f) => f.status.state === 'finished' && f.status.events === last), 'Run past until does nothing');
});
