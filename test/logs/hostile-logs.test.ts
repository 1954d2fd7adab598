/**
 * Logs nobody should have to read, read anyway or refused in words: endless inputs (/dev/zero,
 * a FIFO), an endless line, a log of a quarter million events, junk full of terminal control
 * bytes, impossible timestamps, a log naming 20,000 peers.
 */
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../engine/cli/main.js';
import { readFabricLogs } from '../../engine/logs/read-logs.js';
import { splitByPeer } from './six-peer-log.js';

const REPO = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'hostile-logs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function logs(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['logs', ...args], (s) => (out += s + '\n'), (s) => (err += s + '\n'));
  return { code, out, err };
}

/** The CLI as a user runs it, in its own process: an input that never ends cannot take the test runner with it. */
function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(REPO, 'dist', 'cli.js'), ...args], { encoding: 'utf8', timeout: 15_000, maxBuffer: 1 << 20 });
}

const line = (sec: number, rest: string) => `2026-12-03 11:${String(Math.floor(sec / 60) % 60).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}.000 UTC ${rest}`;

test('/dev/zero and a FIFO are refused at once in words, not read until memory runs out or forever', () => {
  const zero = cli('logs', '/dev/zero');
  assert.equal(zero.status, 2, `status ${zero.status} signal ${zero.signal}: ${zero.stderr.slice(0, 500)}`);
  assert.match(zero.stderr, /^\/dev\/zero:1:1: not a regular file \(a device, FIFO or socket never ends or blocks\): save the log to a file first\n$/);
  const fifo = join(dir, 'peer0.fifo');
  execFileSync('mkfifo', [fifo]);
  const r = cli('logs', fifo);
  assert.equal(r.status, 2, `status ${r.status} signal ${r.signal}: ${r.stderr.slice(0, 500)}`);
  assert.match(r.stderr, /peer0\.fifo:1:1: not a regular file/);
  assert.doesNotMatch(zero.stderr + r.stderr, /\n\s+at /, 'no stack trace');
});

test('a line past the 1 MiB bound is cut, counted unparsed with its reason, and the lines after it are read', async () => {
  const p0 = splitByPeer()[0];
  const path = join(dir, 'peer0-long.log');
  writeFileSync(path, [...p0.slice(0, 100), 'x'.repeat(3 << 20), ...p0.slice(100)].join('\n') + '\n');
  const { code, out, err } = await logs(path, '--json');
  assert.equal(code, 0, err);
  const r = JSON.parse(out);
  assert.equal(r.stats.lines, p0.length + 1);
  assert.equal(r.stats.parsed, p0.length);
  assert.equal(r.stats.unparsed, 1);
  assert.deepEqual(
    r.stats.unparsedSample.map((u: Record<string, unknown>) => ({ line: u.line, col: u.col, reason: u.reason, text: String(u.text).length })),
    [{ line: 101, col: 1, reason: 'longer than 1 MiB: cut there, not read', text: 300 }],
  );
  assert.equal(r.stats.receipts, 275);
});

test('a log of 250,000 events reads (its earliest time is not found by spreading every time onto the stack)', () => {
  const lines = [line(0, '[gossip.gossip] New -> INFO 001 Creating gossip service with self membership of Endpoint: peer0:7051, InternalEndpoint: peer0:7051, PKI-ID: 0a0b')];
  for (let i = 0; i < 250_000; i++) lines.push(line(1 + (i % 3000), `[gossip.discovery] expireDeadMembers -> WARN ${(i % 4096).toString(16)} Entering [0c0d]`));
  const r = readFabricLogs([{ path: 'peer0.log', text: lines.join('\n') + '\n' }]);
  assert.equal(r.events.length, 250_000);
  assert.equal(r.start, Date.UTC(2026, 11, 3, 11, 0, 1));
  assert.equal(r.peers.length, 1);
});

