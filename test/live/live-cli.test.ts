/**
 * `gossip-scope live`: every peer of a scenario as its own process on 127.0.0.1 (the built CLI,
 * as a user runs it). Eight processes converge; a killed one is dropped by the others; Ctrl-C
 * and the end of the run leave no process behind (who may connect: live-security.test.ts).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { LiveSummary } from '../../engine/live/launcher.js';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'gossip-live-'));
const SCENARIO = join(dir, 'eight.yaml');

before(() => {
  if (process.env.GOSSIP_SCOPE_BUILT !== '1') assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
  writeFileSync(
    SCENARIO,
    `name: live-eight
seed: 5
profile: fabric-v3
orgs:
  - { mspId: Org1MSP, peers: 4, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 4, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
# blocks from 3s: every process is up by then, so latencies measure dissemination, not start-up
orderer: { start: 3s, batchTimeout: 300ms, blocks: 5, txPerBlock: 3 }
gossip: { aliveTimeInterval: 300ms, aliveExpirationTimeout: 1500ms, reconnectInterval: 1500ms, pullInterval: 1s, publishStateInfoInterval: 500ms, requestStateInfoInterval: 500ms }
faults:
  - { at: 5s, crash: peer3.org2 }
run: { until: 10s }
`,
  );
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('eight peer processes converge to every block and one membership; the killed one is dropped; none is left behind', () => {
  // A generous limit: the run's 10 s start once every process listens, which takes seconds under load.
  const r = spawnSync(process.execPath, [CLI, 'live', SCENARIO, '--json'], { encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout) as LiveSummary;
  assert.equal(s.peers.length, 8);
  assert.equal(new Set(s.pids).size, 8, 'eight processes');
  const up = s.peers.filter((p) => p.alive);
  assert.deepEqual(s.peers.filter((p) => !p.alive).map((p) => p.id), ['peer3.org2']);
  for (const p of up) {
    assert.equal(p.height.mychannel, 6, `${p.id} has ${p.height.mychannel} blocks`);
    assert.deepEqual([...p.sees].sort(), up.map((x) => x.id).filter((id) => id !== p.id).sort(), `${p.id}'s membership`);
    assert.equal(p.membership, 6);
  }
  // The same summary as \`run --json\`: one world state, messages by type, block latencies.
  assert.equal(new Set(up.map((p) => p.worldState.mychannel)).size, 1);
  assert.ok((s.messages.delivered.AliveMessage ?? 0) > 100 && (s.messages.sent.ConnEstablish ?? 0) > 0, JSON.stringify(s.messages.delivered));
  assert.equal(s.blocks.length, 5);
  for (const b of s.blocks) assert.ok(b.committedBy >= 7 && b.latencyMs !== null && b.latencyMs.max < 2000, JSON.stringify(b));
  assert.equal(s.traceHash, null);
  assert.equal(s.converged, true, s.notConverged.join('\n'));
  for (const pid of s.pids) assert.equal(alive(pid), false, `process ${pid} is still running`);
});

test('Ctrl-C stops the run and every peer process', async () => {
  const live = spawn(process.execPath, [CLI, 'live', SCENARIO, '--until', '60s'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  live.stderr.on('data', (d: Buffer) => (err += d.toString()));
  // Every peer says where it listens once it is up (a generous limit: a loaded machine is slow).
  const deadline = Date.now() + 120_000;
  while ((err.match(/listening on/g) ?? []).length < 8) {
    assert.ok(Date.now() < deadline, `peers did not come up: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(live.pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((x) => Number(x.trim()))
    .filter((x) => x > 0);
  assert.equal(children.length, 8, `children of the live process: ${children.join(', ')}`);
  const exited = new Promise<number | null>((r) => live.once('exit', (code) => r(code)));
  live.kill('SIGINT');
  assert.equal(await exited, 130);
  // The processes end as their controller goes: wait for that, not for a fixed time.
  const gone = Date.now() + 20_000;
  while (children.some(alive) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
  for (const pid of children) assert.equal(alive(pid), false, `peer process ${pid} outlived Ctrl-C by 20 s`);
});

test('the membership lesson converges live within 8 s: the run\u2019s clock starts once every process listens', () => {
  // Before, peers dialled their anchor before it listened (processes take seconds to start) and
  // waited reconnectInterval (25 s) to try again: two saw no member at 10 s.
  const r = spawnSync(process.execPath, [CLI, 'live', join(ROOT, 'samples', 'membership.yaml'), '--until', '8s', '--json'], { encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout) as LiveSummary;
  assert.equal(s.converged, true, s.notConverged.join('\n'));
  for (const p of s.peers) assert.equal(p.membership, 7, `${p.id} sees ${p.sees.join(', ')}`);
  assert.ok(s.startupMs > 0, 'the start-up time is reported');
  assert.ok(s.simTimeMs >= 8000 && s.simTimeMs < 8000 + 5000, `the run's clock counts from when every process was up: ${s.simTimeMs} ms`);
});

test('gossip-scope peer refuses bad arguments with exit 2 and says which', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'peer', '--scenario', SCENARIO, ...args], { encoding: 'utf8', timeout: 20_000 });
  const unknown = run('--id', 'peer9.org1');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--id peer9\.org1: no such peer .*peer0\.org1/);
  const anywhere = run('--id', 'peer0.org1', '--listen', '0.0.0.0:7999');
  assert.equal(anywhere.status, 2);
  assert.match(anywhere.stderr, /cannot dial 0\.0\.0\.0; add --advertise host:port/);
  const badAddress = run('--id', 'peer0.org1', '--address', 'peer1.org1');
  assert.equal(badAddress.status, 2);
  assert.match(badAddress.stderr, /--address peer1\.org1: expected id=host:port/);
  // A controller lets in only processes it started: --control alone cannot work.
  const stranger = run('--id', 'peer0.org1', '--control', 'ws://127.0.0.1:1/');
  assert.equal(stranger.status, 2);
  assert.match(stranger.stderr, /--control needs --secrets stdin/);
});

/** The live run's peer processes by scenario id, from ps (the launcher's children). */
function peerChildren(parent: number): Map<string, number> {
  const rows = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(parent)], { encoding: 'utf8' }).stdout.split('\n');
  const out = new Map<string, number>();
  for (const row of rows) {
    const m = /^\s*(\d+)\s.*--id (\S+)/.exec(row);
    if (m) out.set(m[2], Number(m[1]));
  }
  return out;
}

