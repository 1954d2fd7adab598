/**
 * gossip/comm: one authenticated stream per remote PKI-ID, opened with a signed ConnEstablish
 * handshake; a bounded send buffer per connection whose overflow drops messages; a
 * "presumed dead" signal when a connection cannot be obtained or breaks.
 */
import type { PendingWhat } from '../kernel/kernel.js';
import type { ConnEstablish } from '../wire/messages.js';
import { AckWaiters, Handshake, authenticateHandshake } from './comm-shared.js';
import type { PeerEnv } from './env.js';
import type { MemberId } from './members.js';
import { SignedMessage, bytesEqual, fromBytes, hex } from './message.js';

/** A drop's reason when the user dropped the message (deliver by hand). */
export const HAND_DROP = "dropped by hand (the user took the scheduler's place)";

/** What comm needs from the network under it (the simulator, or later real sockets). */
export interface CommNet {
  /** Dial + Ping: calls back with the remote's Comm, or an error, after the dial's duration. */
  dial(from: number, endpoint: string, cb: (remote: Comm | null, err: string) => void): void;
  /** The fate of one message from → to: its transit delay in ms, or why it is lost. */
  route(from: number, to: number): number | string;
  /**
   * Kernel-level scheduling: in-flight messages do not die with their sender's timers.
   * `labelled` says what waits (a handshake message), for a user looking at a stopped network,
   * and what dropping it by hand does.
   */
  schedule(delay: number, fn: () => void, labelled?: { what: PendingWhat; drop: () => void }): void;
  /** `sm` reaches `to`, the receiving side of a stream, after `delay` ms (its arrive()). */
  carry(delay: number, to: Connection, sm: SignedMessage, cause: number): void;
  /** Bytes that no longer decode (a tampered `was`) reach `to` after `delay` ms (its arriveRaw()). */
  carryGarbled(delay: number, to: Connection, bytes: Uint8Array, was: SignedMessage, cause: number): void;
  /** Per-message cost of writing to a stream; sets how fast a send buffer drains. */
  readonly sendCost: number;
  /** Whether injected faults (link rules, tampering) are in force: only then are the next two asked. */
  faulty(): boolean;
  /** Under link rules: the delay of each copy that arrives, and whether it may overtake. */
  fate(from: number, to: number): { delays: number[]; fifo: boolean } | string;
  /** A tampered replacement for a message in flight, or null. */
  tamper(from: number, to: number, sm: SignedMessage): SignedMessage | Uint8Array | null;
}

/** A peer's receive queue, as comm sees it: false when the connection's buffers are full. */
export interface ReceiveQueueLike {
  arrive(conn: Connection, sm: SignedMessage, cause: number, capacity: number): boolean;
}

export interface RemotePeer {
  endpoint: string;
  pkiId: Uint8Array;
  /** Its member id, when the caller already has it. */
  id?: MemberId;
  /** Trace index of the peer, when known (for drop events before a connection exists). */
  idx?: number;
}

/** What a handler knows of the connection a message came on (simulated or a real socket). */
export interface Conn {
  readonly remoteIdx: number;
  /** The remote's member id (members.ts), the key of the stores a handler consults. */
  readonly remoteId: MemberId;
  readonly remoteEndpoint: string;
  readonly remotePki: Uint8Array;
  readonly remoteIdentity: Uint8Array;
  readonly remoteOrg: string;
  readonly open: boolean;
  /** conn.send: non-blocking; a full send buffer drops the message. */
  send(sm: SignedMessage): void;
}

/** A message as a handler sees it: the message, and the connection it came on. */
export interface ReceivedMessage {
  sm: SignedMessage;
  conn: Conn;
}

/**
 * gossip/comm as the rest of a peer uses it: implemented over the simulator (Comm) and, in live
 * mode, over real sockets.
 */
export interface CommLayer {
  readonly running: boolean;
  onMessage: (m: ReceivedMessage) => void;
  onPresumedDead: (id: MemberId) => void;
  onIdentity: (pkiId: Uint8Array, identity: Uint8Array) => string | null;
  connectionTo(id: MemberId): Conn | undefined;
  connectedPeers(): MemberId[];
  send(sm: SignedMessage, peers: RemotePeer[]): void;
  sendTo(sm: SignedMessage, p: RemotePeer): void;
  sendWithAck(sm: SignedMessage, p: RemotePeer, timeout: number, done: (err: string | null) => void): void;
  ackReceived(m: ReceivedMessage): void;
  probe(endpoint: string, cb: (identity: Uint8Array | null, pkiId: Uint8Array | null, err: string) => void): void;
  closeConn(id: MemberId): void;
  disconnect(id: MemberId): void;
  stop(): void;
  start(): void;
}

