/**
 * The hostile scenarios of issue 15, each refused before the run with file:line:col and the bound
 * (or, where Fabric would run it, loaded as Fabric reads it with a warning).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, ScenarioError } from '../../engine/scenario/load.js';
import { LIMITS, boundedSchema } from '../../engine/scenario/bounds.js';
import { runCostProblem } from '../../engine/scenario/run-cost.js';
import { Simulation } from '../../engine/sim/simulation.js';

const base = (extra = '', peers = 3) =>
  `name: t\norgs:\n  - { mspId: Org1MSP, peers: ${peers} }\nchannels:\n  - { name: ch, orgs: [Org1MSP] }\n${extra}`;

/** The single `line:col: message` the scenario is refused with. */
function refusal(text: string): string {
  const t0 = Date.now();
  try {
    loadScenario(text, 'x.yaml');
  } catch (e) {
    assert.ok(e instanceof ScenarioError, `not a ScenarioError: ${String(e)}`);
    assert.ok(Date.now() - t0 < 5000, 'refused at once');
    return e.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`).join('\n');
  }
  assert.fail('accepted');
}

test('the shipped schema file carries every maximum of the bounds table', () => {
  const shipped = JSON.parse(readFileSync(join(__dirname, '../../engine/scenario/scenario.schema.json'), 'utf8'));
  assert.deepEqual(shipped, boundedSchema(shipped));
});

test('zero and sub-nanosecond intervals: Fabric reads 0 as unset and uses its default, with a warning', () => {
  for (const v of ['0s', '"0"', '0.000001ns']) {
    const s = loadScenario(base(`gossip: { aliveTimeInterval: ${v} }\n`), 'x.yaml');
    assert.equal(s.config.gossip.aliveTimeInterval, 5000, v);
    assert.match(s.warnings?.[0].message ?? '', /aliveTimeInterval: .*0 is unset to Fabric \(GetDurationOrDefault\), which uses its default 5s instead; so does this run$/);
    assert.deepEqual([s.warnings![0].line, s.warnings![0].col], [6, 30]);
  }
  // Derived defaults follow Fabric's order: expiration = 5 × alive, reconnect = expiration.
  const d = loadScenario(base('gossip: { aliveTimeInterval: 2s, aliveExpirationTimeout: 0s, reconnectInterval: 0s, propagatePeerNum: 0, sendBuffSize: 0 }\n'), 'x.yaml');
  assert.equal(d.config.gossip.aliveExpirationTimeout, 10_000);
  assert.equal(d.config.gossip.reconnectInterval, 10_000);
  assert.equal(d.config.gossip.propagatePeerNum, 3);
  assert.equal(d.config.gossip.sendBuffSize, 20, "Fabric's code default, not core.yaml's 200");
  assert.deepEqual(
    d.warnings?.map((w) => w.message.split(' (')[0]),
    ['aliveExpirationTimeout: 0 is unset to Fabric', 'reconnectInterval: 0 is unset to Fabric', 'propagatePeerNum: 0 is unset to Fabric', 'sendBuffSize: 0 is unset to Fabric'],
  );
  assert.match(d.warnings![0].message, /default 10s instead/);
  // Per-peer overrides are read the same way.
  const p = loadScenario(base('peers: { config: [{ peers: [peer1.org1, peer2.org1], gossip: { pullInterval: 0s } }] }\n'), 'x.yaml');
  assert.equal(p.peerConfigs['peer2.org1'].config.gossip.pullInterval, 4000);
  // Keys Fabric reads as written keep their 0.
  assert.equal(loadScenario(base('gossip: { pvtData: { pushAckTimeout: 0s } }\n'), 'x.yaml').config.gossip.pvtData.pushAckTimeout, 0);
});

test('intervals the clock cannot run, and a 0 Fabric would spin on, are refused with the range', () => {
  // A negative interval is said once (it was said twice at the same place).
  assert.equal(refusal(base('gossip: { aliveTimeInterval: -1s }\n')), "6:30: a duration must not be negative, got '-1s'");
  assert.equal(refusal(base('gossip: { pullInterval: 1us }\n')), "6:25: pullInterval must be 0 (Fabric's default) or between 1ms and 24h, got '1us' (the clock counts milliseconds)");
  assert.match(refusal(base('gossip: { state: { checkInterval: 0s } }\n')), /^6:35: state\.checkInterval must be between 1ms and 24h, got '0s' \(Fabric keeps 0/);
});

test('huge durations: 400 digits, 100000000h, an infinite timeout', () => {
  const nines = '9'.repeat(400);
  assert.match(refusal(base(`run: { until: ${nines}s }\n`)), /^6:15: a duration is at most 24h \(.*\), got '9{28}…\(401 characters\)'$/);
  assert.match(refusal(base('run: { until: 100000000h }\n')), /^6:15: a duration is at most 24h .*got '100000000h'$/);
  assert.match(refusal(base(`gossip: { aliveExpirationTimeout: ${nines}h }\n`)), /^6:35: a duration is at most 24h/);
});

test('counts: peers, orgs, blocks, transactions, each with its bound and why', () => {
  assert.match(refusal(base('', 1_000_000_000)), /^3:30: must be an integer between 1 and 500, got 1000000000 \(peers over all orgs: .*\)/);
  const orgs = (n: number, peers: number) => `name: t\norgs:\n${Array.from({ length: n }, (_, i) => `  - { mspId: O${i}MSP, peers: ${peers} }`).join('\n')}\nchannels:\n  - { name: ch, orgs: [O0MSP] }\n`;
  assert.match(refusal(orgs(5000, 1)), /^3:3: orgs must list at most 100 items, got 5,000 \(/);
  assert.match(refusal(orgs(100, 100)), /^3:3: the orgs have 10,000 peers in all; a network has at most 500 \(/);
  assert.match(refusal(base('orderer: { blocks: 1000000000, txPerBlock: 1000000000 }\n')), /^6:20: must be an integer between 0 and 100,000, got 1000000000 .*\n6:44: must be an integer between 1 and 10,000/);
  assert.match(refusal(base('orderer: { blocks: 100000, txPerBlock: 10000 }\n')), /^6:20: the peers would commit 3,000,000,000 transactions in all .* at most 5,000,000/);
});

test('the run as a whole: too many events for this machine is refused, with the longest run that fits', () => {
  const big = `name: t\norgs:\n  - { mspId: Org1MSP, peers: 250 }\n  - { mspId: Org2MSP, peers: 250 }\nchannels:\n  - { name: ch, orgs: [Org1MSP, Org2MSP] }\nrun: { until: 10m }\n`;
  assert.match(refusal(big), /^7:15: this run of 500 peers for 10m would cause about 3\.8e\+8 events, more than the 30,000,000 .*run\.until 47s at most/);
  // The same network for 10 s fits (measured: 4 min, 1.2 GB).
  const ok = loadScenario(big.replace('10m', '10s'), 'x.yaml');
  assert.equal(runCostProblem(ok), undefined);
  assert.match(runCostProblem(ok, 3_600_000) ?? '', /would cause about/);
  assert.match(refusal(base('gossip: { aliveTimeInterval: 1ms }\nrun: { until: 24h }\n')), /events/);
});

test('a seed beyond 2^53 is refused, not run as 1e+29', () => {
  assert.equal(refusal(base('seed: 99999999999999999999999999999\n')), '6:7: 99999999999999999999999999999 cannot be held exactly: integers here are between -9007199254740991 and 9007199254740991 (2^53 − 1)');
  assert.equal(loadScenario(base('seed: 9007199254740991\n'), 'x.yaml').seed, Number.MAX_SAFE_INTEGER);
});

test('a certificate that expires after run.until is flagged with a warning (Fabric would run it)', () => {
  const s = loadScenario(base('peers: { certExpiry: [{ peer: peer0.org1, at: 2h }] }\n'), 'x.yaml');
  assert.deepEqual(s.warnings, [{ file: 'x.yaml', line: 6, col: 47, message: "peer0.org1's certificate expires at 2h, after the run ends (run.until 60s): the expiry will not be seen" }]);
  assert.equal(loadScenario(base('peers: { certExpiry: [{ peer: peer0.org1, at: 30s }] }\n'), 'x.yaml').warnings, undefined);
});

test('deep nesting says so, with where, instead of "Maximum call stack size exceeded"', () => {
  for (const n of [40, 5000]) {
    const flow = refusal(`name: x\norgs: ${'['.repeat(n)}${']'.repeat(n)}\n`);
    assert.match(flow, /^2:\d+: the YAML is nested too deeply: a scenario nests at most 32 \(/, flow);
    assert.doesNotMatch(flow, /call stack/);
  }
  const block = refusal('name: x\norgs:\n' + Array.from({ length: 1000 }, (_, i) => ' '.repeat(i) + '- ').join('\n') + 'a\n');
  assert.match(block, /^\d+:\d+: the YAML is nested too deeply/);
});

test('text over the size bound is refused before it is parsed', () => {
  const huge = base('description: "' + 'x'.repeat(LIMITS.scenarioBytes.max) + '"\n');
  assert.match(refusal(huge), /^1:1: the scenario is 1,048,\d{3} bytes; a scenario is at most 1 MiB \(/);
});

// The push scenario of the issue 15 audit: accepted with an estimate of 1.5 M events, it ran 45.4 M
// (bound 30 M) in 275 s at 1.35 GB. Every pushed message goes to propagatePeerNum peers
// propagateIterations times, and the estimate ignored it.
const push = (until: string, iterations = 100, peerNum = 100) =>
  `name: push\norgs:\n  - { mspId: Org1MSP, peers: 100 }\nchannels:\n  - { name: ch, orgs: [Org1MSP] }\n` +
  `orderer: { batchTimeout: 1ms, blocks: 1000, txPerBlock: 1 }\n` +
  `gossip: { propagateIterations: ${iterations}, propagatePeerNum: ${peerNum}, maxPropagationBurstSize: 1, maxPropagationBurstLatency: 1ms }\n` +
  `run: { until: ${until} }\n`;

test('a wide push fanout is counted: the audit\'s push scenario is refused before the run, with the estimate and the bound', () => {
  assert.match(refusal(push('60s')), /^8:15: this run of 100 peers for 1m with a push fanout of 9,900 \(propagatePeerNum × propagateIterations\) would cause about 9\.5e\+7 events, more than the 30,000,000 a run may have .*run\.until \d+s at most/);
  // Measured 6.3 M events for 10 s (200 blocks): under the bound, and accepted.
  assert.equal(runCostProblem(loadScenario(push('10s').replace('blocks: 1000', 'blocks: 200'), 'x.yaml')), undefined);
  // Fabric's fanout (3 × 1) keeps the estimate it had.
  assert.equal(runCostProblem(loadScenario(push('60s', 1, 3), 'x.yaml')), undefined);
  // Only the blocks cut by run.until count: 50,000 blocks a 2 s batchTimeout apart are 8 in 15 s.
  const longChain = push('15s').replace('batchTimeout: 1ms, blocks: 1000', 'batchTimeout: 2s, blocks: 50000');
  assert.equal(runCostProblem(loadScenario(longChain, 'x.yaml')), undefined);
});

test('a run that reaches the event bound stops there and says so (the backstop behind the estimate)', async () => {
  const s = loadScenario(push('10s', 1, 3).replace('blocks: 1000', 'blocks: 20').replace('peers: 100', 'peers: 4'), 'x.yaml');
  const was = LIMITS.events.max;
  LIMITS.events.max = 500;
  try {
    const sim = await Simulation.create(s, { traceCapacity: 1000 });
    sim.runUntil(s.run.until);
    assert.match(sim.kernel.halted ?? '', /^the run stopped at 500 events \(simulated \d+ms\), the most a run may have/);
    // A task may emit a few events after the bound's one; then nothing runs, and the clock stays.
    assert.ok(sim.trace.count >= 500 && sim.trace.count < 550, `${sim.trace.count} events`);
    assert.ok(sim.kernel.now < s.run.until);
    assert.equal(sim.kernel.step(), false);
  } finally {
    LIMITS.events.max = was;
  }
});
