import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarise } from '../../engine/sim/summary.js';
import { run, twoOrgs } from './helpers.js';

test('a restarted peer comes back with a new inc_num, is resurrected everywhere and catches up', async () => {
  const yaml = twoOrgs('faults:\n  - { at: 15s, crash: peer2.org1 }\n  - { at: 45s, restart: peer2.org1 }').replace('run: { until: 60s }', 'run: { until: 90s }');
  const { sim, events } = await run(yaml);
  const p = sim.peer('peer2.org1');
  const resurrected = events.filter((e) => e.kind === 'state' && e.reason === 'alive' && e.data?.member === p.idx && e.data?.resurrected === true);
  assert.ok(resurrected.length >= 5, `only ${resurrected.length} peers resurrected it`);
  for (const q of sim.peers) {
    if (q === p) continue;
    const ts = q.node!.disc.aliveLastTS.get(sim.members.idOf(p.identity.pkiId));
    assert.ok(ts !== undefined, `${q.id} does not see it alive`);
    assert.ok(ts.incNum > BigInt(Date.UTC(2026, 0, 1)) * 1_000_000n + 45_000_000_000n - 1n, 'alive messages carry the new inc_num');
  }
  const s = summarise(sim);
  assert.equal(s.converged, true, s.notConverged.join('\n'));
});

test('after the alive-store TTL a dead peer is forgotten, but anchor and bootstrap peers never are', async () => {
  // TTL = aliveExpirationTimeout × msgExpirationFactor = 2.5s × 4 = 10s (Fabric: 25s × 20 = 500s).
  const yaml = twoOrgs('gossip: { aliveTimeInterval: 500ms, aliveExpirationTimeout: 2500ms, msgExpirationFactor: 4 }\nfaults:\n  - { at: 10s, crash: peer2.org1 }\n  - { at: 10s, crash: peer0.org2 }').replace('run: { until: 60s }', 'run: { until: 40s }');
  const { sim, events } = await run(yaml);
  const gone = sim.peer('peer2.org1');
  const anchor = sim.peer('peer0.org2');
  const removed = events.filter((e) => e.kind === 'state' && e.reason === 'removed' && e.data?.member === gone.idx);
  assert.ok(removed.length >= 5, `forgotten by ${removed.length} peers`);
  // The store forgets an entry a TTL (10s) after the last alive message it stored, which left
  // shortly before the crash; long after the member was declared dead (2.5s of silence).
  for (const e of removed) {
    assert.ok(e.t > 18_000 && e.t < 21_000, `forgotten at ${e.t}`);
    const dead = events.find((d) => d.kind === 'state' && d.reason === 'dead' && d.peer === e.peer && d.data?.member === gone.idx);
    assert.ok(dead && e.t - dead.t > 5_000, 'forgotten long after being declared dead');
  }
  for (const q of sim.peers) {
    if (!q.running) continue;
    assert.equal(q.node!.disc.lookup(sim.members.idOf(gone.identity.pkiId)), undefined, `${q.id} still knows peer2.org1`);
  }
  // peer0.org2 is an anchor peer (and org2's bootstrap peer): dead, but remembered.
  const kept = sim.peers.filter((q) => q.running && q.node!.disc.deadLastTS.has(sim.members.idOf(anchor.identity.pkiId)));
  assert.ok(kept.length >= 5, `the anchor peer is remembered by ${kept.length} peers`);
  assert.ok(events.some((e) => e.kind === 'log' && e.reason === 'Do not remove bootstrap or anchor peer endpoint'));
});

test('fact 18: a full send buffer drops messages, with the reason in the trace', async () => {
  const { sim } = await run(twoOrgs('gossip: { sendBuffSize: 1 }'), { until: 20_000, keep: false });
  const s = summarise(sim);
  const overflow = Object.entries(s.messages.dropReasons).filter(([r]) => /Buffer to <endpoint> overflowed, dropping message/.test(r));
  assert.ok(overflow.length > 0 && overflow[0][1] > 0, JSON.stringify(s.messages.dropReasons));
});
