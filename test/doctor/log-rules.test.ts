/**
 * Fabric Doctor's log rules on the real six-peer debug log (no finding: a false alarm is a bug)
 * and on broken copies: real-format lines added to it, or a production peer's log written the
 * way `docker logs peer0.org1.example.com` prints it. Each finding once, at its line:col.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { LogDoctor, logFindings, logFindingsFromPaths, scanLogFile, scanLogFileSync } from '../../engine/doctor/log-rules.js';
import type { LogFile } from '../../engine/logs/read-logs.js';

const REAL = join('docs', 'reference', 'real-fabric', 'gossip-debug-6peers.log.gz');
const real: LogFile = { path: REAL, text: gunzipSync(readFileSync(REAL)).toString('utf8') };
const realLines = real.text.split('\n');
if (realLines[realLines.length - 1] === '') realLines.pop();

/** The real log with `extra` lines after it; returns the file and the 1-based line of extra[0]. */
function withLines(extra: string[]): { file: LogFile; first: number } {
  return { file: { path: REAL, text: [...realLines, ...extra].join('\n') + '\n' }, first: realLines.length + 1 };
}

/** A test-layout line of p0 (logger tagged by its endpoint, as in the real log). */
const p0 = (time: string, level: string, logger: string, func: string, msg: string) => `2026-12-03 ${time} UTC 9${time.slice(6, 8)}0 ${level} [${logger}#127.0.0.1:43465] ${func} -> ${msg}`;
/** A production peer's line: `docker logs` of peer0.org1.example.com. */
const prod = (time: string, level: string, logger: string, func: string, msg: string) => `2026-12-03 ${time} UTC [${logger}] ${func} -> ${level} 0a1 ${msg}`;

test('the real six-peer log gives no finding at all', () => {
  const fs = logFindings([real]);
  assert.deepEqual(fs.map((f) => `${f.rule} ${f.at.line}: ${f.what}`), []);
});

test('repeated "Could not connect to" an endpoint: one error at the first, with count and times; fewer than 3 is no finding', () => {
  const fail = (t: string) => p0(t, 'WARN', 'gossip.discovery', 'func1', 'Could not connect to Endpoint: 127.0.0.1:7051, InternalEndpoint: 127.0.0.1:7051, PKI-ID: <nil>, Metadata:  : context deadline exceeded');
  const { file, first } = withLines([fail('11:55:00.000'), fail('11:55:25.000'), fail('11:55:50.000')]);
  const fs = logFindings([file]);
  assert.equal(fs.length, 1);
  const f = fs[0];
  assert.equal(f.rule, 'log-connect-failures');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.at, { file: REAL, line: first, col: file.text.split('\n')[first - 1].indexOf('Could not connect') + 1 });
  assert.match(f.what, /^p0 could not connect to 127\.0\.0\.1:7051 3 times between 2026-12-03 11:55:00\.000 UTC and 2026-12-03 11:55:50\.000 UTC \(context deadline exceeded\), and never reached it/);
  assert.equal(f.fabric.source, 'gossip/discovery/discovery_impl.go');

  assert.deepEqual(logFindings([withLines([fail('11:55:00.000'), fail('11:55:25.000')]).file]), []);
});

test('connect failures that end with the member learned are a warning, not an error', () => {
  const fail = (t: string) => p0(t, 'WARN', 'gossip.discovery', 'func1', 'Could not connect to Endpoint: 127.0.0.1:7051, InternalEndpoint: 127.0.0.1:7051, PKI-ID: <nil>, Metadata:  : context deadline exceeded');
  const learned = p0('11:56:15.000', 'DEBU', 'gossip.discovery', 'learnNewMembers', 'Learned about a new alive member: GossipMessage: Channel: , nonce: 0, tag: EMPTY Alive Message:Membership: Endpoint:127.0.0.1:7051 PKI-id:3132372e302e302e313a37303531');
  const fs = logFindings([withLines([fail('11:55:00.000'), fail('11:55:25.000'), fail('11:55:50.000'), learned]).file]);
  assert.deepEqual(fs.map((f) => [f.rule, f.severity]), [['log-connect-failures', 'warning']]);
  assert.match(fs[0].what, /then reached it/);
  // At INFO level the channel's membership report is the only sign it was reached.
  const report = p0('11:56:15.000', 'INFO', 'gossip.channel', 'reportMembershipChanges', '[[A] Membership view has changed. peers went online:  [[127.0.0.1:7051]] , current view:  [[127.0.0.1:7051] [127.0.0.1:40317]]]').replace('#127.0.0.1:43465]', '#p0]');
  const info = logFindings([withLines([fail('11:55:00.000'), fail('11:55:25.000'), fail('11:55:50.000'), report]).file]);
  assert.deepEqual(info.map((f) => [f.rule, f.severity]), [['log-connect-failures', 'warning']]);
});

