import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadScenario } from '../../engine/scenario/load.js';
import { ScenarioError } from '../../engine/scenario/diagnostics.js';
import { effectiveEntries, peerConfig } from '../../engine/scenario/peer-config.js';
import { describePeer } from '../../engine/ui/inspect.js';
import { main } from '../../engine/cli/main.js';
import { run } from './helpers.js';

/** One static leader in Org1 (orgLeader on peer0 only, no election in the org); Org2 elects. */
const YAML = `
name: per-peer
seed: 3
profile: classic-gossip
orgs:
  - { mspId: Org1MSP, peers: 4, gossip: { useLeaderElection: false, pullInterval: 3s } }
  - { mspId: Org2MSP, peers: 3 }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
orderer: { batchTimeout: 2s, blocks: 5, txPerBlock: 2 }
gossip: { pullInterval: 5s }
peers:
  config:
    - { peers: peer0.org1, gossip: { orgLeader: true } }
    - { peers: [peer1.org1, peer2.org1], gossip: { pullInterval: 2s } }
    - { peers: peer2.org2, start: 7s }
run: { until: 30s }
`;

test('a per-peer key overrides the org\'s, which overrides the network\'s; each value says where it came from', () => {
  const s = loadScenario(YAML, 'p.yaml');
  assert.equal(peerConfig(s, 'peer1.org1').gossip.pullInterval, 2000);
  assert.equal(peerConfig(s, 'peer3.org1').gossip.pullInterval, 3000);
  assert.equal(peerConfig(s, 'peer0.org2').gossip.pullInterval, 5000);
  assert.equal(peerConfig(s, 'peer0.org1').gossip.orgLeader, true);
  assert.equal(peerConfig(s, 'peer1.org1').gossip.orgLeader, false);
  const from = (id: string, key: string) => effectiveEntries(s, id).find((e) => e.key === key);
  assert.deepEqual(from('peer1.org1', 'pullInterval'), { key: 'pullInterval', value: '2s', from: 'peer' });
  assert.deepEqual(from('peer3.org1', 'pullInterval'), { key: 'pullInterval', value: '3s', from: 'org' });
  assert.deepEqual(from('peer0.org2', 'pullInterval'), { key: 'pullInterval', value: '5s', from: 'network' });
  assert.deepEqual(from('peer0.org2', 'propagatePeerNum'), { key: 'propagatePeerNum', value: '3', from: 'profile' });
  assert.deepEqual(s.lateJoiners, [{ peer: 'peer2.org2', at: 7000 }]);
});

test('peers run with their own configuration: one static leader in Org1, pull rounds at each peer\'s own interval', async () => {
  const { sim, events } = await run(YAML);
  const leaders = new Set(events.filter((e) => e.kind === 'state' && e.reason === 'deliver' && e.data?.started === true).map((e) => sim.peers[e.peer].id));
  assert.ok(leaders.has('peer0.org1'), 'the static leader pulls from the orderer');
  for (const id of ['peer1.org1', 'peer2.org1', 'peer3.org1']) assert.ok(!leaders.has(id), `${id} never leads (no election in Org1)`);
  assert.ok([...leaders].some((id) => id.endsWith('.org2')), 'Org2 still elects a leader');
  const pulls = (id: string) => events.filter((e) => e.kind === 'timer' && e.reason === 'pull.blocks.mychannel.initiatePull' && e.peer === sim.peer(id).idx).map((e) => e.t);
  const gaps = (ts: number[]) => ts.slice(1).map((t, i) => Math.round(t - ts[i]));
  assert.ok(gaps(pulls('peer1.org1')).every((g) => g === 2000), 'peer1.org1 pulls every 2s');
  assert.ok(gaps(pulls('peer3.org1')).every((g) => g === 3000), 'peer3.org1 pulls every 3s');
  assert.equal(sim.peer('peer2.org2').startedAt, 7000);
  const detail = describePeer(sim, sim.peer('peer1.org1').idx)!;
  assert.deepEqual(detail.config!.find((c) => c.key === 'pullInterval'), { key: 'pullInterval', value: '2s', from: 'peer' });
  assert.ok(detail.startedAt! >= 0);
  for (const p of sim.peers) assert.equal(p.ledgers.get('mychannel')!.height, 6, `${p.id} has every block`);
});

test('a peer that would have both useLeaderElection and orgLeader is refused at its entry', () => {
  const bad = YAML.replace("- { peers: peer0.org1, gossip: { orgLeader: true } }", "- { peers: peer0.org2, gossip: { orgLeader: true } }");
  assert.throws(
    () => loadScenario(bad, 'p.yaml'),
    (e: unknown) => e instanceof ScenarioError && /p\.yaml:\d+:\d+: peer0\.org2 would have useLeaderElection and orgLeader both true/.test(e.message),
  );
  assert.throws(
    () => loadScenario(YAML.replace('peers: [peer1.org1, peer2.org1]', 'peers: [peer1.org1, peer9.org1]'), 'p.yaml'),
    (e: unknown) => e instanceof ScenarioError && /unknown peer 'peer9\.org1'/.test(e.message),
  );
});

test('gossip-scope defaults --scenario --peer prints a peer\'s values and where each came from', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'gs-')), 'per-peer.yaml');
  writeFileSync(file, YAML);
  let out = '';
  assert.equal(await main(['defaults', '--scenario', file, '--peer', 'peer1.org1', '--json'], (s) => (out += s), () => {}), 0);
  const j = JSON.parse(out);
  assert.equal(j.peer.gossip.pullInterval, '2s');
  assert.equal(j.sources.pullInterval, 'peer');
  assert.equal(j.sources.useLeaderElection, 'org');
  assert.equal(j.sources.propagatePeerNum, 'profile');
  out = '';
  assert.equal(await main(['defaults', '--scenario', file, '--peer', 'peer0.org2'], (s) => (out += s), () => {}), 0);
  assert.match(out, /pullInterval: 5s\s+# network/);
  let err = '';
  assert.equal(await main(['defaults', '--scenario', file, '--peer', 'peer7.org1'], () => {}, (s) => (err += s)), 2);
  assert.match(err, /unknown peer 'peer7\.org1'/);
});
