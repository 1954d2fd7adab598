import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { summarise } from '../../engine/sim/summary.js';
import { run } from './helpers.js';

test('the measured-network sample reports push latency by first receipt, push reach and rates per peer per second', async () => {
  const { sim } = await run(readFileSync('samples/fabric-measured-10.yaml', 'utf8'), { keep: false });
  const s = summarise(sim);
  const push = s.push!;
  assert.ok(push.latencyMs, 'some peer was reached by push');
  const { median, p95, max } = push.latencyMs;
  assert.ok(median > 0 && median <= p95 && p95 <= max, `${median} ≤ ${p95} ≤ ${max}`);
  assert.ok(push.samples <= 20 * 9, 'at most one first receipt per block and non-leader peer');
  assert.ok(push.reach! > 0.8 && push.reach! <= 1, `reach ${push.reach}`);
  assert.equal(push.samples, Math.round(push.reach! * 20 * 9), 'reach counts the same receipts as the latencies');
  // Out of phase, a hop waits a fraction of the 10ms emitter tick, not a whole one: the median
  // is not a multiple of 10ms, as it was with every peer in phase.
  assert.ok(Math.abs(median / 10 - Math.round(median / 10)) > 0.01, `median ${median}`);
  const rates = s.ratePerPeerPerSecond!;
  const total = Object.values(s.messages.sent).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(rates.total - total / 10 / (s.simTimeMs / 1000)) < 0.01);
  assert.ok(rates.AliveMessage > 0 && rates.DataMessage > 0 && rates.StateInfo > 0);
});

test('same seed, same trace hash, with peers starting apart, per-peer configuration and processing time on', async () => {
  const yaml = `
name: all-on
seed: 5
profile: classic-gossip
orgs:
  - { mspId: Org1MSP, peers: 4, anchorPeers: [peer0], gossip: { pullInterval: 3s } }
  - { mspId: Org2MSP, peers: 3, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
orderer: { batchTimeout: 1s, blocks: 8, txPerBlock: 2 }
peers:
  startWindow: 2s
  config:
    - { peers: [peer1.org1, peer2.org2], gossip: { propagatePeerNum: 2 } }
    - { peers: peer3.org1, start: 6s, processing: { handling: { median: 20ms, sigma: 1.5 } } }
faults:
  - { at: 12s, crash: peer2.org1 }
  - { at: 16s, restart: peer2.org1 }
run: { until: 25s }
`;
  const a = summarise((await run(yaml, { keep: false })).sim);
  const b = summarise((await run(yaml, { keep: false })).sim);
  const c = summarise((await run(yaml, { keep: false, seed: 6 })).sim);
  assert.equal(a.traceHash, b.traceHash);
  assert.deepEqual(a.push, b.push);
  assert.notEqual(a.traceHash, c.traceHash);
});
