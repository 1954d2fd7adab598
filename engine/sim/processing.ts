/**
 * Work takes time. A peer handles the messages it receives one after another; each costs a
 * handling time drawn from the peer's own stream (a log-normal: most messages are quick, a few
 * are slow, as on a loaded machine), and every signature the peer verifies or makes costs what
 * ECDSA P-256 costs (measured: ../shared/reference/perf-limits.md). While the peer is busy,
 * arrivals wait in its receive queue.
 *
 * The queue is Fabric's per-connection `msgChan` of recvBuffSize (gossip/comm/conn.go). Fabric
 * never drops there: a full msgChan stops the connection's reader, gRPC's flow control stops
 * the sender's writer, and the sender's send buffer (sendBuffSize) fills until its non-blocking
 * send drops with "Buffer to ... overflowed, dropping message". So a connection holds at most
 * recvBuffSize + the sender's sendBuffSize waiting messages (gRPC's own window is not modelled),
 * and the next one is the sender's drop, with Fabric's reason.
 */
import type { Kernel } from '../kernel/kernel.js';
import { Rng } from '../kernel/rng.js';
import type { Comm, Connection } from '../fabric/comm.js';
import type { CryptoService } from '../fabric/env.js';
import type { SignedMessage } from '../fabric/message.js';
import type { CanonicalJson } from '../trace/trace.js';

export interface ProcessingSpec {
  /** Handling cost of one message: log-normal with this median (ms) and sigma (of its log). */
  handling: { median: number; sigma: number };
  /** ms per ECDSA P-256 signature verification. */
  verify: number;
  /** ms per ECDSA P-256 signature. */
  sign: number;
}

/**
 * Defaults: signature costs measured for P-256 on the dev machine (Node's crypto, one core);
 * the handling cost fitted to Fabric's own gossip measured on 10 and 20 peers (the issue's
 * figures, the fabric-measured samples), which ran on two loaded cores.
 */
export const DEFAULT_PROCESSING: ProcessingSpec = { handling: { median: 2.5, sigma: 0.9 }, verify: 0.065, sign: 0.025 };

/** The processing time a peer runs with. */
export function processingOf(scenario: { processing: ProcessingSpec; peerProcessing: Record<string, ProcessingSpec> }, peerId: string): ProcessingSpec {
  return scenario.peerProcessing[peerId] ?? scenario.processing;
}

/** What the queue reports when a message is handled: how long it waited and how long it took. */
export class HandlingTime implements CanonicalJson {
  constructor(
    readonly queuedMs: number,
    readonly handlingMs: number,
    /** Messages waiting on its connection when it arrived (itself excluded). */
    readonly waiting: number,
  ) {}

  /** JSON.stringify(this), written directly: one of these goes with every delivery. */
  canonicalJson(): string {
    return `{"queuedMs":${this.queuedMs},"handlingMs":${this.handlingMs},"waiting":${this.waiting}}`;
  }
}

export interface Waiting {
  conn: Connection;
  sm: SignedMessage;
  cause: number;
  arrivedAt: number;
  /** Messages already waiting on its connection when it arrived. */
  ahead: number;
}

const us = (ms: number) => Math.round(ms * 1000) / 1000;

export class ReceiveQueue {
  /** Handled slots (before `head`) are emptied at once: the array is compacted only now and then. */
  private readonly queue: (Waiting | undefined)[] = [];
  private head = 0;
  /** When the peer's CPU is next free. */
  private busyUntil = 0;
  private scheduled = false;
  private readonly rng: Rng;

  constructor(
    private readonly kernel: Kernel,
    private readonly spec: ProcessingSpec,
    seed: number,
    peerId: string,
    /** Runs the message's handler (comm's delivery), stamped with its timing. */
    private readonly handle: (w: Waiting, timing: HandlingTime) => void,
    /** The peer is paused: handling resumes when it does. */
    private readonly gate: (fn: () => void) => void,
  ) {
    this.rng = new Rng(seed, `processing/${peerId}`);
  }

