/**
 * Fabric peers' gossip debug logs (FABRIC_LOGGING_SPEC=gossip=debug), one line at a time:
 * `line()` takes a line of a file as it is read (a saved file's stream, or a followed file as it
 * grows), keeps only what the reading needs (sends, receipts, state changes, warnings; counts and
 * a bounded sample of the rest), and `finish()` turns what it has so far into the trace — it can
 * be called again after more lines. Who wrote a line and who it names are settled in `finish()`,
 * once every peer that announces itself has done so: a line may name a peer whose own log comes
 * later.
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
import { orderByCausality } from './causal-order.js';
import { LogFileError } from './files.js';
import { readPrintedMessage, type PrintedMessage } from './gossip-message.js';
import { MAX_LOG_LINES, SAMPLE_CHARS, UNPARSED_SAMPLE, MAX_LINE_BYTES } from './limits.js';
import { parseLogLine, type LogLine } from './log-line.js';
import { PeerDirectory, fileName, fileNames } from './peers.js';
import type { LineRef, LoggedMessage, LogReading, UnparsedLine } from './read-logs.js';

const SEND_TO = /^Entering, Sending to (\S+) , msg: (GossipMessage: .*)$/;
const SENT_US = /^Entering, (\S+) ([0-9a-f]+) sent us (GossipMessage: .*)$/;
const SEND_DIGEST = /^Sending (\w+) digest: \[([^\]]*)\] to (\S+) ([0-9a-f]+)$/;
const SEND_RES = /^Sending (\d+) (\w+) items to (\S+) ([0-9a-f]+)$/;
const JOIN = /^Joining gossip network of channel (\S+) with (\d+) organizations/;
const ANCHORS_OF = /anchor peers of (\S+) for channel (\S+)/;
const PKI_IN = /PKI-id:([0-9a-f]+)/;
/** An alive message as Fabric prints it names a member's endpoint and PKI-ID together. */
const MEMBERSHIP = /Membership: Endpoint:([^\s,]*) PKI-id:([0-9a-f]+)/g;
const LEADER_ON = /Elected as a leader|Becoming a leader/;
const LEADER_OFF = /Renounced leadership|Stopped being a leader|Stepping down/;
const BLOCK = /^Adding .*Block message: \{Data: \d+ bytes, seq: (\d+)\}/;

/** Who wrote a line as far as the line says: its logger tag, its compose service, else its file's peer. */
interface Writer {
  /** The tag or service name; undefined for a line that only its file can name a writer for. */
  name?: string;
  file: number;
}

interface Where {
  /** Position over all lines fed, for a stable order. */
  order: number;
  file: number;
  line: number;
  time: number;
}

/** What a line left for `finish()`, in the order the lines came. */
type Rec =
  /** The first line of a tag or service: a peer of that name exists from here on. */
  | { k: 'name'; name: string }
  | { k: 'send'; w: Writer; at: Where; text: string; printed: PrintedMessage; endpoint?: string; pki?: string }
  | { k: 'receipt'; w: Writer; at: Where; text: string; printed: PrintedMessage; pki: string }
  | { k: 'join'; w: Writer; channel: string; single: boolean }
  | { k: 'anchors'; w: Writer; org: string; channel: string }
  /** A state change or a warning; `members` are PKI-IDs to name as peers (`many`: a list). */
  | { k: 'event'; w: Writer; at: Where; kind: TraceKind; reason: string; data: Record<string, unknown>; members?: string[]; many?: boolean };

interface FileState {
  path: string;
  /** The name of the file's own peer, if its lines carry no tag (told apart from same-named files in other folders). */
  name: string;
  /** The peer its own untagged `Creating gossip service` line announced. */
  announced?: number;
  tagged: boolean;
  parsed: number;
  /** Parsed lines, not sends, that only the file can name a writer for. */
  untagged: number;
}

interface Raw {
  peer: number;
  kind: TraceKind;
  time: number;
  order: number;
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
  file: string;
  order: number;
  ref: LineRef & { time: number };
  printed: PrintedMessage;
  matched: boolean;
}

/** Sends of one message to one peer, in log order; `head` skips the matched ones at the front. */
interface SendQueue {
  list: PendingSend[];
  head: number;
}

/** Identity of a message for matching a send with its receipt. */
function identity(p: PrintedMessage): string {
  if (p.type === 'DataDigest') return `DataDigest|${p.fields.msgType}|${p.fields.digests ?? ''}`;
  if (p.type === 'DataUpdate') return `DataUpdate|${p.fields.msgType}|${p.fields.items}`;
  return p.text;
}

