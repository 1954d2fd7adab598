/**
 * `gossip-scope logs --trace/--shiviz`: every output path is checked before any log is read, and
 * a bad one is said in words (exit 2), never a stack trace; no output overwrites an input.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../engine/cli/main.js';
import { splitByPeer } from './six-peer-log.js';

const dir = mkdtempSync(join(tmpdir(), 'logs-out-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const log = join(dir, 'peer0.log');
writeFileSync(log, splitByPeer()[0].join('\n') + '\n');

async function logs(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['logs', ...args], (s) => (out += s + '\n'), (s) => (err += s + '\n'));
  return { code, out, err };
}

test('a folder, a missing folder, an input and the same file twice are refused as outputs, in words', async () => {
  const cases: [string[], RegExp][] = [
    [['--trace', tmpdir()], /^gossip-scope: --trace \/tmp: a folder: give a file name in it, such as logs\.jsonl\n/],
    [['--shiviz', '/nonexistent/x'], /^gossip-scope: --shiviz \/nonexistent\/x: the folder \/nonexistent does not exist\n/],
    [['--trace', `${log}/x.jsonl`], /--trace \S+peer0\.log\/x\.jsonl: \S+peer0\.log is not a folder/],
    [['--trace', log], /--trace \S+peer0\.log: is the input \S+peer0\.log: writing it would destroy the log/],
    [['--trace', join(dir, 'same'), '--shiviz', join(dir, '.', 'same')], /--shiviz \S+same: is also where --trace writes/],
  ];
  for (const [args, expected] of cases) {
    const r = await logs(log, ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, expected);
    assert.doesNotMatch(r.err, /\n\s+at |run failed/, 'no stack trace');
  }
  assert.ok(!existsSync(join(dir, 'same')), 'nothing written');
  assert.equal(readFileSync(log, 'utf8').length > 100_000, true, 'the input is intact');
});

test('output paths are checked before the logs are read', async () => {
  // A log that cannot be read and an output that cannot be written: the output is what is said.
  const r = await logs('/dev/zero', '--trace', '/nonexistent/t.jsonl');
  assert.equal(r.code, 2);
  assert.match(r.err, /--trace \/nonexistent\/t\.jsonl: the folder \/nonexistent does not exist/);
});

test('good paths are written: the trace and the ShiViz log', async () => {
  const r = await logs(log, '--trace', join(dir, 't.jsonl'), '--shiviz', join(dir, 't.shiviz'));
  assert.equal(r.code, 0, r.err);
  const trace = readFileSync(join(dir, 't.jsonl'), 'utf8').trim().split('\n');
  assert.equal(JSON.parse(trace[0]).source, 'fabric-logs');
  assert.match(readFileSync(join(dir, 't.shiviz'), 'utf8'), /^\(\?<event>/);
});
