/**
 * Fabric Doctor's rules over real peer logs (issue 30, rule 7). One pass, line by line, keeping
 * only counters and first/last positions, so the same class runs over files read whole and over a
 * live follow (issue 31): feed `line()` as lines arrive, ask `findings()` whenever.
 *
 * The lines, as Fabric writes them (hyperledger/fabric main):
 *   gossip/discovery/discovery_impl.go  Connect:            WARN "Could not connect to %v : %v" (a NetworkMember)
 *   gossip/comm/comm_impl.go            authenticateRemotePeer: WARN "Identity store rejected %s : %v"
 *   gossip/gossip/gossip_impl.go        validateMsg:        WARN "StateInfo message %v is found invalid: %v", the
 *                                        error being "PKI-ID not found in identity mapper" (validateStateInfoMsg) or,
 *                                        more often, the mapper's own "PKIID wasn't found" (gossip/identity/identity.go Get)
 *   gossip/comm/comm_impl.go            createConnection:   INFO "Peer %s changed its PKI-ID from %s to %s"
 *   gossip/discovery/discovery_impl.go  expireDeadMembers:  WARN "Closing connection to %v" (one per member declared dead)
 */
import type { Finding } from './finding.js';
import { parseLogLine, type LogLine } from '../logs/log-line.js';
import { fileName, PeerDirectory } from '../logs/peers.js';
import type { Origin } from '../import/yaml-source.js';
import type { LogFile } from '../logs/read-logs.js';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, gunzipSync } from 'node:zlib';

export interface LogRuleOptions {
  /** peer.gossip.aliveExpirationTimeout, ms. Default 25 s (Fabric's). */
  aliveExpirationTimeoutMs?: number;
  /** A peer's first this-many ms are its start-up: identities are still being learned. Default 60 s. */
  startupMs?: number;
  /** "Could not connect to" the same endpoint this many times from one peer is a finding. Default 3. */
  minConnectFailures?: number;
  /** Declared dead this many times by one peer, each within `flapWindowMs` of the last, is flapping. Default 3. */
  minFlaps?: number;
  /** Default 4 × aliveExpirationTimeout: the member came back and went silent again within a few timeouts. */
  flapWindowMs?: number;
}

/** Where a log line is: the file, its 1-based line number. */
export interface LogPlace {
  file: string;
  line: number;
}

interface Seen {
  at: Origin;
  first: number;
  last: number;
  count: number;
}

const CONNECT = /Could not connect to (.*?) : (.*)$/;
const REJECTED = /^Identity store rejected (\S+) : (.*)$/;
const NOT_FOUND = /PKI-ID not found in identity mapper|PKIID wasn't found/;
const CHANGED = /^Peer (\S+) changed its PKI-ID from ([0-9a-f]+) to ([0-9a-f]+)/;
const CLOSING = /^Closing connection to Endpoint: ([^,]*), InternalEndpoint: ([^,]*), PKI-ID: ([0-9a-f]*)/;
const LEARNED = /^Learned about a new alive member: .*Endpoint:(\S+) PKI-id:([0-9a-f]+)/;
const SELF = /^Creating gossip service with self membership of Endpoint: ([^,]*), InternalEndpoint: ([^,]*), PKI-ID: ([0-9a-f]*)/;
const HOST_PORT = /([A-Za-z0-9][A-Za-z0-9.-]*:\d+)/;

/** Bound on a gzip log unpacked whole by the synchronous reader (a day of one peer's debug log is well below it). */
const MAX_UNPACKED_BYTES = 1 << 30;

/** Bound on what is kept per rule (observer × endpoint pairs): memory stays small on any log. */
const MAX_KEYS = 10_000;

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const clock = (t: number) => new Date(t).toISOString().replace('T', ' ').replace('Z', ' UTC');

