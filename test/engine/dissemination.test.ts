import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarise } from '../../engine/sim/summary.js';
import { run, twoOrgs } from './helpers.js';

const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('classic gossip: every block reaches every peer, through the elected leaders, push and pull', async () => {
  const { sim } = await run(twoOrgs('gossip: { propagatePeerNum: 1 }'), { keep: false });
  const s = summarise(sim);
  assert.equal(s.converged, true, s.notConverged.join('\n'));
  for (const p of s.peers) assert.equal(p.height.mychannel, 11, `${p.id} height`);
  for (const b of s.blocks) assert.equal(b.committedBy, 8, `block ${b.seq}`);
  // Blocks travelled peer to peer: pushed as DataMessage and pulled as DataUpdate.
  assert.ok((s.messages.delivered.DataMessage ?? 0) > 0, 'blocks were pushed');
  assert.ok((s.messages.delivered.DataUpdate ?? 0) > 0, 'blocks were pulled');
  assert.ok((s.messages.delivered.DataDigest ?? 0) > 0);
  assert.ok((s.messages.delivered.DataRequest ?? 0) > 0);
  // Exactly one leader per org, and it is the peer with the lowest PKI-ID of its org.
  for (const org of ['Org1MSP', 'Org2MSP']) {
    const peers = sim.peers.filter((p) => p.org.mspId === org);
    const lowest = peers.reduce((a, b) => (hexOf(a.identity.pkiId) < hexOf(b.identity.pkiId) ? a : b));
    const leaders = peers.filter((p) => p.leaderOf.has('mychannel'));
    assert.deepEqual(leaders.map((p) => p.id), [lowest.id], `${org} leader`);
  }
});

test('fabric-v3 defaults: every peer pulls from the orderer, no block is gossiped', async () => {
  const { sim } = await run(twoOrgs('', 'fabric-v3'), { keep: false });
  const s = summarise(sim);
  assert.equal(s.converged, true, s.notConverged.join('\n'));
  assert.equal(s.messages.sent.DataMessage ?? 0, 0);
  assert.equal(s.messages.sent.LeadershipMessage ?? 0, 0);
  for (const p of s.peers) assert.equal(p.leader.mychannel, true);
  // The block pull engine still says Hello, but nobody has blocks in its store to offer.
  assert.ok((s.messages.sent.GossipHello ?? 0) > 0);
  assert.equal(s.messages.sent.DataUpdate ?? 0, (s.messages.sent.DataRequest ?? 0));
});

test('blocks are pushed only to peers of the same org', async () => {
  const { sim, events } = await run(twoOrgs(), { until: 40_000 });
  const org = (i: number) => sim.peers[i].org.mspId;
  const blockSends = events.filter((e) => e.kind === 'send' && (e.type === 'DataMessage' || e.type === 'LeadershipMessage'));
  assert.ok(blockSends.length > 0);
  for (const e of blockSends) assert.equal(org(e.peer), org(e.other!), `${e.type} from ${sim.peers[e.peer].id} to ${sim.peers[e.other!].id}`);
});
