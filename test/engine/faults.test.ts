import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hex } from '../../engine/fabric/message.js';
import { summarise } from '../../engine/sim/summary.js';
import { main } from '../../engine/cli/main.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, twoOrgs } from './helpers.js';

test('a paused peer keeps its connections but is declared dead by silence, and comes back when resumed', async () => {
  // 45s of silence: its last alive messages keep spreading through membership syncs for a while
  // (each newer copy restarts a peer's 25s countdown), so some peers take 40s to give up.
  const { sim, events } = await run(twoOrgs('faults:\n  - { at: 15s, pause: peer2.org1 }\n  - { at: 60s, resume: peer2.org1 }').replace('until: 60s', 'until: 90s'));
  const p = sim.peer('peer2.org1');
  const deaths = events.filter((e) => e.kind === 'state' && e.reason === 'dead' && e.data?.member === p.idx && e.t < 60_000);
  assert.deepEqual(new Set(deaths.map((e) => e.peer)).size, 7, 'every other peer declares it dead');
  const lastAlive = Math.max(...events.filter((e) => e.kind === 'send' && e.peer === p.idx && e.type === 'AliveMessage' && e.t <= 15_000).map((e) => e.t));
  assert.ok(deaths.every((e) => e.t >= lastAlive + 25_000), 'not before 25s of silence');
  // Nothing it sent after the pause and before the resume: it processed nothing.
  assert.equal(events.filter((e) => e.kind === 'send' && e.peer === p.idx && e.t > 15_000 && e.t < 60_000).length, 0);
  // Back to life: everyone sees it again, and it caught up.
  const s = summarise(sim);
  assert.equal(s.converged, true, s.notConverged.join('\n'));
});

test('a tampered alive message, block or stripped signature is never accepted by an honest peer', async () => {
  const faults = [
    '  - { at: 20s, tamper: { from: peer0.org1, type: AliveMessage, count: 5 } }',
    '  - { at: 20s, tamper: { from: peer1.org2, type: StateInfo, mode: strip-signature, count: 5 } }',
    '  - { at: 11s, tamper: { from: peer1.org1, type: DataMessage, count: 3 } }',
  ].join('\n');
  // Which byte is flipped is the seed's: seed 2 flips alive bytes that still decode, with the same
  // PKI-ID, so the signature check is what refuses them (other flips fail to decode, or name no known certificate).
  const { sim, events } = await run(twoOrgs(`faults:\n${faults}`), { until: 60_000, seed: 2 });
  const tampered = events.filter((e) => e.kind === 'fault' && e.reason?.startsWith('tampered'));
  assert.ok(tampered.length >= 8, `${tampered.length} messages tampered`);
  const verdicts = events.filter((e) => e.kind === 'verify' && e.reason !== 'valid');
  assert.ok(verdicts.length > 0, 'no signature check failed');
  const rejects = events.filter((e) => e.kind === 'reject').map((e) => e.reason ?? '');
  assert.ok(rejects.some((r) => r.startsWith('Failed verifying')), 'flipped alive payloads fail their signature');
  assert.ok(rejects.some((r) => /Empty signature|found invalid/.test(r)), 'stripped StateInfo is refused');
  assert.ok(rejects.some((r) => /fabricated block|Failed verifying block|Received fabricated/.test(r)) || events.some((e) => e.kind === 'reject' && /Ledger|channel/.test(e.reason ?? '')), 'tampered blocks are refused');
  // No honest store holds a message whose signature does not verify.
  for (const p of sim.peers) {
    for (const sm of p.node!.disc.aliveMembership.values()) {
      const am = sm.msg.content === 'aliveMsg' ? sm.msg.aliveMsg : undefined;
      const signer = sim.peers.find((q) => hex(q.identity.pkiId) === hex(am!.membership!.pkiId))!;
      assert.equal(sim.registry.verify(signer.identity.serialized, sm.envelope.signature, sm.envelope.payload), null, `${p.id} holds a forged alive message`);
    }
  }
  const s = summarise(sim);
  assert.equal(s.converged, true, s.notConverged.join('\n'));
  for (const b of s.blocks) assert.equal(b.committedBy, 8, `block ${b.seq}`);
});

