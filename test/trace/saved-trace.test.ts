/**
 * Saved traces must be what they say (issue 15): a replay checks every event line and names the
 * first that differs; truncation, byte flips and edits are caught; the header is bounded like a
 * scenario; unknown versions and malformed faults are refused up front; "saved by another
 * version?" only when the version differs; a missing file or a directory is a file:1:1 message.
 * Driven through the engine session the worker runs, with no VS Code.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EngineSession } from '../../extension/engine-session.js';
import { readSavedTrace } from '../../extension/saved-trace.js';
import type { FromWorker } from '../../extension/worker-protocol.js';
import pkg from '../../package.json';

const SCENARIO = `name: saved
seed: 3
orgs:
  - { mspId: Org1MSP, peers: 2, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 2, anchorPeers: [peer0] }
channels:
  - { name: ch, orgs: [Org1MSP, Org2MSP] }
orderer: { batchTimeout: 1s, blocks: 2, txPerBlock: 2 }
peers: { startWindow: 0s }
run: { until: 8s }
`;

const dir = mkdtempSync(join(tmpdir(), 'gs-saved-'));
let original = '';
after(() => rmSync(dir, { recursive: true, force: true }));

/** A session whose messages can be awaited. */
function session() {
  let waiting: ((m: FromWorker) => void) | undefined;
  const s = new EngineSession((m) => waiting?.(m));
  const next = <T extends FromWorker>(pred: (m: FromWorker) => m is T) => new Promise<T>((resolve) => (waiting = (m) => pred(m) && resolve(m)));
  return { s, next };
}

before(async () => {
  // Record: run to 5 s, crash a peer "from the UI", run to the end, export.
  const { s, next } = session();
  const opened = next((m): m is Extract<FromWorker, { type: 'opened' }> => m.type === 'opened');
  await s.handle({ type: 'open', file: 'saved.yaml', text: SCENARIO, speed: 0, maxTraceEvents: 100_000 });
  await opened;
  const finished = (t: number) => next((m): m is Extract<FromWorker, { type: 'frame' }> => m.type === 'frame' && m.status.state === 'finished' && m.status.simTime >= t);
  let done = finished(5000);
  await s.handle({ type: 'control', action: 'run', until: 5000 });
  await done;
  await s.handle({ type: 'fault', fault: { kind: 'crash', peer: 'peer1.org2' } });
  done = finished(8000);
  await s.handle({ type: 'control', action: 'run', until: 8000 });
  await done;
  const exported = next((m): m is Extract<FromWorker, { type: 'exported' }> => m.type === 'exported');
  await s.handle({ type: 'exportTrace', requestId: 1, path: join(dir, 'run.jsonl') });
  await exported;
  s.dispose();
  original = readFileSync(join(dir, 'run.jsonl'), 'utf8');
});

/** Writes a variant of the saved trace and replays it to its end: the verdict, or the refusal. */
async function replay(name: string, text: string): Promise<{ ok: boolean; message: string } | string> {
  const path = join(dir, name);
  writeFileSync(path, text);
  const saved = await readSavedTrace(path);
  if (typeof saved === 'string') return saved;
  const { s, next } = session();
  const opened = next((m): m is Extract<FromWorker, { type: 'opened' | 'openFailed' }> => m.type === 'opened' || m.type === 'openFailed');
  await s.handle({ type: 'open', file: saved.file, text: saved.scenarioText, speed: 0, maxTraceEvents: 1000, replay: saved.replay });
  const o = await opened;
  if (o.type === 'openFailed') return o.message;
  const verdict = next((m): m is Extract<FromWorker, { type: 'replayChecked' }> => m.type === 'replayChecked');
  await s.handle({ type: 'control', action: 'run' });
  const v = await verdict;
  s.dispose();
  return { ok: v.ok, message: v.message };
}

const lines = () => original.trimEnd().split('\n');
const header = () => JSON.parse(lines()[0]) as Record<string, unknown>;
const withHeader = (h: Record<string, unknown>) => [JSON.stringify(h), ...lines().slice(1)].join('\n') + '\n';
/** The file line (1-based) of the first event line matching `pred`. */
const lineOf = (pred: (ev: Record<string, unknown>) => boolean) => lines().findIndex((l, i) => i > 0 && pred(JSON.parse(l))) + 1;

test('an untouched export replays exactly, each saved line checked', async () => {
  const v = await replay('same.jsonl', original);
  assert.ok(typeof v !== 'string', v as string);
  assert.equal(v.ok, true, v.message);
  assert.match(v.message, new RegExp(`each of its ${lines().length - 1} saved event lines`));
  assert.equal(header().gossipScope, pkg.version);
});

test('an edited event line is named by its line; the cause is an edit, not another version', async () => {
  const n = lineOf((e) => e.kind === 'send' && e.type === 'AliveMessage');
  const edited = lines();
  edited[n - 1] = edited[n - 1].replace('"AliveMessage"', '"DataMessage"');
  const v = await replay('edited.jsonl', edited.join('\n') + '\n');
  assert.ok(typeof v !== 'string', v as string);
  assert.equal(v.ok, false);
  assert.match(v.message, new RegExp(`^Replay diverged from the saved trace at .*edited\\.jsonl:${n}:1 \\(event ${n - 1}\\): the file has .*DataMessage.* where the replay has .*AliveMessage`));
  assert.match(v.message, /event lines were changed after export/);
  assert.doesNotMatch(v.message, /another version/);
});

test('a byte flip in a number is caught at its line', async () => {
  const n = Math.floor(lines().length / 2);
  const flipped = lines();
  flipped[n - 1] = flipped[n - 1].replace(/"t":(\d)/, (_, d) => `"t":${(Number(d) + 1) % 10}`);
  const v = await replay('flip.jsonl', flipped.join('\n') + '\n');
  assert.ok(typeof v !== 'string' && !v.ok, JSON.stringify(v));
  assert.match((v as { message: string }).message, new RegExp(`flip\\.jsonl:${n}:1 `));
});

