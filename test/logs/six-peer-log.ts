/**
 * The real six-peer debug log shipped with the tests (Fabric v2.4.9, one process, test mode),
 * and the same log split into one file per peer in a production peer's layout, as `docker logs`
 * of each peer would give it (no logger tags, level after the function).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFabricLogs, type LogReading } from '../../engine/logs/read-logs.js';

export const SIX_PEER_LOG = join(__dirname, '..', '..', 'docs', 'reference', 'real-fabric', 'gossip-debug-6peers.log.gz');
export const sixPeerText = gunzipSync(readFileSync(SIX_PEER_LOG)).toString('utf8');
export const sixPeerLines = sixPeerText.split('\n').filter((l) => l !== '');

/**
 * Each peer's lines in the production layout: tagged lines by their tag, sends (the shared
 * process's untagged comm logger) by the peer the shared reading found for them.
 */
export function splitByPeer(reading: LogReading = readFabricLogs([{ path: SIX_PEER_LOG, text: sixPeerText }])): string[][] {
  const tagPeer = new Map<string, number>();
  reading.peers.forEach((p) => [p.name, p.endpoint].forEach((a) => tagPeer.set(a, p.idx)));
  const sendPeer = new Map<number, number>();
  for (const e of reading.events) if (e.kind === 'send') sendPeer.set(Number(String(e.data!.log).split(':').pop()), e.peer);
  const perPeer: string[][] = reading.peers.map(() => []);
  sixPeerLines.forEach((l, i) => {
    const m = /^(\S+ \S+ \S+) ([0-9a-f]+) (\w+) \[([^\]#]+)(?:#([^\]]+))?\] (\S+) -> (.*)$/.exec(l);
    if (!m) return;
    const peer = m[5] !== undefined ? tagPeer.get(m[5]) : sendPeer.get(i + 1);
    if (peer === undefined) return;
    perPeer[peer].push(`${m[1]} [${m[4]}] ${m[6]} -> ${m[3]} ${m[2].slice(-3)} ${m[7]}`);
  });
  return perPeer;
}
