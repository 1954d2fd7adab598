/**
 * gossip/comm over real sockets (live mode): one WebSocket per remote PKI-ID, opened with the
 * same signed ConnEstablish handshake as Fabric's gRPC stream (the dialer speaks first, the
 * listener checks it and answers with its own), binary frames carrying the Envelope bytes the
 * codec produces, a bounded send buffer that drops on overflow, "presumed dead" when a dial
 * fails. Socket events enter the protocol through the real-time kernel, in order.
 */
import { FABRIC_MAX_RECV_BYTES, HANDSHAKE_FRAME_BYTES, raiseFrameLimit } from './frame-limit.js';
import { WebSocket, type RawData } from 'ws';
import type { PeerEnv } from '../fabric/env.js';
import type { MemberId } from '../fabric/members.js';
import type { CommLayer, Conn, ReceivedMessage, RemotePeer } from '../fabric/comm.js';
import { AckWaiters, Handshake, authenticateHandshake } from '../fabric/comm-shared.js';
import { SignedMessage, bytesEqual, fromBytes, hex } from '../fabric/message.js';
import { encodeEnvelope } from '../wire/codec.js';
import type { ConnEstablish } from '../wire/messages.js';
import { tamperTakes, tamperWith } from '../sim/tamper.js';
import type { LiveLinkRule, LiveTamperRule } from './control.js';
import type { RealTimeKernel } from './realtime.js';

export interface LiveCommOptions {
  /** ws:// URL of a gossip endpoint (host:port as the scenario names it), or undefined when unknown. */
  resolve(endpoint: string): string | undefined;
  /** Trace index of a PKI-ID (-1 when unknown). */
  peerIndex(pkiHex: string): number;
  /** Trace index of the peer at an endpoint (host:port), -1 when unknown. */
  endpointIndex(endpoint: string): number;
}

class LiveConn implements Conn {
  open = true;
  /** Wall-clock ms at which the last message held back by a link rule leaves (keeps the stream in order). */
  lastLeavesAt = 0;
  /** The remote's member id (members.ts). */
  readonly remoteId: MemberId;
  constructor(
    private readonly comm: LiveComm,
    readonly ws: WebSocket,
    readonly remoteIdx: number,
    readonly remoteEndpoint: string,
    readonly remotePki: Uint8Array,
    readonly remoteIdentity: Uint8Array,
    readonly remoteOrg: string,
  ) {
    this.remoteId = comm.env.members.idOf(remotePki);
  }

  send(sm: SignedMessage): void {
    this.comm.write(this, sm);
  }
}

export class LiveComm implements CommLayer {
  running = true;
  onMessage: (m: ReceivedMessage) => void = () => {};
  onPresumedDead: (id: MemberId) => void = () => {};
  onIdentity: (pkiId: Uint8Array, identity: Uint8Array) => string | null = () => null;
  private readonly conns = new Map<MemberId, LiveConn>();
  private readonly pending = new Map<MemberId, SignedMessage[]>();
  private readonly acks: AckWaiters;
  private readonly handshake: Handshake;
  /** Stepping: received frames wait here until the controller releases them, oldest first. */
  private gate: { at: number; take: () => void }[] | null = null;
  /** Link rules in force (loss, delay), applied to what this peer sends. */
  private links: LiveLinkRule[] = [];
  /** Tamper faults on what this peer sends: the next `left` messages of a type, to a peer or any. */
  private tampers: (LiveTamperRule & { left: number })[] = [];
  /** Each peer's side of a partition (trace index → group); null when there is none. */
  private sideOf: Map<number, number> | null = null;

  constructor(
    readonly env: PeerEnv,
    private readonly rtk: RealTimeKernel,
    private readonly nextMsgId: (sm: SignedMessage) => number,
    private readonly opts: LiveCommOptions,
  ) {
    this.acks = new AckWaiters(env);
    this.handshake = new Handshake(env);
  }

  /**
   * A network partition, applied here in the transport as the simulator applies it: messages
   * to the other side are lost, and dials to it time out; connections stay open.
   */
  setPartition(groups: number[][] | null): void {
    this.sideOf = groups === null ? null : new Map(groups.flatMap((g, side) => g.map((idx) => [idx, side] as [number, number])));
  }

  /** Holds every received message from now on (on), or lets the held ones through, in order (off). */
  hold(on: boolean): void {
    if (on) {
      this.gate ??= [];
      return;
    }
    const held = this.gate ?? [];
    this.gate = null;
    for (const h of held) h.take();
  }

  /** Takes in the oldest held message; false when none is held. */
  release(): boolean {
    const h = this.gate?.shift();
    h?.take();
    return h !== undefined;
  }

