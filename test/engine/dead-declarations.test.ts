/**
 * Who declared whom dead, and when, as the panel shows it: the membership lesson's paused peer
 * and crashed peer are each declared dead by every other running peer, the crashed one first
 * (presumed dead within seconds), the paused one after 25 s of silence.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadScenario } from '../../engine/scenario/load.js';
import { Simulation } from '../../engine/sim/simulation.js';
import { watchDeadDeclarations } from '../../engine/ui/dead-declarations.js';
import { describePeer, peerStates } from '../../engine/ui/inspect.js';

const MEMBERSHIP = readFileSync(join(__dirname, '..', '..', 'samples', 'membership.yaml'), 'utf8');

test('the membership lesson: each quiet peer is declared dead by the other running peers, with when; the crashed one first', async () => {
  const sim = await Simulation.create(loadScenario(MEMBERSHIP, 'membership.yaml'), { traceCapacity: 10 });
  watchDeadDeclarations(sim);
  sim.start();
  sim.runUntil(19_000);
  assert.ok(peerStates(sim).every((s) => s.declaredDead === undefined), 'nobody is declared dead before the faults');
  sim.runUntil(50_000);
  const states = peerStates(sim);
  const paused = states[sim.peer('peer2.org1').idx].declaredDead!;
  const crashed = states[sim.peer('peer3.org2').idx].declaredDead!;
  // 8 peers, one crashed and one paused: the 6 others (a frozen process declares nothing) judge both.
  assert.deepEqual({ by: paused.by, of: paused.of }, { by: 6, of: 6 });
  assert.deepEqual({ by: crashed.by, of: crashed.of }, { by: 6, of: 6 });
  assert.ok(crashed.at > 20_000 && crashed.at < 30_000, `the crashed peer is presumed dead by all within seconds (${crashed.at} ms)`);
  assert.ok(paused.at >= 45_000 && paused.at <= 47_500 + 5_000, `the paused one after 25 to 27.5 s of silence (${paused.at} ms)`);
  assert.ok(crashed.at < paused.at, 'the crashed peer was given up on first');
  const d = describePeer(sim, sim.peer('peer2.org1').idx)!;
  assert.equal(d.declaredDead!.of, 6);
  assert.equal(d.declaredDead!.by.length, 6);
  assert.ok(d.declaredDead!.by.every((b, i, all) => i === 0 || all[i - 1].at <= b.at), 'earliest first');
  assert.ok(!d.declaredDead!.by.some((b) => b.id === 'peer2.org1' || b.id === 'peer3.org2'), 'only the running, unpaused others');
  assert.equal(d.declaredDead!.by.at(-1)!.at, paused.at);
});

test('a peer heard alive again, or restarted, is no longer held dead', async () => {
  const text = MEMBERSHIP.replace('  - { at: 20s, crash: peer3.org2 }', '  - { at: 20s, crash: peer3.org2 }\n  - { at: 35s, restart: peer3.org2 }\n  - { at: 50s, resume: peer2.org1 }').replace('run: { until: 60s }', 'run: { until: 70s }');
  const sim = await Simulation.create(loadScenario(text, 'membership.yaml'), { traceCapacity: 10 });
  watchDeadDeclarations(sim);
  sim.start();
  sim.runUntil(34_000);
  assert.equal(peerStates(sim)[sim.peer('peer3.org2').idx].declaredDead?.by, 6);
  sim.runUntil(70_000);
  const states = peerStates(sim);
  assert.equal(states[sim.peer('peer3.org2').idx].declaredDead, undefined, 'restarted, it is heard alive again');
  assert.equal(states[sim.peer('peer2.org1').idx].declaredDead, undefined, 'resumed, it is heard alive again');
});
