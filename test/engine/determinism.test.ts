import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarise } from '../../engine/sim/summary.js';
import { run, twoOrgs } from './helpers.js';

test('the same scenario and seed give the same trace hash; another seed gives another', async () => {
  const yaml = twoOrgs('faults:\n  - { at: 20s, crash: peer1.org1 }');
  const a = summarise((await run(yaml, { until: 30_000, keep: false })).sim);
  const b = summarise((await run(yaml, { until: 30_000, keep: false })).sim);
  const c = summarise((await run(yaml, { until: 30_000, seed: 8, keep: false })).sim);
  assert.equal(a.traceHash, b.traceHash);
  assert.equal(a.events, b.events);
  assert.deepEqual(a.messages, b.messages);
  assert.notEqual(a.traceHash, c.traceHash);
});

test('identities are derived from the seed: same seed, same certificates and PKI-IDs', async () => {
  const a = (await run(twoOrgs(), { until: 0, keep: false })).sim;
  const b = (await run(twoOrgs(), { until: 0, keep: false })).sim;
  const c = (await run(twoOrgs(), { until: 0, seed: 9, keep: false })).sim;
  assert.equal(a.peers[0].identity.certPem, b.peers[0].identity.certPem);
  assert.deepEqual(a.peers.map((p) => Buffer.from(p.identity.pkiId).toString('hex')), b.peers.map((p) => Buffer.from(p.identity.pkiId).toString('hex')));
  assert.notEqual(a.peers[0].identity.certPem, c.peers[0].identity.certPem);
});
