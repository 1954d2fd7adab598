/**
 * Reads Fabric peers' gossip debug logs (FABRIC_LOGGING_SPEC=gossip=debug) into the engine's
 * trace: each send matched with its receipt by the message's identity, membership, StateInfo
 * heights, leadership and warnings in Fabric's words, ordered by happened-before where the
 * hosts' clocks disagree. Nothing is dropped quietly: lines that are not Fabric log lines,
 * lines no peer can be named for, and sends or receipts without their other half are counted
 * and listed.
 *
 * What the lines mean (fabric v2.4, gossip/):
 *   comm/comm_impl.go sendToEndpoint  "Entering, Sending to <endpoint> , msg: <msg>"   a send
 *   gossip/gossip_impl.go handleMessage "Entering, <endpoint> <pki-id> sent us <msg>"   a receipt
 *   gossip/pull/pullstore.go via algo/pull.go: SendDigest "Sending <type> digest: [...] to <ep> <pki>",
 *     SendRes "Sending <n> <type> items to <ep> <pki>": replies sent with Respond, which
 *     comm does not log (StateInfoSnapshot replies are not logged at all)
 *   discovery/discovery_impl.go learnNewMembers, expireDeadMembers, resurrectMember: membership
 */
import type { TraceEvent, TraceKind } from '../trace/events.js';
import { readPrintedMessage, type PrintedMessage } from './gossip-message.js';
import { parseLogLine, type LogLine } from './log-line.js';
import { PeerDirectory, fileName, type LogPeer } from './peers.js';
import { orderByCausality } from './causal-order.js';

export interface LogFile {
  path: string;
  text: string;
}

/** Where a line is: `peer0.log:120`. */
export interface LineRef {
  file: string;
  line: number;
  text: string;
}

export interface LoggedMessage {
  msg: number;
  type: string;
  text: string;
  fields: Record<string, string>;
  from: number;
  to: number;
  sent?: LineRef & { time: number };
  received?: LineRef & { time: number };
}

export interface LogReading {
  peers: LogPeer[];
  events: TraceEvent[];
  messages: Map<number, LoggedMessage>;
  /** Earliest timestamp (ms since the epoch): trace time 0. */
  start: number;
  stats: {
    lines: number;
    parsed: number;
    blank: number;
    unparsed: (LineRef & { reason: string })[];
    /** Parsed lines no peer can be named for (a shared process's untagged comm logger). */
    unattributed: number;
    sends: number;
    receipts: number;
    matched: number;
    unmatchedSends: LineRef[];
    unmatchedReceipts: LineRef[];
    /** Receipts whose timestamp is earlier than their send's: clocks disagree. */
    reordered: number;
    /** Causal cycles that had to be broken by timestamp (should be 0). */
    conflicts: number;
    byType: Record<string, { sent: number; received: number; matched: number }>;
  };
}

/** Bound on what one reading takes in: lines over all files. */
export const MAX_LOG_LINES = 5_000_000;

interface Raw {
  peer: number;
  kind: TraceKind;
  time: number;
  order: number; // position over all files, for a stable order
  file: string;
  line: number;
  other?: number;
  type?: string;
  reason?: string;
  data?: Record<string, unknown>;
  message?: LoggedMessage;
  /** For a receipt: its send. */
  cause?: Raw;
}

interface PendingSend {
  raw: Raw | undefined; // undefined while its sender is unknown
  from: number | undefined;
  to: number;
  key: string;
  file: string;
  order: number;
  ref: LineRef & { time: number };
  printed: PrintedMessage;
  matched: boolean;
}

const SEND_TO = /^Entering, Sending to (\S+) , msg: (GossipMessage: .*)$/;
const SENT_US = /^Entering, (\S+) ([0-9a-f]+) sent us (GossipMessage: .*)$/;
const SEND_DIGEST = /^Sending (\w+) digest: \[([^\]]*)\] to (\S+) ([0-9a-f]+)$/;
const SEND_RES = /^Sending (\d+) (\w+) items to (\S+) ([0-9a-f]+)$/;
const JOIN = /^Joining gossip network of channel (\S+) with (\d+) organizations/;
const ANCHORS_OF = /anchor peers of (\S+) for channel (\S+)/;
const PKI_IN = /PKI-id:([0-9a-f]+)/;
const LEADER_ON = /Elected as a leader|Becoming a leader/;
const LEADER_OFF = /Renounced leadership|Stopped being a leader|Stepping down/;

