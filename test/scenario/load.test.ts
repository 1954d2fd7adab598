import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configToYamlShape, profileConfig } from '../../engine/fabric/config.js';
import { loadScenario, loadScenarioFile, ScenarioError } from '../../engine/scenario/load.js';
import type { Scenario } from '../../engine/scenario/types.js';

// The sketch from DESIGN.md ("The scenario file"), verbatim: these keys are a contract.
const SKETCH = `name: two-orgs-partition
seed: 7
profile: classic-gossip          # or fabric-v3
orgs:
  - { mspId: Org1MSP, peers: 4, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 4, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
orderer: { batchTimeout: 2s, blocks: 20, txPerBlock: 10 }
gossip: { propagatePeerNum: 3, pullInterval: 4s, state: { enabled: true } }   # core.yaml names
network: { latency: { min: 5ms, max: 50ms }, loss: 0 }
faults:
  - { at: 10s, crash: peer1.org1 }
  - { at: 20s, partition: [[Org1MSP], [Org2MSP]] }
  - { at: 40s, heal: all }
run: { until: 90s }
`;

const samplePath = (name: string) => join(__dirname, '../../samples', name);

test('the DESIGN.md sketch loads with every default made explicit', () => {
  const s = loadScenario(SKETCH, 'sketch.yaml');
  assert.equal(s.name, 'two-orgs-partition');
  assert.equal(s.file, 'sketch.yaml');
  assert.equal(s.seed, 7);
  assert.equal(s.profile, 'classic-gossip');
  assert.deepEqual(s.orgs[0], {
    mspId: 'Org1MSP',
    name: 'org1',
    domain: 'org1.example.com',
    peers: 4,
    anchorPeers: ['peer0'],
    bootstrap: ['peer0'],
    externalEndpoints: ['peer0', 'peer1', 'peer2', 'peer3'],
  });
  assert.equal(s.orgs[1].name, 'org2');
  assert.deepEqual(s.channels, [{ name: 'mychannel', orgs: ['Org1MSP', 'Org2MSP'], collections: [] }]);
  assert.deepEqual(s.orderer, { batchTimeout: 2000, blocks: 20, txPerBlock: 10, start: 1000 });
  assert.deepEqual(s.network, { latency: { min: 5, max: 50 }, loss: 0, links: [] });
  assert.deepEqual(s.lateJoiners, []);
  assert.deepEqual(s.run, { until: 90000 });

  const expected = profileConfig('classic-gossip');
  expected.gossip.propagatePeerNum = 3;
  expected.gossip.pullInterval = 4000;
  expected.gossip.state.enabled = true;
  assert.deepEqual(s.config, expected);

  assert.deepEqual(
    s.faults.map((f) => [f.at, f.action, f.pos]),
    [
      [10000, { kind: 'crash', peer: 'peer1.org1' }, { line: 13, col: 5 }],
      [20000, { kind: 'partition', groups: [['Org1MSP'], ['Org2MSP']] }, { line: 14, col: 5 }],
      [40000, { kind: 'heal' }, { line: 15, col: 5 }],
    ],
  );
});

test('samples/two-orgs.yaml is the sketch, with its comments', () => {
  const text = readFileSync(samplePath('two-orgs.yaml'), 'utf8');
  assert.ok(text.endsWith(SKETCH), 'the sample ends with the sketch verbatim');
  // Same scenario; only the file name and the faults' line numbers (the header comment) differ.
  const strip = (sc: Scenario) => ({ ...sc, file: '', expect: [], faults: sc.faults.map(({ at, action }) => ({ at, action })) });
  assert.deepEqual(strip(loadScenarioFile(samplePath('two-orgs.yaml'))), strip(loadScenario(SKETCH)));
});

test('samples/membership.yaml: fabric-v3, a pause and a crash, a lesson text', () => {
  const s = loadScenarioFile(samplePath('membership.yaml'));
  assert.equal(s.profile, 'fabric-v3');
  assert.deepEqual(s.config, profileConfig('fabric-v3'));
  assert.equal(s.orgs.length, 2);
  assert.ok(s.orgs.every((o) => o.peers === 4));
  assert.equal(s.orderer.blocks, 10);
  assert.deepEqual(s.faults.map((f) => [f.at, f.action]), [
    [20000, { kind: 'pause', peer: 'peer2.org1' }],
    [20000, { kind: 'crash', peer: 'peer3.org2' }],
  ]);
  assert.equal(s.run.until, 60000);
  assert.match(s.description ?? '', /5s/);
  assert.match(s.description ?? '', /25s/);
});