test('link rules lose, duplicate and delay messages in their window only', async () => {
  const faults = [
    '  - { at: 10s, until: 20s, link: { between: [peer0.org1, peer1.org1], loss: 1 } }',
    '  - { at: 25s, until: 35s, link: { duplicate: 0.5, delay: 100ms, jitter: 50ms, reorder: 0.2 } }',
  ].join('\n');
  const { sim, events } = await run(twoOrgs(`faults:\n${faults}`), { until: 60_000 });
  const a = sim.peer('peer0.org1').idx;
  const b = sim.peer('peer1.org1').idx;
  const lost = events.filter((e) => e.kind === 'drop' && e.reason === 'lost by a link rule');
  assert.ok(lost.length > 0);
  for (const e of lost.filter((x) => x.t < 22_000)) {
    assert.ok(e.t >= 10_000 && e.t < 20_000);
    assert.ok((e.peer === a && e.other === b) || (e.peer === b && e.other === a));
  }
  const between = (lo: number, hi: number, kind: string) => events.filter((e) => e.kind === kind && e.t >= lo && e.t < hi && e.type === 'AliveMessage').length;
  const delivered = between(25_000, 35_500, 'deliver');
  const sent = between(25_000, 35_000, 'send');
  assert.ok(delivered > sent, `duplicates arrive: ${delivered} delivered, ${sent} sent`);
  const s = summarise(sim);
  assert.equal(s.converged, true, s.notConverged.join('\n'));
});

test('faults are deterministic: same scenario and seed, same trace hash', async () => {
  const yaml = twoOrgs('faults:\n  - { at: 10s, until: 30s, link: { loss: 0.2, duplicate: 0.1, reorder: 0.1 } }\n  - { at: 12s, tamper: { from: peer0.org2, count: 3 } }\n  - { at: 15s, pause: peer3.org2 }\n  - { at: 25s, resume: peer3.org2 }');
  const a = summarise((await run(yaml, { until: 40_000, keep: false })).sim);
  const b = summarise((await run(yaml, { until: 40_000, keep: false })).sim);
  assert.equal(a.traceHash, b.traceHash);
});

const BAD: [string, string, RegExp][] = [
  ['unknown peer', '  - { at: 10s, pause: peer9.org1 }', /bad\.yaml:13:\d+: unknown peer 'peer9\.org1'/],
  ['impossible window', '  - { at: 20s, until: 10s, link: { loss: 0.5 } }', /bad\.yaml:13:\d+: the window ends \(10s\) before it starts \(20s\)/],
  ['overlapping windows', '  - { at: 10s, until: 30s, link: { loss: 0.5 } }\n  - { at: 20s, until: 40s, link: { delay: 1s } }', /bad\.yaml:14:\d+: this link rule overlaps the one at 13:\d+ on the same link/],
  ['bad rate', '  - { at: 10s, until: 20s, link: { loss: 1.5 } }', /bad\.yaml:13:\d+: must be a number between 0 and 1, got 1\.5/],
  ['missing window', '  - { at: 10s, link: { loss: 0.5 } }', /bad\.yaml:13:\d+: a link rule needs until/],
];

for (const [what, fault, expected] of BAD) {
  test(`a bad fault (${what}) exits 2 with file:line:col`, async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gs-')), 'bad.yaml');
    writeFileSync(file, twoOrgs(`faults:\n${fault}`).trimStart());
    let err = '';
    const code = await main(['run', file], () => {}, (s) => (err += s));
    assert.equal(code, 2, err);
    assert.match(err, expected);
  });
}

test('after a partition heals, every live peer converges within a bound from the configuration, and no block is lost', async () => {
  // One side keeps the orderer; the other is cut off from it for 40s.
  const healAt = 50_000;
  const yaml = twoOrgs(`faults:\n  - { at: 10s, partition: [[peer0.org1, peer1.org1, Org2MSP, orderer], [peer2.org1, peer3.org1]] }\n  - { at: 50s, heal: all }`)
    .replace('blocks: 10', 'blocks: 40')
    .replace('until: 60s', 'until: 120s');
  const { sim } = await run(yaml, { until: 0, keep: false });
  const g = sim.scenario.config.gossip;
  // Peers across the cut were declared dead; a dead peer is probed every reconnectInterval, its
  // membership response resurrects everyone, and fresh alive messages follow within
  // aliveTimeInterval. Lagging ledgers are repaired by the next anti-entropy round (or the
  // deliver client reconnecting to the orderer).
  const bound = g.reconnectInterval + 2 * g.aliveTimeInterval + g.state.checkInterval;
  sim.runUntil(healAt + bound);
  const s = summarise(sim);
  assert.equal(s.converged, true, `not converged ${bound}ms after the heal:\n${s.notConverged.join('\n')}`);
  for (const b of s.blocks.filter((x) => x.cutAtMs <= healAt)) assert.equal(b.committedBy, 8, `block ${b.seq} lost somewhere`);
});
