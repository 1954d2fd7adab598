import type { Kernel } from '../kernel/kernel.js';
import { Rng } from '../kernel/rng.js';
import type { Comm, CommNet } from '../fabric/comm.js';
import type { NetworkSpec, LatencySpec, LinkRule, TamperRule } from '../scenario/types.js';
import type { SignedMessage } from '../fabric/message.js';
import { tamperTakes, tamperWith } from './tamper.js';
import { InFlight } from './in-flight.js';
import type { Trace } from '../trace/trace.js';

/**
 * The simulated network between peers: seeded latency per message, loss, partitions, and what
 * a dial sees (refused by a stopped peer, a timeout across a partition or to an unknown host).
 * Streams are FIFO (the connection enforces it); latency is drawn per message.
 */
export class SimNetwork {
  private readonly rng: Rng;
  /** gRPC's reconnect jitter: a stream of its own, so retries do not move every latency drawn after them. */
  private readonly dialRng: Rng;
  private readonly comms: (Comm | undefined)[] = [];
  private readonly endpoints = new Map<string, number>();
  private readonly up: boolean[] = [];
  /** Partition group of each peer; peers in different groups cannot reach each other. */
  private group: number[] | null = null;
  /** The orderer's group (index -1); null: every peer reaches it. */
  private ordererGroup: number | null = null;
  private readonly links = new Map<string, { latency?: LatencySpec; loss?: number }>();
  readonly sendCost = 0.02; // ms per message written to a stream: sets how fast a send buffer drains
  /** Link rules in force (faults with a time window); a and b are peer indexes, -1 for any. */
  private readonly rules: { rule: LinkRule; a: number; b: number; until?: number }[] = [];
  private readonly tampers: { rule: TamperRule; from: number; to: number; left: number }[] = [];
  /** What each tamper did, by message id (the newest few hundred), for the inspector. */
  private readonly tamperLog = new Map<number, TamperRecord[]>();
  trace?: Trace;
  private readonly inFlight: InFlight;

  constructor(
    private readonly kernel: Kernel,
    private readonly spec: NetworkSpec,
    seed: number,
    peerIndex: (id: string) => number,
  ) {
    this.inFlight = new InFlight(kernel);
    this.rng = new Rng(seed, 'network');
    this.dialRng = new Rng(seed, 'network/dial-backoff');
    for (const l of spec.links) {
      const a = peerIndex(l.between[0]);
      const b = peerIndex(l.between[1]);
      this.links.set(`${Math.min(a, b)}:${Math.max(a, b)}`, { latency: l.latency, loss: l.loss });
    }
  }

  /**
   * The address book: which peer an endpoint names. Known from the start, so a dial to a peer
   * whose process is not up yet is refused, as a port nobody listens on is, instead of timing
   * out like an unknown host (peers that start together would otherwise miss each other at
   * time 0 only because of the order in which the simulator starts them).
   */
  addEndpoint(idx: number, endpoint: string): void {
    this.endpoints.set(endpoint, idx);
  }

  register(idx: number, endpoint: string, comm: Comm): void {
    this.comms[idx] = comm;
    this.endpoints.set(endpoint, idx);
    this.up[idx] = true;
  }

  setUp(idx: number, up: boolean, comm?: Comm): void {
    this.up[idx] = up;
    if (comm !== undefined) this.comms[idx] = comm;
  }

  isUp(idx: number): boolean {
    return this.up[idx] === true;
  }

  /** Splits peers into groups (by index, -1 the orderer); null heals every partition. */
  setPartition(groups: number[][] | null, total: number): void {
    this.ordererGroup = null;
    if (groups === null) {
      this.group = null;
      return;
    }
    // Peers named in no group form one more group together.
    const g = new Array<number>(total).fill(groups.length);
    groups.forEach((members, i) =>
      members.forEach((p) => {
        if (p < 0) this.ordererGroup = i;
        else g[p] = i;
      }),
    );
    this.group = g;
  }

