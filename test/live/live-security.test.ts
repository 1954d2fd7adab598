/**
 * Live mode's sockets let in only this run's own processes: each with its own credential (given
 * on its stdin, never on its command line), once, and never a browser page; what a connected
 * process says is checked; and a process started by hand from the scenario alone (its public
 * seed) cannot pass for a peer of the run. Real sockets and real processes.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { startControlServer, type PeerReport } from '../../engine/live/control.js';
import { Credentials, newSecret } from '../../engine/live/credentials.js';
import { LiveRun } from '../../engine/live/launcher.js';
import { startOrdererService } from '../../engine/live/orderer-service.js';
import { startLivePeer } from '../../engine/live/peer.js';
import { freePort } from '../../engine/live/ports.js';
import { HANDSHAKE_FRAME_BYTES, raiseFrameLimit } from '../../engine/live/frame-limit.js';
import { loadScenario } from '../../engine/scenario/load.js';
import { until, LIMIT_MS } from './helpers.js';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const TEXT = `name: live-guarded
seed: 8
profile: fabric-v3
orgs:
  - { mspId: Org1MSP, peers: 2, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 2, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
orderer: { batchTimeout: 300ms, blocks: 3, txPerBlock: 2 }
gossip: { aliveTimeInterval: 300ms, aliveExpirationTimeout: 1500ms, reconnectInterval: 500ms, dialTimeout: 500ms }
run: { until: 60s }
`;
const FILE = join(mkdtempSync(join(tmpdir(), 'gossip-live-sec-')), 'guarded.yaml');

before(() => {
  if (process.env.GOSSIP_SCOPE_BUILT !== '1') assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
  writeFileSync(FILE, TEXT);
});

/** Opens a WebSocket; says 'open' or how it was refused. */
function attempt(url: string, headers: Record<string, string> = {}): Promise<{ outcome: string; ws: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => resolve({ outcome: 'open', ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ outcome: `refused ${res.statusCode}`, ws }));
    ws.on('error', (e) => resolve({ outcome: `error ${e.message}`, ws }));
  });
}

const bearer = (c: string) => ({ authorization: `Bearer ${c}` });
const BROWSER = { origin: 'http://evil.example' };

test('the control channel: a peer\u2019s own credential, one connection, no browser; every message checked, bad ones dropped with the reason', async () => {
  const credentials = new Credentials();
  const mine = credentials.issue('peer0.org1');
  const reports: PeerReport[] = [];
  const logged: string[] = [];
  const control = await startControlServer(credentials, (r) => reports.push(r), () => {}, (s) => logged.push(s));
  try {
    assert.equal((await attempt(control.url)).outcome, 'refused 401');
    assert.equal((await attempt(control.url, bearer('0'.repeat(64)))).outcome, 'refused 401');
    assert.equal((await attempt(`${control.url}?token=${mine}`)).outcome, 'refused 401', 'a token in the URL is not a credential');
    assert.equal((await attempt(control.url, { ...bearer(mine), ...BROWSER })).outcome, 'refused 403');
    const { outcome, ws } = await attempt(control.url, bearer(mine));
    assert.equal(outcome, 'open');
    // One connection per process: the same credential again is refused while it is open.
    assert.equal((await attempt(control.url, bearer(mine))).outcome, 'refused 409');
    const status = (id: string) => ({ type: 'status', id, height: { mychannel: 999 }, leader: {}, membership: ['FORGED'], dead: [], events: 1, oldestHeld: null, worldState: {}, messages: { sent: {}, delivered: {}, dropped: {}, dropReasons: {}, rejected: {} }, commits: {} });
    const said = [
      'null',
      'not json',
      JSON.stringify({ type: 'status', id: 'peer0.org1' }),
      JSON.stringify(status('peer0.org1')), // before its hello
      JSON.stringify({ type: 'hello', id: 'peer1.org1', pid: 4242 }), // another peer's hello
      JSON.stringify({ type: 'hello', id: 'peer0.org1', pid: 4242 }),
      JSON.stringify({ type: 'hello', id: 'peer0.org1', pid: 4343 }), // a second hello
      JSON.stringify(status('peer1.org1')), // a report for another peer
      JSON.stringify(status('peer0.org1')),
    ];
    for (const m of said) ws.send(m);
    await until(() => reports.length === 2, () => `the two valid reports (got ${reports.length}; logged ${logged.join(' | ')})`, LIMIT_MS);
    assert.deepEqual(reports.map((r) => `${r.type} ${r.id}`), ['hello peer0.org1', 'status peer0.org1']);
    assert.equal((reports[0] as { pid: number }).pid, 4242);
    const drops = logged.filter((l) => l.includes('dropped a message from peer0.org1'));
    assert.equal(drops.length, 7, logged.join('\n'));
    for (const reason of ['not a report', 'not JSON', "must have required property 'height'", 'before its hello', 'a hello report for "peer1.org1"', 'a second hello', 'a status report for "peer1.org1"']) {
      assert.ok(drops.some((d) => d.includes(reason)), `no drop says ${reason}: ${drops.join('\n')}`);
    }
    assert.ok(logged.some((l) => /browser page \(Origin http:\/\/evil\.example\)/.test(l)), logged.join('\n'));
    ws.close();
  } finally {
    await control.close();
  }
});

