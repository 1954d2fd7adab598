/**
 * Show me: a finding's consequence measured by running the imported test network in the engine,
 * with the mistake and with the finding's fix, on broken copies of fabric-samples' test network.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnose } from '../../engine/doctor/index.js';
import { consequenceOf, ShowMeError } from '../../engine/doctor/show-me.js';
import type { RuleId } from '../../engine/doctor/finding.js';
import { loadScenario } from '../../engine/scenario/load.js';
import { CONFIGTX, clean, edit, files, hiddenPeer1Org1, withCrypto, withoutAnchors, type Texts } from './network.js';

function findings(t: Texts, rule: RuleId) {
  return diagnose({ files: files(t) }).findings.filter((f) => f.rule === rule);
}

test('external endpoint missing (peer1.org1 added without one): at 2 s peer0.org2 lacks peer1.org1, which the fix gives it, to the end', async () => {
  const t = hiddenPeer1Org1();
  const [f] = findings(t, 'external-endpoint-missing');
  assert.ok(f?.edit, 'the finding and its Quick Fix');
  const c = await consequenceOf(f, files(t));
  assert.equal(c.at, 2000);
  assert.equal(c.peer, 'peer0.org2');
  assert.equal(c.sentence, "at 2 s peer0.org2's membership lacks peer1.org1, which it holds by then with the fix, and at 60 s it still lacks it");
  // Both sides are scenarios that load, and the one with the mistake says what to look at.
  const broken = loadScenario(c.scenario, 'broken');
  assert.match(broken.description ?? '', /What to look at: at 2 s peer0\.org2's membership lacks peer1\.org1/);
  assert.match(c.scenario, /externalEndpoints: \[peer0\]/);
  assert.match(c.fixed!, /externalEndpoints: \[peer0, peer1\]/);
  loadScenario(c.fixed!, 'fixed');
});

test('no anchor peer in either org (setAnchorPeer.sh never run): at 2 s the orgs have not met, and never do; with one anchor they have', async () => {
  const t = withoutAnchors(withoutAnchors(withCrypto(clean()), 'Org1MSP'), 'Org2MSP');
  const fs = findings(t, 'anchor-missing');
  assert.equal(fs.length, 2);
  const org1 = fs.find((f) => f.what.startsWith('Org1MSP'))!;
  const c = await consequenceOf(org1, files(t));
  assert.equal(c.at, 2000);
  assert.equal(c.sentence, "at 2 s peer0.org1's membership lacks peer0.org2, which it holds by then with the fix, and at 60 s it still lacks it");
  assert.match(c.fixed!, /anchorPeers: \[peer0\]/);
});

test('no anchor peer in Org2MSP only: Org2 dials Org1\'s anchor, so no consequence shows, and Show me says so', async () => {
  const t = withoutAnchors(withCrypto(clean()), 'Org2MSP');
  const [f] = findings(t, 'anchor-missing');
  const c = await consequenceOf(f, files(t));
  assert.equal(c.at, undefined);
  assert.equal(c.sentence, 'in this network the mistake shows no consequence in gossip within 60 s: no peer lacks, to the end of the run, a member or a block that the fixed network gives it');
});

test('an anchor peer that is no peer: the simulator cannot run it, and the error says where and why', async () => {
  const t = edit(withCrypto(clean()), CONFIGTX, 'Host: peer0.org2.example.com', 'Host: peer0.org2.example.org');
  const [f] = findings(t, 'anchor-not-a-peer');
  assert.ok(f);
  await assert.rejects(consequenceOf(f, files(t)), (e: unknown) => e instanceof ShowMeError && /^the network as written cannot run in the simulator: .*configtx\.yaml:\d+:\d+: configtx: anchor peer peer0\.org2\.example\.org/.test((e as Error).message));
});

test('without cryptogen files the import is refused, and the error says what is missing', async () => {
  const t = clean();
  const [f] = findings(withoutAnchors(t, 'Org2MSP'), 'anchor-missing');
  await assert.rejects(consequenceOf(f, files(withoutAnchors(t, 'Org2MSP'))), /the network as written cannot run in the simulator: .*compose-test-net\.yaml:1:1: an import needs a crypto-config\.yaml/);
});

test('the Fabric Doctor lesson\'s network (samples/fabric-doctor): one finding, peer1.org1\'s missing external endpoint, which Show me shows at 2 s', async () => {
  const { diagnosePaths } = await import('../../engine/doctor/index.js');
  const d = diagnosePaths(['samples/fabric-doctor']);
  assert.deepEqual(d.findings.map((f) => `${f.rule} ${f.at.file}:${f.at.line}:${f.at.col}`), ['external-endpoint-missing samples/fabric-doctor/compose/compose-test-net.yaml:189:5']);
  const c = await consequenceOf(d.findings[0], [...d.network.texts].map(([path, text]) => ({ path, text })));
  assert.equal(c.sentence, "at 2 s peer0.org2's membership lacks peer1.org1, which it holds by then with the fix, and at 60 s it still lacks it");
});