export class Connection implements Conn {
  open = true;
  /** This side's handle in the network under it (given when the first message is sent its way). */
  handle = -1;
  /** The other side's object for the same stream. */
  other!: Connection;
  /** Departure times of messages in the send buffer (ascending); those before `departed` have left. */
  private departures: number[] = [];
  private departed = 0;
  /**
   * This stream's messages waiting in the receiver's queue, counted against recvBuffSize (the
   * simulator's ReceiveQueue keeps the count here, not in a map keyed by connection).
   */
  queued = 0;
  private lastDeparture = 0;
  private lastArrival = 0;
  readonly remoteId: MemberId;

  constructor(
    readonly owner: Comm,
    readonly remote: Comm,
    readonly remotePki: Uint8Array,
    readonly remoteIdentity: Uint8Array,
    readonly remoteOrg: string,
    readonly remoteEndpoint: string,
  ) {
    this.remoteId = owner.env.members.idOf(remotePki);
  }

  /** Departure times this stream still keeps: at most the send buffer's, plus departed ones not yet moved out. */
  get departuresKept(): number {
    return this.departures.length;
  }

  get remoteIdx(): number {
    return this.remote.env.idx;
  }

  /** conn.send: non-blocking; a full buffer drops the message (gossip_comm_overflow_count). */
  send(sm: SignedMessage): void {
    const env = this.owner.env;
    const now = env.rt.now();
    const deps = this.departures;
    let head = this.departed;
    while (head < deps.length && deps[head] <= now) head++;
    // Departed entries are skipped, and moved out in place only once they are many (a splice per send was garbage);
    // an empty buffer is emptied at once: an idle stream (most of a big network's) kept up to 128 stale times.
    if (head === deps.length) {
      deps.length = 0;
      head = 0;
    } else if (head >= 64 && head * 2 >= deps.length) {
      deps.copyWithin(0, head);
      deps.length -= head;
      head = 0;
    }
    this.departed = head;
    if (sm.id === 0) sm.id = this.owner.nextMsgId(sm);
    if (deps.length - head >= env.config.sendBuffSize) {
      env.tr.emit('drop', this.remoteIdx, sm.typeName, sm.id, `Buffer to ${this.remoteEndpoint} overflowed, dropping message`);
      return;
    }
    const net = this.owner.net;
    const departure = Math.max(now, this.lastDeparture) + net.sendCost;
    this.lastDeparture = departure;
    deps.push(departure);
    env.tr.emit('send', this.remoteIdx, sm.typeName, sm.id);
    const cause = env.tr.cause;
    if (net.faulty()) return this.sendUnderFaults(sm, departure, cause);
    const fate = net.route(env.idx, this.remoteIdx);
    if (typeof fate === 'string') {
      env.tr.emit('drop', this.remoteIdx, sm.typeName, sm.id, fate);
      return;
    }
    // A stream is FIFO: nothing overtakes what was sent before it on the same connection.
    const arrival = Math.max(departure + fate, this.lastArrival);
    this.lastArrival = arrival;
    net.carry(arrival - now, this.other, sm, cause);
  }

  /** The same, with link rules and tampering in force (kept off the common path). */
  private sendUnderFaults(sm: SignedMessage, departure: number, cause: number): void {
    const env = this.owner.env;
    const net = this.owner.net;
    const now = env.rt.now();
    const fate = net.fate(env.idx, this.remoteIdx);
    if (typeof fate === 'string') {
      env.tr.emit('drop', this.remoteIdx, sm.typeName, sm.id, fate);
      return;
    }
    const tampered = net.tamper(env.idx, this.remoteIdx, sm);
    for (const delay of fate.delays) {
      let arrival = departure + delay;
      if (fate.fifo) arrival = Math.max(arrival, this.lastArrival);
      this.lastArrival = Math.max(this.lastArrival, arrival);
      if (tampered instanceof Uint8Array) {
        net.carryGarbled(arrival - now, this.other, tampered, sm, cause);
      } else {
        const what = tampered ?? sm;
        if (what.id === 0) what.id = this.owner.nextMsgId(what);
        net.carry(arrival - now, this.other, what, cause);
      }
    }
  }