  /** When the oldest held message arrived (wall clock), or null. */
  get oldestHeld(): number | null {
    return this.gate?.[0]?.at ?? null;
  }

  setLinks(rules: LiveLinkRule[]): void {
    this.links = rules;
  }

  addTamper(rule: LiveTamperRule): void {
    this.tampers.push({ ...rule, left: rule.count });
  }

  /** The bytes that leave for peer `to`: the message's, or a tampered copy's (a fault event says how). */
  private wireBytes(sm: SignedMessage, to: number): Uint8Array {
    const t = this.tampers.length > 0 ? this.tampers.find((x) => x.left > 0 && (x.to < 0 || x.to === to) && (x.type === null || x.type === sm.typeName) && tamperTakes(x.mode, sm)) : undefined;
    if (t === undefined) return encodeEnvelope(sm.envelope);
    if (--t.left === 0) this.tampers = this.tampers.filter((x) => x !== t);
    const { out, what } = tamperWith(sm, t.mode, this.env.rt.rng);
    this.env.tr.emit('fault', to, sm.typeName, sm.id, `tampered: ${what}`);
    return out instanceof Uint8Array ? out : encodeEnvelope(out.envelope);
  }

  /** The rule on the link to `idx` now, if any. */
  private linkTo(idx: number): LiveLinkRule | undefined {
    const me = this.env.idx;
    const now = Date.now();
    return this.links.find((r) => now < r.until && ((r.a === -1 && r.b === -1) || (r.a === me && r.b === idx) || (r.a === idx && r.b === me)));
  }

  private partitioned(idx: number): boolean {
    if (this.sideOf === null || idx < 0) return false;
    const mine = this.sideOf.get(this.env.idx);
    const theirs = this.sideOf.get(idx);
    return mine !== undefined && theirs !== undefined && mine !== theirs;
  }

  connectionTo(id: MemberId): Conn | undefined {
    return this.conns.get(id);
  }

  connectedPeers(): MemberId[] {
    return [...this.conns.keys()];
  }

  send(sm: SignedMessage, peers: RemotePeer[]): void {
    for (const p of peers) this.sendTo(sm, p);
  }

  sendTo(sm: SignedMessage, p: RemotePeer): void {
    if (!this.running) return;
    const key = p.id ?? this.env.members.idOf(p.pkiId);
    const conn = this.conns.get(key);
    if (conn !== undefined) return conn.send(sm);
    const queue = this.pending.get(key);
    if (queue !== undefined) {
      if (queue.length < this.env.config.sendBuffSize) queue.push(sm);
      else this.drop(p.idx ?? this.opts.peerIndex(hex(p.pkiId)), sm, `Buffer to ${p.endpoint} overflowed, dropping message`);
      return;
    }
    this.pending.set(key, [sm]);
    this.dial(p.endpoint, p.pkiId, false, (c, err) => {
      const waiting = this.pending.get(key) ?? [];
      this.pending.delete(key);
      if (c === null) {
        this.env.tr.log('warn', 'gossip.comm', `Failed obtaining connection for ${p.endpoint}, PKIid:${hex(p.pkiId)} reason: ${err}`);
        for (const m of waiting) this.drop(p.idx ?? this.opts.peerIndex(hex(p.pkiId)), m, `Failed obtaining connection: ${err}`);
        this.disconnect(key);
        return;
      }
      for (const m of waiting) c.send(m);
    });
  }

  sendWithAck(sm: SignedMessage, p: RemotePeer, timeout: number, done: (err: string | null) => void): void {
    this.acks.expect(sm, p, timeout, done);
    this.sendTo(sm, p);
  }

  ackReceived(m: ReceivedMessage): void {
    this.acks.received(m);
  }

  probe(endpoint: string, cb: (identity: Uint8Array | null, pkiId: Uint8Array | null, err: string) => void): void {
    this.dial(endpoint, null, true, (c, err) => (c === null ? cb(null, null, err) : cb(c.remoteIdentity, c.remotePki, '')));
  }

  closeConn(id: MemberId): void {
    const c = this.conns.get(id);
    if (c !== undefined) this.close(c);
  }

  disconnect(id: MemberId): void {
    this.onPresumedDead(id);
    this.closeConn(id);
  }

  stop(): void {
    this.running = false;
    for (const c of [...this.conns.values()]) this.close(c);
    this.pending.clear();
  }

  start(): void {
    this.running = true;
  }

