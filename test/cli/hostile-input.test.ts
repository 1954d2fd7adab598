/**
 * Hostile files and arguments given to `gossip-scope run`: each is exit 2 with file:line:col (or
 * the option) and the reason, before anything runs.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cli } from './in-process-cli.js';
import { LIMITS } from '../../engine/scenario/bounds.js';
import { Simulation } from '../../engine/sim/simulation.js';
import { scenarioTextOf } from '../../engine/scenario/load.js';

const dir = mkdtempSync(join(tmpdir(), 'gs-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SCENARIO = 'name: t\norgs:\n  - { mspId: Org1MSP, peers: 2 }\nchannels:\n  - { name: ch, orgs: [Org1MSP] }\norderer: { blocks: 1 }\nrun: { until: 3s }\n';
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

test('UTF-16 files are named as UTF-16, with or without a byte-order mark', async () => {
  const le = file('le.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SCENARIO, 'utf16le')]));
  let r = await cli('run', le);
  assert.equal(r.code, 2);
  assert.equal(r.err.trim(), `${le}:1:1: the file is UTF-16 (little-endian) (by its byte-order mark); save it as UTF-8`);
  const bare = file('bare.yaml', Buffer.from(SCENARIO, 'utf16le'));
  r = await cli('run', bare);
  assert.equal(r.code, 2);
  assert.match(r.err, /bare\.yaml:1:1: the file looks like UTF-16 \(little-endian\) \(every other byte is 0\)/);
});

test('invalid UTF-8 is reported where it is, not turned into U+FFFD', async () => {
  const bytes = Buffer.from(SCENARIO.replace('name: t', 'name: té'), 'utf8');
  const at = bytes.indexOf(0xc3);
  bytes[at + 1] = 0x28; // é's second byte broken
  const p = file('bad-utf8.yaml', bytes);
  const r = await cli('run', p);
  assert.equal(r.code, 2);
  assert.equal(r.err.trim(), `${p}:1:8: the file is not valid UTF-8: byte 0xc3 at offset 7 cannot start or continue a character; save it as UTF-8`);
  // A UTF-8 byte-order mark is fine.
  const bom = file('bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SCENARIO)]));
  assert.equal((await cli('run', bom, '--json')).code, 0);
});

test('shrink, and the extension\'s commands (bytes from VS Code\'s file system), read a scenario with the same checks', async () => {
  const le = file('le-shrink.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SCENARIO, 'utf16le')]));
  const r = await cli('shrink', le);
  assert.equal(r.code, 2);
  assert.equal(r.err.trim(), `${le}:1:1: the file is UTF-16 (little-endian) (by its byte-order mark); save it as UTF-8`);
  const bytes = Buffer.from(SCENARIO.replace('name: t', 'name: té'), 'utf8');
  bytes[bytes.indexOf(0xc3) + 1] = 0x28;
  assert.throws(() => scenarioTextOf(bytes, 'x.yaml'), { message: 'x.yaml:1:8: the file is not valid UTF-8: byte 0xc3 at offset 7 cannot start or continue a character; save it as UTF-8' });
  assert.throws(() => scenarioTextOf(Buffer.from(SCENARIO, 'utf16le'), 'x.yaml'), /^ScenarioError: x\.yaml:1:1: the file looks like UTF-16 \(little-endian\)/);
  assert.equal(scenarioTextOf(Buffer.from(SCENARIO), 'x.yaml'), SCENARIO);
});

test('a file over the size bound is refused before it is read whole; a directory or a missing file in words', async () => {
  const big = file('big.yaml', SCENARIO + '#' + 'x'.repeat(2 << 20) + '\n');
  let r = await cli('run', big);
  assert.equal(r.code, 2);
  assert.match(r.err, /big\.yaml:1:1: the file is 2,097,\d+ bytes; a scenario is at most 1 MiB\n/);
  r = await cli('run', dir);
  assert.equal(r.code, 2);
  assert.equal(r.err.trim(), `${dir}:1:1: this is a directory, not a file`);
  r = await cli('run', join(dir, 'nope.yaml'));
  assert.equal(r.err.trim(), `${join(dir, 'nope.yaml')}:1:1: cannot read the file: there is no such file`);
});

test('--trace to a missing folder or a directory: exit 2 with the reason, before the run', async () => {
  const ok = file('ok.yaml', SCENARIO);
  let r = await cli('run', ok, '--trace', '/nonexistent/dir/x.jsonl');
  assert.equal(r.code, 2);
  assert.match(r.err, /^gossip-scope: --trace \/nonexistent\/dir\/x\.jsonl: cannot write the trace: the folder \/nonexistent\/dir does not exist\n/);
  assert.equal(r.out, '', 'nothing ran');
  r = await cli('run', ok, '--trace', dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot write the trace: it is a directory; give a file name such as run\.jsonl/);
  const trace = join(dir, 'good.jsonl');
  r = await cli('run', ok, '--trace', trace, '--json');
  assert.equal(r.code, 0, r.err);
  assert.ok(existsSync(trace) && readFileSync(trace, 'utf8').split('\n').length > 10);
});

test('--seed and --until out of their bounds are refused with the bound', async () => {
  const ok = file('ok2.yaml', SCENARIO);
  let r = await cli('run', ok, '--seed', '99999999999999999999999999999');
  assert.equal(r.code, 2);
  assert.match(r.err, /--seed must be an integer between 0 and 9007199254740991 \(2\^53 − 1/);
  r = await cli('run', ok, '--until', '100000000h');
  assert.equal(r.code, 2);
  assert.match(r.err, /--until must be at most 24h/);
  const big = file('big-net.yaml', 'name: t\norgs:\n  - { mspId: Org1MSP, peers: 300 }\nchannels:\n  - { name: ch, orgs: [Org1MSP] }\nrun: { until: 1s }\n');
  r = await cli('run', big, '--until', '2h');
  assert.equal(r.code, 2);
  assert.match(r.err, /--until 2h: this run of 300 peers for 2h would cause about .* events/);
});

test('warnings (Fabric would run it) go to stderr with file:line:col, and the run goes on', async () => {
  const p = file('warn.yaml', SCENARIO + 'gossip: { pullInterval: 0s }\n');
  const r = await cli('run', p, '--json');
  assert.equal(r.code, 0);
  assert.equal(r.err.trim(), `${p}:8:25: warning: pullInterval: 0 is unset to Fabric (GetDurationOrDefault), which uses its default 4s instead; so does this run`);
});

test('report and diff of a missing trace or a directory: exit 2 with file:1:1, not a raw ENOENT', async () => {
  const missing = join(dir, 'gone.jsonl');
  let r = await cli('report', missing);
  assert.equal(r.code, 2);
  assert.equal(r.err.trim(), `${missing}:1:1: cannot read the file: there is no such file`);
  r = await cli('diff', missing, missing);
  assert.equal(r.code, 2);
  assert.equal(r.err.trim(), `${missing}:1:1: cannot read the file: there is no such file`);
});

test('a run that reaches the event bound (its cost underestimated) stops there: exit 2 with the reason', async () => {
  // The estimate passes at the real bound; the bound is lowered as the network is built, as if
  // the estimate had been short of what the run really costs.
  const create = Simulation.create;
  const was = LIMITS.events.max;
  (Simulation as { create: typeof create }).create = (s, o) => ((LIMITS.events.max = 300), create.call(Simulation, s, o));
  try {
    const p = file('halt.yaml', SCENARIO.replace('peers: 2', 'peers: 4').replace('3s', '10s'));
    const r = await cli('run', p, '--json');
    assert.equal(r.code, 2);
    assert.match(r.err.trim(), new RegExp(`^${p.replace(/[.\\/]/g, '\\$&')}: the run stopped at 300 events \\(simulated \\d+ms\\), the most a run may have`));
    assert.ok(JSON.parse(r.out).events < 320);
  } finally {
    (Simulation as { create: typeof create }).create = create;
    LIMITS.events.max = was;
  }
});

test('report of an edited trace: each event\'s t and peer, and the header\'s traceVersion, are checked where they are (exit 2, file:line:col)', async () => {
  const saved = join(dir, 'saved.jsonl');
  assert.equal((await cli('run', file('traced.yaml', SCENARIO), '--trace', saved)).code, 0);
  const lines = readFileSync(saved, 'utf8').trimEnd().split('\n');
  const edit = (name: string, lineIndex: number, from: RegExp, to: string) => {
    const copy = [...lines];
    copy[lineIndex] = copy[lineIndex].replace(from, to);
    return file(name, copy.join('\n') + '\n');
  };
  // The last event's t is the run's end, the charts' length: 1e15 answered "RangeError: Invalid
  // array length" with a stack trace; 1e11 took 3 GB and no answer in 60 s.
  const end = lines.length - 1;
  const col = lines[end].indexOf('"t":') + 5;
  for (const t of ['1e15', '1e11', '-5']) {
    const p = edit(`t${t}.jsonl`, end, /"t":[^,]+/, `"t":${t}`);
    const r = await cli('report', p, '--json', '--out', join(dir, 'r.html'));
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim(), `${p}:${end + 1}:${col}: "t" must be from 0 to 86400000 ms (24h: every duration, run.until included: a day of simulated time (the trace ring keeps memory bounded, but the time to run grows with it)), got ${Number(t)}`);
  }
  // Finer buckets allow fewer: 100,000 buckets of 10 ms is 1,000 s.
  const p = edit('t2000s.jsonl', end, /"t":[^,]+/, '"t":2000000');
  let r = await cli('report', p, '--json', '--bucket', '10ms', '--out', join(dir, 'r.html'));
  assert.equal(r.code, 2);
  assert.match(r.err.trim(), new RegExp(`:${end + 1}:${col}: "t" must be from 0 to 1000000 ms \\(100,000 buckets of 10 ms: rate buckets`));
  r = await cli('report', edit('peer.jsonl', 2, /"peer":\d+/, '"peer":7'), '--json', '--out', join(dir, 'r.html'));
  assert.equal(r.code, 2);
  assert.match(r.err.trim(), /:3:\d+: "peer" must be -1 \(the orderer\) or the index of one of the header's 2 peers, got 7$/);
  const v = edit('v999.jsonl', 0, /"traceVersion":\d+/, '"traceVersion":999');
  r = await cli('report', v, '--json', '--out', join(dir, 'r.html'));
  assert.equal(r.code, 2);
  assert.equal(r.err.trim(), `${v}:1:1: traceVersion 999 is not one this version of Gossip Scope reads (it reads 1): saved by another version?`);
  // The trace as saved still reports.
  assert.equal((await cli('report', saved, '--json', '--out', join(dir, 'r.html'))).code, 0);
});

test('--until of no time is refused with the range by run, live and report alike (run ran 0 s and exited 0)', async () => {
  const ok = file('ok-until.yaml', SCENARIO);
  for (const cmd of ['run', 'live', 'report']) {
    for (const u of ['0s', '0.000001ns', '-1s']) {
      const r = await cli(cmd, ok, '--until', u);
      assert.equal(r.code, 2, `${cmd} --until ${u}: ${r.err}`);
      const expected = u === '-1s' ? `--until must be a duration like 90s or 2m, got '-1s'` : `--until must be between 1ms and 24h, got '${u}'`;
      assert.equal(r.err.split('\n')[0], `gossip-scope: ${expected}`, `${cmd} --until ${u}`);
    }
  }
});