  /** Bytes that no longer decode (a tampered frame of `sent`): the receiver's decoder rejects them. */
  arriveRaw(bytes: Uint8Array, cause: number, sent: SignedMessage): void {
    if (!this.owner.running || !this.open) return;
    this.owner.env.tr.within(cause, () => this.owner.receiveBytes(this, bytes, sent));
  }

  /** A message off the stream, on this side. */
  arrive(sm: SignedMessage, cause: number): void {
    // A paused process reads nothing: the message waits in the socket until it resumes.
    const rt = this.owner.env.rt;
    if (rt.isPaused()) rt.gate(() => this.handleArrival(sm, cause));
    else this.handleArrival(sm, cause);
  }

  private handleArrival(sm: SignedMessage, cause: number): void {
    if (!this.owner.running || !this.open) {
      // A drop is the sender's event: its message never made it.
      const senderTr = this.remote.env.tr;
      senderTr.within(cause, () =>
        senderTr.emit('drop', this.owner.env.idx, sm.typeName, sm.id, this.owner.running ? 'connection closed' : 'peer down'),
      );
      return;
    }
    this.owner.receive(this, sm, cause);
  }

  /** Close this side; the other side sees the stream end (EOF) one transit later. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.owner.forget(this);
    const other = this.other;
    if (other.open) this.owner.net.schedule(this.owner.net.sendCost, () => other.remoteClosed());
  }

  private remoteClosed(): void {
    if (!this.open) return;
    this.open = false;
    this.owner.forget(this);
  }
}

interface PendingConn {
  queue: SignedMessage[];
}

export class Comm implements CommLayer {
  running = true;
  // By member id; Maps: stop() closes the connections in the order they opened.
  private readonly conns = new Map<MemberId, Connection>();
  private readonly pending = new Map<MemberId, PendingConn>();

  /** Set by the node: every message received on an authenticated connection. */
  onMessage: (m: ReceivedMessage) => void = () => {};
  /** Set by discovery: a peer we failed to reach (comm.PresumedDead). */
  onPresumedDead: (id: MemberId) => void = () => {};
  /** Set by the node: identities learned from handshakes go to the identity mapper. */
  onIdentity: (pkiId: Uint8Array, identity: Uint8Array) => string | null = () => null;

  constructor(
    readonly env: PeerEnv,
    readonly net: CommNet,
    readonly nextMsgId: (sm: SignedMessage) => number,
  ) {
    this.acks = new AckWaiters(env);
    this.handshake = new Handshake(env);
  }

  connectionTo(id: MemberId): Connection | undefined {
    return this.conns.get(id);
  }

  connectedPeers(): MemberId[] {
    return [...this.conns.keys()];
  }

  /** comm.Send: to each peer, opening a connection first where there is none. */
  send(sm: SignedMessage, peers: RemotePeer[]): void {
    for (const p of peers) this.sendTo(sm, p);
  }

  sendTo(sm: SignedMessage, p: RemotePeer): void {
    if (!this.running) return;
    const key = p.id ?? this.env.members.idOf(p.pkiId);
    const conn = this.conns.get(key);
    if (conn !== undefined) return conn.send(sm);
    const pend = this.pending.get(key);
    if (pend !== undefined) {
      if (pend.queue.length < this.env.config.sendBuffSize) pend.queue.push(sm);
      else {
        if (sm.id === 0) sm.id = this.nextMsgId(sm);
        this.env.tr.emit('drop', p.idx, sm.typeName, sm.id, `Buffer to ${p.endpoint} overflowed, dropping message`);
      }
      return;
    }
    this.pending.set(key, { queue: [sm] });
    this.createConnection(p.endpoint, p.pkiId, false, (conn, err) => {
      const waiting = this.pending.get(key);
      this.pending.delete(key);
      if (conn === null) {
        this.env.tr.log('warn', 'gossip.comm', `Failed obtaining connection for ${p.endpoint}, PKIid:${this.env.members.hex(key)} reason: ${err}`);
        for (const m of waiting?.queue ?? []) {
          if (m.id === 0) m.id = this.nextMsgId(m);
          this.env.tr.emit('drop', p.idx, m.typeName, m.id, `Failed obtaining connection: ${err}`);
        }
        this.disconnect(key);
        return;
      }
      for (const m of waiting?.queue ?? []) conn.send(m);
    });
  }