export class LogDoctor {
  private readonly opts: Required<LogRuleOptions>;
  private readonly dir = new PeerDirectory();
  /** Per observer: its first line's time (start-up is measured from it). */
  private readonly firstSeen = new Map<string, number>();
  private readonly connect = new Map<string, Seen & { observer: string; endpoint: string; error: string; recovered: boolean }>();
  /** `late`: occurrences past start-up, the first of them at `lateAt`. */
  private readonly rejected = new Map<string, Seen & { observer: string; remote: string; error: string; late: number; lateAt?: Origin }>();
  private readonly notFound = new Map<string, Seen & { observer: string; early: number }>();
  /** The PKI-ID each endpoint was last seen with, and the changes found. */
  private readonly pkiOf = new Map<string, string>();
  private readonly changes = new Map<string, { at: Origin; endpoint: string; from: string; to: string; time: number; logged: boolean }>();
  /** Endpoints whose PKI-ID goes back and forth: more than one peer announces them. */
  private readonly sharedEndpoints = new Set<string>();
  private readonly deaths = new Map<string, { observer: string; member: string; count: number; first: number; last: number; at: Origin; flapAt?: Origin; worst: number }>();
  private unparsed = 0;

  constructor(opts: LogRuleOptions = {}) {
    const t = opts.aliveExpirationTimeoutMs ?? 25_000;
    if (!(t > 0)) throw new Error(`aliveExpirationTimeoutMs must be positive, got ${t}`);
    this.opts = { aliveExpirationTimeoutMs: t, startupMs: 60_000, minConnectFailures: 3, minFlaps: 3, flapWindowMs: 4 * t, ...opts };
    if (!(this.opts.minFlaps >= 2)) throw new Error(`minFlaps must be at least 2 (one death is not flapping), got ${this.opts.minFlaps}`);
    if (!(this.opts.minConnectFailures >= 1)) throw new Error(`minConnectFailures must be at least 1, got ${this.opts.minConnectFailures}`);
  }

  /** Lines that were not Fabric log lines (a docker banner, a Go panic's stack): skipped. */
  get skipped(): number {
    return this.unparsed;
  }

