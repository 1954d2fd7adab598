/**
 * A sweep runs every combination once per seed, in parallel, and each run gives exactly the
 * figures of the same scenario run alone; the CLI writes its table, CSV and report, and refuses
 * parameters it cannot set with a clear message.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadScenario } from '../../engine/scenario/load.js';
import { figuresOfScenario } from '../../engine/report/run-report.js';
import { runSweep } from '../../engine/sweep/run.js';
import { applyValues, parseSet, SweepArgError } from '../../engine/sweep/params.js';

const REPO = join(__dirname, '..', '..');
const SCENARIO = `
name: tiny
seed: 5
profile: classic-gossip
orgs:
  - { mspId: Org1MSP, peers: 4, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP] }
orderer: { start: 4s, batchTimeout: 1s, blocks: 3, txPerBlock: 2 }
gossip: { propagatePeerNum: 1 }
run: { until: 9s }
`;

test('2 parameters × 3 seeds: every combination once per seed, with the figures of the same run alone', async () => {
  const params = [parseSet('propagatePeerNum=1..2'), parseSet('peers=3,5')];
  const progress: number[] = [];
  const s = await runSweep({ file: 'tiny.yaml', text: SCENARIO, params, seeds: 3, jobs: 2, onProgress: (done, total) => progress.push(done, total) });
  assert.deepEqual(s.seeds, [5, 6, 7]);
  assert.equal(s.runs.length, 12);
  assert.deepEqual(progress.filter((_, i) => i % 2 === 0), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const keys = s.runs.map((r) => `${r.values.propagatePeerNum}/${r.values.peers}/${r.seed}`);
  assert.equal(new Set(keys).size, 12);
  for (const f of [1, 2]) for (const p of [3, 5]) for (const seed of [5, 6, 7]) assert.ok(keys.includes(`${f}/${p}/${seed}`), `${f}/${p}/${seed}`);
  // The combination's scenario says what was set, and a run alone gives the same figures.
  for (const r of s.runs) {
    const sc = loadScenario(applyValues(SCENARIO, 'tiny.yaml', r.values), 'tiny.yaml');
    assert.equal(sc.config.gossip.propagatePeerNum, r.values.propagatePeerNum);
    assert.equal(sc.orgs[0].peers, r.values.peers);
    sc.seed = r.seed;
    const alone = await figuresOfScenario(sc);
    assert.equal(r.traceHash, alone.summary.traceHash);
    assert.deepEqual(r.scalars, alone.figures.scalars);
  }
  // Seeds differ: the runs are not one run repeated.
  assert.ok(new Set(s.runs.map((r) => r.traceHash)).size === 12);
});

test('parameters: ranges, lists, paths; what cannot be set is refused with its reason', () => {
  assert.deepEqual(parseSet('propagatePeerNum=1..5').values, [1, 2, 3, 4, 5]);
  assert.deepEqual(parseSet('gossip.pullInterval=2s,4s').values, ['2s', '4s']);
  assert.deepEqual(parseSet('network.loss=0,0.1').values, [0, 0.1]);
  assert.match(applyValues(SCENARIO, 't', { 'gossip.pullInterval': '2s', 'orderer.blocks': 7 }), /pullInterval: 2s[\s\S]*blocks: 7|blocks: 7[\s\S]*pullInterval: 2s/);
  for (const [arg, why] of [
    ['propagatePeerNum', /expected NAME=VALUES/],
    ['propagatePeerNum=5..1', /is empty/],
    ['propagatePeerNum=1..5000', /at most 1000/],
    ['propagatePerNum=1,2', /not a scenario key or peer.gossip name.*propagatePeerNum/],
    ['seed=1,2', /--seeds/],
    ['gossip=1', /a whole section/],
    ['peers=1,1', /given twice/],
  ] as const) assert.throws(() => parseSet(arg), (e: Error) => e instanceof SweepArgError && why.test(e.message), arg);
});

test('gossip-scope sweep: a table, sweep.csv/json/html, progress on stderr; a value the schema refuses is exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gs-sweep-'));
  writeFileSync(join(dir, 'tiny.yaml'), SCENARIO);
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(REPO, 'dist', 'cli.js'), ...args], { cwd: dir, encoding: 'utf8' });
  const r = cli('sweep', 'tiny.yaml', '--set', 'propagatePeerNum=1..2', '--seeds', '2', '--out', 'out');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^propagatePeerNum\s+push reach/m);
  assert.equal(r.stdout.split('\n').filter((l) => /^[12]\s/.test(l)).length, 2);
  assert.equal((r.stderr.match(/^\[\d\/4\]/gm) ?? []).length, 4);
  const csv = readFileSync(join(dir, 'out', 'sweep.csv'), 'utf8').trim().split('\n');
  assert.equal(csv.length, 5);
  assert.match(csv[0], /^propagatePeerNum,seed,traceHash,events,pushReach,/);
  assert.ok(existsSync(join(dir, 'out', 'sweep.html')));
  const bad = cli('sweep', 'tiny.yaml', '--set', 'propagatePeerNum=-1,1');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--set propagatePeerNum=-1: tiny\.yaml:\d+:\d+: must be an integer between 0 and 500, got -1/);
  const none = cli('sweep', 'tiny.yaml');
  assert.equal(none.status, 2);
  assert.match(none.stderr, /at least one --set/);
});

test('gossip-scope sweep: a value Fabric reads as its default is warned of, as run warns of it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gs-sweep-'));
  writeFileSync(join(dir, 'tiny.yaml'), SCENARIO);
  const r = spawnSync(process.execPath, [join(REPO, 'dist', 'cli.js'), 'sweep', 'tiny.yaml', '--set', 'propagatePeerNum=0,1', '--out', 'out'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /--set propagatePeerNum=0: warning: .*propagatePeerNum: 0 is unset to Fabric \(GetIntOrDefault\), which uses its default 3 instead/);
  assert.doesNotMatch(r.stderr, /propagatePeerNum=1: warning/);
  // Said before the first run, not lost among the progress lines after it.
  assert.ok(r.stderr.indexOf('warning') < r.stderr.indexOf('[1/2]'), r.stderr);
});

test('gossip-scope sweep: an --out that cannot be written is refused before any run, in words', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gs-sweep-'));
  writeFileSync(join(dir, 'tiny.yaml'), SCENARIO);
  writeFileSync(join(dir, 'taken'), 'a file, not a folder');
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(REPO, 'dist', 'cli.js'), ...args], { cwd: dir, encoding: 'utf8' });
  for (const out of ['taken', join('taken', 'below')]) {
    const r = cli('sweep', 'tiny.yaml', '--set', 'propagatePeerNum=1..2', '--out', out);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`--out ${out.replace(/[\\/]/g, '.')}: cannot write the sweep there: .*is a file, not a folder`));
    assert.doesNotMatch(r.stderr, /\[1\/2\]|    at /, 'a run started, or a stack trace');
  }
});
