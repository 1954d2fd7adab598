/**
 * Random and mutated frames fed to a live peer's receive path: nothing escapes as an exception,
 * every frame that does not decode is rejected with a reason, and the network keeps working.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { encodeEnvelope } from '../../engine/wire/codec.js';
import { fromBytes, hex } from '../../engine/fabric/message.js';
import { summarise } from '../../engine/sim/summary.js';
import { loadScenario } from '../../engine/scenario/load.js';
import { Simulation } from '../../engine/sim/simulation.js';
import { twoOrgs } from './helpers.js';

test('a peer survives random and mutated frames and keeps converging', async () => {
  const sim = await Simulation.create(loadScenario(twoOrgs(), 'fuzz.yaml'), { traceCapacity: 10 });
  const target = sim.peer('peer1.org1');
  const rejects: string[] = [];
  sim.trace.listen((e) => {
    if (e.kind === 'reject' && e.peer === target.idx) rejects.push(e.reason ?? '');
  });
  sim.runUntil(15_000);
  const comm = target.comm!;
  const conns = sim.peers.filter((p) => p !== target).map((p) => comm.connectionTo(sim.members.idOf(p.identity.pkiId))).filter((c) => c !== undefined);
  assert.ok(conns.length > 0, 'peer1.org1 has no connections');
  // Real frames from this run, to mutate: every kind the network has sent so far.
  const real: Uint8Array[] = [];
  for (let id = 1; id <= sim.messages.count && real.length < 400; id++) {
    const sm = sim.messages.get(id);
    if (sm !== undefined) real.push(encodeEnvelope(sm.envelope));
  }
  assert.ok(real.length > 50);

  const frame = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.tuple(fc.constantFrom(...real), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })).map(([bytes, edits]) => {
      const b = Uint8Array.from(bytes);
      for (const [at, v] of edits) b[at % b.length] = v;
      return b;
    }),
    fc.tuple(fc.constantFrom(...real), fc.nat()).map(([bytes, cut]) => bytes.subarray(0, cut % bytes.length)),
  );

  let fed = 0;
  fc.assert(
    fc.property(frame, fc.nat(), (bytes, which) => {
      const conn = conns[which % conns.length]!;
      let decodes = true;
      try {
        fromBytes(bytes);
      } catch {
        decodes = false;
      }
      const before = rejects.length;
      comm.receiveBytes(conn, bytes);
      fed++;
      // A frame that does not decode is rejected at once, with the decoder's reason.
      if (!decodes) assert.match(rejects[before] ?? '', /^Got invalid envelope: /);
      // Interleave with normal processing so the peer's reactions to the junk run too.
      sim.kernel.runUntil(sim.kernel.now + 5);
    }),
    { seed: 1234, numRuns: 1500 },
  );
  assert.equal(fed, 1500);
  assert.ok(rejects.some((r) => r.startsWith('Got invalid envelope')), 'undecodable frames were rejected with a reason');
  const summary = summarise(sim);
  assert.ok(Object.keys(summary.messages.rejected).length > 0);
  // And the network still works: give it time to finish the blocks and settle.
  sim.runUntil(90_000);
  const after = summarise(sim);
  assert.equal(after.converged, true, after.notConverged.join('\n'));
});
