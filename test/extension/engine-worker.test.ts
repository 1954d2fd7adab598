// The engine worker's protocol, without VS Code: the host's EngineClient starts the real worker
// (TypeScript loaded through tsx) and drives it as the extension does.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EngineClient } from '../../extension/engine-client.js';
import type { FromWorker } from '../../extension/worker-protocol.js';
import { WORKER_FIXTURE } from './worker-fixture.js';

const WORKER = join(__dirname, '../../extension/engine-worker.ts');
const SCENARIO = WORKER_FIXTURE;

/** Node 20 does not pass tsx's loader hooks to workers: the worker registers them itself. */
function startWorker(): EngineClient {
  const tsx = require.resolve('tsx/cjs/api');
  return new EngineClient(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(WORKER)});`, { eval: true });
}

/** Resolves with the first message that `pick` accepts. */
function next<T extends FromWorker>(client: EngineClient, pick: (m: FromWorker) => m is T, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for the worker')), timeoutMs);
    const sub = client.onMessage((m) => {
      if (!pick(m)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(m);
    });
  });
}

type Frame = Extract<FromWorker, { type: 'frame' }>;
const isFrame = (m: FromWorker): m is Frame => m.type === 'frame';

let client: EngineClient;
before(() => {
  client = startWorker();
});
after(async () => {
  await client.dispose();
});

test('open answers with the network, its status and every peer state', async () => {
  const opened = await client.open({ file: 'fixture.yaml', text: SCENARIO, speed: 0, maxTraceEvents: 10_000 });
  assert.equal(opened.type, 'opened');
  if (opened.type !== 'opened') return;
  assert.equal(opened.network.peers.length, 8);
  assert.deepEqual(opened.network.peers.map((p) => p.id).slice(0, 2), ['peer0.org1', 'peer1.org1']);
  assert.equal(opened.states.length, 8);
  assert.deepEqual({ simTime: opened.status.simTime, state: opened.status.state, until: opened.status.until }, { simTime: 0, state: 'paused', until: 60_000 });
  assert.equal(client.snapshot?.network.scenario.name, 'worker-fixture');
});

test('step executes one event and sends a frame with what it did', async () => {
  const frames: Frame[] = [];
  for (let i = 0; i < 3; i++) {
    const f = next(client, isFrame);
    client.send({ type: 'control', action: 'step' });
    frames.push(await f);
  }
  assert.ok(frames.every((f) => f.status.state === 'paused'));
  assert.ok(frames.every((f) => f.events.length > 0), 'every step shows something it did (silent kernel events are run through)');
  assert.ok(frames[2].status.events > 0, 'the first events started peers');
  assert.ok(frames.some((f) => f.events.some((e) => e.kind === 'state' && e.reason === 'started')));
  const ids = frames.flatMap((f) => f.events.map((e) => e.id));
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'events arrive in order, none twice');
});

test('stepTo stops right after the next send of the asked message type', async () => {
  client.send({ type: 'stepTo', messageType: 'AliveMessage' });
  const f = await next(client, (m): m is Frame => isFrame(m) && m.status.state === 'paused');
  const last = f.events.at(-1)!;
  assert.equal(f.status.state, 'paused');
  assert.ok(f.events.some((e) => e.kind === 'send' && e.type === 'AliveMessage'));
  assert.ok(last.t <= f.status.simTime);
});

test('inspect answers with a message and a peer in the shapes of protocol.ts', async () => {
  const sent = new Promise<number>((resolve) => {
    const sub = client.onMessage((m) => {
      const alive = isFrame(m) ? m.events.find((e) => e.kind === 'send' && e.type === 'AliveMessage') : undefined;
      if (alive?.msg !== undefined) {
        sub.dispose();
        resolve(alive.msg);
      }
    });
  });
  const finished = next(client, (m): m is Frame => isFrame(m) && m.status.state === 'finished');
  client.send({ type: 'speed', speed: 0 });
  client.send({ type: 'control', action: 'run', until: 12_000 });
  const msg = await sent;
  await finished;
  client.send({ type: 'inspectMessage', msg });
  const detail = await next(client, (m): m is Extract<FromWorker, { type: 'messageDetail' }> => m.type === 'messageDetail');
  assert.equal(detail.detail?.type, 'AliveMessage');
  assert.ok(detail.detail?.signature?.lowS);
  assert.ok(detail.detail!.verdicts.every((v) => v.ok));
  client.send({ type: 'inspectPeer', idx: 0 });
  const peer = await next(client, (m): m is Extract<FromWorker, { type: 'peerDetail' }> => m.type === 'peerDetail');
  assert.equal(peer.detail?.id, 'peer0.org1');
  assert.equal(peer.detail?.membership.alive.length, 7);
});

test('run at a speed advances simulated time with the wall clock, in frames at most ~30 a second', async () => {
  const start = client.snapshot!.status.simTime;
  const frames: Frame[] = [];
  const sub = client.onMessage((m) => isFrame(m) && frames.push(m));
  client.send({ type: 'speed', speed: 5 });
  client.send({ type: 'control', action: 'run', until: 60_000 });
  await new Promise((r) => setTimeout(r, 600));
  client.send({ type: 'control', action: 'pause' });
  await next(client, (m): m is Frame => isFrame(m) && m.status.state === 'paused');
  sub.dispose();
  const advanced = client.snapshot!.status.simTime - start;
  assert.ok(advanced > 1000 && advanced < 5 * 1500, `5 ms per ms for ~0.6 s, advanced ${advanced} ms`);
  assert.ok(frames.length >= 3 && frames.length <= 30, `${frames.length} frames in 0.6 s (at most ~30 a second)`);
  assert.ok(frames.every((f) => f.status.speed === 5));
});

test('faults: crash turns a peer dead, the trace records it, restart brings it back', async () => {
  client.send({ type: 'fault', fault: { kind: 'crash', peer: 'peer1.org2' } });
  const crashed = await next(client, isFrame);
  assert.equal(crashed.states[5].running, false);
  assert.ok(crashed.events.some((e) => e.kind === 'fault' && e.reason === 'crash'));
  client.send({ type: 'fault', fault: { kind: 'restart', peer: 'peer1.org2' } });
  assert.equal((await next(client, isFrame)).states[5].running, true);
  client.send({ type: 'fault', fault: { kind: 'crash', peer: 'peer9.nowhere' } });
  const err = await next(client, (m): m is Extract<FromWorker, { type: 'error' }> => m.type === 'error');
  assert.match(err.message, /peer9\.nowhere/);
});

test('link faults from the UI: a drop window loses every message on that link, a delay slows it', async () => {
  // A worker of its own: this test runs to its own end.
  const client = startWorker();
  await client.open({ file: 'fixture.yaml', text: SCENARIO, speed: 0, maxTraceEvents: 100_000 });
  const events: Frame['events'] = [];
  const sub = client.onMessage((m) => {
    if (isFrame(m)) events.push(...m.events);
  });
  const start = client.snapshot!.status.simTime;
  client.send({ type: 'fault', fault: { kind: 'link', between: ['peer0.org1', 'peer1.org1'], loss: 1, delay: 0, forMs: 10_000 } });
  client.send({ type: 'fault', fault: { kind: 'link', between: ['peer0.org2', 'peer1.org2'], loss: 0, delay: 3000, forMs: 10_000 } });
  client.send({ type: 'speed', speed: 0 });
  client.send({ type: 'control', action: 'run', until: start + 9000 });
  await next(client, (m): m is Frame => isFrame(m) && m.status.state === 'finished', 60_000);
  sub.dispose();
  const [a, b, c, d] = [0, 1, 4, 5]; // peer0.org1, peer1.org1, peer0.org2, peer1.org2
  const between = (e: Frame['events'][number], x: number, y: number) => (e.peer === x && e.other === y) || (e.peer === y && e.other === x);
  assert.ok(events.some((e) => e.kind === 'fault' && e.reason === 'link'), 'the fault is in the trace');
  const dropped = events.filter((e) => e.kind === 'drop' && between(e, a, b));
  assert.ok(dropped.length > 0, 'messages on the link were dropped');
  assert.ok(dropped.every((e) => e.reason === 'lost by a link rule'), dropped.map((e) => e.reason).join(', '));
  // Link rules act on messages over a connection; the dial's handshake is the transport's own.
  const crossing = events.filter((e) => e.kind === 'deliver' && between(e, a, b) && e.type !== 'ConnEstablish');
  assert.deepEqual(crossing, [], 'nothing crossed the dropped link');
  // On the delayed link every message sent after the fault takes at least the delay.
  // (The same message object may be sent to the same peer again: match sends and deliveries in order.)
  const sent = new Map<string, number[]>();
  let crossed = 0;
  for (const e of events) {
    if (!between(e, c, d) || e.type === 'ConnEstablish') continue;
    if (e.kind === 'send' && e.t > start) sent.set(`${e.msg}>${e.other}`, [...(sent.get(`${e.msg}>${e.other}`) ?? []), e.t]);
    const queue = e.kind === 'deliver' ? sent.get(`${e.msg}>${e.peer}`) : undefined;
    if (queue === undefined || queue.length === 0) continue;
    const at = queue.shift()!;
    crossed++;
    assert.ok(e.t - at >= 3000, `delivered ${e.t - at} ms after it was sent`);
  }
  assert.ok(crossed > 0, 'messages crossed the delayed link');
  await client.dispose();
});

test('a flat-out run streams every event or counts it as skipped, and finishes at the end of the run', async () => {
  let seen = 0;
  let skipped = 0;
  const from = client.snapshot!.status.events;
  const sub = client.onMessage((m) => {
    if (isFrame(m)) [seen, skipped] = [seen + m.events.length, skipped + m.skipped];
  });
  client.send({ type: 'speed', speed: 0 });
  client.send({ type: 'control', action: 'run' });
  const done = await next(client, (m): m is Frame => isFrame(m) && m.status.state === 'finished', 60_000);
  sub.dispose();
  assert.equal(done.status.simTime, 60_000);
  assert.equal(seen + skipped, done.status.events - from);
  assert.equal(done.states[2].running, false, 'peer2.org1 crashed at 20 s as the scenario says');
});

test('history: the most recent events, in order, ending where the frames have got to', async () => {
  const { events } = await client.request({ type: 'history', limit: 500 });
  assert.equal(events.length, 500);
  for (let i = 1; i < events.length; i++) assert.equal(events[i].id, events[i - 1].id + 1);
  const status = client.snapshot!.status;
  assert.ok(events[events.length - 1].id <= status.events, 'nothing a frame has not carried yet');
  assert.ok(events.every((e) => e.data === undefined || JSON.stringify(e.data) !== undefined), 'JSON-safe');
});

test('metrics and trace export answer their requests', async () => {
  const { summary } = await client.request({ type: 'metrics' });
  assert.equal(summary.scenario, 'worker-fixture');
  assert.equal(summary.peers.length, 8);
  const dir = mkdtempSync(join(tmpdir(), 'gossip-scope-export-'));
  try {
    const path = join(dir, 'trace.jsonl');
    const r = await client.request({ type: 'exportTrace', path });
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    assert.equal(lines.length, r.events + 1);
    assert.equal(r.events, 10_000, 'maxTraceEvents bounds what is kept');
    assert.ok(r.lost > 0);
    assert.deepEqual(JSON.parse(lines[0]).peers.length, 8);
    assert.ok(JSON.parse(lines[1]).id > 0);
    await assert.rejects(client.request({ type: 'exportTrace', path: join(dir, 'missing', 'x.jsonl') }), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reset reopens the network from the start', async () => {
  const opened = next(client, (m): m is Extract<FromWorker, { type: 'opened' }> => m.type === 'opened');
  client.send({ type: 'control', action: 'reset' });
  const o = await opened;
  assert.equal(o.status.simTime, 0);
  assert.equal(o.status.events, 0);
});

test('a broken scenario comes back as openFailed with file:line:col diagnostics', async () => {
  const bad = 'name: x\norgs:\n  - { mspId: Org1MSP, peers: two }\nchannels: []\n';
  const r = await client.open({ file: 'bad.yaml', text: bad, speed: 1, maxTraceEvents: 1000 });
  assert.equal(r.type, 'openFailed');
  if (r.type !== 'openFailed') return;
  assert.ok(r.diagnostics.length > 0);
  assert.equal(r.diagnostics[0].file, 'bad.yaml');
  assert.equal(r.diagnostics[0].line, 3);
  // The network that was open stays open.
  const frame = next(client, isFrame);
  client.send({ type: 'control', action: 'step' });
  assert.equal((await frame).states.length, 8);
});

test('two opens at once each get their own answer', async () => {
  const [a, b] = await Promise.all([
    client.open({ file: 'a.yaml', text: SCENARIO.replace('worker-fixture', 'a'), speed: 1, maxTraceEvents: 1000 }),
    client.open({ file: 'b.yaml', text: SCENARIO.replace('worker-fixture', 'b'), speed: 1, maxTraceEvents: 1000 }),
  ]);
  assert.equal(a.type === 'opened' && a.network.scenario.name, 'a');
  assert.equal(b.type === 'opened' && b.network.scenario.name, 'b');
  assert.equal(client.snapshot?.network.scenario.name, 'b');
});

test('a lesson\'s expectations travel in every status and are judged at their times, even flat out', async () => {
  const lesson = `${SCENARIO}expect:\n  - { dead: peer2.org1, by: 50s, text: crashed peer declared dead }\n  - { height: 11, by: 40s }\n  - { height: 99, by: 45s }\n`;
  const opened = await client.open({ file: 'lesson.yaml', text: lesson, speed: 0, maxTraceEvents: 10_000 });
  assert.equal(opened.type, 'opened');
  if (opened.type !== 'opened') return;
  assert.deepEqual(opened.status.expectations?.map((e) => e.status), ['pending', 'pending', 'pending']);
  client.send({ type: 'speed', speed: 0 });
  client.send({ type: 'control', action: 'run' });
  const done = await next(client, (m): m is Frame => isFrame(m) && m.status.state === 'finished', 60_000);
  const [dead, height, impossible] = done.status.expectations!;
  assert.equal(dead.text, 'crashed peer declared dead');
  assert.equal(dead.status, 'met');
  assert.ok(dead.at !== null && dead.at > 20_000 && dead.at <= 50_000);
  assert.equal(height.status, 'met');
  assert.equal(impossible.status, 'failed');
  assert.match(impossible.detail ?? '', /height/);
});

test('an exported trace replays exactly: same scenario, same UI faults, same trace hash', async () => {
  const { readSavedTrace } = await import('../../extension/saved-trace.js');
  const dir = mkdtempSync(join(tmpdir(), 'gs-replay-'));
  try {
    const opened = await client.open({ file: 'fixture.yaml', text: SCENARIO, speed: 0, maxTraceEvents: 200_000 });
    assert.equal(opened.type, 'opened');
    // Run a while, crash a peer from the "UI", run on, export.
    client.send({ type: 'control', action: 'run', until: 12_000 });
    await next(client, (m): m is Frame => isFrame(m) && m.status.state === 'finished', 60_000);
    client.send({ type: 'fault', fault: { kind: 'crash', peer: 'peer1.org2' } });
    client.send({ type: 'control', action: 'run', until: 25_000 });
    await next(client, (m): m is Frame => isFrame(m) && m.status.state === 'finished' && m.status.simTime >= 25_000, 60_000);
    const path = join(dir, 'run.jsonl');
    const exported = await client.request({ type: 'exportTrace', path });
    assert.equal(exported.type, 'exported');
    const saved = await readSavedTrace(path);
    assert.ok(typeof saved !== 'string', String(saved));
    if (typeof saved === 'string') return;
    assert.equal(saved.replay.faults.length, 1);
    assert.equal(saved.replay.until, 25_000);
    // Replay: reopen from the header alone and run to its end.
    const replayed = await client.open({ file: saved.file, text: saved.scenarioText, speed: 0, maxTraceEvents: 10_000, replay: saved.replay });
    assert.equal(replayed.type, 'opened');
    const checked = next(client, (m): m is Extract<FromWorker, { type: 'replayChecked' }> => m.type === 'replayChecked', 60_000);
    client.send({ type: 'control', action: 'run' });
    const verdict = await checked;
    assert.equal(verdict.ok, true, verdict.message);
    // A trace without its scenario (the CLI's) is refused with file:line:col.
    const cli = join(dir, 'cli.jsonl');
    writeFileSync(cli, JSON.stringify({ traceVersion: 1, scenario: 'x', seed: 1, peers: [] }) + '\n');
    assert.match(String(await readSavedTrace(cli)), /cli\.jsonl:1:1: .*without its scenario/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