export class FabricLogReader {
  private readonly dir = new PeerDirectory();
  private readonly files: FileState[] = [];
  private readonly fileIndex = new Map<string, number>();
  private readonly named: Map<string, string>;
  private readonly seenNames = new Set<string>();
  private readonly recs: Rec[] = [];
  private order = 0;
  private readonly counts = { lines: 0, parsed: 0, blank: 0, unparsed: 0, sends: 0 };
  private readonly unparsedSample: UnparsedLine[] = [];
  private readonly sent: Record<string, number> = {};

  /** `paths`: the files that will be fed, when known, so same-named files get names that tell them apart. */
  constructor(paths: string[] = []) {
    this.named = fileNames(paths);
  }

  /** One line of `file` (without its newline); `cut`: longer than the bound, only its start is here. */
  line(text: string, file: string, lineNo: number, cut = false): void {
    const f = this.fileState(file);
    const c = this.counts;
    if (++c.lines > MAX_LOG_LINES) throw new LogFileError(`${file}:${lineNo}:1: more than ${MAX_LOG_LINES.toLocaleString('en-US')} log lines in all: give fewer or shorter files`);
    if (cut) return this.unparsed(file, lineNo, text, `longer than ${MAX_LINE_BYTES / (1 << 20)} MiB: cut there, not read`, 1);
    if (text.trim() === '') return void c.blank++;
    const l = parseLogLine(text);
    if (!('time' in l)) return this.unparsed(file, lineNo, text, l.reason, l.col);
    c.parsed++;
    f.parsed++;
    const order = ++this.order;
    const name = l.tag ?? l.service;
    if (name !== undefined) {
      f.tagged = true;
      if (!this.seenNames.has(name)) {
        this.seenNames.add(name);
        this.recs.push({ k: 'name', name });
      }
    }
    if (l.func === 'New') {
      const idx = this.dir.announce(l, f.name);
      if (name === undefined && f.announced === undefined) f.announced = idx;
    }
    if (l.message.includes('PKI-id:')) for (const m of l.message.matchAll(MEMBERSHIP)) this.dir.learn(m[1], m[2]);

    const w: Writer = { name, file: this.fileIndex.get(file)! };
    const at: Where = { order, file: w.file, line: lineNo, time: l.time };
    const sendTo = l.func === 'sendToEndpoint' ? SEND_TO.exec(l.message) : null;
    const digest = l.func === 'SendDigest' ? SEND_DIGEST.exec(l.message) : null;
    const res = l.func === 'SendRes' ? SEND_RES.exec(l.message) : null;
    if (sendTo || digest || res) {
      let printed: PrintedMessage;
      if (sendTo) printed = readPrintedMessage(sendTo[2])!;
      else if (digest) printed = { type: 'DataDigest', text: l.message, fields: { msgType: digest[1], digests: digest[2] } };
      else printed = { type: 'DataUpdate', text: l.message, fields: { msgType: res![2], items: res![1] } };
      c.sends++;
      this.sent[printed.type] = (this.sent[printed.type] ?? 0) + 1;
      this.recs.push(sendTo ? { k: 'send', w, at, text, printed, endpoint: sendTo[1] } : { k: 'send', w, at, text, printed, pki: (digest ?? res)![4] });
      return;
    }
    if (name === undefined) f.untagged++;
    const sentUs = l.func === 'handleMessage' ? SENT_US.exec(l.message) : null;
    if (sentUs) return void this.recs.push({ k: 'receipt', w, at, text, printed: readPrintedMessage(sentUs[3])!, pki: sentUs[2] });
    const join = l.func === 'JoinChan' ? JOIN.exec(l.message) : null;
    if (join) this.recs.push({ k: 'join', w, channel: join[1], single: join[2] === '1' });
    const anchors = l.func === 'learnAnchorPeers' ? ANCHORS_OF.exec(l.message) : null;
    if (anchors) this.recs.push({ k: 'anchors', w, org: anchors[1], channel: anchors[2] });
    const state = stateEvent(l);
    if (state) this.recs.push({ k: 'event', w, at, ...state });
    else if ((l.level !== 'DEBU' && l.level !== 'INFO') || (l.logger === 'gossip.channel' && l.func === 'reportMembershipChanges')) {
      this.recs.push({ k: 'event', w, at, kind: 'log', reason: l.message, data: { level: l.level, logger: l.logger, func: l.func } });
    }
  }

