/**
 * Logs near and past the bounds: a log past the 512 MiB a JavaScript string can hold reads
 * (streamed, line by line); a gzip bomb stops at the 1 GiB bound with a clear error, in bounded
 * memory. The gzip files are made of repeated gzip members (gzip allows several in one file),
 * so they are quick to make. This file runs in its own process: its peak RSS is its own.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, writeSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { main } from '../../engine/cli/main.js';
import { splitByPeer } from './six-peer-log.js';

const dir = mkdtempSync(join(tmpdir(), 'big-logs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A gzip file of `members` copies of `member`, between an optional head and tail member. */
function gzipFile(name: string, member: Buffer, members: number, head?: Buffer, tail?: Buffer): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  if (head) writeSync(fd, head);
  for (let i = 0; i < members; i++) writeSync(fd, member);
  if (tail) writeSync(fd, tail);
  closeSync(fd);
  return path;
}

const MiB = 1 << 20;
const peakMiB = () => process.resourceUsage().maxRSS / 1024;

async function logs(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['logs', ...args], (s) => (out += s + '\n'), (s) => (err += s + '\n'));
  return { code, out, err };
}

test('a 600 MiB log (past the 512 MiB a string can hold) reads in bounded memory', async () => {
  // One peer's real log, then 600 MiB of another program's output (1 KiB JSON lines, as a
  // chaincode container prints them), then the peer's log again.
  const p0 = splitByPeer()[0];
  const half = Math.floor(p0.length / 2);
  const head = gzipSync(p0.slice(0, half).join('\n') + '\n');
  const tail = gzipSync(p0.slice(half).join('\n') + '\n');
  const junkLine = `{"level":"info","ts":1733227000.5,"msg":"${'x'.repeat(1024 - 52)}"}\n`;
  const perMember = Math.floor((8 * MiB) / junkLine.length);
  const member = gzipSync(junkLine.repeat(perMember));
  const members = 75;
  const path = gzipFile('peer0.log.gz', member, members, head, tail);
  const { code, out, err } = await logs(path, '--json');
  assert.equal(code, 0, err);
  const r = JSON.parse(out);
  const junk = members * perMember;
  assert.ok(junk * junkLine.length > 0x1fffffe8, 'more than a string can hold');
  assert.equal(r.stats.lines, p0.length + junk);
  assert.equal(r.stats.unparsed, junk);
  assert.equal(r.stats.parsed, p0.length);
  assert.equal(r.peers[0].endpoint, '127.0.0.1:43465');
  assert.equal(r.stats.receipts, 275, 'every receipt of peer0, before and after the junk');
  // A sample of the junk is kept, each line cut short; the count is whole.
  assert.equal(r.stats.unparsedSample.length, 100);
  assert.ok(r.stats.unparsedSample.every((u: { text: string; length: number }) => u.text.length === 300 && u.length === junkLine.length - 1));
  assert.ok(peakMiB() < 700, `peak RSS ${peakMiB().toFixed(0)} MiB for a 600 MiB log`);
});

test('a gzip bomb stops at the bound on decompressed size with a clear error, in bounded memory', async () => {
  // 64 MiB of zeros (no newline: one endless line) compresses to 64 KiB; 18 of them are 1,152 MiB.
  const member = gzipSync(Buffer.alloc(64 * MiB), { level: 9 });
  const path = gzipFile('bomb.log.gz', member, 18);
  const { code, err } = await logs(path);
  assert.equal(code, 2, err);
  assert.match(err, /bomb\.log\.gz:1:1: decompresses to more than 1024 MiB, the bound on one log file \(a gzip bomb, or a log to split\)/);
  assert.ok(peakMiB() < 700, `peak RSS ${peakMiB().toFixed(0)} MiB`);
});