  private readonly acks: AckWaiters;
  private readonly handshake: Handshake;

  /**
   * SendWithAck for one peer: send, then wait for an Acknowledgement carrying the message's
   * nonce from that peer; a non-empty error in it is a NACK.
   */
  sendWithAck(sm: SignedMessage, p: RemotePeer, timeout: number, done: (err: string | null) => void): void {
    this.acks.expect(sm, p, timeout, done);
    this.sendTo(sm, p);
  }

  /** interceptAcks: an Acknowledgement answers a SendWithAck. */
  ackReceived(m: ReceivedMessage): void {
    this.acks.received(m);
  }

  /**
   * comm.Handshake / Probe: dial, exchange ConnEstablish, report the remote's identity, close.
   * Discovery uses it to learn who sits behind a bootstrap or anchor endpoint.
   */
  probe(endpoint: string, cb: (identity: Uint8Array | null, pkiId: Uint8Array | null, err: string) => void): void {
    this.createConnection(endpoint, null, true, (conn, err) => {
      if (conn === null) return cb(null, null, err);
      cb(conn.remoteIdentity, conn.remotePki, '');
    });
  }

  /** comm.CloseConn. */
  closeConn(id: MemberId): void {
    this.conns.get(id)?.close();
  }

  /** comm.disconnect: report the peer presumed dead and drop its connection. */
  disconnect(id: MemberId): void {
    this.onPresumedDead(id);
    this.closeConn(id);
  }

  forget(conn: Connection): void {
    if (this.conns.get(conn.remoteId) === conn) {
      this.conns.delete(conn.remoteId);
      this.env.tr.state('disconnected', { peer: conn.remoteIdx });
    }
  }

  /** The process stops: every stream breaks. */
  stop(): void {
    this.running = false;
    for (const c of [...this.conns.values()]) c.close();
    this.pending.clear();
  }

  start(): void {
    this.running = true;
  }

  /**
   * A raw frame off an authenticated stream: decode it as Fabric's readFromStream does; a frame
   * that does not decode is rejected and the connection keeps working.
   */
  /**
   * Bytes off the wire. `sent`: the message they were on the sender's side, when the simulator
   * knows it (a tampered frame): a refusal names it, so its send and its refusal are one journey.
   */
  receiveBytes(conn: Connection, bytes: Uint8Array, sent?: SignedMessage): void {
    let sm: SignedMessage;
    try {
      sm = fromBytes(bytes);
    } catch (e) {
      this.env.tr.emit('reject', conn.remoteIdx, sent?.typeName, sent?.id || undefined, `Got invalid envelope: ${(e as Error).message}`);
      return;
    }
    sm.id = this.nextMsgId(sm);
    this.receive(conn, sm, this.env.tr.cause);
  }

  /** The simulator's receive queue (processing time); without one, messages are handled on arrival. */
  queue?: ReceiveQueueLike;

  receive(conn: Connection, sm: SignedMessage, cause: number): void {
    const q = this.queue;
    if (q === undefined) return this.handle(conn, sm, cause);
    // recvBuffSize here, then the sender's send buffer behind gRPC's flow control (processing.ts).
    if (q.arrive(conn, sm, cause, this.env.config.recvBuffSize + conn.remote.env.config.sendBuffSize)) return;
    const senderTr = conn.remote.env.tr;
    senderTr.within(cause, () => senderTr.emit('drop', this.env.idx, sm.typeName, sm.id, `Buffer to ${conn.other.remoteEndpoint} overflowed, dropping message`));
  }

  /** Handles a received message now; `timing` is how long it waited and took (from the queue). */
  handle(conn: Connection, sm: SignedMessage, cause: number, timing?: Record<string, number>): void {
    // Every delivery comes through here: no closures, just the cause set and restored.
    const tr = this.env.tr;
    const prev = tr.swapCause(cause);
    try {
      tr.swapCause(tr.emit('deliver', conn.remoteIdx, sm.typeName, sm.id, undefined, timing));
      this.onMessage({ sm, conn });
    } finally {
      tr.swapCause(prev);
    }
  }

  private connEstablish(probe: boolean): SignedMessage {
    return this.handshake.message(probe);
  }

