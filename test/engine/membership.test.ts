import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hex } from '../../engine/fabric/message.js';
import { summarise } from '../../engine/sim/summary.js';
import { idx, run, twoOrgs } from './helpers.js';

test('membership converges to what the disclosure policy allows', async () => {
  // peer3.org2 publishes no external endpoint: Org1 must never learn of it.
  const yaml = twoOrgs().replace('- { mspId: Org2MSP, peers: 4, anchorPeers: [peer0] }', '- { mspId: Org2MSP, peers: 4, anchorPeers: [peer0], externalEndpoints: [peer0, peer1, peer2] }');
  const { sim, events } = await run(yaml, { until: 40_000 });
  const s = summarise(sim);
  assert.equal(s.converged, true, s.notConverged.join('\n'));
  const hidden = idx(sim, 'peer3.org2');
  for (const p of sim.peers) {
    const sees = new Set(p.node!.disc.getMembership().map((m) => m.idx));
    if (p.org.mspId === 'Org1MSP') assert.ok(!sees.has(hidden), `${p.id} sees peer3.org2`);
    else if (p.idx !== hidden) assert.ok(sees.has(hidden), `${p.id} does not see peer3.org2`);
  }
  // Never even an alive message of peer3.org2 delivered to Org1.
  for (const e of events) {
    if (e.kind !== 'deliver' || e.type !== 'AliveMessage' || sim.peers[e.peer].org.mspId !== 'Org1MSP') continue;
    const sm = sim.messages.get(e.msg!);
    if (sm?.msg.content === 'aliveMsg') assert.notEqual(sm.msg.aliveMsg.membership!.endpoint === '' ? 'hidden' : '', 'hidden');
  }
  // The internal endpoint (SecretEnvelope) never crosses to the other org.
  for (const e of events) {
    if (e.kind !== 'deliver' || e.type !== 'AliveMessage') continue;
    if (sim.peers[e.peer].org.mspId === sim.peers[e.other!].org.mspId) continue;
    const sm = sim.messages.get(e.msg!);
    assert.equal(sm?.envelope.secretEnvelope, undefined, 'secret envelope crossed orgs');
  }
});

test('an isolated peer is declared dead aliveExpirationTimeout after its last alive message (checked every 2.5s)', async () => {
  const others = ['peer0.org1', 'peer1.org1', 'peer3.org1', 'peer0.org2', 'peer1.org2', 'peer2.org2', 'peer3.org2'];
  const yaml = twoOrgs(`faults:\n  - { at: 20s, partition: [[peer2.org1], [${others.join(', ')}]] }`);
  const { sim, events } = await run(yaml, { until: 60_000 });
  const victim = sim.peer('peer2.org1');
  const victimHex = hex(victim.identity.pkiId);
  // The last alive message the victim created before the partition.
  const created = events.filter((e) => {
    if (e.kind !== 'send' || e.peer !== victim.idx || e.type !== 'AliveMessage' || e.t >= 20_000) return false;
    const sm = sim.messages.get(e.msg!);
    return sm?.msg.content === 'aliveMsg' && hex(sm.msg.aliveMsg.membership!.pkiId) === victimHex;
  });
  const lastAlive = Math.max(...created.map((e) => e.t));
  let expired = 0;
  for (const id of others) {
    const p = sim.peer(id);
    const dead = events.find((e) => e.kind === 'state' && e.reason === 'dead' && e.peer === p.idx && e.data?.member === victim.idx);
    assert.ok(dead, `${id} never declared peer2.org1 dead`);
    if (dead.data?.why === 'expired') {
      expired++;
      // When this peer last took in a fresh alive message of the victim (pushed, or in a
      // membership response): never after the partition.
      const lastSeen = p.node!.disc.deadLastTS.get(sim.members.idOf(victim.identity.pkiId))!.lastSeen;
      assert.ok(lastSeen >= lastAlive && lastSeen < 21_000, `${id} last heard of it at ${lastSeen}`);
      // > 25s of silence, noticed at the next check, which runs every 2.5s.
      const after = dead.t - lastSeen;
      assert.ok(after > 25_000 && after <= 27_500, `${id} declared it dead ${after}ms after last hearing of it`);
    } else {
      // Fabric's other path: a send needed a new connection, the dial timed out (dialTimeout
      // 3s) across the partition, and comm reported the peer presumed dead at once.
      assert.equal(dead.data?.why, 'presumed dead');
      const failed = events.find((e) => e.kind === 'log' && e.peer === p.idx && e.t === dead.t && /Failed obtaining connection/.test(e.reason ?? ''));
      assert.ok(failed, `${id}: presumed dead without a failed connection`);
      assert.ok(dead.t >= 20_000 + 3_000, `${id}: presumed dead before any dial could time out`);
    }
  }
  assert.ok(expired >= 1, "no peer saw the expiry path");
});

test('a crashed peer is declared dead by everyone within the expiration timeout', async () => {
  const { sim, events } = await run(twoOrgs('faults:\n  - { at: 20s, crash: peer1.org2 }'), { until: 60_000 });
  const victim = sim.peer('peer1.org2');
  for (const p of sim.peers) {
    if (p === victim) continue;
    const dead = events.find((e) => e.kind === 'state' && e.reason === 'dead' && e.peer === p.idx && e.data?.member === victim.idx);
    assert.ok(dead, `${p.id} never declared it dead`);
    // Either a failed send found it first ("presumed dead"), or 25s of silence did.
    assert.ok(dead.t > 20_000 && dead.t <= 20_000 + 25_000 + 2_500 + 1_000, `${p.id} at ${dead.t}`);
  }
  const s = summarise(sim);
  assert.equal(s.converged, true, s.notConverged.join('\n'));
});

test('a late joiner learns the membership through its bootstrap peer', async () => {
  const { sim, events } = await run(twoOrgs('peers: { start: [{ peer: peer3.org1, at: 30s }] }'), { until: 50_000 });
  const late = sim.peer('peer3.org1');
  const boot = sim.peer('peer0.org1');
  // Its bootstrap peer answers its membership request within a second (anchor peers answer too).
  const fromBoot = events.find((e) => e.kind === 'deliver' && e.type === 'MembershipResponse' && e.peer === late.idx && e.other === boot.idx);
  assert.ok(fromBoot, 'the bootstrap peer never answered');
  assert.ok(fromBoot.t >= 30_000 && fromBoot.t < 31_000, `answered at ${fromBoot.t}`);
  const sees = new Set(late.node!.disc.getMembership().map((m) => m.idx));
  for (const p of sim.peers) if (p !== late) assert.ok(sees.has(p.idx), `late joiner does not see ${p.id}`);
  const s = summarise(sim);
  assert.equal(s.converged, true, s.notConverged.join('\n'));
});
