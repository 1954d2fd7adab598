/**
 * A tampered message is one journey: its send, the fault that altered it and its receipt carry
 * one message id, a copy that no longer decodes is refused under that id, and the inspector
 * shows its bytes as sent and as received. A rule that strips signatures takes the next signed
 * message, never an unsigned one it could do nothing to.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenario, ScenarioError } from '../../engine/scenario/load.js';
import { Simulation } from '../../engine/sim/simulation.js';
import { SIGNED_TYPES } from '../../engine/sim/tamper.js';
import { describeMessage } from '../../engine/ui/inspect.js';
import { encodeEnvelope } from '../../engine/wire/codec.js';
import { idx, run, twoOrgs } from './helpers.js';

const RECEIPT = new Set(['deliver', 'reject', 'verify']);

test('a flipped alive message that no longer decodes is refused under its own id, and the inspector shows both envelopes and the changed bytes', async () => {
  const { sim, events } = await run(twoOrgs('faults:\n  - { at: 10s, tamper: { from: peer0.org1, type: AliveMessage, count: 20 } }'), { until: 12_000 });
  const undecodable = events.filter((e) => e.kind === 'reject' && /invalid envelope/.test(e.reason ?? ''));
  assert.ok(undecodable.length > 0, 'one of the twenty flips breaks the encoding (seed 7)');
  for (const r of undecodable) {
    assert.equal(r.type, 'AliveMessage', 'the refusal names the message it was');
    assert.ok(r.msg !== undefined, 'the refusal carries the id of the message sent');
    const sent = events.find((e) => e.kind === 'send' && e.msg === r.msg && e.peer === r.other && e.other === r.peer);
    assert.ok(sent, `the send of #${r.msg} to the peer that refused it is in the trace`);
    const d = describeMessage(sim, r.msg!, events);
    assert.ok(d !== null && d.tampered !== undefined, 'the inspector knows it was tampered with');
    const copy = d.tampered.find((c) => c.to === r.peer)!;
    assert.ok(copy, 'the copy to the refusing peer is described');
    assert.equal(copy.decodes, false);
    assert.equal(copy.sentHex, Buffer.from(encodeEnvelope(sim.messages.get(r.msg!)!.envelope)).toString('hex'), 'as sent: the envelope the sender wrote');
    assert.notEqual(copy.receivedHex, copy.sentHex);
    assert.match(copy.what, /^payload byte \d+ flipped$/);
    assert.equal(copy.changed.sentHex.length, 2, 'one byte changed');
    assert.equal(copy.sentHex.slice(2 * copy.changed.at, 2 * copy.changed.at + 2), copy.changed.sentHex);
    assert.equal(copy.receivedHex.slice(2 * copy.changed.at, 2 * copy.changed.at + 2), copy.changed.receivedHex);
  }
});

test('every tampered copy is received under the id it was sent with (one journey, not two messages)', async () => {
  const { events } = await run(twoOrgs('faults:\n  - { at: 10s, tamper: { from: peer0.org1, type: AliveMessage, count: 20 } }\n  - { at: 11s, tamper: { from: peer1.org1, type: DataMessage, count: 3 } }'), { until: 20_000 });
  const faults = events.filter((e) => e.kind === 'fault' && e.reason?.startsWith('tampered'));
  assert.ok(faults.length >= 20, `${faults.length} copies tampered`);
  let received = 0;
  for (const f of faults) {
    assert.ok(events.some((e) => e.kind === 'send' && e.msg === f.msg && e.peer === f.peer && e.other === f.other), `#${f.msg} was sent`);
    if (events.some((e) => RECEIPT.has(e.kind) && e.msg === f.msg && e.peer === f.other && e.other === f.peer)) received++;
  }
  // A copy can also be dropped unchecked as a duplicate (no event at the receiver): most are not.
  assert.ok(received >= faults.length * 0.8, `${received} of ${faults.length} tampered copies received under their own id`);
});

test('a rule that strips signatures takes the next signed message on its edge, not an unsigned one before it', async () => {
  // At 10.9 s on peer1.org1 → peer2.org1 the next message is an unsigned DataMessage, then a signed one follows.
  const yaml = twoOrgs('faults:\n  - { at: 10900ms, tamper: { from: peer1.org1, to: peer2.org1, mode: strip-signature, count: 1 } }');
  const { sim, events } = await run(yaml, { until: 20_000 });
  const [a, b] = [idx(sim, 'peer1.org1'), idx(sim, 'peer2.org1')];
  const later = events.filter((e) => e.kind === 'send' && e.peer === a && e.other === b && e.t >= 10_900);
  assert.ok(later.length > 0 && !SIGNED_TYPES.has(later[0].type!), `the first message after the fault is unsigned (${later[0]?.type})`);
  const taken = events.filter((e) => e.kind === 'fault' && e.reason === 'tampered: signature stripped');
  assert.equal(taken.length, 1);
  assert.ok(SIGNED_TYPES.has(taken[0].type!), `it took a signed ${taken[0].type}`);
  assert.equal(taken[0].msg, later.find((e) => SIGNED_TYPES.has(e.type!))!.msg, 'the first signed message on the edge');
  // Its receiver refused it, under the same id.
  assert.ok(events.some((e) => e.kind === 'reject' && e.msg === taken[0].msg && e.peer === b), 'the stripped message is refused under its id');
});

test('stripping the signature of a type Fabric never signs is refused, in a scenario and when injected', async () => {
  assert.throws(
    () => loadScenario(twoOrgs('faults:\n  - { at: 10s, tamper: { from: peer1.org1, type: DataMessage, mode: strip-signature, count: 1 } }'), 'test.yaml'),
    (err: unknown) => err instanceof ScenarioError && /DataMessage is not signed/.test(err.message),
  );
  const sim = await Simulation.create(loadScenario(twoOrgs(), 'test.yaml'), { traceCapacity: 10 });
  assert.throws(() => sim.applyFault({ kind: 'tamper', rule: { from: 'peer0.org1', to: null, type: 'MembershipResponse', mode: 'strip-signature', count: 1 } }), /MembershipResponse is not signed/);
});