  /**
   * createConnection + authenticateRemotePeer, both sides: dial, each side sends its signed
   * ConnEstablish, each checks the other's (type, PKI-ID, identity, TLS binding, signature).
   */
  private createConnection(
    endpoint: string,
    expectedPki: Uint8Array | null,
    probe: boolean,
    done: (conn: Connection | null, err: string) => void,
  ): void {
    const me = this.env;
    const cause = me.tr.cause;
    this.net.dial(me.idx, endpoint, (remote, err) =>
      me.tr.within(cause, () => {
        if (remote === null || !this.running) return done(null, err || 'peer stopped');
        const mine = this.connEstablish(probe);
        // The remote must answer within connTimeout (readWithTimeout), or the attempt fails.
        let settled = false;
        const settle = (conn: Connection | null, e: string) => {
          if (settled) return;
          settled = true;
          timer.cancel();
          done(conn, e);
        };
        const timer = this.env.rt.after(this.env.config.connTimeout, 'comm.handshakeTimeout', () => settle(null, `timed out waiting for connection message from ${endpoint}`));
        // Our ConnEstablish travels to the remote, which authenticates us and answers.
        this.transmitHandshake(mine, remote, () => {
          const theirsOk = remote.authenticate(mine, this);
          if (typeof theirsOk === 'string') return this.net.schedule(0, () => me.tr.within(cause, () => settle(null, theirsOk)));
          const theirs = remote.connEstablish(false);
          remote.transmitHandshake(theirs, this, () =>
            me.tr.within(cause, () => {
              if (settled) return;
              const done = settle;
              const ok = this.authenticate(theirs, remote);
              if (typeof ok === 'string') return done(null, ok);
              if (expectedPki !== null && !bytesEqual(ok.pkiId, expectedPki)) {
                me.tr.log('warn', 'gossip.comm', `Remote endpoint claims to be a different peer, expected ${hex(expectedPki)} but got ${hex(ok.pkiId)}`);
                return done(null, 'authentication failure: remote peer claims to be a different peer');
              }
              if (probe) return done(this.makeConn(remote, ok, endpoint, false), '');
              const conn = this.makeConn(remote, ok, endpoint, true);
              const back = remote.makeConn(this, theirsOk, me.endpoint || me.internalEndpoint, true);
              conn.other = back;
              back.other = conn;
              done(conn, '');
            }),
          );
        });
      }),
    );
  }

  private transmitHandshake(sm: SignedMessage, to: Comm, onArrive: () => void): void {
    if (sm.id === 0) sm.id = this.nextMsgId(sm);
    const tr = this.env.tr;
    tr.emit('send', to.env.idx, sm.typeName, sm.id);
    const fate = this.net.route(this.env.idx, to.env.idx);
    if (typeof fate === 'string') {
      tr.emit('drop', to.env.idx, sm.typeName, sm.id, fate);
      return;
    }
    const cause = tr.cause;
    this.net.schedule(
      fate,
      () =>
        to.env.rt.gate(() => {
          if (!to.running) return tr.within(cause, () => tr.emit('drop', to.env.idx, sm.typeName, sm.id, 'peer down'));
          to.env.tr.within(cause, () => {
            const ev = to.env.tr.emit('deliver', this.env.idx, sm.typeName, sm.id);
            to.env.tr.within(ev, onArrive);
          });
        }),
      {
        what: { kind: 'message', from: this.env.idx, to: to.env.idx, type: sm.typeName, msg: sm.id },
        drop: () => tr.within(cause, () => tr.emit('drop', to.env.idx, sm.typeName, sm.id, HAND_DROP)),
      },
    );
  }

  /** authenticateRemotePeer's checks on the remote's first message; the reason on failure. */
  authenticate(sm: SignedMessage, from: Comm): (ConnEstablish & { org: string }) | string {
    return authenticateHandshake(this.env, this.onIdentity, sm, { idx: from.env.idx, label: from.env.endpoint || from.env.internalEndpoint, tlsCertHash: from.env.tlsCertHash });
  }

  /** connStore.onConnected: one connection per PKI-ID; a newer stream replaces an older one. */
  makeConn(remote: Comm, auth: ConnEstablish & { org: string }, endpoint: string, register: boolean): Connection {
    const conn = new Connection(this, remote, auth.pkiId, auth.identity, auth.org, endpoint);
    if (!register) {
      conn.open = false;
      return conn;
    }
    const old = this.conns.get(conn.remoteId);
    this.conns.set(conn.remoteId, conn);
    if (old !== undefined) {
      old.open = false;
    } else {
      this.env.tr.state('connected', { peer: remote.env.idx });
    }
    return conn;
  }
}