  /** Feeds one raw line (as read from a file or a `docker logs -f`). */
  line(text: string, place: LogPlace): void {
    const l = parseLogLine(text);
    // Not a line: parseLogLine says why (as a string, or an object with a reason).
    if (typeof l !== 'object' || !('func' in l)) {
      if (text.trim() !== '') this.unparsed++;
      return;
    }
    this.dir.announce(l, fileName(place.file));
    const observer = this.observerOf(l, place.file);
    if (!this.firstSeen.has(observer) && this.firstSeen.size < MAX_KEYS) this.firstSeen.set(observer, l.time);
    const at = (needle: string): Origin => ({ file: place.file, line: place.line, col: Math.max(1, text.indexOf(needle) + 1) });
    const m = l.message;

    const connect = CONNECT.exec(m);
    if (connect && l.logger.startsWith('gossip.discovery')) {
      const endpoint = HOST_PORT.exec(connect[1])?.[1] ?? connect[1];
      this.count(this.connect, `${observer}|${endpoint}`, l.time, at('Could not connect to'), { observer, endpoint, error: connect[2], recovered: false });
      return;
    }
    const rejected = REJECTED.exec(m);
    if (rejected) {
      // The remote address is the dialler's ephemeral port: group by host and reason.
      const host = rejected[1].replace(/:\d+$/, '');
      const key = `${observer}|${host}|${rejected[2]}`;
      const place = at('Identity store rejected');
      this.count(this.rejected, key, l.time, place, { observer, remote: rejected[1], error: rejected[2], late: 0 });
      const s = this.rejected.get(key);
      if (s && l.time - (this.firstSeen.get(observer) ?? l.time) > this.opts.startupMs) {
        s.late++;
        s.lateAt ??= place;
      }
      return;
    }
    if (NOT_FOUND.test(m)) {
      const early = l.time - (this.firstSeen.get(observer) ?? l.time) <= this.opts.startupMs;
      const key = observer;
      const needle = NOT_FOUND.exec(m)![0];
      if (!this.notFound.has(key) && this.notFound.size >= MAX_KEYS) return;
      if (early) {
        const s = this.notFound.get(key);
        if (s) s.early++;
        else this.notFound.set(key, { observer, early: 1, count: 0, first: 0, last: 0, at: at(needle) });
      } else {
        const s = this.notFound.get(key);
        if (!s || s.count === 0) this.notFound.set(key, { observer, early: s?.early ?? 0, count: 1, first: l.time, last: l.time, at: at(needle) });
        else {
          s.count++;
          s.last = l.time;
        }
      }
      return;
    }
    const changed = CHANGED.exec(m);
    if (changed) {
      this.pkiChange(changed[1], changed[2], changed[3], l.time, at('changed its PKI-ID'), true);
      return;
    }
    const self = l.func === 'New' ? SELF.exec(m) : null;
    if (self) {
      this.seenPki(self[1] || self[2], self[3], l.time, at('PKI-ID: '));
      return;
    }
    const learned = l.func === 'learnNewMembers' ? LEARNED.exec(m) : null;
    if (learned) {
      this.seenPki(learned[1], learned[2], l.time, at('PKI-id:'));
      this.recovered(observer, learned[1]);
      return;
    }
    const closing = l.func === 'expireDeadMembers' ? CLOSING.exec(m) : null;
    if (closing) {
      const endpoint = closing[1] || closing[2];
      this.seenPki(endpoint, closing[3], l.time, at('PKI-ID: '));
      this.death(observer, endpoint || closing[3], l.time, at('Closing connection to'));
      return;
    }
    // A member came back: a later successful contact clears "could not connect" as the final word.
    // At INFO level only the channel's membership report says so (gossip/gossip/channel/channel.go).
    const view = l.func === 'reportMembershipChanges' ? m.indexOf('peers went online:') : -1;
    if (view >= 0 || (l.func === 'reportMembershipChanges' && m.includes('current view:'))) {
      const from = view >= 0 ? view : m.indexOf('current view:');
      for (const ep of m.slice(from).match(/[A-Za-z0-9][A-Za-z0-9.-]*:\d+/g) ?? []) this.recovered(observer, ep);
      return;
    }
    if (l.func === 'resurrectMember') {
      const ep = /Endpoint:(\S+)/.exec(m)?.[1];
      if (ep) this.recovered(observer, ep);
    }
  }

