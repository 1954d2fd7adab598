import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hex } from '../../engine/fabric/message.js';
import { summarise } from '../../engine/sim/summary.js';
import type { Simulation } from '../../engine/sim/simulation.js';
import { run, twoOrgs } from './helpers.js';

/** Every alive message an honest peer holds is signed by the peer it names. */
function assertNoForgedAlive(sim: Simulation, byzantine: string): void {
  for (const p of sim.peers) {
    if (p.id === byzantine || !p.running) continue;
    for (const sm of [...p.node!.disc.aliveMembership.values(), ...p.node!.disc.deadMembership.values()]) {
      const am = sm.msg.content === 'aliveMsg' ? sm.msg.aliveMsg : undefined;
      const owner = sim.peers.find((q) => hex(q.identity.pkiId) === hex(am!.membership!.pkiId))!;
      assert.equal(sim.registry.verify(owner.identity.serialized, sm.envelope.signature, sm.envelope.payload), null, `${p.id} accepted a forged alive message for ${owner.id}`);
    }
  }
}

test('forged alive messages for another PKI-ID are rejected everywhere', async () => {
  const { sim, events } = await run(twoOrgs('faults:\n  - { at: 12s, byzantine: { peer: peer3.org2, behaviour: forge-alive, target: peer1.org1 } }'), { until: 50_000 });
  const attacker = sim.peer('peer3.org2').idx;
  const rejects = events.filter((e) => e.kind === 'reject' && e.other === attacker && e.type === 'AliveMessage').map((e) => e.reason ?? '');
  assert.ok(rejects.some((r) => r.startsWith('Failed verifying')), 'signature check caught the forgery');
  assert.ok(rejects.some((r) => /identity doesn't match the computed pkiID/.test(r)), 'identity check caught the certificate swap');
  assertNoForgedAlive(sim, 'peer3.org2');
  assert.equal(summarise(sim).converged, true);
});

test('a replayed alive message does not bring a crashed peer back', async () => {
  const yaml = twoOrgs('faults:\n  - { at: 12s, crash: peer2.org1 }\n  - { at: 13s, byzantine: { peer: peer0.org2, behaviour: replay-alive, target: peer2.org1 } }');
  const { sim, events } = await run(yaml, { until: 60_000 });
  const victim = sim.peer('peer2.org1');
  assert.ok(events.some((e) => e.kind === 'send' && e.peer === sim.peer('peer0.org2').idx && e.type === 'AliveMessage' && e.t > 20_000));
  for (const p of sim.peers) if (p.running) assert.ok(!p.node!.disc.isAlive(sim.members.idOf(victim.identity.pkiId)), `${p.id} believes the replay`);
  assert.ok(!events.some((e) => e.kind === 'state' && e.reason === 'alive' && e.data?.member === victim.idx && e.data?.resurrected));
});

test('high-S signatures are refused with Fabric\'s reason', async () => {
  const { sim, events } = await run(twoOrgs('faults:\n  - { at: 12s, byzantine: { peer: peer1.org1, behaviour: high-s } }'), { until: 40_000 });
  const attacker = sim.peer('peer1.org1').idx;
  assert.ok(events.some((e) => e.kind === 'verify' && e.other === attacker && /Invalid S\. Must be smaller than half the order/.test(e.reason ?? '')));
  assertNoForgedAlive(sim, 'peer1.org1');
  // Its fresh alive messages are all refused, so the others declare it dead.
  assert.ok(sim.peers.filter((p) => p.idx !== attacker).every((p) => !p.node!.disc.isAlive(sim.members.idOf(sim.peers[attacker].identity.pkiId))));
});

test('a certificate from a CA no channel trusts gets nowhere', async () => {
  const { sim, events } = await run(twoOrgs('faults:\n  - { at: 0s, byzantine: { peer: peer3.org1, behaviour: untrusted-ca } }'), { until: 30_000 });
  const rogue = sim.peer('peer3.org1');
  assert.ok(events.some((e) => e.kind === 'reject' && /Identity store rejected .*certificate signed by unknown authority/.test(e.reason ?? '')));
  for (const p of sim.peers) if (p !== rogue) assert.ok(!p.node!.disc.isAlive(sim.members.idOf(rogue.identity.pkiId)), `${p.id} accepted the rogue peer`);
});

test('messages for a channel the peer is not in are refused', async () => {
  const yaml = `
name: wrong-channel
seed: 4
profile: classic-gossip
orgs:
  - { mspId: Org1MSP, peers: 3, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 3, anchorPeers: [peer0] }
  - { mspId: Org3MSP, peers: 2, anchorPeers: [peer0] }
channels:
  - { name: alpha, orgs: [Org1MSP, Org2MSP] }
  - { name: beta, orgs: [Org2MSP, Org3MSP] }
orderer: { batchTimeout: 2s, blocks: 5, txPerBlock: 2 }
faults:
  - { at: 10s, byzantine: { peer: peer0.org3, behaviour: wrong-channel, channel: alpha } }
run: { until: 30s }
`;
  const { sim, events } = await run(yaml);
  const attacker = sim.peer('peer0.org3').idx;
  const reasons = events.filter((e) => e.kind === 'reject' && e.other === attacker).map((e) => e.reason ?? '');
  assert.ok(reasons.some((r) => /but it's not eligible for the channel alpha|No such channel alpha/.test(r)), reasons.slice(0, 5).join('\n'));
  for (const p of sim.peers.filter((q) => q.channels.includes('alpha'))) {
    assert.ok(!p.node!.channels.get('alpha')!.stateInfos.has(sim.members.idOf(sim.peers[attacker].identity.pkiId)), `${p.id} took its StateInfo`);
  }
});

test('a peer that withholds blocks sends none on; a flooding peer overflows its send buffers', async () => {
  const yaml = twoOrgs('gossip: { sendBuffSize: 50 }\nfaults:\n  - { at: 5s, byzantine: { peer: peer2.org1, behaviour: withhold } }\n  - { at: 15s, byzantine: { peer: peer3.org2, behaviour: flood } }');
  const { sim, events } = await run(yaml, { until: 40_000 });
  const withholder = sim.peer('peer2.org1').idx;
  assert.equal(events.filter((e) => e.kind === 'send' && e.peer === withholder && e.type === 'DataMessage').length, 0);
  const flooder = sim.peer('peer3.org2').idx;
  assert.ok(events.filter((e) => e.kind === 'drop' && e.peer === flooder && /overflowed, dropping message/.test(e.reason ?? '')).length > 100);
  const s = summarise(sim);
  for (const b of s.blocks) assert.equal(b.committedBy, 8, `block ${b.seq}`);
});
