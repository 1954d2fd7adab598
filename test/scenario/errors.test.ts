import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario, ScenarioError } from '../../engine/scenario/load.js';

/** Loads `text` expecting a ScenarioError whose lines are exactly `expected` (`line:col: message`). */
function expectErrors(text: string, expected: string[]): ScenarioError {
  let caught: unknown;
  try {
    loadScenario(text, 'bad.yaml');
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ScenarioError, `expected a ScenarioError, got ${String(caught)}`);
  assert.equal(caught.message, expected.map((l) => `bad.yaml:${l}`).join('\n'));
  assert.deepEqual(
    caught.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`),
    expected,
  );
  return caught;
}

// A valid scenario; each case below breaks one line of it.
const lines = [
  'name: base', //                                           1
  'orgs:', //                                                2
  '  - { mspId: Org1MSP, peers: 4, anchorPeers: [peer0] }', // 3
  '  - { mspId: Org2MSP, peers: 2 }', //                     4
  'channels:', //                                            5
  '  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }', //    6
  'gossip:', //                                              7
  '  propagatePeerNum: 3', //                                8
  '  pullInterval: 4s', //                                   9
  'network: { latency: { min: 5ms, max: 50ms } }', //        10
  'faults:', //                                              11
  '  - { at: 10s, crash: peer1.org1 }', //                   12
  'run: { until: 60s }', //                                  13
];
const base = (replace: Record<number, string> = {}) => lines.map((l, i) => replace[i + 1] ?? l).join('\n') + '\n';

test('the base scenario is valid', () => {
  assert.equal(loadScenario(base()).name, 'base');
});

test('broken YAML: position of the syntax error', () => {
  expectErrors(base({ 6: '  - { name: mychannel, orgs: [Org1MSP, Org2MSP }' }), [
    '6:48: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    '6:49: YAML: Flow map in block collection must be sufficiently indented and end with a }',
  ]);
  expectErrors(base({ 9: '  pullInterval 4s' }), ['9:3: YAML: Implicit map keys need to be followed by map values']);
});

test('duplicate keys and a document that is not a mapping', () => {
  expectErrors(base({ 13: 'name: again' }), ['13:1: YAML: Map keys must be unique']);
  expectErrors('- name: x\n', ['1:1: a scenario must be a mapping of keys (name:, orgs:, channels:, ...)']);
  expectErrors('', ['1:1: a scenario must be a mapping of keys (name:, orgs:, channels:, ...)']);
});

test('unknown key, with a suggestion among the keys allowed there', () => {
  expectErrors(base({ 8: '  propagatePeerNumm: 3' }), [
    "8:3: unknown key 'propagatePeerNumm' in gossip; did you mean 'propagatePeerNum'?",
  ]);
  expectErrors(base({ 9: '  state: { enabld: true }' }), ["9:12: unknown key 'enabld' in gossip.state; did you mean 'enabled'?"]);
  expectErrors(base({ 13: 'runn: { until: 60s }' }), ["13:1: unknown key 'runn' in the scenario; did you mean 'run'?"]);
  expectErrors(base({ 13: 'zzzzzz: 1' }), ["13:1: unknown key 'zzzzzz' in the scenario"]);
});

test('bad duration', () => {
  expectErrors(base({ 9: '  pullInterval: 4 seconds' }), ["9:17: expected a duration like 4s or 500ms, got '4 seconds'"]);
  expectErrors(base({ 13: 'run: { until: 60 }' }), ['13:15: expected a duration like 4s or 500ms, got 60']);
  expectErrors(base({ 12: '  - { at: -10s, crash: peer1.org1 }' }), ["12:11: a duration must not be negative, got '-10s'"]);
});

test('numbers out of range, missing keys, wrong types', () => {
  expectErrors(base({ 4: '  - { mspId: Org2MSP, peers: 0 }' }), ['4:30: must be an integer between 1 and 500, got 0']);
  expectErrors(base({ 4: '  - { mspId: Org2MSP }' }), ["4:5: missing key 'peers' in orgs[1]"]);
  expectErrors(base({ 10: 'network: { loss: 2 }' }), ['10:18: must be a number between 0 and 1, got 2']);
  expectErrors(base({ 7: 'gossip: []', 8: '', 9: '' }), ['7:9: expected a mapping, got a list']);
  expectErrors(base({ 12: '  - { at: 10s }' }), ['12:5: a fault needs exactly one of crash, restart, pause, resume, partition, heal, link, tamper, byzantine or expire']);
});

test('unknown org in a channel', () => {
  expectErrors(base({ 6: '  - { name: mychannel, orgs: [Org1MSP, Org3MSP] }' }), [
    "6:40: unknown org 'Org3MSP' in channel mychannel; did you mean 'Org1MSP'?",
  ]);
});

test('duplicate org and duplicate peer ids', () => {
  expectErrors(base({ 4: '  - { mspId: Org1MSP, peers: 2 }', 6: '  - { name: mychannel, orgs: [Org1MSP] }' }), ["4:14: duplicate mspId 'Org1MSP' (also orgs[0])"]);
  // Different MSP IDs, same name: peer0.org1 twice.
  expectErrors(base({ 4: '  - { mspId: Org2MSP, name: org1, peers: 2 }' }), [
    "4:29: duplicate org name 'org1' (also orgs[0]): peer ids like peer0.org1 would clash; set name:",
  ]);
});

test('unknown peers: in faults, links, late joiners and org peer lists', () => {
  expectErrors(base({ 12: '  - { at: 10s, crash: peer4.org1 }' }), ["12:23: unknown peer 'peer4.org1'; did you mean 'peer0.org1'?"]);
  expectErrors(base({ 12: '  - { at: 10s, restart: peer1.org9 }' }), ["12:25: unknown peer 'peer1.org9'; did you mean 'peer1.org1'?"]);
  expectErrors(base({ 3: '  - { mspId: Org1MSP, peers: 4, anchorPeers: [peer4] }' }), [
    "3:47: unknown peer 'peer4' in Org1MSP, which has 4 peers (peer0..peer3)",
  ]);
  expectErrors(base({ 13: 'run: { until: 60s }\npeers: { start: [{ peer: peer2.org2, at: 5s }] }' }), [
    "14:26: unknown peer 'peer2.org2'; did you mean 'peer2.org1'?",
  ]);
  expectErrors(base({ 10: 'network: { links: [{ between: [peer0.org1, peer0.org3] }] }' }), [
    "10:44: unknown peer 'peer0.org3'; did you mean 'peer0.org1'?",
  ]);
});

test('partitions: unknown names and peers in two groups', () => {
  expectErrors(base({ 12: '  - { at: 10s, partition: [[Org1MSP], [Org2MSP, Nobody]] }' }), [
    "12:49: 'Nobody' is neither an MSP ID, a peer id nor 'orderer'",
  ]);
  expectErrors(base({ 12: '  - { at: 10s, partition: [[Org1MSP], [Org2MSP, peer0.org1]] }' }), [
    "12:49: peer 'peer0.org1' is in two partition groups",
  ]);
});

test('latency min > max', () => {
  expectErrors(base({ 10: 'network: { latency: { min: 60ms, max: 50ms } }' }), ['10:28: latency min 60ms is greater than max 50ms']);
});

test('fault after run.until', () => {
  expectErrors(base({ 12: '  - { at: 61s, crash: peer1.org1 }' }), ['12:11: fault at 61s is after the end of the run (run.until 60s)']);
});

test('all problems are reported, sorted by position', () => {
  const err = expectErrors(
    base({
      6: '  - { name: mychannel, orgs: [Org1MSP, Org3MSP] }',
      10: 'network: { latency: { min: 60ms, max: 50ms } }',
      12: '  - { at: 61s, crash: peer7.org1 }',
    }),
    [
      "6:40: unknown org 'Org3MSP' in channel mychannel; did you mean 'Org1MSP'?",
      '10:28: latency min 60ms is greater than max 50ms',
      '12:11: fault at 61s is after the end of the run (run.until 60s)',
      "12:23: unknown peer 'peer7.org1'; did you mean 'peer0.org1'?",
    ],
  );
  assert.equal(err.diagnostics[0].file, 'bad.yaml');
  assert.equal(err.name, 'ScenarioError');
});
