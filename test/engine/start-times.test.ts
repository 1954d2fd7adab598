import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenario } from '../../engine/scenario/load.js';
import { ScenarioError } from '../../engine/scenario/diagnostics.js';
import { run, twoOrgs } from './helpers.js';

/** Each peer's ticks of one ticker, by peer index. */
function ticks(events: { kind: string; reason?: string; peer: number; t: number }[], name: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const e of events) {
    if (e.kind !== 'timer' || e.reason !== name) continue;
    const list = out.get(e.peer) ?? [];
    list.push(e.t);
    out.set(e.peer, list);
  }
  return out;
}

const startsOf = (events: { kind: string; reason?: string; peer: number; t: number }[]) =>
  new Map(events.filter((e) => e.kind === 'state' && e.reason === 'started').map((e) => [e.peer, e.t]));

test('peers start apart over peers.startWindow, and each ticker runs from its own peer\'s start', async () => {
  const { sim, events } = await run(twoOrgs('peers: { startWindow: 3s }'), { until: 16_000 });
  const starts = startsOf(events);
  assert.equal(starts.size, sim.peers.length);
  for (const t of starts.values()) assert.ok(t >= 0 && t < 3000, `start ${t} within the window`);
  assert.equal(new Set(starts.values()).size, sim.peers.length, 'no two peers start at the same instant');
  for (const [name, every] of [['discovery.periodicalSendAlive', 5000], ['gossip.syncDiscovery', 4000], ['discovery.periodicalCheckAlive', 2500]] as const) {
    const byPeer = ticks(events, name);
    assert.equal(byPeer.size, sim.peers.length, `every peer runs ${name}`);
    for (const [peer, ts] of byPeer) {
      ts.forEach((t, k) => assert.ok(Math.abs(t - (starts.get(peer)! + (k + 1) * every)) < 1e-6, `${name} of peer ${peer}: tick ${k} at ${t}`));
    }
    const phases = new Set([...byPeer.values()].map((ts) => (ts[0] % every).toFixed(3)));
    assert.equal(phases.size, sim.peers.length, `${name}: every peer in a phase of its own`);
  }
  // The emitter's ticks are on its own peer's grid of maxPropagationBurstLatency (10ms).
  const emitter = ticks(events, 'emitter.tick');
  assert.ok(emitter.size >= 4);
  for (const [peer, ts] of emitter) for (const t of ts) {
    const k = (t - starts.get(peer)!) / 10;
    assert.ok(Math.abs(k - Math.round(k)) < 1e-6, `emitter tick of peer ${peer} at ${t} is on its own grid`);
  }
  const emitterPhases = new Set([...emitter.values()].map((ts) => (ts[0] % 10).toFixed(3)));
  assert.ok(emitterPhases.size > 1, 'emitters of different peers tick out of phase');
});

test('startWindow 0s starts every peer at 0, all tickers in phase; a pinned peer starts when told', async () => {
  const { events } = await run(twoOrgs('peers: { startWindow: 0s, start: [{ peer: peer2.org1, at: 12s }] }'), { until: 20_000 });
  const starts = startsOf(events);
  for (const [peer, t] of starts) assert.equal(t, peer === 2 ? 12_000 : 0);
  const alive = ticks(events, 'discovery.periodicalSendAlive');
  for (const [peer, ts] of alive) assert.deepEqual(ts, peer === 2 ? [17_000] : [5000, 10_000, 15_000, 20_000]);
});

test('the start instants come from the seed: same seed same starts, another seed other starts', async () => {
  const a = startsOf((await run(twoOrgs(), { until: 3000 })).events);
  const b = startsOf((await run(twoOrgs(), { until: 3000 })).events);
  const c = startsOf((await run(twoOrgs(), { until: 3000, seed: 8 })).events);
  assert.deepEqual([...a], [...b]);
  assert.notDeepEqual([...a], [...c]);
});

test('a restarted peer\'s tickers run from its restart', async () => {
  const yaml = twoOrgs('faults:\n  - { at: 10s, crash: peer1.org1 }\n  - { at: 21.3s, restart: peer1.org1 }');
  const { sim, events } = await run(yaml, { until: 32_000 });
  const p = sim.peer('peer1.org1').idx;
  const after = (ticks(events, 'discovery.periodicalSendAlive').get(p) ?? []).filter((t) => t > 21_300);
  assert.deepEqual(after, [26_300, 31_300]);
});

test('startWindow is bounded: more than 10m is refused with its position', () => {
  assert.throws(
    () => loadScenario(twoOrgs('peers: { startWindow: 11m }'), 'w.yaml'),
    (e: unknown) => e instanceof ScenarioError && /w\.yaml:\d+:\d+: .*startWindow must be at most 10m/.test(e.message),
  );
});