test('defaults of a minimal scenario', () => {
  const s = loadScenario('name: m\norgs: [{ mspId: AlphaMSP, peers: 2 }]\nchannels: [{ name: c, orgs: [AlphaMSP] }]\n');
  assert.equal(s.file, '<inline>');
  assert.equal(s.seed, 1);
  assert.equal(s.profile, 'fabric-v3');
  assert.deepEqual(s.orgs[0], {
    mspId: 'AlphaMSP',
    name: 'alpha',
    domain: 'alpha.example.com',
    peers: 2,
    anchorPeers: [],
    bootstrap: ['peer0'],
    externalEndpoints: ['peer0', 'peer1'],
  });
  assert.deepEqual(s.orderer, { batchTimeout: 2000, blocks: 10, txPerBlock: 10, start: 1000 });
  assert.deepEqual(s.network, { latency: { min: 5, max: 50 }, loss: 0, links: [] });
  assert.deepEqual(s.faults, []);
  assert.deepEqual(s.run, { until: 60000 });
  assert.deepEqual(s.config, profileConfig('fabric-v3'));
  assert.equal(s.description, undefined);
  assert.deepEqual(s.expect, []);
});

test('every optional section', () => {
  const s = loadScenario(`name: all
orgs:
  - { mspId: Org1MSP, name: acme, domain: acme.test, peers: 3, bootstrap: [peer1], externalEndpoints: [peer0] }
  - { mspId: Org2MSP, peers: 1, externalEndpoints: none }
channels: [{ name: c, orgs: [Org1MSP, Org2MSP] }]
deliveryclient: { blockGossipEnabled: true }
gossip: { election: { leaderAliveThreshold: 1m30s }, pvtData: { implicitCollectionDisseminationPolicy: { maxPeerCount: 2 } } }
network:
  latency: { min: 1ms, max: 2ms }
  loss: 0.25
  links: [{ between: [peer0.acme, peer0.org2], latency: { min: 100ms, max: 200ms }, loss: 0.5 }]
peers: { start: [{ peer: peer2.acme, at: 30s }] }
faults:
  - { at: 40s, restart: peer1.acme }
  - { at: 5s, partition: [[peer0.acme, Org2MSP], [peer1.acme]] }
  - { at: 5s, crash: peer1.acme }
expect: [{ converged: true }]
`);
  assert.equal(s.orgs[0].domain, 'acme.test');
  assert.deepEqual(s.orgs[0].bootstrap, ['peer1']);
  assert.deepEqual(s.orgs[0].externalEndpoints, ['peer0']);
  assert.deepEqual(s.orgs[1].externalEndpoints, []);
  assert.equal(s.config.deliveryclient.blockGossipEnabled, true);
  assert.equal(s.config.gossip.election.leaderAliveThreshold, 90000);
  assert.deepEqual(s.config.gossip.pvtData.implicitCollectionDisseminationPolicy, { requiredPeerCount: 0, maxPeerCount: 2 });
  assert.deepEqual(s.network, {
    latency: { min: 1, max: 2 },
    loss: 0.25,
    links: [{ between: ['peer0.acme', 'peer0.org2'], latency: { min: 100, max: 200 }, loss: 0.5 }],
  });
  assert.deepEqual(s.lateJoiners, [{ peer: 'peer2.acme', at: 30000 }]);
  // Sorted by time; the two at 5s keep the file's order.
  assert.deepEqual(s.faults.map((f) => [f.at, f.action.kind, f.pos?.line]), [
    [5000, 'partition', 15],
    [5000, 'crash', 16],
    [40000, 'restart', 14],
  ]);
  assert.deepEqual(s.expect.map((e) => e.check), [{ kind: 'converged' }]);
});

test('every peer.gossip key can be set with its core.yaml name', () => {
  // classic-gossip's whole configuration, written as core.yaml would, over the fabric-v3 profile.
  const shape = configToYamlShape(profileConfig('classic-gossip')).peer as Record<string, unknown>;
  const text = `name: all-keys
orgs: [{ mspId: Org1MSP, peers: 1 }]
channels: [{ name: c, orgs: [Org1MSP] }]
gossip: ${JSON.stringify(shape.gossip)}
deliveryclient: ${JSON.stringify(shape.deliveryclient)}
`;
  assert.deepEqual(loadScenario(text).config, profileConfig('classic-gossip'));
});

test('loadScenarioFile reports an unreadable file as a ScenarioError', () => {
  assert.throws(
    () => loadScenarioFile('/nonexistent/x.yaml'),
    (e: unknown) => e instanceof ScenarioError && /^\/nonexistent\/x\.yaml:1:1: cannot read the file/.test(e.message),
  );
});