  /** A signature verified or made, now: the CPU is busy for that long more. */
  charge(verifies: number, signs: number): void {
    const cost = verifies * this.spec.verify + signs * this.spec.sign;
    if (cost > 0) this.busyUntil = us(Math.max(this.busyUntil, this.kernel.now) + cost);
  }

  /** A message off a connection; false when the connection is full (the caller drops it at the sender). */
  arrive(conn: Connection, sm: SignedMessage, cause: number, capacity: number): boolean {
    const ahead = conn.queued;
    if (ahead >= capacity) return false;
    conn.queued = ahead + 1;
    this.queue.push({ conn, sm, cause, arrivedAt: this.kernel.now, ahead });
    this.next();
    return true;
  }

  get length(): number {
    return this.queue.length - this.head;
  }

  /** Messages the queue still references: only those waiting, never ones already handled. */
  get held(): number {
    let n = 0;
    for (const w of this.queue) if (w !== undefined) n++;
    return n;
  }

  /** The process died: what waited is gone with it. */
  clear(): Waiting[] {
    const lost = this.queue.slice(this.head) as Waiting[];
    this.queue.length = 0;
    this.head = 0;
    for (const w of lost) w.conn.queued = 0;
    return lost;
  }

  /** The message whose turn is scheduled (one at a time), when it started and what it costs. */
  private turn?: Waiting;
  private turnStart = 0;
  private turnCost = 0;

  private next(): void {
    if (this.scheduled || this.head >= this.queue.length) return;
    this.scheduled = true;
    this.turnStart = Math.max(this.kernel.now, this.busyUntil);
    this.turnCost = this.handlingCost();
    this.turn = this.queue[this.head];
    this.kernel.at(us(this.turnStart + this.turnCost), this.turnDue);
  }

  // Bound once: no closures per message handled.
  private readonly turnDue = (): void => this.gate(this.takeTurn);

  private readonly takeTurn = (): void => {
    this.scheduled = false;
    const w = this.turn!;
    if (this.queue[this.head] !== w) return this.next(); // cleared by a crash meanwhile
    // Let go of the handled message now: a slot kept until compaction held up to a thousand
    // handled messages (and their signed bytes) per peer for nothing.
    this.queue[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (w.conn.queued > 0) w.conn.queued--;
    this.busyUntil = Math.max(this.busyUntil, this.kernel.now);
    this.handle(w, new HandlingTime(us(this.turnStart - w.arrivedAt), us(this.turnCost), w.ahead));
    this.next();
  };

  /** Log-normal: median × e^(sigma·z), z standard normal (Box-Muller on the peer's stream). */
  private handlingCost(): number {
    const { median, sigma } = this.spec.handling;
    if (median <= 0) return 0;
    if (sigma <= 0) return median;
    const u1 = 1 - this.rng.next();
    const u2 = this.rng.next();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return us(median * Math.exp(sigma * z));
  }
}

/** The peer's crypto service, each signature check and signature charged to its CPU. */
export function chargedCrypto(mcs: CryptoService, queue: ReceiveQueue): CryptoService {
  return {
    ...mcs,
    sign: (data) => (queue.charge(0, 1), mcs.sign(data)),
    verify: (identity, sig, data) => (queue.charge(1, 0), mcs.verify(identity, sig, data)),
    verifyBlock: (channel, seq, block) => (queue.charge(1, 0), mcs.verifyBlock(channel, seq, block)),
  };
}

/** A message whose turn came: handled, unless its connection or process died while it waited. */
export function handleQueued(comm: Comm, w: Waiting, timing: HandlingTime): void {
  if (comm.running && w.conn.open) return comm.handle(w.conn, w.sm, w.cause, timing as unknown as Record<string, number>);
  dropWaiting(w, comm.running ? 'connection closed' : 'peer down');
}

/** A drop is the sender's event: its message never got handled. */
export function dropWaiting(w: Waiting, reason: string): void {
  const tr = w.conn.remote.env.tr;
  tr.within(w.cause, () => tr.emit('drop', w.conn.owner.env.idx, w.sm.typeName, w.sm.id, reason));
}