/** Identity of a message for matching a send with its receipt. */
function identity(p: PrintedMessage): string {
  if (p.type === 'DataDigest') return `DataDigest|${p.fields.msgType}|${p.fields.digests ?? ''}`;
  if (p.type === 'DataUpdate') return `DataUpdate|${p.fields.msgType}|${p.fields.items}`;
  return p.text;
}

export function readFabricLogs(files: LogFile[]): LogReading {
  const dir = new PeerDirectory();
  const stats: LogReading['stats'] = { lines: 0, parsed: 0, blank: 0, unparsed: [], unattributed: 0, sends: 0, receipts: 0, matched: 0, unmatchedSends: [], unmatchedReceipts: [], reordered: 0, conflicts: 0, byType: {} };
  const typeStats = (t: string) => (stats.byType[t] ??= { sent: 0, received: 0, matched: 0 });

  // Pass 1: parse every line and learn the peers.
  const parsed: { file: string; line: number; text: string; l: LogLine }[][] = [];
  for (const f of files) {
    const rows: { file: string; line: number; text: string; l: LogLine }[] = [];
    const lines = f.text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    stats.lines += lines.length;
    if (stats.lines > MAX_LOG_LINES) throw new Error(`more than ${MAX_LOG_LINES.toLocaleString('en-US')} log lines: give fewer or shorter files`);
    lines.forEach((text, i) => {
      if (text.trim() === '') return void stats.blank++;
      const l = parseLogLine(text);
      if (typeof l === 'string') return void stats.unparsed.push({ file: f.path, line: i + 1, text, reason: l });
      stats.parsed++;
      rows.push({ file: f.path, line: i + 1, text, l });
    });
    for (const r of rows) dir.announce(r.l, fileName(f.path));
    parsed.push(rows);
  }
  // A file in which no peer announced itself and no line is tagged is one production peer's log.
  const filePeer = new Map<string, number>();
  files.forEach((f, i) => {
    const rows = parsed[i];
    const announced = new Set(rows.map((r) => (r.l.func === 'New' ? dir.lookup(r.l.tag ?? r.l.service ?? '') ?? dir.lookup(fileName(f.path)) : undefined)).filter((x) => x !== undefined));
    const tagged = rows.some((r) => r.l.tag !== undefined || r.l.service !== undefined);
    if (announced.size === 1 && !tagged) filePeer.set(f.path, [...announced][0]!);
    else if (announced.size === 0 && !tagged && rows.length > 0) filePeer.set(f.path, dir.lookup(fileName(f.path)) ?? dir.add(fileName(f.path)));
  });

  // Pass 2: sends, receipts, state changes.
  const raws: Raw[] = [];
  const sends = new Map<string, PendingSend[]>();
  const receipts: { raw: Raw; key: string; from: number; file: string; order: number; ref: LineRef & { time: number }; printed: PrintedMessage }[] = [];
  let order = 0;
  const singleOrgChannels = new Set<string>();
  for (let fi = 0; fi < files.length; fi++) {
    const file = files[fi].path;
    for (const { line, text, l } of parsed[fi]) {
      order++;
      const peer = l.tag !== undefined ? dir.lookup(l.tag) ?? dir.add(l.tag) : l.service !== undefined ? dir.lookup(l.service) ?? dir.add(l.service) : filePeer.get(file);
      const ref = { file, line, text, time: l.time };
      const base = { time: l.time, order, file, line };

      const sendTo = l.func === 'sendToEndpoint' ? SEND_TO.exec(l.message) : null;
      const digest = l.func === 'SendDigest' ? SEND_DIGEST.exec(l.message) : null;
      const res = l.func === 'SendRes' ? SEND_RES.exec(l.message) : null;
      if (sendTo || digest || res) {
        let printed: PrintedMessage;
        let to: number | undefined;
        if (sendTo) {
          printed = readPrintedMessage(sendTo[2])!;
          to = dir.lookup(sendTo[1]);
        } else if (digest) {
          printed = { type: 'DataDigest', text: l.message, fields: { msgType: digest[1], digests: digest[2] } };
          to = dir.byPkiId(digest[4]) ?? dir.remote(digest[4]);
        } else {
          printed = { type: 'DataUpdate', text: l.message, fields: { msgType: res![2], items: res![1] } };
          to = dir.byPkiId(res![4]) ?? dir.remote(res![4]);
        }
        if (to === undefined) to = dir.add((sendTo ?? digest ?? res)![1]);
        stats.sends++;
        typeStats(printed.type).sent++;
        const key = `${identity(printed)}|${to}`;
        const pending: PendingSend = { raw: undefined, from: peer, to, key, file, order, ref, printed, matched: false };
        if (peer !== undefined) pending.raw = { ...base, peer, kind: 'send', other: to, type: printed.type };
        (sends.get(key) ?? sends.set(key, []).get(key)!).push(pending);
        if (pending.raw) raws.push(pending.raw);
        continue;
      }
      if (peer === undefined) {
        stats.unattributed++;
        continue;
      }
      const sentUs = l.func === 'handleMessage' ? SENT_US.exec(l.message) : null;
      if (sentUs) {
        const printed = readPrintedMessage(sentUs[3])!;
        const from = dir.byPkiId(sentUs[2]) ?? dir.remote(sentUs[2]);
        stats.receipts++;
        typeStats(printed.type).received++;
        const raw: Raw = { ...base, peer, kind: 'deliver', other: from, type: printed.type };
        raws.push(raw);
        receipts.push({ raw, key: `${identity(printed)}|${peer}`, from, file, order, ref, printed });
        if (printed.type === 'StateInfo' && printed.fields.ledgerHeight && printed.fields.pkiId) {
          const member = dir.byPkiId(printed.fields.pkiId);
          raws.push({ ...base, peer, kind: 'state', reason: 'StateInfo', data: { what: 'stateInfo', member: member ?? printed.fields.pkiId, height: Number(printed.fields.ledgerHeight) } });
        }
        continue;
      }
      const join = l.func === 'JoinChan' ? JOIN.exec(l.message) : null;
      if (join) {
        const ch = dir.peers[peer].channels;
        if (!ch.includes(join[1])) ch.push(join[1]);
        if (join[2] === '1') singleOrgChannels.add(`${peer}|${join[1]}`);
      }
      const anchors = l.func === 'learnAnchorPeers' ? ANCHORS_OF.exec(l.message) : null;
      if (anchors && singleOrgChannels.has(`${peer}|${anchors[2]}`)) dir.peers[peer].org = anchors[1];
      const state = stateEvent(l, dir);
      if (state) raws.push({ ...base, peer, ...state });
      else if (l.level !== 'DEBU' && l.level !== 'INFO') raws.push({ ...base, peer, kind: 'log', reason: l.message, data: { level: l.level, logger: l.logger, func: l.func } });
      else if (l.logger === 'gossip.channel' && l.func === 'reportMembershipChanges') raws.push({ ...base, peer, kind: 'log', reason: l.message, data: { level: l.level, logger: l.logger, func: l.func } });
    }
  }

  // Match each receipt with the earliest unmatched send of the same message to the same peer
  // from its sender (or from a peer the log does not name, which the receipt then names).
  const messages = new Map<number, LoggedMessage>();
  let nextMsg = 1;
  for (const r of receipts) {
    const candidates = sends.get(r.key) ?? [];
    const s = candidates.find((c) => !c.matched && (c.from === undefined || c.from === r.from) && (c.file !== r.file || c.order < r.order));
    const m: LoggedMessage = { msg: nextMsg++, type: r.printed.type, text: r.printed.text, fields: r.printed.fields, from: r.from, to: r.raw.peer, received: r.ref };
    r.raw.message = m;
    messages.set(m.msg, m);
    if (!s) {
      stats.unmatchedReceipts.push(r.ref);
      continue;
    }
    s.matched = true;
    if (!s.raw) {
      s.raw = { time: s.ref.time, order: s.order, file: s.file, line: s.ref.line, peer: r.from, kind: 'send', other: s.to, type: s.printed.type };
      raws.push(s.raw);
    }
    s.raw.message = m;
    m.sent = s.ref;
    m.text = s.printed.type === r.printed.type && s.printed.text.startsWith('GossipMessage') ? s.printed.text : r.printed.text;
    r.raw.cause = s.raw;
    stats.matched++;
    typeStats(m.type).matched++;
    if (r.ref.time < s.ref.time) stats.reordered++;
  }
  for (const list of sends.values()) {
    for (const s of list) {
      if (s.matched) continue;
      stats.unmatchedSends.push(s.ref);
      if (s.raw) {
        const m: LoggedMessage = { msg: nextMsg++, type: s.printed.type, text: s.printed.text, fields: s.printed.fields, from: s.raw.peer, to: s.to, sent: s.ref };
        s.raw.message = m;
        messages.set(m.msg, m);
      }
    }
  }

  stats.unmatchedSends.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  const start = Math.min(...raws.map((r) => r.time), Infinity);
  const { ordered, conflicts } = orderByCausality(raws, dir.peers.length);
  stats.conflicts = conflicts;
  const events: TraceEvent[] = [];
  const idOf = new Map<Raw, number>();
  for (const { raw, time } of ordered) {
    const ev: TraceEvent = { id: events.length + 1, t: time - start, kind: raw.kind, peer: raw.peer };
    if (raw.other !== undefined) ev.other = raw.other;
    if (raw.type !== undefined) ev.type = raw.type;
    if (raw.message) ev.msg = raw.message.msg;
    if (raw.cause && idOf.has(raw.cause)) ev.parent = idOf.get(raw.cause);
    if (raw.reason !== undefined) ev.reason = raw.reason;
    ev.data = { ...(raw.data ?? {}), log: `${raw.file}:${raw.line}` };
    if (time !== raw.time) ev.data.loggedAt = raw.time - start;
    idOf.set(raw, ev.id);
    events.push(ev);
  }
  return { peers: dir.peers, events, messages, start: Number.isFinite(start) ? start : 0, stats };
}

