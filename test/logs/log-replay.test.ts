/**
 * The real six-peer log replayed as a recording: peers are as the log has them at the replay's
 * position (not started before their first line, up while they log, stopped — not crashed —
 * after "Stopping gossip"), Step and Step Back move one event, Reset goes to the start, and a
 * fault is refused in words. The title names the file, not a seed.
 */
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { readFabricLogs } from '../../engine/logs/read-logs.js';
import { LoggedRun } from '../../engine/ui/logged-run.js';
import { LogReplay } from '../../extension/log-replay.js';

const LOG = join(__dirname, '..', '..', 'docs', 'reference', 'real-fabric', 'gossip-debug-6peers.log.gz');
const run = new LoggedRun(readFabricLogs([{ path: LOG, text: gunzipSync(readFileSync(LOG)).toString('utf8') }]), ['logs/gossip-debug-6peers.log.gz']);
type Out = Parameters<ConstructorParameters<typeof LogReplay>[1]>[0];

function replay() {
  const out: Out[] = [];
  const refused: string[] = [];
  const r = new LogReplay(run, (m) => out.push(m), 1, (m) => refused.push(m));
  return { r, out, refused, last: () => out.at(-1)! };
}

const looks = (states: { running: boolean; started?: boolean; stopped?: boolean }[]) => states.map((s) => (s.running ? 'up' : s.stopped ? 'stopped' : s.started === false ? 'unstarted' : 'crashed'));

test('a log is a recording named by its files: no seed in its name', () => {
  const n = run.network();
  assert.deepEqual(n.recording, { files: ['gossip-debug-6peers.log.gz'] });
  assert.doesNotMatch(n.scenario.name, /seed/);
});

test('peers are as the log has them where the replay stands: never "crashed"', () => {
  const total = run.events.length;
  assert.deepEqual(looks(run.states(0)), Array(6).fill('unstarted'));
  // Every peer is up somewhere in the middle, and stopped at the end (they all logged "Stopping gossip").
  assert.deepEqual(looks(run.states(Math.floor(total / 2))), Array(6).fill('up'));
  assert.deepEqual(looks(run.states(total)), Array(6).fill('stopped'));
  for (let upTo = 0; upTo <= total; upTo += 97) assert.ok(!looks(run.states(upTo)).includes('crashed'), `a peer reads crashed after ${upTo} events`);
});

test('Step, Step Back and Reset move through the recording; Run plays it; a fault is refused', async () => {
  const { r, out, refused, last } = replay();
  const opened = r.opened();
  assert.equal(opened.type === 'opened' && opened.status.events, 0);
  r.handle({ type: 'control', action: 'step' });
  let m = last();
  assert.ok(m.type === 'frame');
  assert.equal(m.status.events, 1);
  assert.deepEqual(m.events, [run.events[0]]);
  assert.equal(looks(m.states)[0], 'up', 'p0 is up from its first line');
  r.handle({ type: 'control', action: 'step' });
  r.handle({ type: 'control', action: 'stepBack' });
  m = last();
  // Back: the panel starts over at the position before, with the history up to it.
  assert.ok(m.type === 'opened');
  assert.equal(m.status.events, 1);
  assert.deepEqual(r.history(100), [run.events[0]]);
  r.handle({ type: 'control', action: 'reset' });
  m = last();
  assert.ok(m.type === 'opened' && m.status.events === 0);

  r.handle({ type: 'fault', fault: { kind: 'heal' } });
  assert.match(refused.at(-1)!, /recording/);

  // Flat out, a play reaches the end and finishes there, every event shown once.
  r.handle({ type: 'speed', speed: 0 });
  const before = out.length;
  r.handle({ type: 'control', action: 'run' });
  const deadline = Date.now() + 10_000;
  while (!(last().type === 'frame' && (last() as { status: { state: string } }).status.state === 'finished') && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
  const frames = out.slice(before).filter((x) => x.type === 'frame');
  const end = frames.at(-1)!;
  assert.ok(end.type === 'frame' && end.status.state === 'finished');
  assert.equal(frames.reduce((n, f) => n + (f.type === 'frame' ? f.events.length + f.skipped : 0), 0), run.events.length);
  r.dispose();
});
