import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeEnvelope } from '../../engine/wire/codec.js';
import { summarise } from '../../engine/sim/summary.js';
import { run } from './helpers.js';

const PRIVATE = (profile: string, extra = '') => `
name: private
seed: 5
profile: ${profile}
orgs:
  - { mspId: Org1MSP, peers: 3, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 3, anchorPeers: [peer0] }
  - { mspId: Org3MSP, peers: 3, anchorPeers: [peer0] }
channels:
  - name: mychannel
    orgs: [Org1MSP, Org2MSP, Org3MSP]
    collections:
      - { name: secrets, memberOrgs: [Org1MSP, Org2MSP], requiredPeerCount: 1, maxPeerCount: 2, txPerBlock: 2 }
orderer: { start: 10s, batchTimeout: 2s, blocks: 10, txPerBlock: 2 }
${extra}
run: { until: 60s }
`;

for (const profile of ['fabric-v3', 'classic-gossip']) {
  test(`private data reaches every member peer and never a non-member (${profile})`, async () => {
    const { sim, events } = await run(PRIVATE(profile));
    const s = summarise(sim);
    assert.equal(s.converged, true, s.notConverged.join('\n'));
    const members = sim.peers.filter((p) => p.org.mspId !== 'Org3MSP');
    const outsiders = sim.peers.filter((p) => p.org.mspId === 'Org3MSP');
    // Every member committed every private write: same private state, nothing missing.
    const digests = new Set(members.map((p) => p.node!.privdata.get('mychannel')!.stateDigest('secrets')));
    assert.equal(digests.size, 1);
    for (const p of members) {
      const pd = p.node!.privdata.get('mychannel')!;
      assert.equal(pd.missing.size, 0, `${p.id} misses private data`);
      assert.equal(pd.committed.size, 20, `${p.id} committed ${pd.committed.size}`);
    }
    for (const p of outsiders) {
      const pd = p.node!.privdata.get('mychannel')!;
      assert.equal(pd.committed.size + pd.transient.size, 0, `${p.id} holds private data`);
    }
    // Pushed at endorsement, acknowledged, and pulled at commit by members that were not pushed to.
    assert.ok((s.messages.delivered.PrivateDataMessage ?? 0) >= 20);
    assert.ok((s.messages.delivered.Acknowledgement ?? 0) >= 20);
    assert.ok((s.messages.delivered.RemotePvtDataResponse ?? 0) > 0);
    // The leak check: no byte of any private write set in anything delivered to Org3.
    const outsiderIdx = new Set(outsiders.map((p) => p.idx));
    let scanned = 0;
    for (const e of events) {
      if (e.kind !== 'deliver' || !outsiderIdx.has(e.peer)) continue;
      const sm = sim.messages.get(e.msg!);
      if (sm === undefined) continue;
      scanned++;
      assert.ok(!Buffer.from(encodeEnvelope(sm.envelope)).includes('secret-'), `${sm.typeName} delivered to ${sim.peers[e.peer].id} carries private data`);
      assert.ok(!['PrivateDataMessage', 'RemotePvtDataResponse'].includes(sm.typeName), `${sm.typeName} to ${sim.peers[e.peer].id}`);
    }
    assert.ok(scanned > 100);
    // Blocks carry hashes only: the chain itself never holds the private values.
    const block = sim.orderer.chains.get('mychannel')![3].bytes;
    assert.ok(!Buffer.from(block).includes('secret-'));
  });
}

test('an endorsement fails when fewer eligible peers than requiredPeerCount are known', async () => {
  const yaml = PRIVATE('fabric-v3').replace('requiredPeerCount: 1, maxPeerCount: 2', 'requiredPeerCount: 9, maxPeerCount: 9');
  const { sim, events } = await run(yaml, { until: 20_000 });
  assert.ok(events.some((e) => e.kind === 'log' && /required to disseminate to at least 9 peers, but know of only \d+ eligible peers/.test(e.reason ?? '')));
  // No private transaction was ordered.
  for (const p of sim.peers) assert.equal(p.node!.privdata.get('mychannel')!.committed.size, 0);
});