  /** Every file's lines, in order. */
  file(f: LogFile): void {
    let start = 0;
    let n = 0;
    const text = f.text;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      n++;
      if (end > start) this.line(text.slice(start, end), { file: f.path, line: n });
      start = end + 1;
    }
  }

  findings(): Finding[] {
    const out: Finding[] = [];
    for (const s of this.connect.values()) {
      if (s.count < this.opts.minConnectFailures) continue;
      const span = s.count > 1 ? ` between ${clock(s.first)} and ${clock(s.last)}` : '';
      out.push({
        rule: 'log-connect-failures',
        severity: s.recovered ? 'warning' : 'error',
        at: s.at,
        what: `${s.observer} could not connect to ${s.endpoint} ${s.count} times${span} (${s.error})${s.recovered ? ', then reached it' : ', and never reached it later in the log'}`,
        fabric: {
          log: `Could not connect to Endpoint: ${s.endpoint}, InternalEndpoint: …, PKI-ID: <nil>, Metadata:  : ${s.error}`,
          effect: `discovery retries every reconnectInterval (25 s), up to 120 times; until it succeeds ${s.observer} does not learn the peers behind ${s.endpoint}`,
          source: 'gossip/discovery/discovery_impl.go',
        },
        affected: [s.observer, s.endpoint],
        fix: `Make ${s.endpoint} reachable from ${s.observer}: it must be a peer's listen address as seen from there (CORE_PEER_GOSSIP_BOOTSTRAP, CORE_PEER_GOSSIP_EXTERNALENDPOINT or the channel's AnchorPeers Host:Port, the compose ports: mapping, the TLS certificate's names)`,
      });
    }
    for (const s of this.rejected.values()) {
      // Only during start-up it can be a peer that has not joined the channel whose MSPs it needs yet.
      const early = s.late === 0 ? ` (only during start-up, the first ${seconds(this.opts.startupMs)}: possibly a peer that had not yet joined the channel that defines the other's MSP)` : '';
      out.push({
        rule: 'log-identity-rejected',
        severity: s.late > 0 ? 'error' : 'info',
        at: s.lateAt ?? s.at,
        what: `${s.observer} refused the identity of the peer at ${s.remote} ${s.count === 1 ? 'once' : `${s.count} times between ${clock(s.first)} and ${clock(s.last)}`}: ${s.error}${early}`,
        fabric: {
          log: `Identity store rejected ${s.remote} : ${s.error}`,
          effect: 'the handshake fails and the connection is closed: the two peers cannot gossip',
          source: 'gossip/comm/comm_impl.go',
        },
        affected: [s.observer, s.remote],
        fix: identityFix(s.error),
      });
    }
    for (const s of this.notFound.values()) {
      if (s.count === 0) continue;
      out.push({
        rule: 'log-pkiid-not-found',
        severity: 'warning',
        at: s.at,
        what: `${s.observer} still has no certificate for a sender ${seconds(this.opts.startupMs)} after start-up: ${s.count} message${s.count === 1 ? '' : 's'} dropped between ${clock(s.first)} and ${clock(s.last)}${s.early ? ` (and ${s.early} during start-up, which is normal)` : ''}`,
        fabric: {
          log: 'StateInfo message … is found invalid: PKIID wasn\'t found (or: PKI-ID not found in identity mapper)',
          effect: 'the StateInfo is dropped: the sender\'s ledger height and chaincodes stay unknown to this peer, so it is never chosen for state transfer or private data',
          source: 'gossip/gossip/gossip_impl.go',
        },
        affected: [s.observer],
        fix: 'Identities arrive by the identity pull between peers that can reach each other: check that the sender has an external endpoint (CORE_PEER_GOSSIP_EXTERNALENDPOINT) and that its certificate is valid for the channel\'s MSP',
      });
    }
    for (const c of this.changes.values()) {
      if (!c.logged && this.sharedEndpoints.has(c.endpoint)) continue;
      out.push({
        rule: 'log-pkiid-changed',
        severity: 'warning',
        at: c.at,
        what: `The peer at ${c.endpoint} changed its PKI-ID from ${short(c.from)} to ${short(c.to)} at ${clock(c.time)}: its certificate was replaced (renewed or re-enrolled)`,
        fabric: {
          log: `Peer ${c.endpoint} changed its PKI-ID from ${c.from} to ${c.to}`,
          effect: 'peers that still hold the old PKI-ID purge it only when they next connect to the endpoint (IdentitySwitch) or when the old certificate expires; until then they may keep a dead member and refuse messages signed by the new certificate',
          source: 'gossip/comm/comm_impl.go',
        },
        affected: [c.endpoint],
        fix: 'Expected after a certificate renewal; if peers keep the old identity, restart them or upgrade to a Fabric with the fix for renewed-after-expiry certificates (fabric#5111)',
      });
    }
    for (const d of this.deaths.values()) {
      if (!d.flapAt) continue;
      const t = this.opts.aliveExpirationTimeoutMs;
      out.push({
        rule: 'log-membership-flapping',
        severity: 'warning',
        at: d.flapAt,
        what: `${d.observer} declared ${d.member} dead ${d.count} times between ${clock(d.first)} and ${clock(d.last)} (as often as every ${seconds(d.worst)}; aliveExpirationTimeout is ${seconds(t)}): it comes back and goes silent again`,
        fabric: {
          log: `Closing connection to Endpoint: ${d.member}, …`,
          effect: `each time, the member leaves the alive view for at least aliveExpirationTimeout (${seconds(t)}), its connection is closed, and channels report "Membership view has changed. peers went offline"; leader election and dissemination skip it meanwhile`,
          source: 'gossip/discovery/discovery_impl.go',
        },
        affected: [d.observer, d.member],
        fix: `Find why alive messages from ${d.member} stop (network drops, an overloaded peer, a restarting container); if they arrive late rather than not at all, raise CORE_PEER_GOSSIP_ALIVEEXPIRATIONTIMEOUT (peer.gossip.aliveExpirationTimeout) well above aliveTimeInterval`,
      });
    }
    return out;
  }

  private observerOf(l: LogLine, file: string): string {
    const alias = l.tag ?? l.service;
    if (alias !== undefined) {
      const idx = this.dir.lookup(alias);
      return idx !== undefined ? this.dir.peers[idx].name : alias;
    }
    return fileName(file);
  }

  private count<T extends Seen>(map: Map<string, T>, key: string, time: number, at: Origin, init: Omit<T, keyof Seen>): void {
    const s = map.get(key);
    if (s) {
      s.count++;
      s.last = time;
    } else if (map.size < MAX_KEYS) map.set(key, { ...init, at, first: time, last: time, count: 1 } as T);
  }

  private recovered(observer: string, endpoint: string): void {
    const s = this.connect.get(`${observer}|${endpoint}`);
    if (s) s.recovered = true;
  }

  private seenPki(endpoint: string, pki: string, time: number, at: Origin): void {
    if (!endpoint || !pki) return;
    if (!this.pkiOf.has(endpoint) && this.pkiOf.size >= MAX_KEYS) return;
    const before = this.pkiOf.get(endpoint);
    if (before !== undefined && before !== pki) {
      // Back to a PKI-ID it had before: two peers announce the same endpoint (a copied
      // CORE_PEER_GOSSIP_EXTERNALENDPOINT), not a renewal. What the logs infer is then unsure.
      if (this.changes.has(`${endpoint}|${pki}|${before}`)) this.sharedEndpoints.add(endpoint);
      this.pkiChange(endpoint, before, pki, time, at, false);
    }
    this.pkiOf.set(endpoint, pki);
  }

  /** One finding per endpoint and change, wherever it is seen first; Fabric's own line wins as the place. */
  private pkiChange(endpoint: string, from: string, to: string, time: number, at: Origin, logged: boolean): void {
    this.pkiOf.set(endpoint, to);
    const key = `${endpoint}|${from}|${to}`;
    const c = this.changes.get(key);
    if (!c && this.changes.size >= MAX_KEYS) return;
    if (!c) this.changes.set(key, { at, endpoint, from, to, time, logged });
    else if (logged && !c.logged) Object.assign(c, { at, time, logged });
  }

  private death(observer: string, member: string, time: number, at: Origin): void {
    const key = `${observer}|${member}`;
    let d = this.deaths.get(key);
    if (!d && this.deaths.size >= MAX_KEYS) return;
    if (!d) this.deaths.set(key, (d = { observer, member, count: 0, first: time, last: time, at, worst: Infinity }));
    // Not later than the last declaration: the same line again (a log concatenated twice), not a new death.
    if (d.count > 0 && time <= d.last) return;
    // A run of declarations each within the window of the one before; a long quiet gap, before
    // the run made it flapping, starts a new run.
    if (d.count > 0 && time - d.last > this.opts.flapWindowMs && !d.flapAt) d.count = 0;
    if (d.count === 0) Object.assign(d, { first: time, at, worst: Infinity });
    else d.worst = Math.min(d.worst, time - d.last);
    d.count++;
    d.last = time;
    if (!d.flapAt && d.count >= this.opts.minFlaps) d.flapAt = d.at;
  }
}