  /** A connection a remote dialled in: it speaks first (its ConnEstablish), then we answer. */
  accept(ws: WebSocket): void {
    ws.binaryType = 'nodebuffer';
    const timer = setTimeout(() => ws.terminate(), this.env.config.connTimeout);
    ws.once('message', (data: RawData) =>
      this.rtk.now(() => {
        clearTimeout(timer);
        if (!this.running) return ws.terminate();
        const sm = this.decode(-1, data);
        if (sm === null) return ws.terminate();
        const from = sm.msg.content === 'conn' ? this.opts.peerIndex(hex(sm.msg.conn.pkiId)) : -1;
        this.env.tr.emit('deliver', from, sm.typeName, sm.id);
        const ok = this.authenticate(sm, from);
        if (typeof ok === 'string') return ws.close(1008, ok.slice(0, 120));
        const probe = ok.probe;
        this.sendHandshake(ws, this.connEstablish(false), from);
        if (probe) return; // Fabric answers a probe's handshake and keeps no connection
        this.register(ws, ok, '');
      }),
    );
  }

  /** Sends one message: counted in the send buffer (bytes not yet written), else dropped. */
  write(c: LiveConn, sm: SignedMessage): void {
    const env = this.env;
    if (sm.id === 0) sm.id = this.nextMsgId(sm);
    if (!c.open || c.ws.readyState !== WebSocket.OPEN) return this.drop(c.remoteIdx, sm, 'connection closed');
    if (this.partitioned(c.remoteIdx)) {
      env.tr.emit('send', c.remoteIdx, sm.typeName, sm.id);
      return this.drop(c.remoteIdx, sm, 'partitioned');
    }
    // ws buffers what the socket has not taken yet: sendBuffSize messages' worth is the limit.
    if (c.ws.bufferedAmount > env.config.sendBuffSize * 4096) return this.drop(c.remoteIdx, sm, `Buffer to ${c.remoteEndpoint} overflowed, dropping message`);
    env.tr.emit('send', c.remoteIdx, sm.typeName, sm.id);
    const rule = this.links.length > 0 ? this.linkTo(c.remoteIdx) : undefined;
    if (rule === undefined) return c.ws.send(this.wireBytes(sm, c.remoteIdx));
    if (rule.loss > 0 && env.rt.rng.next() < rule.loss) return this.drop(c.remoteIdx, sm, 'lost by a link rule');
    const bytes = this.wireBytes(sm, c.remoteIdx);
    const rng = env.rt.rng;
    let delay = rule.delay + (rule.jitter > 0 ? rng.next() * rule.jitter : 0);
    // A stream delivers in order: a message leaves no earlier than the one before it on this
    // connection, unless the rule lets it overtake.
    const now = Date.now();
    if (!(rule.reorder > 0 && rng.next() < rule.reorder)) delay = Math.max(delay, c.lastLeavesAt - now);
    c.lastLeavesAt = Math.max(c.lastLeavesAt, now + delay);
    const copies = rule.duplicate > 0 && rng.next() < rule.duplicate ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      if (delay <= 0 && i === 0) c.ws.send(bytes);
      else setTimeout(() => c.ws.readyState === WebSocket.OPEN && c.ws.send(bytes), delay + i).unref?.();
    }
  }

  /** Our ConnEstablish on its way: traced like any send (the simulator traces it too). */
  private sendHandshake(ws: WebSocket, sm: SignedMessage, to: number): void {
    if (sm.id === 0) sm.id = this.nextMsgId(sm);
    this.env.tr.emit('send', to, sm.typeName, sm.id);
    ws.send(encodeEnvelope(sm.envelope));
  }

  private drop(to: number | undefined, sm: SignedMessage, reason: string): void {
    if (sm.id === 0) sm.id = this.nextMsgId(sm);
    this.env.tr.emit('drop', to ?? -1, sm.typeName, sm.id, reason);
  }

  private dial(endpoint: string, expectedPki: Uint8Array | null, probe: boolean, done: (c: LiveConn | null, err: string) => void): void {
    const url = this.opts.resolve(endpoint);
    if (url === undefined) return this.rtk.now(() => done(null, `no address for ${endpoint}`));
    if (this.partitioned(this.opts.endpointIndex(endpoint))) {
      // Across a partition a dial gets no answer: it times out, as in the simulator.
      const t = setTimeout(() => this.rtk.now(() => done(null, `context deadline exceeded (dialing ${endpoint})`)), this.env.config.dialTimeout);
      t.unref?.();
      return;
    }
    let settled = false;
    const settle = (c: LiveConn | null, err: string) =>
      this.rtk.now(() => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        done(c, err);
      });
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: this.env.config.dialTimeout, maxPayload: HANDSHAKE_FRAME_BYTES });
    ws.binaryType = 'nodebuffer';
    const timer = setTimeout(() => {
      ws.terminate();
      settle(null, `timed out waiting for connection message from ${endpoint}`);
    }, this.env.config.dialTimeout + this.env.config.connTimeout);
    ws.on('error', (e) => settle(null, e.message));
    const to = expectedPki === null ? -1 : this.opts.peerIndex(hex(expectedPki));
    ws.on('open', () => this.rtk.now(() => this.sendHandshake(ws, this.connEstablish(probe), to)));
    ws.once('message', (data: RawData) =>
      this.rtk.now(() => {
        if (settled) return;
        const sm = this.decode(to, data);
        if (sm === null) return settle(null, 'bad handshake');
        this.env.tr.emit('deliver', to, sm.typeName, sm.id);
        const ok = this.authenticate(sm, to);
        if (typeof ok === 'string') {
          ws.terminate();
          return settle(null, ok);
        }
        if (expectedPki !== null && !bytesEqual(ok.pkiId, expectedPki)) {
          this.env.tr.log('warn', 'gossip.comm', `Remote endpoint claims to be a different peer, expected ${hex(expectedPki)} but got ${hex(ok.pkiId)}`);
          ws.terminate();
          return settle(null, 'authentication failure: remote peer claims to be a different peer');
        }
        if (probe) {
          ws.close();
          return settle(new LiveConn(this, ws, this.opts.peerIndex(hex(ok.pkiId)), endpoint, ok.pkiId, ok.identity, ok.org), '');
        }
        settle(this.register(ws, ok, endpoint), '');
      }),
    );
  }

  /** connStore.onConnected: one connection per PKI-ID; a newer stream replaces an older one. */
  private register(ws: WebSocket, ok: ConnEstablish & { org: string }, endpoint: string): LiveConn {
    const key = hex(ok.pkiId);
    const c = new LiveConn(this, ws, this.opts.peerIndex(key), endpoint, ok.pkiId, ok.identity, ok.org);
    // Authenticated: from now on frames may be as large as Fabric's gRPC takes.
    raiseFrameLimit(ws, FABRIC_MAX_RECV_BYTES);
    const old = this.conns.get(c.remoteId);
    this.conns.set(c.remoteId, c);
    // A newer stream replaces an older one for sending. The older socket is not closed from
    // here: when two peers dial each other at once, each would close the stream the other has
    // just kept, and both would end up with none. Frames still arriving on it are taken in.
    if (old !== undefined) old.open = false;
    else this.env.tr.state('connected', { peer: c.remoteIdx });
    // A paused process reads nothing: frames wait in the socket until it resumes. While the
    // controller steps, they wait in the gate until it releases them one by one.
    ws.on('message', (data: RawData) =>
      this.rtk.now(() => {
        const take = () => (this.env.rt.isPaused() ? this.env.rt.gate(() => this.frame(c, data)) : this.frame(c, data));
        if (this.gate !== null) this.gate.push({ at: Date.now(), take: () => this.rtk.now(take) });
        else take();
      }),
    );
    ws.on('close', () => this.rtk.now(() => this.forget(c)));
    ws.on('error', () => this.rtk.now(() => this.forget(c)));
    return c;
  }

  private frame(c: LiveConn, data: RawData): void {
    if (!this.running) return;
    const sm = this.decode(c.remoteIdx, data);
    if (sm === null) return;
    const tr = this.env.tr;
    const prev = tr.swapCause(0);
    try {
      tr.swapCause(tr.emit('deliver', c.remoteIdx, sm.typeName, sm.id));
      this.onMessage({ sm, conn: c });
    } finally {
      tr.swapCause(prev);
    }
  }

  /** readFromStream: a frame that does not decode is rejected, the connection goes on. */
  private decode(from: number, data: RawData): SignedMessage | null {
    const bytes = data instanceof Buffer ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    try {
      const sm = fromBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      sm.id = this.nextMsgId(sm);
      return sm;
    } catch (e) {
      this.env.tr.emit('reject', from, undefined, undefined, `Got invalid envelope: ${(e as Error).message}`);
      return null;
    }
  }

  /**
   * authenticateRemotePeer. Live mode speaks plain WebSocket, without TLS: the ConnEstablish's
   * tls_cert_hash is carried but there is no TLS certificate on the connection to bind it to.
   */
  private authenticate(sm: SignedMessage, from: number): (ConnEstablish & { org: string }) | string {
    return authenticateHandshake(this.env, this.onIdentity, sm, { idx: from, label: 'the remote peer', tlsCertHash: null });
  }

  private connEstablish(probe: boolean): SignedMessage {
    return this.handshake.message(probe);
  }

  private close(c: LiveConn): void {
    if (c.open) c.ws.close();
    this.forget(c);
  }

  private forget(c: LiveConn): void {
    c.open = false;
    c.ws.removeAllListeners('message');
    if (this.conns.get(c.remoteId) === c) {
      this.conns.delete(c.remoteId);
      this.env.tr.state('disconnected', { peer: c.remoteIdx });
    }
  }
}