test('truncation: cut lines, a cut line, a removed line are refused before the replay with the line', async () => {
  const all = lines();
  assert.match(String(await replay('cut.jsonl', all.slice(0, -5).join('\n') + '\n')), new RegExp(`cut\\.jsonl:${all.length - 5}:1: the trace ends at event ${all.length - 6}, but its header says ${all.length - 1} events: the file was cut short`));
  const half = original.slice(0, Math.floor(original.length / 2));
  assert.match(String(await replay('half.jsonl', half)), /half\.jsonl:\d+:1: not a trace event \(JSON\)/);
  const removed = [...all.slice(0, 10), ...all.slice(11)];
  assert.match(String(await replay('removed.jsonl', removed.join('\n') + '\n')), /removed\.jsonl:11:1: event 11 where event 10 should be: a line before it was removed, added or moved/);
});

test('a header changed with its lines intact is said to be the header', async () => {
  const h = header();
  h.scenarioText = String(h.scenarioText).replace('seed: 3', 'seed: 4');
  const v = await replay('header.jsonl', withHeader(h));
  assert.ok(typeof v !== 'string' && !v.ok, JSON.stringify(v));
  assert.match((v as { message: string }).message, /header\.jsonl:\d+:1 .*its event lines are as exported, so its header .* was changed after export/i);
});

test('"saved by another version?" only when the header names another version', async () => {
  const h = header();
  h.gossipScope = '0.0.1';
  h.scenarioText = String(h.scenarioText).replace('seed: 3', 'seed: 5');
  const v = await replay('other.jsonl', withHeader(h));
  assert.match((v as { message: string }).message, new RegExp(`saved by Gossip Scope 0\\.0\\.1, this is ${pkg.version.replace(/\./g, '\\.')}: saved by another version\\?`));
});

test('the header is bounded like a scenario: simTime, events, scenarioText, traceVersion, faults', async () => {
  const refusal = async (name: string, change: (h: Record<string, unknown>) => void) => {
    const h = header();
    change(h);
    const t0 = Date.now();
    const r = await replay(name, withHeader(h));
    assert.ok(Date.now() - t0 < 5000, `${name} refused at once (${Date.now() - t0} ms)`);
    assert.equal(typeof r, 'string', JSON.stringify(r));
    return r as string;
  };
  assert.match(await refusal('big-time.jsonl', (h) => (h.simTime = 1e15)), /big-time\.jsonl:1:1: the header's simTime must be between 0 and 86400000 ms \(24h/);
  assert.match(await refusal('neg-time.jsonl', (h) => (h.simTime = -5)), /neg-time\.jsonl:1:1: the header's simTime must be between 0 and .*got -5/);
  assert.match(await refusal('events.jsonl', (h) => (h.events = 1e12)), /events\.jsonl:1:1: the header's events must be an integer between 0 and 30,000,000/);
  assert.match(
    await refusal('hostile.jsonl', (h) => (h.scenarioText = String(h.scenarioText).replace('run: { until: 8s }', 'gossip: { state: { checkInterval: 0s } }\nrun: { until: 8s }'))),
    /hostile\.jsonl:1:1: the scenario saved in the header is refused: saved\.yaml:10:35: state\.checkInterval must be between 1ms and 24h/,
  );
  assert.match(
    await refusal('hostile2.jsonl', (h) => (h.scenarioText = String(h.scenarioText).replace(/peers: 2,/g, 'peers: 250,').replace('until: 8s', 'until: 20h'))),
    /hostile2\.jsonl:1:1: the scenario saved in the header is refused: .*would cause about/,
  );
  // The scenario alone fits (8 s), but the header's end would run it for a day.
  const longer = (h: Record<string, unknown>) => {
    h.scenarioText = String(h.scenarioText).replace(/peers: 2,/g, 'peers: 100,');
    h.simTime = 86_000_000;
  };
  assert.match(await refusal('long-replay.jsonl', longer), /long-replay\.jsonl:1:1: the header's simTime 86000000 ms is refused: this run of 200 peers .*would cause about/);
  assert.match(await refusal('version.jsonl', (h) => (h.traceVersion = 999)), /version\.jsonl:1:1: traceVersion 999 is not one this version of Gossip Scope reads \(it reads 1\): saved by another version\?/);
  assert.match(await refusal('faults1.jsonl', (h) => (h.faults = [{ at: 5000, afterEvents: 10, fault: { kind: 'crash', peer: 'peer9.org9' } }])), /faults1\.jsonl:1:1: the header's faults\[0\] fault peer "peer9\.org9" is not a peer of this trace/);
  assert.match(await refusal('faults2.jsonl', (h) => (h.faults = 'crash')), /the header's faults must be a list/);
  assert.match(await refusal('faults3.jsonl', (h) => (h.faults = [{ at: 1e15, afterEvents: 1, fault: { kind: 'heal' } }])), /faults\[0\] at must be a time between 0 and the trace's end/);
  assert.match(await refusal('faults4.jsonl', (h) => (h.faults = [{ at: 1, afterEvents: 1, fault: { kind: 'explode' } }])), /faults\[0\] fault kind "explode" is not a fault Gossip Scope knows/);
});

test('a missing file or a directory is a file:1:1 message, not ENOENT or EISDIR', async () => {
  const missing = join(dir, 'nope.jsonl');
  assert.equal(await readSavedTrace(missing), `${missing}:1:1: cannot read the file: there is no such file`);
  assert.equal(await readSavedTrace(dir), `${dir}:1:1: this is a directory, not a file`);
});
