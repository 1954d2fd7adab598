/**
 * Which peer a production peer's file (no logger tags) is, and who it speaks of: files with the
 * same name in different folders are different peers; a peer whose own log is missing is one
 * peer, although the log sends to it by endpoint and hears from it by PKI-ID.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../engine/cli/main.js';
import { summariseLogs } from '../../engine/logs/log-trace.js';
import { readFabricLogs } from '../../engine/logs/read-logs.js';
import { SIX_PEER_LOG, sixPeerText, splitByPeer } from './six-peer-log.js';

const shared = readFabricLogs([{ path: SIX_PEER_LOG, text: sixPeerText }]);
const perPeer = splitByPeer(shared);
const dir = mkdtempSync(join(tmpdir(), 'peers-by-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('org1/peer0.log, org2/peer0.log…: each file is its own peer, and every pair is found', async () => {
  // Three orgs of two peers, each peer's log in its org's folder, as a network's log collection lays them out.
  const paths = perPeer.map((lines, i) => {
    const folder = join(dir, `org${Math.floor(i / 2) + 1}`);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, `peer${i % 2}.log`);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  });
  let out = '';
  const code = await main(['logs', ...paths, '--json'], (s) => (out += s), (s) => (out += s));
  assert.equal(code, 0, out);
  const r = JSON.parse(out);
  assert.deepEqual(
    r.peers.map((p: { name: string; endpoint: string }) => [p.name, p.endpoint]),
    shared.peers.map((p, i) => [`org${Math.floor(i / 2) + 1}/peer${i % 2}`, p.endpoint]),
  );
  assert.equal(r.stats.matched, shared.stats.matched);
  assert.equal(r.stats.receipts, shared.stats.receipts);
  assert.deepEqual(
    r.peers.map((p: { received: unknown }) => p.received),
    summariseLogs(shared).map((p) => p.received),
  );
});

test("a single peer's log names each remote peer once: its endpoint and PKI-ID joined by the log's own alive members", () => {
  const r = readFabricLogs([{ path: 'logs/peer0.log', text: perPeer[0].join('\n') + '\n' }]);
  // Itself and the five others, each with the endpoint it is sent to and the PKI-ID it is heard from.
  const pairs = (peers: { endpoint: string; pkiId: string }[]) => peers.map((p) => `${p.endpoint} ${p.pkiId}`);
  assert.equal(pairs(r.peers)[0], pairs(shared.peers)[0]);
  assert.deepEqual(pairs(r.peers).sort(), pairs(shared.peers).sort());
  // Every send and every receipt of the shared reading's peer0 is between peer0 and one of them.
  const own = summariseLogs(r)[0];
  assert.deepEqual(own.received, summariseLogs(shared)[0].received);
  const talked = new Set(r.events.filter((e) => e.kind === 'send' || e.kind === 'deliver').map((e) => r.peers[e.other!].pkiId));
  assert.deepEqual([...talked].sort(), shared.peers.slice(1).map((p) => p.pkiId).sort());
  // Membership names peers, not bare PKI-IDs.
  const members = r.events.filter((e) => e.kind === 'state' && e.data?.what === 'alive').map((e) => e.data!.member);
  assert.ok(members.length > 0 && members.every((m) => typeof m === 'number'), JSON.stringify(members.slice(0, 5)));
});
