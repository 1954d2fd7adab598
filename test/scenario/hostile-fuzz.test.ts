/**
 * Structure-aware fuzzing of scenarios (issue 15): valid scenarios with values replaced by hostile
 * ones (zeros, huge and unsafe numbers, 400-digit and sub-nanosecond durations, wrong types, deep
 * lists, deleted keys). Every one must be refused with file:line:col and a message (never a stack
 * trace), or be accepted within the stated bounds; and accepted ones run to their end, through the
 * CLI, inside a time and memory bound.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { loadScenario, ScenarioError } from '../../engine/scenario/load.js';
import { LIMITS, MAX_EXACT_INTEGER, estimateEvents, PERIODIC_KEYS } from '../../engine/scenario/bounds.js';
import { runCostProblem } from '../../engine/scenario/run-cost.js';
import { main } from '../../engine/cli/main.js';
import type { Scenario } from '../../engine/scenario/types.js';

// A small valid network (a few peers, seconds of simulated time) plus the samples that are lessons.
const SMALL = `name: small
seed: 2
orgs:
  - { mspId: Org1MSP, peers: 2, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 2, anchorPeers: [peer0] }
channels:
  - { name: ch, orgs: [Org1MSP, Org2MSP] }
orderer: { batchTimeout: 1s, blocks: 2, txPerBlock: 2 }
gossip: { aliveTimeInterval: 1s, pullInterval: 2s, state: { enabled: true, checkInterval: 2s } }
network: { latency: { min: 5ms, max: 20ms } }
peers: { certExpiry: [{ peer: peer1.org2, at: 3s }] }
faults:
  - { at: 2s, crash: peer1.org1 }
  - { at: 3s, until: 4s, link: { between: [peer0.org1, peer0.org2], loss: 0.5 } }
run: { until: 5s }
`;
const bases = [SMALL, ...['membership.yaml', 'two-orgs.yaml', 'partitions.yaml'].map((f) => readFileSync(join(__dirname, '../../samples', f), 'utf8'))].map(
  (t) => parse(t) as Record<string, unknown>,
);

const nines = '9'.repeat(400);
const HOSTILE: unknown[] = [
  0, -1, 1, 3, 501, 1e9, 1e29, 99999999999999999999999999999, MAX_EXACT_INTEGER, 0.5, -0.0,
  '0', '0s', '-0s', '0.000001ns', '1ns', '1us', '1ms', '10ms', '2s', '24h', '25h', `${nines}s`, '100000000h', '1e3s', 'NaN', '',
  null, true, 'peer0.org1', 'peer99.org1', 'Org1MSP', 'orderer', 'all',
  [], [[]], [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]], {}, { at: '1s' },
];
const KEYS = ['aliveTimeInterval', 'aliveExpirationTimeout', 'pullInterval', 'reconnectInterval', 'checkInterval', 'propagateIterations', 'propagatePeerNum', 'peers', 'blocks', 'txPerBlock', 'until', 'seed', 'at', 'batchTimeout'];

/** Values of the same kind as the one replaced, so that many mutants still load and run. */
const PLAUSIBLE_DURATIONS = ['0s', '1ms', '10ms', '500ms', '1s', '2s', '3s', '4s'];
const PLAUSIBLE_NUMBERS = [0, 1, 2, 3, 5];

type Edit = { op: 'set' | 'delete' | 'setKey' | 'plausible'; path: number; value: unknown; key: string; pick: number };
const edit: fc.Arbitrary<Edit> = fc.record({
  op: fc.constantFrom('set', 'setKey', 'delete', 'plausible', 'plausible'),
  path: fc.nat(),
  value: fc.constantFrom(...HOSTILE),
  key: fc.constantFrom(...KEYS),
  pick: fc.nat(),
});

function plausible(old: unknown, pick: number): unknown {
  if (typeof old === 'number') return PLAUSIBLE_NUMBERS[pick % PLAUSIBLE_NUMBERS.length];
  if (typeof old === 'string' && /^\d/.test(old)) return PLAUSIBLE_DURATIONS[pick % PLAUSIBLE_DURATIONS.length];
  if (typeof old === 'boolean') return pick % 2 === 0;
  return old;
}

/** Every container and leaf, as [parent, key] pairs. */
function slots(v: unknown, out: [Record<string | number, unknown>, string | number][] = []) {
  if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      const key = Array.isArray(v) ? Number(k) : k;
      out.push([v as Record<string | number, unknown>, key]);
      slots((v as Record<string | number, unknown>)[key], out);
    }
  }
  return out;
}