/** Membership and leadership changes, in the words Fabric logs them with. */
function stateEvent(l: LogLine, dir: PeerDirectory): Pick<Raw, 'kind' | 'reason' | 'data'> | undefined {
  if (l.logger === 'gossip.discovery') {
    if (l.func === 'learnNewMembers' && l.message.startsWith('Learned about a new alive member')) {
      const pki = PKI_IN.exec(l.message)?.[1];
      return { kind: 'state', reason: 'Learned about a new alive member', data: { what: 'alive', member: memberOf(pki, dir) } };
    }
    if (l.func === 'resurrectMember' && l.message.startsWith('Entering')) {
      const pki = PKI_IN.exec(l.message)?.[1];
      return { kind: 'state', reason: 'resurrectMember', data: { what: 'alive', member: memberOf(pki, dir) } };
    }
    if (l.func === 'expireDeadMembers' && l.message.startsWith('Entering [')) {
      const pkis = l.message.slice('Entering ['.length, -1).split(' ').filter(Boolean);
      return { kind: 'state', reason: `expireDeadMembers -> ${l.message}`, data: { what: 'dead', member: pkis.length === 1 ? memberOf(pkis[0], dir) : pkis.map((p) => memberOf(p, dir)) } };
    }
  }
  if (l.logger === 'gossip.gossip' && l.func === 'Stop' && l.message.startsWith('Stopping gossip')) return { kind: 'state', reason: 'Stop -> Stopping gossip', data: { what: 'stopped' } };
  if (LEADER_ON.test(l.message)) return { kind: 'state', reason: l.message, data: { what: 'leader', leader: true } };
  if (LEADER_OFF.test(l.message)) return { kind: 'state', reason: l.message, data: { what: 'leader', leader: false } };
  const block = l.logger === 'gossip.channel' && /^Adding .*Block message: \{Data: \d+ bytes, seq: (\d+)\}/.exec(l.message);
  if (block) return { kind: 'state', reason: `${l.func} -> ${l.message.split(',')[0]}`, data: { what: 'block', seq: Number(block[1]) } };
  return undefined;
}

function memberOf(pki: string | undefined, dir: PeerDirectory): number | string {
  if (pki === undefined) return '?';
  return dir.byPkiId(pki) ?? pki;
}
