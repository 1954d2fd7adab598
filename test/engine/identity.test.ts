import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hex } from '../../engine/fabric/message.js';
import { run, twoOrgs } from './helpers.js';

test('an expiring certificate purges the identity, the membership entry and the connection everywhere', async () => {
  const { sim, events } = await run(twoOrgs('peers: { certExpiry: [{ peer: peer1.org1, at: 30s }] }'), { until: 50_000 });
  const p = sim.peer('peer1.org1');
  const k = hex(p.identity.pkiId);
  const purges = events.filter((e) => e.kind === 'state' && e.reason === 'identityPurged' && e.data?.pkiId === k);
  assert.ok(purges.length >= 6, `purged by ${purges.length} peers`);
  for (const e of purges) assert.ok(e.t >= 30_000 && e.t < 30_100, `purged at ${e.t}`);
  for (const q of sim.peers) {
    if (q === p) continue;
    assert.equal(q.node!.idMapper.get(sim.members.idOf(p.identity.pkiId)), undefined, `${q.id} still holds the identity`);
    assert.ok(!q.node!.disc.isAlive(sim.members.idOf(p.identity.pkiId)), `${q.id} still sees it alive`);
    assert.equal(q.node!.comm.connectionTo(sim.members.idOf(p.identity.pkiId)), undefined, `${q.id} is still connected to it`);
  }
  // Afterwards its messages are refused: it cannot connect with an expired certificate.
  assert.ok(events.some((e) => e.kind === 'reject' && e.t > 30_000 && e.other === p.idx && /certificate has expired|Don't have certificate|Identity store rejected/.test(e.reason ?? '')));
});

test('an expire fault is the same as peers.certExpiry', async () => {
  const a = await run(twoOrgs('peers: { certExpiry: [{ peer: peer1.org1, at: 30s }] }'), { until: 40_000, keep: false });
  const b = await run(twoOrgs('faults:\n  - { at: 30s, expire: peer1.org1 }'), { until: 40_000, keep: false });
  assert.equal(a.sim.peer('peer1.org1').identity.certPem, b.sim.peer('peer1.org1').identity.certPem);
  for (const q of b.sim.peers) if (q.id !== 'peer1.org1') assert.equal(q.node!.idMapper.get(b.sim.members.idOf(b.sim.peer('peer1.org1').identity.pkiId)), undefined);
});

test('certificates are learned by identity pull: a peer that joins after publishCertPeriod still validates everyone', async () => {
  const { sim, events } = await run(twoOrgs('peers: { start: [{ peer: peer2.org2, at: 25s }] }'), { until: 45_000 });
  const late = sim.peer('peer2.org2');
  assert.ok(events.some((e) => e.kind === 'deliver' && e.peer === late.idx && e.type === 'DataUpdate'), 'identity pull answered');
  for (const q of sim.peers) if (q !== late) assert.ok(late.node!.idMapper.get(sim.members.idOf(q.identity.pkiId)) !== undefined, `no certificate of ${q.id}`);
  assert.equal(late.node!.disc.getMembership().length, 7);
});