/**
 * Feeds a log file (plain or gzip) to `doctor` line by line, never holding the file: a 100 MB
 * log costs the doctor's counters, not its size.
 */
export async function scanLogFile(path: string, doctor: LogDoctor): Promise<void> {
  let n = 0;
  try {
    const head = await new Promise<Buffer>((resolve, reject) => {
      const parts: Buffer[] = [];
      createReadStream(path, { start: 0, end: 1 })
        .on('data', (b) => parts.push(b as Buffer))
        .on('end', () => resolve(Buffer.concat(parts)))
        .on('error', reject);
    });
    const raw = createReadStream(path);
    const input = head[0] === 0x1f && head[1] === 0x8b ? raw.pipe(createGunzip()) : raw;
    const failed = new Promise<never>((_, reject) => {
      raw.on('error', reject);
      input.on('error', reject);
    });
    failed.catch(() => undefined); // an error after the last line has nobody left to tell
    const lines = createInterface({ input, crlfDelay: Infinity });
    const done = (async () => {
      for await (const text of lines) doctor.line(text, { file: path, line: ++n });
    })();
    await Promise.race([done, failed]);
  } catch (e) {
    throw new Error(`${path}:${n + 1}:1: cannot read the log: ${(e as Error).message}`);
  }
}

/**
 * The rules over log files on disk, synchronously (the doctor's rules are plain functions): a
 * plain-text log is read 1 MB at a time, so a 100 MB log never sits in memory; a gzip log is
 * unpacked whole (at most 1 GiB). A file that cannot be read throws `path:line:1: why`.
 */
