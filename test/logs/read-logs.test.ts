/**
 * Reading the real six-peer debug log (Fabric v2.4.9, one process, eight blocks): figures the
 * reader reports are checked against counts taken here straight from the file's text.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { main } from '../../engine/cli/main.js';
import { summariseLogs } from '../../engine/logs/log-trace.js';
import { readFabricLogs } from '../../engine/logs/read-logs.js';

const LOG = join(__dirname, '..', '..', 'docs', 'reference', 'real-fabric', 'gossip-debug-6peers.log.gz');
const text = gunzipSync(readFileSync(LOG)).toString('utf8');
const lines = text.split('\n').filter((l) => l !== '');
const reading = readFabricLogs([{ path: LOG, text }]);

test('every peer the log announces is a peer, with its endpoint and PKI-ID', () => {
  const announced = lines.flatMap((l) => {
    const m = /\[gossip\.gossip#(p\d+)\] New -> Creating gossip service with self membership of Endpoint: ([^,]+), InternalEndpoint: [^,]+, PKI-ID: ([0-9a-f]+)/.exec(l);
    return m ? [{ name: m[1], endpoint: m[2], pkiId: m[3] }] : [];
  });
  assert.equal(announced.length, 6);
  assert.deepEqual(reading.peers.map(({ name, endpoint, pkiId }) => ({ name, endpoint, pkiId })), announced);
});

test('alive messages each peer received equal the handleMessage lines that show one', () => {
  const counted: Record<string, number> = {};
  for (const l of lines) {
    const m = /\[gossip\.gossip#(p\d+)\] handleMessage -> Entering, \S+ [0-9a-f]+ sent us GossipMessage: Channel: , nonce: \d+, tag: EMPTY Alive Message:/.exec(l);
    if (m) counted[m[1]] = (counted[m[1]] ?? 0) + 1;
  }
  const summary = summariseLogs(reading);
  assert.deepEqual(Object.fromEntries(summary.map((p) => [p.name, p.received.AliveMessage ?? 0])), counted);
  assert.ok(Object.values(counted).every((n) => n > 50));
});

test('every message type in the log is read; receipts of each type are all counted', () => {
  const receipts = lines.filter((l) => / handleMessage -> Entering, .* sent us GossipMessage:/.test(l)).length;
  assert.equal(reading.stats.receipts, receipts);
  const blocks = lines.filter((l) => /sent us GossipMessage: Channel: A, nonce: \d+, tag: CHAN_AND_ORG Block message:/.test(l)).length;
  assert.equal(reading.stats.byType.DataMessage.received, blocks);
  const types = new Set(reading.events.filter((e) => e.kind === 'deliver').map((e) => e.type));
  for (const t of ['AliveMessage', 'MembershipRequest', 'MembershipResponse', 'StateInfo', 'StateInfoSnapshot', 'StateInfoPullRequest', 'DataMessage', 'GossipHello', 'DataDigest', 'DataRequest', 'DataUpdate']) assert.ok(types.has(t), t);
  assert.ok(!types.has('GossipMessage'), 'a receipt of no known type');
});

test('unparsed lines are the lines that are not Fabric log lines, each listed', () => {
  const notFabric = lines.map((l, i) => ({ l, i })).filter(({ l }) => !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC [0-9a-f]+ (DEBU|INFO|WARN|ERRO) \[/.test(l));
  assert.deepEqual(reading.stats.unparsedSample.map((u) => u.line), notFabric.map(({ i }) => i + 1));
  assert.equal(reading.stats.unparsed, notFabric.length);
  assert.equal(reading.stats.lines, lines.length);
});

test('each matched send and receipt are the same message, sender to receiver, send first', () => {
  const events = reading.events;
  const byId = new Map(events.map((e) => [e.id, e]));
  let pairs = 0;
  for (const d of events) {
    if (d.kind !== 'deliver' || d.parent === undefined) continue;
    const s = byId.get(d.parent)!;
    assert.equal(s.kind, 'send');
    assert.equal(s.msg, d.msg);
    assert.equal(s.peer, d.other);
    assert.equal(s.other, d.peer);
    assert.ok(s.id < d.id && s.t <= d.t);
    const m = reading.messages.get(d.msg!)!;
    // Both ends printed the same message (a digest's items, an update's count: Fabric logs those replies in pull's words).
    const printed = (t: string) => t.slice(t.indexOf('GossipMessage'));
    if (m.type === 'DataDigest') assert.equal(/digest: \[([^\]]*)\]/.exec(m.sent!.text)![1], /digests: \[([^\]]*)\]/.exec(m.received!.text)![1]);
    else if (m.type === 'DataUpdate') assert.equal(/Sending (\d+) /.exec(m.sent!.text)![1], /items: (\d+)/.exec(m.received!.text)![1]);
    else assert.equal(printed(m.sent!.text), printed(m.received!.text), `line ${m.sent!.line} / ${m.received!.line}`);
    pairs++;
  }
  assert.equal(pairs, reading.stats.matched);
  // Only StateInfoSnapshot replies (sent with Respond, which logs nothing) lack their send.
  assert.ok(reading.stats.matched >= 1300, String(reading.stats.matched));
  const unmatched = new Set(reading.stats.unmatchedReceipts.map((u) => /tag: \w+ (\w+)/.exec(u.text.slice(u.text.indexOf('sent us')))?.[1]));
  assert.deepEqual([...unmatched], ['StateInfoSnapshot']);
});

test('clocks that disagree: a receiver whose clock is 2 s behind is drawn after the send (happened-before)', () => {
  // p1's host clock set back 2 s: its receipts are then logged before the sends they receive.
  const back = (l: string) => l.replace(/^(\S+ \S+)/, (stamp) => new Date(Date.parse(stamp.replace(' ', 'T') + 'Z') - 2000).toISOString().replace('T', ' ').replace('Z', ''));
  const skewed = lines.map((l) => (/#p1\]|#127\.0\.0\.1:40317\]/.test(l) ? back(l) : l));
  const r = readFabricLogs([{ path: 'skewed.log', text: skewed.join('\n') }]);
  assert.ok(r.stats.reordered > 100, `reordered ${r.stats.reordered}`);
  assert.equal(r.stats.conflicts, 0);
  assert.equal(r.stats.matched, reading.stats.matched);
  const byId = new Map(r.events.map((e) => [e.id, e]));
  let moved = 0;
  for (const d of r.events) {
    if (d.kind !== 'deliver' || d.parent === undefined) continue;
    const s = byId.get(d.parent)!;
    assert.ok(s.t <= d.t && s.id < d.id);
    if (d.peer === 1 && d.data!.loggedAt !== undefined) moved++;
  }
  assert.ok(moved > 100, `moved ${moved}`);
  // Each peer's own events keep their log order.
  for (let p = 0; p < r.peers.length; p++) {
    const own = r.events.filter((e) => e.peer === p).map((e) => Number(String(e.data!.log).split(':').pop()));
    assert.deepEqual(own, [...own].sort((a, b) => a - b), r.peers[p].name);
  }
});

test('one file per peer, as docker logs gives them, reads the same as the one shared file', () => {
  // Split the shared log by peer, in a production peer's layout (no logger tags, level after the
  // function): tagged lines by their tag, sends by the peer the shared reading found for them.
  const tagPeer = new Map<string, number>();
  reading.peers.forEach((p) => [p.name, p.endpoint].forEach((a) => tagPeer.set(a, p.idx)));
  const sendPeer = new Map<number, number>();
  for (const e of reading.events) if (e.kind === 'send') sendPeer.set(Number(String(e.data!.log).split(':').pop()), e.peer);
  const perPeer: string[][] = reading.peers.map(() => []);
  lines.forEach((l, i) => {
    const m = /^(\S+ \S+ \S+) ([0-9a-f]+) (\w+) \[([^\]#]+)(?:#([^\]]+))?\] (\S+) -> (.*)$/.exec(l);
    if (!m) return;
    const peer = m[5] !== undefined ? tagPeer.get(m[5]) : sendPeer.get(i + 1);
    if (peer === undefined) return;
    perPeer[peer].push(`${m[1]} [${m[4]}] ${m[6]} -> ${m[3]} ${m[2].slice(-3)} ${m[7]}`);
  });
  // p0 with colour codes, p1 with docker's --timestamps, p2's clock 3 s ahead.
  perPeer[0] = perPeer[0].map((l) => `\x1b[36m${l.replace(' -> ', ' -> \x1b[0m')}`);
  perPeer[1] = perPeer[1].map((l) => `2026-12-03T12:00:00.000000000Z ${l}`);
  perPeer[2] = perPeer[2].map((l) => l.replace(/^(\S+ \S+)/, (stamp) => new Date(Date.parse(stamp.replace(' ', 'T') + 'Z') + 3000).toISOString().replace('T', ' ').replace('Z', '')));
  const split = readFabricLogs(perPeer.map((ls, i) => ({ path: `logs/p${i}.log`, text: ls.join('\n') + '\n' })));
  assert.deepEqual(split.peers.map((p) => [p.name, p.endpoint, p.pkiId]), reading.peers.map((p) => [p.name, p.endpoint, p.pkiId]));
  assert.equal(split.stats.unparsed, 0);
  assert.equal(split.stats.unattributed, 0);
  assert.equal(split.stats.receipts, reading.stats.receipts);
  assert.equal(split.stats.matched, reading.stats.matched);
  assert.deepEqual(summariseLogs(split).map((p) => p.received), summariseLogs(reading).map((p) => p.received));
  assert.ok(split.stats.reordered > 50, `reordered ${split.stats.reordered}`);
  assert.equal(split.stats.conflicts, 0);
  const byId = new Map(split.events.map((e) => [e.id, e]));
  for (const d of split.events) if (d.kind === 'deliver' && d.parent !== undefined) assert.ok(byId.get(d.parent)!.t <= d.t);
});

test('gossip-scope logs prints the counts and writes the trace in the engine format', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logs-'));
  let out = '';
  const code = await main(['logs', LOG, '--trace', join(dir, 't.jsonl')], (s) => (out += s + '\n'), (s) => (out += s));
  assert.equal(code, 0, out);
  assert.match(out, /2 unparsed/);
  assert.match(out, new RegExp(`${reading.stats.unmatchedSends.length} sends without a receipt, ${reading.stats.unmatchedReceipts.length} receipts without a logged send`));
  const trace = readFileSync(join(dir, 't.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(trace[0].source, 'fabric-logs');
  assert.deepEqual(trace[0].peers, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
  assert.equal(trace.length - 1, reading.events.length);
  writeFileSync(join(dir, 'junk.log'), 'hello\nworld\n');
  let err = '';
  assert.equal(await main(['logs', join(dir, 'junk.log')], () => {}, (s) => (err += s)), 1);
  assert.match(err, /no Fabric gossip peer .* \(0 of 2 lines are Fabric log lines\)/);
  assert.equal(await main(['logs', join(dir, 'missing.log')], () => {}, (s) => (err += s)), 2);
  assert.match(err, /missing\.log:1:1: cannot read the log/);
});
