import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenario } from '../../engine/scenario/load.js';
import { ScenarioError } from '../../engine/scenario/diagnostics.js';
import { processingOf } from '../../engine/sim/processing.js';
import { run, twoOrgs } from './helpers.js';

test('every delivery says how long it waited in the receive queue and took to handle', async () => {
  const { events } = await run(twoOrgs(), { until: 15_000 });
  const delivers = events.filter((e) => e.kind === 'deliver' && e.type !== 'ConnEstablish');
  assert.ok(delivers.length > 500);
  for (const e of delivers) {
    const d = e.data as { queuedMs: number; handlingMs: number; waiting: number };
    assert.ok(d.queuedMs >= 0 && d.handlingMs > 0 && d.waiting >= 0, JSON.stringify(e));
  }
  const queued = delivers.filter((e) => (e.data as { queuedMs: number }).queuedMs > 0);
  assert.ok(queued.length > 0, 'some messages wait behind others');
  // The handling cost is a distribution, not a constant.
  assert.ok(new Set(delivers.map((e) => (e.data as { handlingMs: number }).handlingMs)).size > delivers.length / 2);
});

test('a peer whose handling cost exceeds its arrival rate fills recvBuffSize, and its senders drop with Fabric\'s reason', async () => {
  const yaml = twoOrgs(`gossip: { recvBuffSize: 4, sendBuffSize: 20 }
peers:
  config:
    - { peers: peer3.org1, processing: { handling: { median: 400ms, sigma: 0 } } }
`).replace('until: 60s', 'until: 30s');
  const { sim, events } = await run(yaml);
  const slow = sim.peer('peer3.org1').idx;
  const atSlow = events.filter((e) => e.kind === 'deliver' && e.peer === slow && e.type !== 'ConnEstablish');
  const most = Math.max(...atSlow.map((e) => (e.data as { waiting: number }).waiting));
  assert.ok(most >= 4, `a connection of the slow peer held ${most} waiting messages (recvBuffSize 4 and then the sender's buffer)`);
  assert.ok(Math.max(...atSlow.map((e) => (e.data as { queuedMs: number }).queuedMs)) > 2000, 'messages wait seconds in its queue');
  const drops = events.filter((e) => e.kind === 'drop' && e.other === slow && /^Buffer to peer3\.org1\.example\.com:7051 overflowed, dropping message$/.test(e.reason ?? ''));
  assert.ok(drops.length > 0, 'senders to the slow peer drop when its buffers are full');
  for (const d of drops) assert.notEqual(d.peer, slow, 'the drop is the sender\'s');
  const elsewhere = events.filter((e) => e.kind === 'drop' && e.other !== slow && /overflowed/.test(e.reason ?? ''));
  assert.equal(elsewhere.length, 0, 'peers that keep up lose nothing');
});

test('processing time is set in the scenario, per peer over the network, and bounded', () => {
  const s = loadScenario(twoOrgs(`peers:
  processing: { handling: { median: 1ms, sigma: 0.5 }, verify: 100us }
  config:
    - { peers: [peer1.org2], processing: { sign: 2ms } }
`), 'p.yaml');
  assert.deepEqual(processingOf(s, 'peer0.org1'), { handling: { median: 1, sigma: 0.5 }, verify: 0.1, sign: 0.025 });
  assert.deepEqual(processingOf(s, 'peer1.org2'), { handling: { median: 1, sigma: 0.5 }, verify: 0.1, sign: 2 });
  assert.throws(
    () => loadScenario(twoOrgs('peers: { processing: { verify: 2s } }'), 'p.yaml'),
    (e: unknown) => e instanceof ScenarioError && /p\.yaml:\d+:\d+: verify must be at most 1s/.test(e.message),
  );
  assert.throws(
    () => loadScenario(twoOrgs('peers: { processing: { handling: { sigma: 4 } } }'), 'p.yaml'),
    (e: unknown) => e instanceof ScenarioError && /p\.yaml:\d+:\d+:/.test(e.message),
  );
});
