import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from './in-process-cli.js';

/** The core.yaml column of shared/reference/fabric-gossip.md section 3, for the keys the engine uses. */
const CORE_YAML: Record<string, unknown> = {
  useLeaderElection: false,
  orgLeader: true,
  membershipTrackerInterval: '5s',
  maxBlockCountToStore: 10,
  maxPropagationBurstLatency: '10ms',
  maxPropagationBurstSize: 10,
  propagateIterations: 1,
  propagatePeerNum: 3,
  pullInterval: '4s',
  pullPeerNum: 3,
  requestStateInfoInterval: '4s',
  publishStateInfoInterval: '4s',
  publishCertPeriod: '10s',
  skipBlockVerification: false,
  dialTimeout: '3s',
  connTimeout: '2s',
  recvBuffSize: 20,
  sendBuffSize: 200,
  digestWaitTime: '1s',
  requestWaitTime: '1.5s',
  responseWaitTime: '2s',
  aliveTimeInterval: '5s',
  aliveExpirationTimeout: '25s',
  reconnectInterval: '25s',
  maxConnectionAttempts: 120,
  msgExpirationFactor: 20,
  'election.startupGracePeriod': '15s',
  'election.membershipSampleInterval': '1s',
  'election.leaderAliveThreshold': '10s',
  'election.leaderElectionDuration': '5s',
  'pvtData.pullRetryThreshold': '1m0s',
  'pvtData.transientstoreMaxBlockRetention': 20000,
  'pvtData.pushAckTimeout': '3s',
  'pvtData.btlPullMargin': 10,
  'pvtData.reconcileBatchSize': 10,
  'pvtData.reconcileSleepInterval': '1m0s',
  'pvtData.reconciliationEnabled': true,
  'pvtData.implicitCollectionDisseminationPolicy.requiredPeerCount': 0,
  'pvtData.implicitCollectionDisseminationPolicy.maxPeerCount': 1,
  'state.enabled': false,
  'state.checkInterval': '10s',
  'state.responseTimeout': '3s',
  'state.batchSize': 10,
  'state.blockBufferSize': 20,
  'state.maxRetries': 3,
};

const get = (obj: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], obj);

test('defaults --json prints core.yaml values for every key', async () => {
  const r = await cli('defaults', '--json');
  assert.equal(r.code, 0);
  const cfg = JSON.parse(r.out);
  assert.equal(cfg.profile, 'fabric-v3');
  for (const [k, v] of Object.entries(CORE_YAML)) assert.deepEqual(get(cfg.peer.gossip, k), v, `peer.gossip.${k}`);
  assert.equal(cfg.peer.deliveryclient.blockGossipEnabled, false);
});

test('defaults --profile classic-gossip turns on election, block gossip and state transfer', async () => {
  const cfg = JSON.parse((await cli('defaults', '--profile', 'classic-gossip', '--json')).out);
  assert.equal(cfg.peer.gossip.useLeaderElection, true);
  assert.equal(cfg.peer.gossip.orgLeader, false);
  assert.equal(cfg.peer.gossip.state.enabled, true);
  assert.equal(cfg.peer.deliveryclient.blockGossipEnabled, true);
  const bad = await cli('defaults', '--profile', 'nope');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown profile 'nope'/);
});

test('run --json prints the summary DESIGN.md promises', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gs-'));
  const trace = join(dir, 'trace.jsonl');
  const r = await cli('run', 'samples/membership.yaml', '--json', '--until', '30s', '--trace', trace);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  for (const k of ['seed', 'simTimeMs', 'events', 'traceHash', 'peers', 'messages', 'blocks', 'converged']) assert.ok(k in s, k);
  assert.equal(s.simTimeMs, 30_000);
  assert.match(s.traceHash, /^[0-9a-f]{64}$/);
  assert.ok(s.messages.sent.AliveMessage > 0 && s.messages.delivered.AliveMessage > 0);
  const p = s.peers[0];
  for (const k of ['id', 'org', 'alive', 'height', 'leader', 'membership']) assert.ok(k in p, `peers[].${k}`);
  for (const k of ['channel', 'seq', 'latencyMs', 'committedBy']) assert.ok(k in s.blocks[0], `blocks[].${k}`);
  // The trace file: a header, then exactly the events the summary counted.
  const lines = readFileSync(trace, 'utf8').trim().split('\n');
  const header = JSON.parse(lines[0]);
  assert.equal(header.peers.length, 8);
  assert.equal(lines.length - 1, s.events);
  const seeded = await cli('run', 'samples/membership.yaml', '--json', '--until', '30s', '--seed', '99');
  assert.notEqual(JSON.parse(seeded.out).traceHash, s.traceHash);
});

const BAD: [string, string, RegExp][] = [
  ['broken YAML', 'name: x\norgs: [ { mspId: Org1MSP, peers: 2 }\n', /bad\.yaml:\d+:\d+: /],
  ['unknown key', 'name: x\norgs:\n  - { mspId: Org1MSP, peers: 2 }\nchannels:\n  - { name: ch, orgs: [Org1MSP] }\ngossip:\n  propagatePeerNumm: 3\n', /bad\.yaml:7:3: .*propagatePeerNumm.*did you mean 'propagatePeerNum'/],
  ['bad duration', 'name: x\norgs:\n  - { mspId: Org1MSP, peers: 2 }\nchannels:\n  - { name: ch, orgs: [Org1MSP] }\ngossip:\n  pullInterval: 4 seconds\n', /bad\.yaml:7:17: .*duration/],
  ['unknown org in a channel', 'name: x\norgs:\n  - { mspId: Org1MSP, peers: 2 }\nchannels:\n  - { name: ch, orgs: [Org1MSP, Org9MSP] }\n', /bad\.yaml:5:33: .*Org9MSP/],
  ['duplicate peer', 'name: x\norgs:\n  - { mspId: Org1MSP, peers: 2 }\n  - { mspId: Org1MSP, peers: 2 }\nchannels:\n  - { name: ch, orgs: [Org1MSP] }\n', /bad\.yaml:4:\d+: .*Org1MSP/],
];

for (const [what, text, expected] of BAD) {
  test(`a bad scenario (${what}) exits 2 with file:line:col and no stack trace`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gs-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, text);
    const r = await cli('run', file);
    assert.equal(r.code, 2);
    assert.match(r.err, expected);
    assert.doesNotMatch(r.err, /\n\s+at /, 'stack trace in the message');
  });
}

test('bad arguments exit 2; the real binary keeps the exit codes', () => {
  // The bundle that ships (dist/cli.js), not the sources through tsx: each tsx start compiles
  // the whole CLI again, 5 s a spawn on a loaded machine.
  if (process.env.GOSSIP_SCOPE_BUILT !== '1') assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' }).status, 0);
  const bin = (args: string[]) => spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8' });
  const r = bin(['run']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /run needs a scenario file/);
  assert.equal(bin(['frobnicate']).status, 2);
  assert.equal(bin(['run', 'samples/membership.yaml', '--until', 'soon']).status, 2);
  const ok = bin(['run', 'samples/membership.yaml', '--until', '5s']);
  assert.equal(ok.status, 0, ok.stderr);
});