test('"Identity store rejected" in a production peer\'s log: one error per host and reason, at the first past start-up; only at start-up it is a note', () => {
  const rej = (t: string, port: number) => prod(t, 'WARN', 'gossip.comm', 'authenticateRemotePeer', `Identity store rejected 172.18.0.5:${port} : gossipping peer identity expired`);
  const text = [
    prod('11:00:00.000', 'INFO', 'gossip.gossip', 'New', 'Creating gossip service with self membership of Endpoint: peer0.org1.example.com:7051, InternalEndpoint: peer0.org1.example.com:7051, PKI-ID: 0a0b0c, Metadata: '),
    rej('11:00:30.000', 40110),
    rej('11:01:10.000', 40112),
    rej('11:01:35.000', 40118),
  ].join('\n');
  const file = { path: 'logs/peer0.org1.example.com.log', text };
  const fs = logFindings([file]);
  assert.equal(fs.length, 1);
  assert.equal(fs[0].rule, 'log-identity-rejected');
  assert.equal(fs[0].severity, 'error');
  assert.deepEqual(fs[0].at, { file: file.path, line: 3, col: text.split('\n')[2].indexOf('Identity store') + 1 });
  assert.match(fs[0].what, /^peer0\.org1\.example\.com refused the identity of the peer at 172\.18\.0\.5:40110 3 times between .*: gossipping peer identity expired$/);
  assert.match(fs[0].fix, /Renew/);
  assert.equal(fs[0].fabric.source, 'gossip/comm/comm_impl.go');
  // The first one alone, 30 s after start: a note at its line, not an error.
  const early = logFindings([{ path: file.path, text: text.split('\n').slice(0, 2).join('\n') }]);
  assert.deepEqual(early.map((f) => [f.severity, f.at.line]), [['info', 2]]);
  assert.match(early[0].what, /once: gossipping peer identity expired \(only during start-up/);
});

test('"PKI-ID not found in identity mapper" during start-up is normal; past it, one warning at the first late one', () => {
  const invalid = (t: string, err: string) => p0(t, 'WARN', 'gossip.gossip', 'validateMsg', `StateInfo message GossipMessage: tag:CHAN_ONLY StateInfo: is found invalid: ${err}`);
  // p0's first line is at 11:54:49.684: 11:55:30 is start-up, 11:56:00 and later is not.
  const early = withLines([invalid('11:55:30.000', "PKIID wasn't found")]);
  assert.deepEqual(logFindings([early.file]), []);
  const { file, first } = withLines([
    invalid('11:55:30.000', "PKIID wasn't found"),
    invalid('11:56:00.000', 'PKI-ID not found in identity mapper'),
    invalid('11:57:00.000', "PKIID wasn't found"),
  ]);
  const fs = logFindings([file]);
  assert.equal(fs.length, 1);
  assert.equal(fs[0].rule, 'log-pkiid-not-found');
  assert.equal(fs[0].at.line, first + 1);
  assert.equal(fs[0].at.col, file.text.split('\n')[first].indexOf('PKI-ID not found') + 1);
  assert.match(fs[0].what, /^p0 still has no certificate for a sender 60 s after start-up: 2 messages dropped .*\(and 1 during start-up, which is normal\)/);
  // A longer start-up window makes both late ones early.
  assert.deepEqual(logFindings([file], { startupMs: 10 * 60_000 }), []);
});

test('a PKI-ID that changes for the same endpoint: once, whether Fabric logs it, the alive messages show it, or both', () => {
  const learned = (t: string, pki: string) => p0(t, 'DEBU', 'gossip.discovery', 'learnNewMembers', `Learned about a new alive member: GossipMessage: Channel: , nonce: 0, tag: EMPTY Alive Message:Membership: Endpoint:127.0.0.1:40317 PKI-id:${pki}Identity:`);
  const logged = `2026-12-03 11:56:10.000 UTC 9a00 INFO [gossip.comm] createConnection -> Peer 127.0.0.1:40317 changed its PKI-ID from 3132372e302e302e313a3430333137 to 77aa`;
  const a = withLines([learned('11:56:10.500', '77aa')]);
  const fa = logFindings([a.file]);
  assert.deepEqual(fa.map((f) => [f.rule, f.at.line]), [['log-pkiid-changed', a.first]]);
  assert.match(fa[0].what, /^The peer at 127\.0\.0\.1:40317 changed its PKI-ID from 3132372e302e302e… to 77aa/);

  const b = withLines([logged, learned('11:56:10.500', '77aa')]);
  const fb = logFindings([b.file]);
  assert.deepEqual(fb.map((f) => [f.rule, f.at.line, f.at.col]), [['log-pkiid-changed', b.first, logged.indexOf('changed its PKI-ID') + 1]]);
  assert.equal(fb[0].fabric.source, 'gossip/comm/comm_impl.go');
  // Back and forth between two PKI-IDs: two peers announce one endpoint, not a renewal: no finding.
  const flip = withLines([learned('11:56:10.500', '77aa'), learned('11:56:11.000', '3132372e302e302e313a3430333137'), learned('11:56:15.000', '77aa')]);
  assert.deepEqual(logFindings([flip.file]), []);
  // Seen in an alive message first, then logged by comm: still once, at Fabric's own line.
  const c = withLines([learned('11:56:09.000', '77aa'), logged]);
  assert.deepEqual(logFindings([c.file]).map((f) => [f.at.line, f.at.col]), [[c.first + 1, logged.indexOf('changed its PKI-ID') + 1]]);
});

test('membership flapping: declared dead 3 times within 4 × aliveExpirationTimeout of each other; spread out it is not', () => {
  const dead = (t: string) => p0(t, 'WARN', 'gossip.discovery', 'expireDeadMembers', 'Closing connection to Endpoint: 127.0.0.1:46097, InternalEndpoint: 127.0.0.1:46097, PKI-ID: 3132372e302e302e313a3436303937, Metadata: ');
  const { file, first } = withLines([dead('11:56:00.000'), dead('11:56:40.000'), dead('11:57:30.000')]);
  const fs = logFindings([file]);
  assert.equal(fs.length, 1);
  assert.equal(fs[0].rule, 'log-membership-flapping');
  assert.deepEqual(fs[0].at, { file: REAL, line: first, col: file.text.split('\n')[first - 1].indexOf('Closing connection') + 1 });
  assert.match(fs[0].what, /^p0 declared 127\.0\.0\.1:46097 dead 3 times .*as often as every 40 s; aliveExpirationTimeout is 25 s/);

  // 11:57:30 is 50 s after 11:56:40: with a 10 s timeout (window 40 s) the run breaks.
  assert.deepEqual(logFindings([file], { aliveExpirationTimeoutMs: 10_000 }), []);
  const spread = withLines([dead('11:56:00.000'), dead('12:06:00.000'), dead('12:16:00.000')]);
  assert.deepEqual(logFindings([spread.file]), []);
  // The real log given three times (a file concatenated, or passed twice): its one death each is still one.
  assert.deepEqual(logFindings([real, real, real]), []);
});

test('as a stream, line by line, it finds what the whole-file pass finds', () => {
  const fail = (t: string) => p0(t, 'WARN', 'gossip.discovery', 'func1', 'Could not connect to Endpoint: 127.0.0.1:7051, InternalEndpoint: 127.0.0.1:7051, PKI-ID: <nil>, Metadata:  : connection refused');
  const { file } = withLines([fail('11:55:00.000'), fail('11:55:25.000'), fail('11:55:50.000')]);
  const stream = new LogDoctor();
  const lines = file.text.split('\n');
  lines.forEach((text, i) => stream.line(text, { file: REAL, line: i + 1 }));
  assert.deepEqual(stream.findings(), logFindings([file]));
  assert.equal(stream.findings().length, 1);
});

test('binary or foreign lines are counted as skipped, never a crash; bad options say what is wrong', () => {
  const d = new LogDoctor();
  d.file({ path: 'x.log', text: '\u0000\u0001\u0002\ufffd\ufffd\nnot a log line\n' + realLines[0] });
  assert.equal(d.skipped, 2);
  assert.deepEqual(d.findings(), []);
  assert.throws(() => new LogDoctor({ minFlaps: 1 }), /minFlaps must be at least 2/);
  assert.throws(() => new LogDoctor({ aliveExpirationTimeoutMs: 0 }), /aliveExpirationTimeoutMs must be positive/);
});

test('a production peer under `docker compose logs`: the service names the peer; a gzip file streamed from disk finds the same', async () => {
  const fail = (t: string) =>
    `peer0.org1.example.com  | 2026-12-03 ${t} UTC [gossip.discovery] func1 -> WARN 0${t.slice(3, 5)} Could not connect to Endpoint: peer0.org2.example.com:9051, InternalEndpoint: peer0.org2.example.com:9051, PKI-ID: <nil>, Metadata:  : context deadline exceeded`;
  const text = [fail('12:00:00.000'), fail('12:00:25.000'), fail('12:00:50.000')].join('\n') + '\n';
  const fs = logFindings([{ path: 'compose.log', text }]);
  assert.deepEqual(fs.map((f) => [f.rule, f.at.line, f.affected]), [['log-connect-failures', 1, ['peer0.org1.example.com', 'peer0.org2.example.com:9051']]]);

  const dir = mkdtempSync(join(tmpdir(), 'gossip-scope-logs-'));
  try {
    const gz = join(dir, 'peers.log.gz');
    const broken = withLines([fail('11:56:00.000'), fail('11:56:25.000'), fail('11:56:50.000')]).file;
    writeFileSync(gz, gzipSync(broken.text));
    const d = new LogDoctor();
    await scanLogFile(gz, d);
    assert.deepEqual(d.findings(), logFindings([{ ...broken, path: gz }]));
    assert.equal(d.findings().length, 1);
    await assert.rejects(scanLogFile(join(dir, 'missing.log'), new LogDoctor()), /missing\.log:1:1: cannot read the log: .*ENOENT/);
    // The synchronous reader, plain (in 1 MB pieces, and in 4 kB pieces with a character across
    // a boundary) and gzip, finds the same.
    const plain = join(dir, 'peers.log');
    const withUtf8 = broken.text + 'ünïcödé ✓\n'.repeat(2000);
    writeFileSync(plain, withUtf8);
    const expected = logFindings([{ path: plain, text: withUtf8 }]);
    assert.deepEqual(logFindingsFromPaths([plain]), expected);
    const small = new LogDoctor();
    scanLogFileSync(plain, small, 4096);
    assert.deepEqual(small.findings(), expected);
    assert.equal(small.skipped, 2000 + 2); // the unicode lines and the real log's two test-runner lines
    assert.deepEqual(logFindingsFromPaths([gz]), d.findings());
    assert.throws(() => logFindingsFromPaths([join(dir, 'missing.log')]), /missing\.log:1:1: cannot read the log: .*ENOENT/);
    const damaged = join(dir, 'damaged.log.gz');
    writeFileSync(damaged, Buffer.concat([gzipSync(broken.text).subarray(0, 2000), Buffer.alloc(64, 0x55)]));
    await assert.rejects(scanLogFile(damaged, new LogDoctor()), /damaged\.log\.gz:\d+:1: cannot read the log: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