test('junk lines: the text output escapes their control bytes; --json carries their count and a bounded sample', async () => {
  const p0 = splitByPeer()[0];
  const junk = Array.from({ length: 2359 }, (_, i) => `junk ${i}: \x1b[2J\x1b]0;pwned\x07 \x00\x08\x7f \u202eevil\u202c ${'z'.repeat(4000)}`);
  const path = join(dir, 'peer0-junk.log');
  writeFileSync(path, [...p0, ...junk].join('\n') + '\n');
  const text = await logs(path);
  assert.equal(text.code, 0, text.err);
  assert.doesNotMatch(text.out, /[\x00-\x08\x0b-\x1f\x7f\u202e]/, 'a raw control byte reached the terminal');
  assert.match(text.out, /unparsed lines \(2359, the first 10 shown\):\n {2}\S+peer0-junk\.log:\d+:1: junk 0: \\x1b\[2J\\x1b\]0;pwned\\x07 \\x00\\x08\\x7f \\u202eevil\\u202c z+\n/);
  const json = await logs(path, '--json');
  assert.equal(json.code, 0, json.err);
  const r = JSON.parse(json.out);
  assert.equal(r.stats.unparsed, 2359);
  assert.equal(r.stats.unparsedSample.length, 100);
  assert.ok(r.stats.unparsedSample.every((u: { text: string; length: number }) => u.text.length === 300 && u.length > 4000));
  assert.ok(json.out.length < 200_000, `--json is ${json.out.length} characters for 2,359 junk lines of 4 KB`);
});

test('an impossible timestamp is refused at its file:line:col, with what is impossible', async () => {
  const ok = line(1, '[gossip.gossip] New -> INFO 001 Creating gossip service with self membership of Endpoint: peer0:7051, InternalEndpoint: peer0:7051, PKI-ID: 0a0b');
  const bad = [
    '2026-13-45 99:99:99.000 UTC [gossip.comm] Send -> DEBU 002 x',
    '\x1b[36m2026-02-29 10:00:00.000 UTC [gossip.comm] Send -> DEBU 003 x',
    'peer0.org1  | 2026-04-01 24:00:00.000 UTC [gossip.comm] Send -> DEBU 004 x',
    '2026-04-01 10:60:00.000 UTC [gossip.comm] Send -> DEBU 005 x',
    '2026-04-31 10:00:00.000 UTC [gossip.comm] Send -> DEBU 006 x',
  ];
  const path = join(dir, 'peer0-stamps.log');
  writeFileSync(path, [ok, ...bad].join('\n') + '\n');
  const { code, out, err } = await logs(path);
  assert.equal(code, 0, err);
  assert.match(out, /lines: 6 read, 1 parsed, 5 unparsed/);
  const at = (n: number, col: number, what: string) => new RegExp(`peer0-stamps\\.log:${n}:${col}: .*\\(impossible timestamp '[^']+': ${what}\\)`);
  assert.match(out, at(2, 6, 'month 13'));
  assert.match(out, at(3, 14, 'day 29 \\(month 2 of 2026 has 28\\)'));
  assert.match(out, at(4, 26, 'hour 24'));
  assert.match(out, at(5, 15, 'minute 60'));
  assert.match(out, at(6, 9, 'day 31 \\(month 4 of 2026 has 30\\)'));
});

test('a 6 MB log naming 20,000 peers reads in time linear in its lines, not in the square of its peers', { timeout: 60_000 }, async () => {
  // Each peer announces itself, sends one alive message to the next and receives one from the one before.
  const lines: string[] = [];
  const N = 20_000;
  const pki = (i: number) => (0x10000 + i).toString(16).padStart(8, '0');
  for (let i = 0; i < N; i++) lines.push(line(i % 3600, `0001 INFO [gossip.gossip#p${i}] New -> Creating gossip service with self membership of Endpoint: 10.0.${i >> 8}.${i & 255}:7051, InternalEndpoint: 10.0.${i >> 8}.${i & 255}:7051, PKI-ID: ${pki(i)}`));
  for (let i = 0; i < N; i++) {
    const to = (i + 1) % N;
    lines.push(line(i % 3600, `0002 DEBU [gossip.comm#p${i}] sendToEndpoint -> Entering, Sending to 10.0.${to >> 8}.${to & 255}:7051 , msg: GossipMessage: Channel: , nonce: ${i}, tag: EMPTY Alive Message`));
    lines.push(line(i % 3600, `0003 DEBU [gossip.gossip#p${to}] handleMessage -> Entering, 10.0.${i >> 8}.${i & 255}:40000 ${pki(i)} sent us GossipMessage: Channel: , nonce: ${i}, tag: EMPTY Alive Message`));
  }
  const text = lines.join('\n') + '\n';
  assert.ok(text.length > 6_000_000, `${text.length} bytes`);
  const path = join(dir, 'many-peers.log');
  writeFileSync(path, text);
  const { code, out, err } = await logs(path);
  assert.equal(code, 0, err);
  assert.match(out, new RegExp(`^${N} peers, ${2 * N} trace events`));
  assert.match(out, new RegExp(`messages: ${N} sends, ${N} receipts, ${N} matched`));
});
