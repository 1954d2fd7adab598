/**
 * The figures say what the trace says: each peer's first copy of each block, by push, pull,
 * state transfer or the orderer, counted once; latencies equal the run summary's; message
 * rates add up to the summary's counts; bytes to the encoder's own output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario } from '../../engine/scenario/load.js';
import { Simulation } from '../../engine/sim/simulation.js';
import { summarise } from '../../engine/sim/summary.js';
import { watchFigures } from '../../engine/figures/watch.js';
import { FigureBuilder, percentile } from '../../engine/figures/figures.js';
import { encodeEnvelope } from '../../engine/wire/codec.js';
import { envelopeSize } from '../../engine/figures/envelope-size.js';
import type { TraceEvent } from '../../engine/trace/events.js';

// Fanout 1 in one org: pushes die out and pull repairs them, so both kinds of receipt occur.
const SCENARIO = `
name: curves
seed: 3
profile: classic-gossip
orgs:
  - { mspId: Org1MSP, peers: 8, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 3, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
orderer: { start: 15s, batchTimeout: 2s, blocks: 8, txPerBlock: 5 }
gossip: { propagatePeerNum: 1 }
run: { until: 45s }
`;

async function runIt() {
  const sim = await Simulation.create(loadScenario(SCENARIO, 'curves.yaml'), { traceCapacity: 10 });
  const events: TraceEvent[] = [];
  const bytesBySend: number[] = [];
  sim.trace.listen((ev) => {
    events.push(ev);
    if (ev.kind === 'send') bytesBySend.push(encodeEnvelope(sim.messages.get(ev.msg!)!.envelope).length);
  });
  const figures = watchFigures(sim);
  sim.runUntil(sim.scenario.run.until);
  return { sim, events, figures: figures(), bytesBySend };
}

test('infection curves: every first receipt once, push and pull told apart, as the trace has them', async () => {
  const { sim, events, figures } = await runIt();
  const byId = new Map(events.map((e) => [e.id, e]));
  // Straight from the events: the valid block verifies and how their carrier arrived.
  const expected = new Map<string, { peer: number; t: number; via: string }[]>();
  const push = (k: string, r: { peer: number; t: number; via: string }) => {
    const l = expected.get(k) ?? [];
    if (!l.some((x) => x.peer === r.peer)) l.push(r);
    expected.set(k, l);
  };
  for (const e of events) {
    if (e.kind === 'verify' && e.reason === 'valid' && e.data?.block !== undefined) {
      const carrier = e.type === 'RemoteStateResponse' ? 'state' : byId.get(e.parent!)!.type === 'DataMessage' ? 'push' : 'pull';
      assert.equal(byId.get(e.parent!)!.kind, 'deliver');
      push(`${e.data.channel}/${e.data.block}`, { peer: e.peer, t: e.t, via: carrier });
    }
    if (e.kind === 'state' && e.reason === 'commit' && (e.data!.block as number) > 0) push(`${e.data!.channel}/${e.data!.block}`, { peer: e.peer, t: e.t, via: 'orderer' });
  }
  assert.equal(figures.blocks.length, 8);
  const vias = new Set<string>();
  for (const b of figures.blocks) {
    assert.equal(b.members, 11);
    const want = expected.get(`${b.channel}/${b.seq}`)!.sort((x, y) => x.t - y.t);
    assert.deepEqual(b.receipts.map(({ peer, t, via }) => ({ peer, t, via })), want, `block ${b.seq}`);
    assert.equal(new Set(b.receipts.map((r) => r.peer)).size, b.receipts.length, 'a peer counted twice');
    for (const r of b.receipts) vias.add(r.via);
    // Each receipt points at its event in the trace.
    for (const r of b.receipts) assert.equal(byId.get(r.event)!.peer, r.peer);
  }
  assert.ok(vias.has('push') && vias.has('pull') && vias.has('orderer'), `receipts came by ${[...vias]}`);

  // Latency is commit time minus cut time, the summary's min/median/max per block.
  const summary = summarise(sim);
  const all: number[] = [];
  for (const sb of summary.blocks) {
    const commits = events.filter((e) => e.kind === 'state' && e.reason === 'commit' && e.data!.block === sb.seq).map((e) => e.t - sb.cutAtMs);
    all.push(...commits);
    assert.equal(commits.length, sb.committedBy);
  }
  all.sort((a, b) => a - b);
  assert.equal(figures.latency.overall.count, all.length);
  assert.equal(figures.latency.overall.p50, Math.round(percentile(all, 0.5) * 1000) / 1000);
  assert.equal(figures.latency.overall.max, Math.max(...summary.blocks.map((b) => b.latencyMs!.max)));
  assert.equal(figures.latency.byOrg.org1.count + figures.latency.byOrg.org2.count, all.length);
  assert.ok(figures.latency.overall.p50 <= figures.latency.overall.p95 && figures.latency.overall.p95 <= figures.latency.overall.p99);
});

test('message and byte rates add up to the summary and to the encoded envelopes', async () => {
  const { sim, figures, bytesBySend } = await runIt();
  const summary = summarise(sim);
  for (const [type, n] of Object.entries(summary.messages.sent)) assert.equal(figures.rates.messages[type].reduce((a, b) => a + b, 0), n, type);
  assert.deepEqual(Object.keys(figures.rates.messages).sort(), Object.keys(summary.messages.sent).sort());
  assert.equal(figures.rates.t.length, 45);
  assert.equal(figures.rates.bytes!.reduce((a, b) => a + b, 0), bytesBySend.reduce((a, b) => a + b, 0));
  assert.equal(figures.scalars.dataMessagesPerBlock, Math.round((summary.messages.sent.DataMessage / 8) * 10_000) / 10_000);
});

test('a saved trace (events only, no sizes) gives the same curves, and says it has no bytes', async () => {
  const { events, figures } = await runIt();
  const b = new FigureBuilder({ scenario: 'curves', seed: 3, peers: figures.peers });
  for (const e of JSON.parse(JSON.stringify(events)) as TraceEvent[]) b.add(e);
  const again = b.figures(45_000);
  assert.deepEqual(again.blocks, figures.blocks);
  assert.deepEqual(again.latency, figures.latency);
  assert.equal(again.rates.bytes, null);
  assert.equal(again.scalars.bytesPerSecond, null);
});

test('envelopeSize is the encoder\'s length', () => {
  const b = (n: number) => new Uint8Array(n).fill(7);
  for (const e of [
    { payload: b(5), signature: b(0) },
    { payload: b(200), signature: b(71) },
    { payload: b(20_000), signature: b(72), secretEnvelope: { payload: b(30), signature: b(70) } },
    { payload: b(3), signature: b(0), secretEnvelope: { payload: b(0), signature: b(0) } },
  ]) assert.equal(envelopeSize(e), encodeEnvelope(e).length);
});