export function logFindingsFromPaths(paths: string[], opts: LogRuleOptions = {}): Finding[] {
  const doctor = new LogDoctor(opts);
  for (const path of paths) scanLogFileSync(path, doctor);
  return doctor.findings();
}

/** `chunkBytes`: how much is read at a time (tests make it small to cross lines and characters). */
export function scanLogFileSync(path: string, doctor: LogDoctor, chunkBytes = 1 << 20): void {
  let n = 0;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const chunk = Buffer.alloc(Math.max(2, chunkBytes));
    let got = readSync(fd, chunk, 0, chunk.length, null);
    if (got >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) {
      const parts = [Buffer.from(chunk.subarray(0, got))];
      while ((got = readSync(fd, chunk, 0, chunk.length, null)) > 0) parts.push(Buffer.from(chunk.subarray(0, got)));
      doctor.file({ path, text: gunzipSync(Buffer.concat(parts), { maxOutputLength: MAX_UNPACKED_BYTES }).toString('utf8') });
      return;
    }
    let carry = '';
    const decoder = new TextDecoder('utf-8');
    while (got > 0) {
      const text = carry + decoder.decode(chunk.subarray(0, got), { stream: true });
      const lines = text.split('\n');
      carry = lines.pop()!;
      for (const line of lines) doctor.line(line, { file: path, line: ++n });
      got = readSync(fd, chunk, 0, chunk.length, null);
    }
    carry += decoder.decode();
    if (carry !== '') doctor.line(carry, { file: path, line: ++n });
  } catch (e) {
    throw new Error(`${path}:${n + 1}:1: cannot read the log: ${(e as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The rules over files already in memory (the CLI's `--logs`, read by engine/logs/files.ts). */
export function logFindings(files: LogFile[], opts: LogRuleOptions = {}): Finding[] {
  const doctor = new LogDoctor(opts);
  for (const f of files) doctor.file(f);
  return doctor.findings();
}

function short(pki: string): string {
  return pki.length > 16 ? `${pki.slice(0, 16)}…` : pki;
}

/** The fix, by the reason the identity mapper gave (gossip/identity/identity.go Put). */
function identityFix(error: string): string {
  if (/expired/.test(error)) return 'Renew the remote peer\'s enrollment certificate (msp/signcerts) and restart it';
  if (/classifying identity|deserializ|MSP/i.test(error)) return 'The remote peer\'s MSP is not one of the channel\'s: check its CORE_PEER_LOCALMSPID and that its org (with that MSP ID and CA) is in the channel configuration';
  if (/doesn't match the computed pkiID/.test(error)) return 'The remote peer sends a PKI-ID that is not its certificate\'s: it runs modified code or a mismatched MSP folder';
  return 'Check the remote peer\'s enrollment certificate: issued by a CA of its MSP (msp/cacerts), not expired, and its MSP in the channel configuration';
}
