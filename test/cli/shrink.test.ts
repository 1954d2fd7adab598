/**
 * `gossip-scope shrink`: a scenario with five faults of which one makes it fail comes out with
 * that one, moved as late as it can be while the run still fails the same way; the file it
 * writes fails as the original did; a passing scenario and bad options are refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './in-process-cli.js';
import { ddmin } from '../../engine/debug/shrink.js';
import { loadScenario } from '../../engine/scenario/load.js';

const FIVE_FAULTS = `# Five faults; only the crash of peer1.org1 makes it fail.
name: shrink-five
seed: 3
profile: fabric-v3
orgs:
  - { mspId: Org1MSP, peers: 3, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 3, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
orderer: { batchTimeout: 2s, blocks: 5, txPerBlock: 5 }
network: { latency: { min: 5ms, max: 50ms }, loss: 0 }
faults:
  - { at: 2s, until: 4s, link: { delay: 100ms } }
  - { at: 5s, pause: peer2.org2 }
  - { at: 8s, resume: peer2.org2 }
  - { at: 12s, crash: peer1.org1 }   # the one that matters
  - { at: 20s, pause: peer0.org2 }  # too late for anyone to time it out by 40s
run: { until: 40s }
`;

function scratch(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'shrink-')), name);
  writeFileSync(file, text);
  return file;
}

test('shrink keeps the one fault of five that makes an expectation fail, and moves it as late as it still fails', async () => {
  const file = scratch('five.yaml', FIVE_FAULTS + 'expect:\n  - { alive: peer1.org1, by: 40s, text: "everyone still sees peer1.org1" }\n');
  const r = await cli('shrink', file, '--json');
  assert.equal(r.code, 0, r.err);
  const res = JSON.parse(r.out) as { out: string; faultsBefore: number; faultsAfter: number; failure: { key: string } };
  assert.equal(res.faultsBefore, 5);
  assert.equal(res.faultsAfter, 1);
  assert.equal(res.failure.key, 'expectation: everyone still sees peer1.org1');
  const shrunk = readFileSync(res.out, 'utf8');
  const s = loadScenario(shrunk, res.out);
  assert.equal(s.faults.length, 1);
  assert.deepEqual(s.faults[0].action, { kind: 'crash', peer: 'peer1.org1' });
  // Others must still see it dead by 40s: it is presumed dead ~3s after a dial fails, so the
  // crash can move from 12s to the mid-30s, never to the end.
  assert.ok(s.faults[0].at > 25_000 && s.faults[0].at < 40_000, `crash at ${s.faults[0].at} ms`);
  // What was written is the user's file with the rest taken out: comments and all.
  assert.match(shrunk, /# the one that matters/);
  assert.match(shrunk, /anchorPeers: \[peer0\] \}/);
  // Only the fault lines changed: every other line is the user's, byte for byte.
  const kept = shrunk.split('\n').slice(1).filter((l) => !l.includes('crash: peer1.org1'));
  const original = FIVE_FAULTS.split('\n').filter((l) => !/^\s+- \{ at: /.test(l));
  assert.deepEqual(kept.slice(0, original.length - 1), original.slice(0, -1));
  assert.doesNotMatch(shrunk, /pause:/);
  // And it fails as the original did.
  const check = await cli('run', res.out, '--check', '--json');
  assert.equal(check.code, 1);
  assert.equal(readFileSync(file, 'utf8').includes('pause: peer2.org2'), true, 'the original was changed');
});

test('shrink keeps a failing invariant the same invariant', async () => {
  const file = scratch('inv.yaml', FIVE_FAULTS + 'invariants:\n  - { name: "peer0.org1 declares nobody dead", holds: "dead(peer0.org1) == 0" }\n');
  const out = join(file, '..', 'smaller.yaml');
  const r = await cli('shrink', file, '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /fails on invariant: peer0\.org1 declares nobody dead/);
  assert.match(r.out, /faults: 5 → 1/);
  const s = loadScenario(readFileSync(out, 'utf8'), out);
  assert.deepEqual(s.faults.map((f) => f.action), [{ kind: 'crash', peer: 'peer1.org1' }]);
});

test('shrink refuses a scenario that does not fail, and bad options, with exit 2', async () => {
  const passing = await cli('shrink', 'samples/membership.yaml', '--out', join(mkdtempSync(join(tmpdir(), 'shrink-')), 'x.yaml'));
  assert.equal(passing.code, 2);
  assert.match(passing.err, /^samples\/membership\.yaml:1:1: .*nothing to shrink/m);
  const runs = await cli('shrink', 'samples/membership.yaml', '--max-runs', '0');
  assert.equal(runs.code, 2);
  assert.match(runs.err, /--max-runs must be an integer from 1 to 10000/);
  const dir = await cli('shrink', 'samples/membership.yaml', '--out', '/nonexistent/dir/x.yaml');
  assert.equal(dir.code, 2);
  assert.match(dir.err, /--out \/nonexistent\/dir\/x\.yaml: the folder \/nonexistent\/dir does not exist/);
});

test('ddmin finds a 1-minimal failing subset', async () => {
  let calls = 0;
  const got = await ddmin([1, 2, 3, 4, 5, 6, 7, 8], async (s) => (calls++, s.includes(3) && s.includes(7)));
  assert.deepEqual(got, [3, 7]);
  assert.ok(calls < 30, `${calls} calls`);
  assert.deepEqual(await ddmin([1, 2], async () => true), []);
});
