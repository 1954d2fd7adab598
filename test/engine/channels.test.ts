import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { bytesStr } from '../../engine/fabric/message.js';
import { summarise } from '../../engine/sim/summary.js';
import { run } from './helpers.js';

const THREE_ORGS = `
name: two-channels
seed: 11
profile: classic-gossip
orgs:
  - { mspId: Org1MSP, peers: 3, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 3, anchorPeers: [peer0] }
  - { mspId: Org3MSP, peers: 3, anchorPeers: [peer0] }
channels:
  - { name: alpha, orgs: [Org1MSP, Org2MSP] }
  - { name: beta, orgs: [Org2MSP, Org3MSP] }
orderer: { batchTimeout: 1s, blocks: 15, txPerBlock: 4 }
run: { until: 45s }
`;

test('a peer of an org outside a channel never receives its blocks or StateInfo', async () => {
  const { sim, events } = await run(THREE_ORGS);
  const s = summarise(sim);
  assert.equal(s.converged, true, s.notConverged.join('\n'));
  const macFor = (pki: Uint8Array, ch: string) => createHash('sha256').update(pki).update(ch).digest('hex');
  let checked = 0;
  for (const e of events) {
    if (e.kind !== 'deliver') continue;
    const org = sim.peers[e.peer].org.mspId;
    const sm = sim.messages.get(e.msg!);
    if (sm === undefined) continue;
    const m = sm.msg;
    let channel = bytesStr(m.channel);
    if (m.content === 'stateInfo') channel = macFor(m.stateInfo.pkiId, 'alpha') === Buffer.from(m.stateInfo.channelMAC).toString('hex') ? 'alpha' : 'beta';
    if (m.content === 'stateSnapshot') {
      for (const env of m.stateSnapshot.elements) assert.ok(env.payload.length > 0);
    }
    if (channel === '') continue;
    checked++;
    if (channel === 'alpha') assert.notEqual(org, 'Org3MSP', `${sm.typeName} of alpha delivered to ${sim.peers[e.peer].id}`);
    if (channel === 'beta') assert.notEqual(org, 'Org1MSP', `${sm.typeName} of beta delivered to ${sim.peers[e.peer].id}`);
  }
  assert.ok(checked > 500);
  // Org2 is in both channels and has both ledgers; the others only their own.
  assert.deepEqual(Object.keys(s.peers.find((p) => p.id === 'peer0.org2')!.height).sort(), ['alpha', 'beta']);
  assert.deepEqual(Object.keys(s.peers.find((p) => p.id === 'peer0.org1')!.height), ['alpha']);
  // Org1 and Org3 share no channel: they never learn of each other.
  for (const p of sim.peers.filter((x) => x.org.mspId === 'Org1MSP')) {
    for (const m of p.node!.disc.getMembership()) assert.notEqual(sim.peers[m.idx].org.mspId, 'Org3MSP');
  }
});

test('every peer at the same height has the same world state', async () => {
  const { sim } = await run(THREE_ORGS.replace('until: 45s', 'until: 30s'), { keep: false });
  const s = summarise(sim);
  for (const ch of ['alpha', 'beta']) {
    const byHeight = new Map<number, Set<string>>();
    for (const p of s.peers) {
      if (!(ch in p.height)) continue;
      const set = byHeight.get(p.height[ch]) ?? new Set();
      set.add(p.worldState[ch]);
      byHeight.set(p.height[ch], set);
    }
    for (const [h, digests] of byHeight) assert.equal(digests.size, 1, `${ch} at height ${h}`);
  }
  const p = sim.peer('peer0.org1');
  assert.ok(p.ledgers.get('alpha')!.worldState.size > 0, 'blocks wrote keys');
});
