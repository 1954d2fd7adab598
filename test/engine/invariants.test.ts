/**
 * Invariants: the scenario's own (queries) and the four built in, each caught at the event
 * that broke it on a real network, and none broken by a healthy one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InvariantWatch, stopOnViolation, type Violation } from '../../engine/debug/invariants.js';
import { evaluate } from '../../engine/debug/queries.js';
import { loadScenario, ScenarioError } from '../../engine/scenario/load.js';
import { Simulation } from '../../engine/sim/simulation.js';
import type { Payload } from '../../engine/wire/messages.js';
import { twoOrgs } from './helpers.js';
import { leakyCollection } from './leaky-collection.js';

async function runToViolation(yaml: string, setup?: (sim: Simulation) => void): Promise<{ sim: Simulation; v: Violation | undefined }> {
  const scenario = loadScenario(yaml, 'test.yaml');
  const sim = await Simulation.create(scenario, { traceCapacity: 1000 });
  const watch = new InvariantWatch(sim);
  setup?.(sim);
  sim.start();
  sim.kernel.runUntil(scenario.run.until, stopOnViolation(watch));
  return { sim, v: watch.take()[0] };
}

test('a scenario invariant stops at the event that broke it: private data leaked by a bad collection config', async () => {
  const { sim, v } = await runToViolation(leakyCollection());
  assert.ok(v, 'the leak was not caught');
  assert.equal(v.invariant, 'Org3 never holds secrets');
  // The run stopped right there: an Org3 peer has just taken private data in (as an endorser
  // keeping its own copy, or pushed one), and the query fails now.
  const at = sim.peers[v.event.peer];
  assert.equal(at.org.mspId, 'Org3MSP', `stopped at ${at.id}`);
  assert.equal(sim.kernel.now, v.event.t, 'the run went on past the task that broke it');
  assert.ok((evaluate(`privateData(${at.id})`, { sim }) as number) > 0);
});

test('with the collection configured right, the same invariant holds to the end', async () => {
  const { sim, v } = await runToViolation(leakyCollection('[Org1MSP, Org2MSP]'));
  assert.equal(v, undefined, v && `${v.invariant}: ${v.detail}`);
  assert.equal(sim.kernel.now, sim.scenario.run.until);
});

test('a corrupted world state is caught at that peer\'s next commit (same height, same ledger)', async () => {
  const { sim, v } = await runToViolation(twoOrgs(), (sim) =>
    sim.kernel.at(15_000, () => sim.peer('peer2.org2').ledgers.get('mychannel')!.worldState.set('key0', 'not what was written')),
  );
  assert.ok(v);
  assert.equal(v.invariant, 'same height, same ledger');
  assert.match(v.detail, /world state/);
  assert.equal(sim.peers[v.event.peer].id, 'peer2.org2');
  assert.equal(v.event.reason, 'commit');
});

test('a block committed without verification is caught (no unverified commit)', async () => {
  let forcedAt = -1;
  const { v } = await runToViolation(twoOrgs(), (sim) => {
    // The first moment a follower lacks a block the orderer has cut: its state provider is
    // handed that block directly, skipping VerifyBlock.
    for (let t = 1000; t < 30_000; t += 100) {
      sim.kernel.at(t, () => {
        if (forcedAt >= 0) return;
        const chain = sim.orderer.chains.get('mychannel')!;
        const p = sim.peers.find((q) => q.running && !q.leaderOf.has('mychannel') && q.ledgers.get('mychannel')!.height < chain.length);
        if (p === undefined) return;
        const h = p.ledgers.get('mychannel')!.height;
        const payload: Payload = { seqNum: BigInt(h), data: chain[h].bytes, privateData: [] };
        forcedAt = t;
        p.node!.states.get('mychannel')!.addPayload(payload, true, -1);
      });
    }
  });
  assert.ok(v);
  assert.equal(v.invariant, 'no unverified commit');
  assert.equal(v.event.t, forcedAt);
  assert.match(v.detail, /committed block \d+ on mychannel without verifying it/);
});

test('private data pushed to a peer outside its collection is caught (built in)', async () => {
  const yaml = readFileSync('samples/private-data.yaml', 'utf8');
  const { sim, v } = await runToViolation(yaml, (sim) =>
    sim.kernel.at(12_000, () => {
      // What a Byzantine endorser would do: push a write set of "secrets" to an Org3 peer.
      const pvt = sim.peer('peer1.org3').node!.privdata.get('mychannel')!;
      const sm = { msg: { content: 'privateData', privateData: { payload: { txId: 'tx-leak', collectionName: 'secrets', namespace: 'mycc', privateRwset: new Uint8Array([1]), privateSimHeight: 0n } } } };
      pvt.handlePush({ sm } as unknown as Parameters<typeof pvt.handlePush>[0], () => {});
    }),
  );
  assert.ok(v);
  assert.equal(v.invariant, 'private data stays in its collection');
  assert.equal(sim.peers[v.event.peer].id, 'peer1.org3');
  assert.match(v.detail, /collection secrets, whose members are Org1MSP, Org2MSP/);
});

test('two leaders of an org that hear each other for longer than the election allows are caught', async () => {
  const yaml = readFileSync('samples/election.yaml', 'utf8');
  let forcedAt = 0;
  const { sim, v } = await runToViolation(yaml, (sim) =>
    sim.kernel.at(40_000, () => {
      // A follower that starts pulling blocks as if it led, behind its election's back.
      const p = sim.peers.find((q) => q.running && !q.leaderOf.has('mychannel'))!;
      forcedAt = sim.kernel.now;
      sim.becomeLeader(p, 'mychannel');
    }),
  );
  assert.ok(v, 'not caught');
  assert.equal(v.invariant, 'one leader per org');
  const bound = sim.scenario.config.gossip.election.leaderAliveThreshold + sim.scenario.config.gossip.publishStateInfoInterval;
  assert.ok(v.event.t > forcedAt + bound && v.event.t < forcedAt + bound + 1000, `caught at ${v.event.t}, forced at ${forcedAt}`);
});

test('an invariant naming an unknown peer or function is a file:line:col error', () => {
  const yaml = `${twoOrgs()}\ninvariants:\n  - holds: "height(peer9.org1) > 0"\n  - { holds: 'hieght(peer0.org1) > 0' }\n`;
  const lines = yaml.split('\n');
  const first = lines.findIndex((l) => l.includes('peer9.org1')) + 1;
  assert.throws(
    () => loadScenario(yaml, 'bad.yaml'),
    (e: unknown) => {
      assert.ok(e instanceof ScenarioError);
      const [a, b] = e.diagnostics;
      assert.equal(`${a.line}:${a.col}`, `${first}:${lines[first - 1].indexOf('peer9') + 1}`);
      assert.match(a.message, /invariant: unknown name "peer9.org1"/);
      assert.equal(`${b.line}:${b.col}`, `${first + 1}:${lines[first].indexOf('hieght') + 1}`);
      assert.match(b.message, /unknown function "hieght"/);
      return true;
    },
  );
});