  partitioned(a: number, b: number): boolean {
    if (this.group === null) return false;
    const ga = a < 0 ? this.ordererGroup : this.group[a];
    const gb = b < 0 ? this.ordererGroup : this.group[b];
    return ga !== null && gb !== null && ga !== gb;
  }

  private link(a: number, b: number): { latency?: LatencySpec; loss?: number } | undefined {
    // Most scenarios set no per-link rules: skip building the key.
    return this.links.size === 0 ? undefined : this.links.get(`${Math.min(a, b)}:${Math.max(a, b)}`);
  }

  /** One-way latency from a to b (a or b may be -1: the orderer). */
  latency(a: number, b: number): number {
    const link = this.link(a, b);
    const l = link?.latency ?? this.spec.latency;
    // Microsecond resolution keeps times exact in binary floating point.
    return Math.round((l.min + this.rng.next() * (l.max - l.min)) * 1000) / 1000;
  }

  route(a: number, b: number): number | string {
    if (this.partitioned(a, b)) return 'partitioned';
    const link = this.link(a, b);
    const loss = link?.loss ?? this.spec.loss;
    if (loss > 0 && this.rng.next() < loss) return 'lost on the network';
    return this.latency(a, b);
  }

  addLinkRule(rule: LinkRule, a: number, b: number, until?: number): void {
    this.rules.push({ rule, a, b, until });
  }

  removeLinkRule(rule: LinkRule): void {
    const i = this.rules.findIndex((r) => r.rule === rule);
    if (i >= 0) this.rules.splice(i, 1);
  }

  addTamper(rule: TamperRule, from: number, to: number): void {
    this.tampers.push({ rule, from, to, left: rule.count });
  }

  /** The partition groups in force (peer indexes, -1 the orderer), or null when there is none. */
  partitionGroups(): number[][] | null {
    if (this.group === null) return null;
    const groups: number[][] = [];
    this.group.forEach((g, p) => (groups[g] ??= []).push(p));
    if (this.ordererGroup !== null) (groups[this.ordererGroup] ??= []).push(-1);
    return groups.filter((g) => g !== undefined && g.length > 0);
  }

  /** Link rules in force, and tamper rules with messages left to catch. */
  inForce(): { links: readonly { rule: LinkRule; a: number; b: number; until?: number }[]; tampers: { rule: TamperRule; from: number; to: number; left: number }[] } {
    return { links: this.rules, tampers: this.tampers.filter((t) => t.left > 0) };
  }

  get faulty(): boolean {
    return this.rules.length > 0 || this.tampers.length > 0;
  }

  /**
   * The fate of one message while link rules are in force: the delays of each copy that
   * arrives (none: lost), and whether it may overtake earlier messages.
   */
  fate(a: number, b: number): { delays: number[]; fifo: boolean } | string {
    const base = this.route(a, b);
    if (typeof base === 'string') return base;
    let delay = base;
    let copies = 1;
    let fifo = true;
    for (const { rule, a: x, b: y } of this.rules) {
      if (x >= 0 && !((x === a && y === b) || (x === b && y === a))) continue;
      if (rule.loss > 0 && this.rng.next() < rule.loss) return 'lost by a link rule';
      delay += rule.delay + (rule.jitter > 0 ? Math.round(this.rng.next() * rule.jitter * 1000) / 1000 : 0);
      if (rule.duplicate > 0 && this.rng.next() < rule.duplicate) copies = 2;
      if (rule.reorder > 0 && this.rng.next() < rule.reorder) fifo = false;
    }
    const delays = [delay];
    if (copies === 2) delays.push(delay + this.latency(a, b));
    return { delays, fifo };
  }

