/**
 * The peers a set of logs speaks of, and which peer wrote each line. A peer announces itself
 * with `New -> Creating gossip service with self membership of Endpoint: …, InternalEndpoint: …,
 * PKI-ID: …` (gossip/gossip/gossip_impl.go). In test mode every logger carries the peer's name
 * or endpoint after `#`; a production peer's loggers carry nothing, so its file (or its
 * `docker compose logs` service name) says who wrote a line.
 */
import { basename } from 'node:path';
import type { LogLine } from './log-line.js';

export interface LogPeer {
  idx: number;
  /** The name the logs give it: the logger tag (p0), the compose service, or the file's name. */
  name: string;
  endpoint: string;
  internalEndpoint: string;
  /** Hex, as the logs print it; '' until known. */
  pkiId: string;
  /** Channels it joined (`JoinChan -> Joining gossip network of channel A …`). */
  channels: string[];
  /** Its org, when a channel it joined has only one (`learnAnchorPeers -> … of ORG1 for channel A`). */
  org?: string;
}

const SELF = /^Creating gossip service with self membership of Endpoint: ([^,]*), InternalEndpoint: ([^,]*), PKI-ID: ([0-9a-f]*)/;

export class PeerDirectory {
  readonly peers: LogPeer[] = [];
  private readonly byAlias = new Map<string, number>();
  private readonly byPki = new Map<string, number>();

  /** Registers the peer a `New -> Creating gossip service` line announces. */
  announce(line: LogLine, fallbackName: string): number | undefined {
    const m = line.func === 'New' ? SELF.exec(line.message) : null;
    if (!m) return undefined;
    const [, endpoint, internal, pki] = m;
    const known = this.byPki.get(pki) ?? this.lookup(line.tag ?? line.service ?? '');
    if (known !== undefined) return known;
    const idx = this.add(line.tag ?? line.service ?? fallbackName, endpoint, internal, pki);
    return idx;
  }

  add(name: string, endpoint = '', internalEndpoint = '', pkiId = ''): number {
    const idx = this.peers.length;
    let unique = name;
    for (let i = 2; this.byAlias.has(unique); i++) unique = `${name}-${i}`;
    this.peers.push({ idx, name: unique, endpoint, internalEndpoint, pkiId, channels: [] });
    for (const a of [unique, endpoint, internalEndpoint]) if (a && !this.byAlias.has(a)) this.byAlias.set(a, idx);
    if (pkiId) this.byPki.set(pkiId, idx);
    return idx;
  }

  lookup(alias: string): number | undefined {
    return alias ? this.byAlias.get(alias) : undefined;
  }

  byPkiId(pki: string): number | undefined {
    return this.byPki.get(pki);
  }

  /** A peer seen only as a PKI-ID (its own log is not among the files). */
  remote(pki: string): number {
    return this.byPki.get(pki) ?? this.add(`pki:${pki.slice(0, 12)}`, '', '', pki);
  }
}

/** A file's own peer: the one a production peer's untagged lines belong to. */
export function fileName(path: string): string {
  return basename(path).replace(/\.(log|txt)(\.gz)?$/, '');
}
