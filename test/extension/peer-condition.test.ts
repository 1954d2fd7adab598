/**
 * The Peers view's words for a peer, from the engine's real peer states: a paused peer reads
 * "paused" (not alive, not dead), a crashed one "dead", one that never started "not started".
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { peerCondition, peerDescription } from '../../extension/peer-condition.js';
import { peerStates } from '../../engine/ui/inspect.js';
import { run, twoOrgs } from '../engine/helpers.js';

test('paused, crashed and running peers read as such', async () => {
  const { sim } = await run(twoOrgs(), { until: 3000, keep: false });
  sim.pause('peer2.org1');
  sim.crash('peer3.org2');
  const states = peerStates(sim);
  const of = (id: string) => states[sim.peer(id).idx];
  assert.equal(of('peer2.org1').paused, true);
  assert.equal(peerCondition(of('peer2.org1'), true), 'paused');
  assert.match(peerDescription(of('peer2.org1'), true), /^paused · height \d+ · sees \d+/);
  assert.equal(peerCondition(of('peer3.org2'), true), 'dead');
  const up = ['alive', 'behind'];
  assert.ok(up.includes(peerCondition(of('peer0.org1'), true)));
  assert.equal(peerCondition(of('peer3.org2'), false), 'not started', 'down and never seen running');
  sim.resume('peer2.org1');
  assert.ok(up.includes(peerCondition(peerStates(sim)[sim.peer('peer2.org1').idx], true)), 'resumed: up again');
});