test('the orderer\u2019s Deliver stream opens only with a peer\u2019s credential, and a gossip port refuses a browser page', async () => {
  const scenario = loadScenario(TEXT, 'guarded.yaml');
  const credentials = new Credentials();
  const keys = newSecret();
  const orderer = await startOrdererService(scenario, { credentials, keys });
  const port = await freePort();
  const credential = credentials.issue('peer0.org1');
  const peer = await startLivePeer({ scenario, id: 'peer0.org1', port, addresses: new Map(), orderer: orderer.url, keys, credential });
  orderer.go();
  try {
    const deliver = `${orderer.url}/deliver?peer=0&channel=mychannel&height=0`;
    assert.equal((await attempt(deliver)).outcome, 'refused 401');
    assert.equal((await attempt(deliver, { ...bearer(credential), ...BROWSER })).outcome, 'refused 403');
    // A credential opens it, and blocks come.
    const { outcome, ws } = await attempt(deliver, bearer(credential));
    assert.equal(outcome, 'open');
    let frames = 0;
    ws.on('message', () => frames++);
    await until(() => frames > 0, 'a block on the Deliver stream', LIMIT_MS);
    ws.close();
    // Gossip: any process may dial (the signed handshake says who it is), but no browser page.
    assert.equal((await attempt(`ws://127.0.0.1:${port}/`, BROWSER)).outcome, 'refused 403');
    // Before the handshake a frame holds a ConnEstablish at most: a 64 MiB one is refused from
    // its header (close 1009), not read into memory.
    const stranger = await attempt(`ws://127.0.0.1:${port}/`);
    assert.equal(stranger.outcome, 'open');
    const closed = new Promise<number>((r) => stranger.ws.once('close', (code) => r(code)));
    stranger.ws.send(Buffer.alloc(HANDSHAKE_FRAME_BYTES + 1));
    assert.equal(await closed, 1009);
    await until(() => (peer.ledgers.get('mychannel')?.height ?? 0) > 1, 'the peer itself, with its credential, takes blocks', LIMIT_MS);
  } finally {
    await peer.stop();
    await orderer.close();
  }
});

test('gossip-scope live: no secret in any process\u2019s command line or environment; a peer started from the scenario alone is refused', async () => {
  const run = await LiveRun.start(FILE, { cli: CLI, log: () => {} });
  let rogue: ReturnType<typeof spawn> | undefined;
  try {
    const honest = ['peer0.org1', 'peer1.org1', 'peer0.org2'];
    const sees = (id: string) => run.reports.get(id)?.membership ?? [];
    await until(() => run.ids.every((p) => sees(p.id).length === 3), 'everyone sees everyone', LIMIT_MS);
    // What other users can read of each process (ps): no credential, no key secret, no token.
    for (const pid of run.summary().pids) {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      assert.match(cmdline, /--secrets stdin/);
      for (const text of [cmdline, environ]) assert.doesNotMatch(text, /[0-9a-f]{64}|token=/, `process ${pid} shows a secret: ${cmdline}`);
    }
    // peer1.org2 crashes; the others stop seeing it.
    run.fault('crash', 'peer1.org2');
    await until(() => honest.every((id) => !sees(id).includes('peer1.org2')), 'nobody sees the crashed peer1.org2', LIMIT_MS);
    const rejected = () => honest.reduce((n, id) => n + Object.entries(run.reports.get(id)?.messages.rejected ?? {}).filter(([reason]) => /Identity store rejected/.test(reason)).reduce((m, [, k]) => m + k, 0), 0);
    const before = rejected();
    // Someone starts peer1.org2 from the scenario file, where it listened, knowing every address.
    const addresses = run.ids.filter((p) => p.id !== 'peer1.org2').flatMap((p) => ['--address', `${p.id}=${run.addressOf(p.id)}`]);
    rogue = spawn(process.execPath, [CLI, 'peer', '--scenario', FILE, '--id', 'peer1.org2', '--listen', run.addressOf('peer1.org2'), ...addresses], { stdio: 'ignore' });
    // Its handshakes reach the honest peers, which refuse its certificate (issued from the seed, not the run's secret).
    await until(() => rejected() > before, 'an honest peer refusing the rogue\u2019s identity', LIMIT_MS);
    // Refused again and again (it keeps dialling, the others keep trying the dead peer's address):
    await until(() => rejected() >= before + 3, 'the rogue refused three times', LIMIT_MS);
    for (const id of honest) assert.ok(!sees(id).includes('peer1.org2'), `${id} took the rogue as peer1.org2: ${sees(id).join(', ')}`);
  } finally {
    rogue?.kill('SIGKILL');
    await run.stop();
  }
});

test('an authenticated gossip socket takes frames up to Fabric\u2019s 100 MiB: the limit is raised on that socket only', async () => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: HANDSHAKE_FRAME_BYTES });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const url = `ws://127.0.0.1:${(server.address() as { port: number }).port}/`;
  const sizes: number[] = [];
  let n = 0;
  server.on('connection', (ws) => {
    // The first socket is authenticated (its limit raised); the second is not.
    if (n++ === 0) raiseFrameLimit(ws, 100 * 1024 * 1024);
    ws.on('error', () => {});
    ws.on('message', (d: Buffer) => sizes.push(d.length));
  });
  try {
    const big = Buffer.alloc(1024 * 1024);
    const raised = await attempt(url);
    raised.ws.send(big);
    await until(() => sizes.length === 1, 'the 1 MiB frame on the raised socket', LIMIT_MS);
    assert.deepEqual(sizes, [big.length]);
    const plain = await attempt(url);
    const refused = new Promise<number>((r) => plain.ws.once('close', (code) => r(code)));
    plain.ws.send(big);
    assert.equal(await refused, 1009, 'the unauthenticated socket is closed: message too big');
    assert.deepEqual(sizes, [big.length], 'and its frame was not taken');
    raised.ws.close();
  } finally {
    server.close();
  }
});
