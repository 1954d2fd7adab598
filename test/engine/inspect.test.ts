import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeMessage, describePeer, networkOf, peerStates } from '../../engine/ui/inspect.js';
import { run, twoOrgs } from './helpers.js';

test('the inspector describes a signed message: fields, bytes, DER r and s, low-S, signer, verdicts', async () => {
  const { sim, events } = await run(twoOrgs(), { until: 12_000 });
  const send = events.find((e) => e.kind === 'send' && e.type === 'AliveMessage')!;
  const d = describeMessage(sim, send.msg!, events)!;
  assert.equal(d.type, 'AliveMessage');
  assert.ok(d.signature && d.signature.lowS && /^[0-9a-f]+$/.test(d.signature.r) && /^[0-9a-f]+$/.test(d.signature.s));
  assert.match(d.signer!.mspId, /^Org[12]MSP$/);
  assert.match(d.signer!.subject, /CN=peer\d\.org\d\.example\.com/);
  assert.ok(d.verdicts.length > 0 && d.verdicts.every((v) => v.ok));
  const fields = d.fields as { content: string; aliveMsg: { timestamp: { incNum: string } } };
  assert.equal(fields.content, 'aliveMsg');
  assert.match(fields.aliveMsg.timestamp.incNum, /^\d+$/);
  JSON.stringify(d); // JSON-safe
  const block = events.find((e) => e.kind === 'send' && e.type === 'DataMessage');
  if (block) assert.equal(describeMessage(sim, block.msg!)!.signature, null);
});

test('the inspector describes a peer: membership with timestamps, ledger, leader, StateInfo, world state', async () => {
  const { sim } = await run(twoOrgs(), { until: 30_000, keep: false });
  const net = networkOf(sim);
  assert.equal(net.peers.length, 8);
  const states = peerStates(sim);
  assert.equal(states.filter((s) => Object.values(s.leader).some(Boolean)).length, 2);
  const p = describePeer(sim, 0)!;
  assert.equal(p.membership.alive.length, 7);
  assert.ok(p.channels[0].height > 1);
  assert.ok(p.channels[0].stateInfo.length >= 3);
  assert.ok(p.channels[0].worldState.length > 0);
  JSON.stringify(p);
});