  /**
   * A message in flight that a tamper rule catches: its altered form (or raw bytes that no
   * longer decode). The altered copy keeps the message's id: its send, the fault and its
   * receipt are one journey.
   */
  tamper(a: number, b: number, sm: SignedMessage): SignedMessage | Uint8Array | null {
    const t = this.tampers.find((x) => x.left > 0 && x.from === a && (x.to < 0 || x.to === b) && (x.rule.type === null || x.rule.type === sm.typeName) && tamperTakes(x.rule.mode, sm));
    if (t === undefined) return null;
    t.left--;
    const { out, what, sent, received } = tamperWith(sm, t.rule.mode, this.rng);
    if (!(out instanceof Uint8Array)) out.id = sm.id;
    this.trace?.emit(this.kernel.now, 'fault', a, b, sm.typeName, sm.id || undefined, `tampered: ${what}`);
    if (sm.id !== 0) this.remember({ msg: sm.id, from: a, to: b, t: this.kernel.now, what, sent, received, decodes: !(out instanceof Uint8Array) });
    return out;
  }

  private remember(r: TamperRecord): void {
    const list = this.tamperLog.get(r.msg);
    if (list !== undefined) list.push(r);
    else this.tamperLog.set(r.msg, [r]);
    // Bounded: the oldest message's records go first (a Map iterates in insertion order).
    if (this.tamperLog.size > TAMPER_LOG_SIZE) this.tamperLog.delete(this.tamperLog.keys().next().value!);
  }

  /** What tamper rules did to this message, one record per copy they caught (oldest first). */
  tamperedCopies(msg: number): readonly TamperRecord[] {
    return this.tamperLog.get(msg) ?? [];
  }

  forPeer(idx: number, dialTimeout: () => number): CommNet {
    return {
      sendCost: this.sendCost,
      route: (a, b) => this.route(a, b),
      faulty: () => this.faulty,
      fate: (a, b) => this.fate(a, b),
      tamper: (a, b, sm) => this.tamper(a, b, sm),
      schedule: (delay, fn, labelled) => this.inFlight.schedule(delay, fn, labelled),
      carry: (delay, to, sm, cause) => this.inFlight.carry(delay, to, sm, cause),
      carryGarbled: (delay, to, bytes, was, cause) => this.inFlight.carryGarbled(delay, to, bytes, was, cause),
      dial: (from, endpoint, cb) => {
        const to = this.endpoints.get(endpoint);
        if (to === undefined || this.partitioned(from, to)) {
          this.kernel.after(dialTimeout(), () => cb(null, `context deadline exceeded (dialing ${endpoint})`));
          return;
        }
        // grpc.DialContext with WithBlock: a refused connection is retried after gRPC's
        // backoff until dialTimeout runs out, so a peer that starts a little later is still reached.
        const deadline = this.kernel.now + dialTimeout();
        let retries = 0;
        const attempt = () => {
          const rtt = this.latency(from, to) + this.latency(to, from);
          this.kernel.after(rtt, () => {
            const comm = this.comms[to];
            if (this.up[to] && comm !== undefined && comm.running && !this.partitioned(from, to)) return cb(comm, '');
            const wait = grpcBackoff(retries++, this.dialRng);
            if (this.kernel.now + wait >= deadline) {
              this.kernel.at(deadline, () => cb(null, `context deadline exceeded (dialing ${endpoint})`));
              return;
            }
            this.kernel.after(wait, attempt);
          });
        };
        attempt();
      },
    };
  }
}

/** Messages whose tampering the inspector can still show. */
const TAMPER_LOG_SIZE = 500;

/** One copy of a message a tamper rule altered on its way from `from` to `to`. */
export interface TamperRecord {
  msg: number;
  from: number;
  to: number;
  /** Simulated ms when it left. */
  t: number;
  what: string;
  /** The envelope as sent and as it arrives. */
  sent: Uint8Array;
  received: Uint8Array;
  /** Whether the altered bytes still decode as a gossip message. */
  decodes: boolean;
}

/**
 * grpc-go's default connection backoff (internal/backoff DefaultConfig): 1s, times 1.6 per
 * retry, at most 120s, with ±20 % jitter.
 */
export function grpcBackoff(retries: number, rng: Rng): number {
  let backoff = 1000;
  for (let i = 0; i < retries && backoff < 120_000; i++) backoff *= 1.6;
  backoff = Math.min(backoff, 120_000);
  return Math.round(backoff * (1 + 0.2 * (rng.next() * 2 - 1)) * 1000) / 1000;
}
