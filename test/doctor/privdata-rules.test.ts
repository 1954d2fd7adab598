/**
 * Fabric Doctor's private data rules on the test network's two peers (from its compose file) and a
 * collections_config.json in fabric-samples' format: clean, and broken copies.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eligibleOrgs, findCollectionsConfigs, pdcPeersOf, privateDataFindings, readCollectionsConfig, type PdcPeer } from '../../engine/doctor/privdata-rules.js';
import { ImportError } from '../../engine/import/yaml-source.js';
import { COMPOSE_TEST_NET, composePeers, env } from './test-network-compose.js';

const PATH = 'chaincode/collections_config.json';
/** In the format of fabric-samples' asset-transfer-private-data/chaincode-go/collections_config.json. */
const CONFIG = `[
 {
   "name": "assetCollection",
   "policy": "OR('Org1MSP.member', 'Org2MSP.member')",
   "requiredPeerCount": 1,
   "maxPeerCount": 1,
   "blockToLive":1000000,
   "memberOnlyRead": true,
   "memberOnlyWrite": true
 },
 {
   "name": "Org1MSPPrivateCollection",
   "policy": "OR('Org1MSP.member')",
   "requiredPeerCount": 0,
   "maxPeerCount": 1,
   "blockToLive":3,
   "memberOnlyRead": true,
   "memberOnlyWrite": false,
   "endorsementPolicy": {
     "signaturePolicy": "OR('Org1MSP.member')"
   }
 }
]
`;

function peersOf(compose = COMPOSE_TEST_NET): PdcPeer[] {
  return composePeers(compose).map((p) => ({ peerId: p.peerId, mspId: env(p, 'CORE_PEER_LOCALMSPID')!, externalEndpoint: env(p, 'CORE_PEER_GOSSIP_EXTERNALENDPOINT') }));
}

/** Line and column (1-based) of the first `needle` after `after`. */
function where(text: string, needle: string, after = ''): { line: number; col: number } {
  const i = text.indexOf(needle, text.indexOf(after));
  const before = text.slice(0, i).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

test('the clean test network and its collections give no finding', () => {
  assert.deepEqual(privateDataFindings({ collections: { path: PATH, text: CONFIG }, peers: peersOf() }), []);
});

test('requiredPeerCount that the endorsers cannot meet because org2\'s peer has no external endpoint: one error at the count', () => {
  const compose = COMPOSE_TEST_NET.replace(/\n *- CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0\.org2\.example\.com:9051/, '');
  const peers = peersOf(compose);
  assert.equal(peers[1].externalEndpoint, undefined);
  const fs = privateDataFindings({ collections: { path: PATH, text: CONFIG }, peers });
  assert.equal(fs.length, 1);
  const f = fs[0];
  assert.equal(f.rule, 'pdc-required-unreachable');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.at, { file: PATH, ...where(CONFIG, '1', '"requiredPeerCount"') });
  assert.deepEqual(f.affected, ['peer0.org1.example.com', 'peer0.org2.example.com']);
  assert.equal(f.fabric.log, 'required to disseminate to at least 1 peers, but know of only 0 eligible peers');
  assert.equal(f.fabric.source, 'gossip/privdata/distributor.go');
  assert.match(f.what, /peer0\.org2\.example\.com has no external endpoint/);
  assert.match(f.fix, /^Set CORE_PEER_GOSSIP_EXTERNALENDPOINT .* on peer0\.org2\.example\.com, or lower "requiredPeerCount" to 0$/);
});

test('requiredPeerCount above the eligible peers the policy allows, everyone reachable: the finding says the policy is why', () => {
  const text = CONFIG.replace('"requiredPeerCount": 0', '"requiredPeerCount": 1');
  const fs = privateDataFindings({ collections: { path: PATH, text }, peers: peersOf() });
  // Org1MSPPrivateCollection: only peer0.org1 is eligible, and it does not count itself.
  assert.deepEqual(fs.map((f) => [f.rule, f.at.line, f.affected]), [['pdc-required-unreachable', where(text, '"requiredPeerCount": 1', 'Org1MSPPrivate').line, ['peer0.org1.example.com']]]);
  assert.match(fs[0].what, /makes only 1 peer of the network eligible/);
});

test('a canSee that says who reaches whom replaces the disclosure rule', () => {
  const fs = privateDataFindings({ collections: { path: PATH, text: CONFIG }, peers: peersOf(), canSee: (a, b) => a.mspId === b.mspId });
  assert.deepEqual(fs.map((f) => f.rule), ['pdc-required-unreachable']);
});