function mutate(base: Record<string, unknown>, edits: Edit[]): string {
  const doc = structuredClone(base);
  for (const e of edits) {
    const all = slots(doc);
    const [parent, key] = all[e.path % all.length];
    if (e.op === 'plausible') parent[key] = plausible(parent[key], e.pick);
    else if (e.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (e.op === 'setKey' && parent[key] !== null && typeof parent[key] === 'object' && !Array.isArray(parent[key])) {
      (parent[key] as Record<string, unknown>)[e.key] = structuredClone(e.value);
    } else parent[key] = structuredClone(e.value);
  }
  return stringify(doc);
}

const STACK = /\n\s+at .+:\d+:\d+|Maximum call stack|internal error|TypeError|RangeError/;

/** Accepted ⇒ inside every stated bound. */
function assertBounded(s: Scenario, text: string): void {
  const peers = s.orgs.reduce((n, o) => n + o.peers, 0);
  assert.ok(peers >= 1 && peers <= LIMITS.peers.max, `peers ${peers}\n${text}`);
  assert.ok(Number.isSafeInteger(s.seed) && s.seed >= 0, `seed ${s.seed}`);
  assert.ok(s.run.until >= 0 && s.run.until <= LIMITS.duration.max, `until ${s.run.until}`);
  assert.equal(runCostProblem(s), undefined);
  const periods: Record<string, number> = {};
  for (const k of Object.keys(PERIODIC_KEYS)) {
    const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], s.config.gossip) as number;
    assert.ok(Number.isFinite(v) && v >= 1 && v <= LIMITS.duration.max, `${k} = ${v}\n${text}`);
    periods[k] = v;
  }
  assert.ok(estimateEvents(peers, s.run.until, periods) <= LIMITS.events.max);
}

test('mutated scenarios: refused with file:line:col and words, or accepted within every bound', () => {
  let accepted = 0;
  let refused = 0;
  fc.assert(
    fc.property(fc.nat(bases.length - 1), fc.array(edit, { minLength: 1, maxLength: 3 }), (b, edits) => {
      const text = mutate(bases[b], edits);
      const lineCount = text.split('\n').length;
      let s: Scenario;
      try {
        s = loadScenario(text, 'fuzz.yaml');
      } catch (e) {
        assert.ok(e instanceof ScenarioError, `not a ScenarioError: ${(e as Error)?.stack}\n--- input ---\n${text}`);
        for (const d of e.diagnostics) {
          assert.doesNotMatch(d.message, STACK, `${d.message}\n--- input ---\n${text}`);
          assert.ok(d.line >= 1 && d.line <= lineCount && d.col >= 1, `position ${d.line}:${d.col}\n${text}`);
          assert.ok(d.message.length > 0 && d.message.length < 1000, d.message);
        }
        refused++;
        return;
      }
      assertBounded(s, text);
      accepted++;
    }),
    { seed: 15, numRuns: 300 },
  );
  // Both outcomes are exercised, or the test would prove nothing.
  assert.ok(accepted > 20 && refused > 50, `accepted ${accepted}, refused ${refused}`);
});

test('mutated small scenarios through the CLI: exit 2 with file:line:col, or a run that finishes in bounds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gs-fuzz-'));
  const outcomes = { ran: 0, refused: 0 };
  try {
    const samples = fc.sample(fc.array(edit, { minLength: 1, maxLength: 1 }), { seed: 1515, numRuns: 30 });
    for (const [i, edits] of samples.entries()) {
      const text = mutate(bases[0], edits);
      const file = join(dir, `f${i}.yaml`);
      writeFileSync(file, text);
      // Only small accepted runs are run here (the suite stays fast); the rest are judged by their bounds above.
      let estimate = 0;
      try {
        const s = loadScenario(text, file);
        const g = s.config.gossip as unknown as Record<string, unknown>;
        const periods = Object.fromEntries(Object.keys(PERIODIC_KEYS).map((k) => [k, k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], g) as number]));
        estimate = estimateEvents(s.orgs.reduce((n, o) => n + o.peers, 0), s.run.until, periods);
      } catch {
        // refused: the CLI must say so below
      }
      if (estimate > 300_000) continue;
      let out = '';
      let err = '';
      const heapBefore = process.memoryUsage().heapUsed;
      const t0 = Date.now();
      const code = await main(['run', file, '--json'], (s) => (out += s), (s) => (err += s + '\n'));
      const ms = Date.now() - t0;
      assert.doesNotMatch(err, STACK, `${err}\n--- input ---\n${text}`);
      if (code === 2) {
        assert.match(err, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: \\S`), `${err}\n${text}`);
        outcomes.refused++;
        continue;
      }
      assert.equal(code, 0, `${err}\n${text}`);
      const summary = JSON.parse(out) as { simTimeMs: number; events: number };
      const s = loadScenario(text, file);
      assert.equal(summary.simTimeMs, s.run.until, 'the run reached its end');
      // The stated bounds hold for what ran: events, and wall time / memory proportional to them.
      assert.ok(summary.events <= LIMITS.events.max);
      // At least 5,000 events a second (this machine runs 20,000 to 80,000), plus start-up.
      assert.ok(ms < 3000 + (estimate / 5000) * 1000, `${ms} ms for about ${Math.round(estimate)} events\n${text}`);
      assert.ok(process.memoryUsage().heapUsed - heapBefore < 1 << 30, 'under 1 GB more heap');
      outcomes.ran++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(outcomes.ran >= 8 && outcomes.refused >= 5, JSON.stringify(outcomes));
});