test('a peer killed from outside mid-run is said at once, is "exited (SIGTERM)" in the summary, and the run exits 1', async () => {
  const live = spawn(process.execPath, [CLI, 'live', SCENARIO, '--until', '12s', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  live.stderr.on('data', (d: Buffer) => (err += d.toString()));
  live.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => live.once('exit', (code) => r(code)));
  const deadline = Date.now() + 120_000;
  while ((err.match(/listening on/g) ?? []).length < 8) {
    assert.ok(Date.now() < deadline, `peers did not come up: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1000));
  const victim = peerChildren(live.pid!).get('peer1.org1');
  assert.ok(victim !== undefined, 'peer1.org1 has a process');
  process.kill(victim, 'SIGTERM');
  // Said at once, not at the end of the run.
  const said = Date.now() + 8000;
  while (!/peer1\.org1 exited \(SIGTERM\) at [\d.]+ s of the run/.test(err)) {
    assert.ok(Date.now() < said, `the exit was not said within 8 s: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(await exited, 1, err);
  assert.match(err, /the live run did not go as scripted: peer1\.org1 exited \(SIGTERM\)/);
  const s = JSON.parse(out) as LiveSummary;
  const p = s.peers.find((x) => x.id === 'peer1.org1')!;
  assert.equal(p.alive, false);
  assert.equal(p.exited, 'exited (SIGTERM)');
  assert.equal(s.unscripted.length, 1);
  // The scripted crash of peer3.org2 is not news.
  assert.equal(s.peers.find((x) => x.id === 'peer3.org2')!.exited ?? null, null);
});

test('a peer killed while the run starts is said in words, without a stack trace', async () => {
  const live = spawn(process.execPath, [CLI, 'live', SCENARIO, '--until', '4s'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  live.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => live.once('exit', (code) => r(code)));
  let victim: number | undefined;
  const deadline = Date.now() + 60_000;
  while (victim === undefined) {
    assert.ok(Date.now() < deadline, 'no peer process appeared');
    victim = peerChildren(live.pid!).get('peer2.org1');
    if (victim === undefined) await new Promise((r) => setTimeout(r, 10));
  }
  process.kill(victim, 'SIGKILL');
  assert.equal(await exited, 1, err);
  assert.match(err, /peer2\.org1 exited \(SIGKILL\)/);
  assert.doesNotMatch(err, /^\s+at .*\(.*:\d+:\d+\)$/m, 'no JavaScript stack trace');
});