test('maxPeerCount below requiredPeerCount: one error at maxPeerCount, in Fabric\'s words; not also the dissemination rule', () => {
  const text = CONFIG.replace('"requiredPeerCount": 1,\n   "maxPeerCount": 1', '"requiredPeerCount": 2,\n   "maxPeerCount": 1');
  const fs = privateDataFindings({ collections: { path: PATH, text }, peers: peersOf() });
  assert.equal(fs.length, 1);
  assert.equal(fs[0].rule, 'pdc-max-below-required');
  assert.deepEqual(fs[0].at, { file: PATH, ...where(text, '1', '"maxPeerCount"') });
  assert.equal(fs[0].fabric.log, 'collection-name: assetCollection -- maximum peer count (1) cannot be less than the required peer count (2)');
  assert.equal(fs[0].fabric.source, 'core/chaincode/lifecycle/scc.go');
  // No maxPeerCount written means 0: the finding sits on the collection's name.
  const none = CONFIG.replace('"maxPeerCount": 1,\n   "blockToLive":1000000', '"blockToLive":1000000');
  const f2 = privateDataFindings({ collections: { path: PATH, text: none }, peers: peersOf() });
  assert.deepEqual(f2.map((f) => [f.rule, f.at.line, f.at.col]), [['pdc-max-below-required', 3, 12]]);
  assert.match(f2[0].what, /maxPeerCount 0 \(not written, so 0\)/);
});

test('policies: OR, AND, OutOf in any case; a peer alone satisfies member or peer principals, never AND of two', () => {
  assert.deepEqual([...eligibleOrgs({ policy: "OR('Org1MSP.member', 'Org2MSP.peer', 'Org3MSP.admin')" })], ['Org1MSP', 'Org2MSP']);
  assert.deepEqual([...eligibleOrgs({ policy: "AND('Org1MSP.member', 'Org2MSP.member')" })], []);
  assert.deepEqual([...eligibleOrgs({ policy: "outof(1, 'Org1MSP.member', and('Org2MSP.member', 'Org3MSP.member'))" })], ['Org1MSP']);
  assert.deepEqual([...eligibleOrgs({ policy: "'Org1MSP.member'" })], ['Org1MSP']);
});

test('bad input is an error at its place: JSON that Go would refuse, a bad policy, a count that is not a number, not an array', () => {
  const bad = (text: string) => {
    try {
      readCollectionsConfig({ path: PATH, text });
    } catch (e) {
      assert.ok(e instanceof ImportError);
      return e.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`);
    }
    assert.fail('no error');
  };
  assert.match(bad('[{"name": }]')[0], /^1:\d+: not valid JSON/);
  assert.match(bad(CONFIG.replace("OR('Org1MSP.member')\"", "OR('Org1MSP.member'\""))[0], /^13:14: cannot read the policy: expected a closing parenthesis/);
  assert.deepEqual(bad(CONFIG.replace('"requiredPeerCount": 1', '"requiredPeerCount": "1"')), ['5:25: "requiredPeerCount" must be a whole number, not "1"']);
  assert.match(bad('{"name": "x"}')[0], /^1:1: a collections config is a JSON array/);
  assert.match(bad('\u0000\u0001\u0002')[0], /not valid JSON/);
});

test('collections configs are found below a folder as fabric-samples lays them out; peers as written become dissemination peers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gossip-scope-pdc-'));
  try {
    mkdirSync(join(dir, 'asset-transfer-private-data', 'chaincode-go'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(dir, 'asset-transfer-private-data', 'chaincode-go', 'collections_config.json'), CONFIG);
    writeFileSync(join(dir, 'node_modules', 'x', 'collections_config.json'), '[]');
    writeFileSync(join(dir, 'package.json'), '{}');
    const found = findCollectionsConfigs([dir]);
    assert.deepEqual(found.map((f) => f.path), [join(dir, 'asset-transfer-private-data', 'chaincode-go', 'collections_config.json')]);
    assert.equal(found[0].text, CONFIG);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(
    pdcPeersOf([{ id: 'peer0.org1.example.com', mspId: 'Org1MSP', external: { host: 'peer0.org1.example.com', port: 7051 } }, { id: 'peer0.org2.example.com', mspId: 'Org2MSP' }, { id: 'no-msp' }]),
    [
      { peerId: 'peer0.org1.example.com', mspId: 'Org1MSP', externalEndpoint: 'peer0.org1.example.com:7051' },
      { peerId: 'peer0.org2.example.com', mspId: 'Org2MSP', externalEndpoint: undefined },
    ],
  );
});