  /** The reading of every line fed so far. */
  finish(): LogReading {
    const dir = this.dir.clone();
    const stats: LogReading['stats'] = {
      ...this.counts,
      unparsedSample: [...this.unparsedSample],
      unattributed: 0,
      receipts: 0,
      matched: 0,
      unmatchedSends: [],
      unmatchedReceipts: [],
      reordered: 0,
      conflicts: 0,
      byType: {},
    };
    const typeStats = (t: string) => (stats.byType[t] ??= { sent: 0, received: 0, matched: 0 });
    for (const [t, n] of Object.entries(this.sent)) typeStats(t).sent = n;

    // A file whose lines carry no tag is one production peer's log: the peer it announced, else one named after it.
    const filePeer = this.files.map((f) => (f.tagged || f.parsed === 0 ? undefined : f.announced ?? dir.lookup(f.name) ?? dir.add(f.name)));
    this.files.forEach((f, i) => {
      if (filePeer[i] === undefined) stats.unattributed += f.untagged;
    });
    const writer = (w: Writer) => (w.name !== undefined ? dir.lookup(w.name) ?? dir.add(w.name) : filePeer[w.file]);
    const memberOf = (pki: string | undefined): number | string => {
      if (pki === undefined) return '?';
      return dir.byPkiId(pki) ?? (dir.placed(pki) ? dir.remote(pki) : pki);
    };
    const refOf = (at: Where, text: string) => ({ file: this.files[at.file].path, line: at.line, text, time: at.time });
    // Literals of one shape, not spreads: a long log makes millions of these.
    const rawOf = (at: Where, peer: number, kind: TraceKind): Raw => ({ peer, kind, time: at.time, order: at.order, file: this.files[at.file].path, line: at.line });

    const raws: Raw[] = [];
    const sends = new Map<string, SendQueue>();
    const receipts: { raw: Raw; key: string; from: number; file: string; order: number; ref: LineRef & { time: number }; printed: PrintedMessage }[] = [];
    const singleOrgChannels = new Set<string>();
    for (const r of this.recs) {
      if (r.k === 'name') {
        if (dir.lookup(r.name) === undefined) dir.add(r.name);
        continue;
      }
      const peer = writer(r.w);
      if (r.k === 'send') {
        const to = r.endpoint !== undefined ? dir.remoteEndpoint(r.endpoint) : dir.remote(r.pki!);
        const ref = refOf(r.at, r.text);
        const key = `${identity(r.printed)}|${to}`;
        const pending: PendingSend = { raw: undefined, from: peer, to, file: ref.file, order: r.at.order, ref, printed: r.printed, matched: false };
        if (peer !== undefined) {
          pending.raw = rawOf(r.at, peer, 'send');
          pending.raw.other = to;
          pending.raw.type = r.printed.type;
        }
        let queue = sends.get(key);
        if (!queue) sends.set(key, (queue = { list: [], head: 0 }));
        queue.list.push(pending);
        if (pending.raw) raws.push(pending.raw);
        continue;
      }
      if (peer === undefined) continue;
      if (r.k === 'receipt') {
        const from = dir.remote(r.pki);
        stats.receipts++;
        typeStats(r.printed.type).received++;
        const raw = rawOf(r.at, peer, 'deliver');
        raw.other = from;
        raw.type = r.printed.type;
        raws.push(raw);
        const ref = refOf(r.at, r.text);
        receipts.push({ raw, key: `${identity(r.printed)}|${peer}`, from, file: ref.file, order: r.at.order, ref, printed: r.printed });
        const f = r.printed.fields;
        if (r.printed.type === 'StateInfo' && f.ledgerHeight && f.pkiId) {
          const state = rawOf(r.at, peer, 'state');
          state.reason = 'StateInfo';
          state.data = { what: 'stateInfo', member: memberOf(f.pkiId), height: Number(f.ledgerHeight) };
          raws.push(state);
        }
      } else if (r.k === 'join') {
        const ch = dir.peers[peer].channels;
        if (!ch.includes(r.channel)) ch.push(r.channel);
        if (r.single) singleOrgChannels.add(`${peer}|${r.channel}`);
      } else if (r.k === 'anchors') {
        if (singleOrgChannels.has(`${peer}|${r.channel}`)) dir.peers[peer].org = r.org;
      } else {
        const data = { ...r.data };
        if (r.members) data.member = r.many ? r.members.map(memberOf) : memberOf(r.members[0]);
        const raw = rawOf(r.at, peer, r.kind);
        raw.reason = r.reason;
        raw.data = data;
        raws.push(raw);
      }
    }

    // Match each receipt with the earliest unmatched send of the same message to the same peer
    // from its sender (or from a peer the log does not name, which the receipt then names).
    const messages = new Map<number, LoggedMessage>();
    let nextMsg = 1;
    for (const r of receipts) {
      const queue = sends.get(r.key);
      let s: PendingSend | undefined;
      if (queue) {
        while (queue.head < queue.list.length && queue.list[queue.head].matched) queue.head++;
        for (let i = queue.head; i < queue.list.length && !s; i++) {
          const c = queue.list[i];
          if (!c.matched && (c.from === undefined || c.from === r.from) && (c.file !== r.file || c.order < r.order)) s = c;
        }
      }
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
    for (const { list } of sends.values()) {
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

    // No spread of every time into Math.min: its arguments go on the stack, and a long log overflows it.
    let start = Infinity;
    for (const r of raws) if (r.time < start) start = r.time;
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
      // Each raw's data is this reading's own: it becomes the event's.
      ev.data = raw.data ?? {};
      ev.data.log = `${raw.file}:${raw.line}`;
      if (time !== raw.time) ev.data.loggedAt = raw.time - start;
      idOf.set(raw, ev.id);
      events.push(ev);
    }
    return { peers: dir.peers, events, messages, start: Number.isFinite(start) ? start : 0, stats };
  }

  private fileState(path: string): FileState {
    const known = this.fileIndex.get(path);
    if (known !== undefined) return this.files[known];
    const f: FileState = { path, name: this.named.get(path) ?? fileName(path), tagged: false, parsed: 0, untagged: 0 };
    this.fileIndex.set(path, this.files.length);
    this.files.push(f);
    return f;
  }

  private unparsed(file: string, line: number, text: string, reason: string, col: number): void {
    this.counts.unparsed++;
    if (this.unparsedSample.length >= UNPARSED_SAMPLE) return;
    const u: UnparsedLine = { file, line, col, text: text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text, reason };
    if (text.length > SAMPLE_CHARS) u.length = text.length;
    this.unparsedSample.push(u);
  }
}

/** Membership and leadership changes, in the words Fabric logs them with; members still as PKI-IDs. */
function stateEvent(l: LogLine): Pick<Extract<Rec, { k: 'event' }>, 'kind' | 'reason' | 'data' | 'members' | 'many'> | undefined {
  if (l.logger === 'gossip.discovery') {
    if (l.func === 'learnNewMembers' && l.message.startsWith('Learned about a new alive member')) {
      return { kind: 'state', reason: 'Learned about a new alive member', data: { what: 'alive' }, members: [PKI_IN.exec(l.message)?.[1] ?? '?'] };
    }
    if (l.func === 'resurrectMember' && l.message.startsWith('Entering')) {
      return { kind: 'state', reason: 'resurrectMember', data: { what: 'alive' }, members: [PKI_IN.exec(l.message)?.[1] ?? '?'] };
    }
    if (l.func === 'expireDeadMembers' && l.message.startsWith('Entering [')) {
      const pkis = l.message.slice('Entering ['.length, -1).split(' ').filter(Boolean);
      return { kind: 'state', reason: `expireDeadMembers -> ${l.message}`, data: { what: 'dead' }, members: pkis, many: pkis.length !== 1 };
    }
  }
  if (l.logger === 'gossip.gossip' && l.func === 'Stop' && l.message.startsWith('Stopping gossip')) return { kind: 'state', reason: 'Stop -> Stopping gossip', data: { what: 'stopped' } };
  if (LEADER_ON.test(l.message)) return { kind: 'state', reason: l.message, data: { what: 'leader', leader: true } };
  if (LEADER_OFF.test(l.message)) return { kind: 'state', reason: l.message, data: { what: 'leader', leader: false } };
  const block = l.logger === 'gossip.channel' && BLOCK.exec(l.message);
  if (block) return { kind: 'state', reason: `${l.func} -> ${l.message.split(',')[0]}`, data: { what: 'block', seq: Number(block[1]) } };
  return undefined;
}
