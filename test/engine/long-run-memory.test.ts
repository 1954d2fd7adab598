import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenario } from '../../engine/scenario/load.js';
import { Simulation } from '../../engine/sim/simulation.js';
import { twoOrgs } from './helpers.js';

// A long run of a small network: what the simulator keeps must level off, counted in entries.

test('the trace hash remembers at most its bound of distinct strings over a long run', async () => {
  const scenario = loadScenario(twoOrgs(), 'test.yaml');
  const sim = await Simulation.create(scenario, { traceCapacity: 10, hashStringMemory: 3000 });
  sim.start();
  const seen: number[] = [];
  for (let t = 60_000; t <= 300_000; t += 60_000) {
    sim.runUntil(t);
    seen.push(sim.trace.hashStrings);
  }
  assert.ok(seen.every((n) => n <= 3000), `strings remembered at each minute: ${seen.join(', ')}`);
  assert.equal(seen[seen.length - 1], 3000, 'the run sees more distinct strings than the bound, so the bound is what holds it');
});

test('under its bound the trace hash is what an unbounded one gives; past it, runs still hash apart', async () => {
  const hashOf = async (memory: number | undefined, seed = 7) => {
    const scenario = loadScenario(twoOrgs(), 'test.yaml');
    scenario.seed = seed;
    const sim = await Simulation.create(scenario, { traceCapacity: 10, hashStringMemory: memory });
    sim.start();
    sim.runUntil(20_000);
    return { hash: sim.trace.hash(), strings: sim.trace.hashStrings };
  };
  const unbounded = await hashOf(Number.MAX_SAFE_INTEGER);
  assert.ok(unbounded.strings > 500, `${unbounded.strings} distinct strings in 20 s`);
  assert.equal((await hashOf(undefined)).hash, unbounded.hash, 'the default bound is far above a small run');
  assert.equal((await hashOf(unbounded.strings)).hash, unbounded.hash, 'a bound the run just fits in changes nothing');
  const small = await hashOf(100);
  assert.notEqual(small.hash, unbounded.hash);
  assert.equal((await hashOf(100)).hash, small.hash, 'bounded hashing is deterministic');
  assert.notEqual((await hashOf(100, 8)).hash, small.hash, 'another seed still hashes apart');
});

test('a receive queue lets go of every message it has handled', async () => {
  const scenario = loadScenario(twoOrgs(), 'test.yaml');
  const sim = await Simulation.create(scenario, { traceCapacity: 10 });
  sim.start();
  for (let t = 30_000; t <= 120_000; t += 30_000) {
    sim.runUntil(t);
    for (const p of sim.peers) {
      const q = p.queue!;
      assert.equal(q.held, q.length, `${p.id} at ${t / 1000} s holds ${q.held} messages, ${q.length} of them waiting`);
    }
  }
});

test('an idle connection keeps no departure times of messages long gone', async () => {
  const scenario = loadScenario(twoOrgs(), 'test.yaml');
  const sim = await Simulation.create(scenario, { traceCapacity: 10 });
  sim.start();
  for (let t = 60_000; t <= 240_000; t += 60_000) {
    sim.runUntil(t);
    let conns = 0;
    let kept = 0;
    for (const p of sim.peers) {
      for (const id of p.comm!.connectedPeers()) {
        conns++;
        kept += p.comm!.connectionTo(id)!.departuresKept;
      }
    }
    // Membership traffic leaves each stream's send buffer empty between sends: a few times at
    // most. Kept until 64 had gone, they were about 30 a stream (200 peers: 40,000 streams).
    assert.ok(conns > 40 && kept <= 4 * conns, `${kept} departure times kept on ${conns} connections at ${t / 1000} s`);
  }
});
