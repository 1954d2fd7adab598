/**
 * `logs --follow`: the six real peers' logs written over time by another process, at the log's
 * own pace sped up seven times, one file rotated (renamed, a new one created) and one cut short
 * (copytruncate) halfway. Followed as tail -F follows, the reading at the end equals the reading
 * of the same logs saved; the figures grow while the lines come.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { summariseLogs } from '../../engine/logs/log-trace.js';
import { LogFollower, type FollowNotice } from '../../engine/logs/follow.js';
import { FabricLogReader } from '../../engine/logs/log-reader.js';
import { readFabricLogs } from '../../engine/logs/read-logs.js';
import { main } from '../../engine/cli/main.js';
import { splitByPeer } from './six-peer-log.js';

const dir = mkdtempSync(join(tmpdir(), 'follow-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const perPeer = splitByPeer();

/** The peers' saved logs in `src`, and the writer process replaying them into `dst`. */
function startWriter(name: string): { dst: string; paths: string[]; exited: Promise<number | null> } {
  const src = join(dir, name, 'src');
  const dst = join(dir, name, 'dst');
  mkdirSync(src, { recursive: true });
  mkdirSync(dst, { recursive: true });
  perPeer.forEach((lines, i) => writeFileSync(join(src, `p${i}.log`), lines.join('\n') + '\n'));
  const child = spawn(process.execPath, [join(__dirname, 'replay-writer.mjs'), src, dst, '7', 'p1.log', 'p2.log'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { dst, paths: perPeer.map((_, i) => join(dst, `p${i}.log`)), exited };
}

const saved = (paths: string[]) => readFabricLogs(perPeer.map((lines, i) => ({ path: paths[i], text: lines.join('\n') + '\n' })));

test('files followed while written, rotated and truncated read as the saved logs do', async () => {
  const { paths, exited } = startWriter('lib');
  const reader = new FabricLogReader(paths);
  const notices: FollowNotice[] = [];
  const follower = new LogFollower(paths, (text, path, lineNo, cut) => reader.line(text, path, lineNo, cut), (n) => notices.push(n));
  const matchedOverTime: number[] = [];
  const poll = setInterval(() => follower.poll(), 50);
  const look = setInterval(() => matchedOverTime.push(reader.finish().stats.matched), 500);
  const code = await exited;
  clearInterval(poll);
  clearInterval(look);
  follower.poll();
  follower.close();
  assert.equal(code, 0);
  const r = reader.finish();
  const s = saved(paths);
  assert.deepEqual(r.peers.map((p) => [p.name, p.endpoint, p.pkiId]).sort(), s.peers.map((p) => [p.name, p.endpoint, p.pkiId]).sort());
  for (const k of ['lines', 'parsed', 'unparsed', 'sends', 'receipts', 'matched', 'unattributed'] as const) assert.equal(r.stats[k], s.stats[k], k);
  assert.equal(r.stats.matched, 1381);
  const received = (x: typeof r) => Object.fromEntries(summariseLogs(x).map((p) => [p.name, p.received]));
  assert.deepEqual(received(r), received(s));
  // What happened to the files was said, each once.
  const said = (what: string) => notices.filter((n) => n.what === what).map((n) => n.path.split('/').pop());
  assert.deepEqual(said('rotated'), ['p1.log']);
  assert.deepEqual(said('truncated'), ['p2.log']);
  // The pairs came in while the logs were written, not all at the end.
  assert.ok(matchedOverTime.some((m) => m > 0 && m < 1381), `matched over time: ${matchedOverTime.join(', ')}`);
});

test('gossip-scope logs --follow prints figures as lines come and the summary when stopped', async () => {
  const { paths, exited } = startWriter('cli');
  let out = '';
  let err = '';
  const running = main(['logs', '--follow', ...paths, '--trace', join(dir, 'follow.jsonl')], (s) => (out += s + '\n'), (s) => (err += s + '\n'));
  await exited;
  await new Promise((res) => setTimeout(res, 300));
  process.emit('SIGINT');
  assert.equal(await running, 0, err);
  assert.match(out, /^\d\d:\d\d:\d\d {2}6 peers, \d+ lines, \d+ sends, \d+ receipts, \d+ matched$/m);
  assert.match(out, /6 peers, \d+ trace events from/);
  assert.match(out, /messages: 1381 sends, 1464 receipts, 1381 matched/);
  assert.match(err, /p1\.log: rotated/);
  assert.match(err, /p2\.log: truncated/);
});
