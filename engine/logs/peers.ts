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
  /** Next suffix to try for a name already taken: names stay `x-2`, `x-3`… without a scan from 2 each time. */
  private readonly nextSuffix = new Map<string, number>();
  /**
   * A member's endpoint and PKI-ID as the log states them together (an alive message's
   * `Membership: Endpoint:… PKI-id:…`): a peer whose own log is missing is sent to by endpoint
   * and heard from by PKI-ID, and is one peer, not two.
   */
  private readonly endpointOfPki = new Map<string, string>();
  private readonly pkiOfEndpoint = new Map<string, string>();

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
    if (this.byAlias.has(unique)) {
      let i = this.nextSuffix.get(name) ?? 2;
      while (this.byAlias.has(`${name}-${i}`)) i++;
      unique = `${name}-${i}`;
      this.nextSuffix.set(name, i + 1);
    }
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

  /** Notes that the log names `pki` as the member at `endpoint` (the first statement of each holds). */
  learn(endpoint: string, pki: string): void {
    if (!endpoint || !pki) return;
    if (!this.endpointOfPki.has(pki)) this.endpointOfPki.set(pki, endpoint);
    if (!this.pkiOfEndpoint.has(endpoint)) this.pkiOfEndpoint.set(endpoint, pki);
  }

  /** Whether the log has said where the member with this PKI-ID is. */
  placed(pki: string): boolean {
    return this.endpointOfPki.has(pki);
  }

  /** A peer seen only as a PKI-ID (its own log is not among the files): the peer at its endpoint, if the log said which. */
  remote(pki: string): number {
    const known = this.byPki.get(pki);
    if (known !== undefined) return known;
    const endpoint = this.endpointOfPki.get(pki);
    const atEndpoint = endpoint === undefined ? undefined : this.lookup(endpoint);
    if (atEndpoint !== undefined && !this.peers[atEndpoint].pkiId) {
      this.peers[atEndpoint].pkiId = pki;
      this.byPki.set(pki, atEndpoint);
      return atEndpoint;
    }
    if (endpoint !== undefined && atEndpoint === undefined) return this.add(endpoint, endpoint, '', pki);
    return this.add(`pki:${pki.slice(0, 12)}`, '', '', pki);
  }

  /** A peer seen only as an endpoint it is sent to: the peer with its PKI-ID, if the log said which. */
  remoteEndpoint(endpoint: string): number {
    const known = this.lookup(endpoint);
    if (known !== undefined) return known;
    const pki = this.pkiOfEndpoint.get(endpoint);
    const withPki = pki === undefined ? undefined : this.byPki.get(pki);
    if (withPki !== undefined && !this.peers[withPki].endpoint) {
      this.peers[withPki].endpoint = endpoint;
      this.byAlias.set(endpoint, withPki);
      return withPki;
    }
    return this.add(endpoint, endpoint, '', withPki === undefined ? pki ?? '' : '');
  }

  /** A copy to resolve a reading in, leaving this one to take more lines. */
  clone(): PeerDirectory {
    const c = new PeerDirectory();
    c.peers.push(...this.peers.map((p) => ({ ...p, channels: [...p.channels] })));
    for (const [from, to] of [
      [this.byAlias, c.byAlias],
      [this.byPki, c.byPki],
      [this.nextSuffix, c.nextSuffix],
      [this.endpointOfPki, c.endpointOfPki],
      [this.pkiOfEndpoint, c.pkiOfEndpoint],
    ] as [Map<string, unknown>, Map<string, unknown>][]) for (const [k, v] of from) to.set(k, v);
    return c;
  }
}

/** A file's own name for its peer: `peer0` for `logs/peer0.log.gz`. */
export function fileName(path: string): string {
  return basename(path).replace(/\.(log|txt)(\.gz)?$/, '');
}

/**
 * Names for files' own peers that tell them apart: the file's name, or where two files share
 * it (`org1/peer0.log`, `org2/peer0.log`) as many of the folders above it as it takes.
 */
export function fileNames(paths: string[]): Map<string, string> {
  const parts = paths.map((p) => p.split(/[\\/]+/).filter(Boolean));
  const names = new Map<string, string>();
  paths.forEach((path, i) => {
    const base = fileName(path);
    const same = paths.filter((q, j) => j !== i && q !== path && fileName(q) === base);
    let name = base;
    for (let up = 1; same.length > 0 && up < parts[i].length; up++) {
      name = [...parts[i].slice(-1 - up, -1), base].join('/');
      const others = same.map((q) => {
        const qp = q.split(/[\\/]+/).filter(Boolean);
        return [...qp.slice(-1 - up, -1), base].join('/');
      });
      if (!others.includes(name)) break;
    }
    names.set(path, name);
  });
  return names;
}
