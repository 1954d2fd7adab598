/**
 * gossip/discovery: who is alive. Periodic signed alive messages, expiry after
 * aliveExpirationTimeout (checked every timeout/10), the dead list and reconnection,
 * membership request/response, bootstrap and anchor peers, the alive-message store TTL.
 */
import { Tag, type AliveMessage, type GossipMessage, type Member } from '../wire/messages.js';
import type { ReceivedMessage } from './comm.js';
import type { PeerEnv } from './env.js';
import { SignedMessage, fromEnvelope, hex, noopSign } from './message.js';
import type { MemberId } from './members.js';

export interface NetworkMember {
  /** Its member id, the key of every per-peer store (members.ts). */
  id: MemberId;
  pkiId: Uint8Array;
  pkiHex: string;
  /** External endpoint; '' when the peer publishes none. */
  endpoint: string;
  internalEndpoint: string;
  /** Trace index of the peer, for the UI; -1 when unknown. */
  idx: number;
  /** Its MSP ID, filled in by the node once its identity is known. */
  org?: string;
}

/** PreferredEndpoint: the internal endpoint when known, else the external one. */
export const preferredEndpoint = (m: NetworkMember): string => m.internalEndpoint || m.endpoint;

/** What discovery needs from the node around it (Fabric's DiscoveryAdapter + CryptoService). */
export interface DiscoveryHost {
  gossip(sm: SignedMessage): void;
  forward(m: ReceivedMessage): void;
  sendToPeer(sm: SignedMessage, member: NetworkMember): void;
  probe(endpoint: string, cb: (identity: Uint8Array | null, pkiId: Uint8Array | null, err: string) => void): void;
  closeConn(member: NetworkMember): void;
  /** ValidateAliveMsg: shape, identity (learned or known), signatures. */
  validateAliveMsg(sm: SignedMessage, from: number): boolean;
  /** discoverySecurityAdapter.SignMessage: sign, add the identity during publishCertPeriod, sign the secret. */
  signAlive(msg: GossipMessage, internalEndpoint: string | null): SignedMessage;
  /** The disclosure policy for a remote: may it learn about X, and in which envelope. */
  disclosurePolicy(remote: NetworkMember): { sieve: (sm: SignedMessage) => boolean; filter: (sm: SignedMessage) => SignedMessage };
  orgOfIdentity(identity: Uint8Array): string | null;
  peerIndex(pkiHex: string): number;
}

interface Timestamps {
  incNum: bigint;
  seqNum: bigint;
  lastSeen: number;
}

const before = (a: { incNum: bigint; seqNum: bigint }, b: { incNum: bigint; seqNum: bigint }): boolean =>
  a.incNum < b.incNum || (a.incNum === b.incNum && a.seqNum < b.seqNum);
const sameTs = (a: { incNum: bigint; seqNum: bigint }, b: { incNum: bigint; seqNum: bigint }): boolean =>
  a.incNum === b.incNum && a.seqNum === b.seqNum;

export class Discovery {
  private readonly incTime: bigint;
  private seqNum = 0n;
  private selfAlive?: SignedMessage;
  // Keyed by member id; Maps, not arrays, because they are walked in Fabric's order (insertion).
  readonly aliveLastTS = new Map<MemberId, Timestamps>();
  readonly deadLastTS = new Map<MemberId, Timestamps>();
  readonly aliveMembership = new Map<MemberId, SignedMessage>();
  readonly deadMembership = new Map<MemberId, SignedMessage>();
  readonly id2Member = new Map<MemberId, NetworkMember>();
  /** The alive-message store: latest alive per PKI-ID and when it expires. */
  private readonly msgStore = new Map<MemberId, { sm: SignedMessage; expires: number }>();
  /** Bootstrap and anchor endpoints: never forgotten by the store's expiry (FAB-17539). */
  private readonly pinned = new Set<string>();
  private membershipCache: NetworkMember[] | null = null;
  /** Pending membership requests sent until acked: nonce → resolve. */
  private readonly awaiting = new Map<bigint, () => void>();
  /** Called when a member is learned, dies or comes back. */
  onChange: (what: 'alive' | 'dead' | 'removed', m: NetworkMember) => void = () => {};

  constructor(
    private readonly env: PeerEnv,
    private readonly host: DiscoveryHost,
    private readonly bootstrap: string[],
  ) {
    this.incTime = env.rt.unixNano();
  }

  private get cfg() {
    return this.env.config;
  }

  start(): void {
    const rt = this.env.rt;
    const c = this.cfg;
    rt.every(c.aliveTimeInterval, 'discovery.periodicalSendAlive', () => this.periodicalSendAlive());
    rt.every(c.aliveExpirationTimeout / 10, 'discovery.periodicalCheckAlive', () => this.periodicalCheckAlive());
    rt.every(c.reconnectInterval, 'discovery.periodicalReconnectToDead', () => this.periodicalReconnectToDead());
    const ttl = c.aliveExpirationTimeout * c.msgExpirationFactor;
    rt.every(ttl / 100, 'discovery.aliveStoreExpiry', () => this.expireStore());
    // The first alive message goes out at once, as createSignedAliveMessage runs at startup.
    this.selfAlive = this.createSignedAliveMessage(true);
    for (const ep of this.bootstrap) this.connect(ep, true, null);
  }

  /** GetMembership: the alive members, cached until membership changes. */
  getMembership(): NetworkMember[] {
    if (this.membershipCache === null) {
      const out: NetworkMember[] = [];
      for (const k of this.aliveLastTS.keys()) {
        const m = this.id2Member.get(k);
        if (m !== undefined) out.push(m);
      }
      this.membershipCache = out;
    }
    return this.membershipCache;
  }

  lookup(id: MemberId): NetworkMember | undefined {
    return this.id2Member.get(id);
  }

  isAlive(id: MemberId): boolean {
    return this.aliveLastTS.has(id);
  }

  private changed(): void {
    this.membershipCache = null;
  }

  private aliveMsgAndInternalEndpoint(): GossipMessage {
    this.seqNum++;
    const e = this.env;
    const membership: Member = { endpoint: e.endpoint, metadata: new Uint8Array(0), pkiId: e.pkiId };
    const aliveMsg: AliveMessage = {
      membership,
      timestamp: { incNum: this.incTime, seqNum: this.seqNum },
      identity: new Uint8Array(0),
    };
    return { nonce: 0n, channel: new Uint8Array(0), tag: Tag.EMPTY, content: 'aliveMsg', aliveMsg };
  }

  createSignedAliveMessage(includeInternalEndpoint: boolean): SignedMessage {
    const msg = this.aliveMsgAndInternalEndpoint();
    return this.host.signAlive(msg, includeInternalEndpoint ? this.env.internalEndpoint : null);
  }

  private periodicalSendAlive(): void {
    if (this.aliveMembership.size === 0) {
      this.env.tr.log('debug', 'gossip.discovery', 'Empty membership, no one to send a heartbeat to');
      return;
    }
    const sm = this.createSignedAliveMessage(true);
    this.selfAlive = sm;
    this.host.gossip(sm);
  }

  private periodicalCheckAlive(): void {
    const now = this.env.rt.now();
    const dead: MemberId[] = [];
    for (const [k, ts] of this.aliveLastTS) {
      if (now - ts.lastSeen > this.cfg.aliveExpirationTimeout) dead.push(k);
    }
    for (const k of dead) {
      const m = this.id2Member.get(k);
      this.env.tr.log('warn', 'gossip.discovery', `Haven't heard from ${m ? preferredEndpoint(m) : this.env.members.hex(k)} for ${this.cfg.aliveExpirationTimeout / 1000}s`);
    }
    if (dead.length > 0) this.expireDeadMembers(dead, 'expired');
  }

  /** expireDeadMembers: alive → dead, and close the connection. */
  private expireDeadMembers(keys: MemberId[], why: 'expired' | 'presumed dead'): void {
    for (const k of keys) {
      const ts = this.aliveLastTS.get(k);
      if (ts === undefined) continue;
      this.aliveLastTS.delete(k);
      this.deadLastTS.set(k, ts);
      const am = this.aliveMembership.get(k);
      if (am !== undefined) {
        this.aliveMembership.delete(k);
        this.deadMembership.set(k, am);
      }
      this.changed();
      const m = this.id2Member.get(k)!;
      this.env.tr.state('dead', { member: m.idx, endpoint: preferredEndpoint(m), why });
      this.onChange('dead', m);
      this.env.tr.log('warn', 'gossip.discovery', `Closing connection to ${preferredEndpoint(m)}`);
      this.host.closeConn(m);
    }
  }

  /** handlePresumedDeadPeers: comm could not reach a peer. */
  presumedDead(id: MemberId): void {
    if (this.isAlive(id)) this.expireDeadMembers([id], 'presumed dead');
  }

  private periodicalReconnectToDead(): void {
    for (const k of [...this.deadLastTS.keys()]) {
      const m = this.id2Member.get(k);
      if (m === undefined) continue;
      // Ping: dial and probe; if it answers, ask it for membership (with our internal endpoint).
      this.host.probe(preferredEndpoint(m), (identity) => {
        if (identity === null) return;
        this.sendMemRequest(m, true);
      });
    }
  }

  private expireStore(): void {
    const now = this.env.rt.now();
    for (const [k, entry] of this.msgStore) {
      if (entry.expires > now) continue;
      this.msgStore.delete(k);
      const m = this.id2Member.get(k);
      if (m === undefined) continue;
      if (this.pinned.has(m.endpoint) || this.pinned.has(m.internalEndpoint)) {
        this.env.tr.log('debug', 'gossip.discovery', 'Do not remove bootstrap or anchor peer endpoint');
        continue;
      }
      this.env.tr.log('info', 'gossip.discovery', `Removing member: Endpoint: ${m.endpoint}, InternalEndpoint: ${m.internalEndpoint}, PKIID: ${m.pkiHex}`);
      this.aliveLastTS.delete(k);
      this.deadLastTS.delete(k);
      this.aliveMembership.delete(k);
      this.deadMembership.delete(k);
      this.id2Member.delete(k);
      this.changed();
      this.env.tr.state('removed', { member: m.idx });
      this.onChange('removed', m);
    }
  }

  /** msgStore.CheckValid: is this alive message newer than what the store holds? */
  private checkValid(sm: SignedMessage): boolean {
    if (sm.msg.content !== 'aliveMsg') return false;
    const am = sm.msg.aliveMsg;
    if (am.membership === undefined || am.timestamp === undefined) return true;
    const cur = this.msgStore.get(this.env.members.idOf(am.membership.pkiId));
    if (cur === undefined) return true;
    const ts = (cur.sm.msg as { aliveMsg: AliveMessage }).aliveMsg.timestamp!;
    return before(ts, am.timestamp);
  }

  private storeAdd(sm: SignedMessage): void {
    const am = (sm.msg as { aliveMsg: AliveMessage }).aliveMsg;
    const ttl = this.cfg.aliveExpirationTimeout * this.cfg.msgExpirationFactor;
    this.msgStore.set(this.env.members.idOf(am.membership!.pkiId), { sm, expires: this.env.rt.now() + ttl });
  }

  /** handleMsgFromComm: alive messages, membership requests and responses. */
  handleMessage(m: ReceivedMessage): void {
    const msg = m.sm.msg;
    const from = m.conn.remoteIdx;
    switch (msg.content) {
      case 'memReq': {
        const self = msg.memReq.selfInformation;
        if (self === undefined) return;
        let sm: SignedMessage;
        try {
          sm = fromEnvelope(self);
        } catch {
          return this.env.tr.reject(from, m.sm, 'Got membership request with invalid selfInfo');
        }
        if (sm.msg.content !== 'aliveMsg' || sm.msg.aliveMsg.membership === undefined) return;
        if (!this.host.validateAliveMsg(sm, from)) return;
        if (this.checkValid(sm)) this.handleAliveMessage(sm);
        const internal = sm.envelope.secretEnvelope ? this.internalEndpointOf(sm) : '';
        this.sendMemResponse(sm.msg.aliveMsg.membership, internal, msg.nonce, from);
        return;
      }
      case 'aliveMsg': {
        if (!this.checkValid(m.sm)) return;
        if (!this.host.validateAliveMsg(m.sm, from)) return;
        if (this.isSentByMe(m.sm)) return;
        this.storeAdd(m.sm);
        this.handleAliveMessage(m.sm);
        this.host.forward(m);
        return;
      }
      case 'memRes': {
        this.awaiting.get(msg.nonce)?.();
        for (const env of msg.memRes.alive) {
          let am: SignedMessage;
          try {
            am = fromEnvelope(env);
          } catch {
            return this.env.tr.reject(from, m.sm, 'Membership response contains an invalid message from an online peer');
          }
          if (am.msg.content !== 'aliveMsg') {
            return this.env.tr.reject(from, m.sm, `Expected alive message, got ${am.typeName} instead`);
          }
          if (this.checkValid(am) && this.host.validateAliveMsg(am, from)) this.handleAliveMessage(am);
        }
        for (const env of msg.memRes.dead) {
          let dm: SignedMessage;
          try {
            dm = fromEnvelope(env);
          } catch {
            return this.env.tr.reject(from, m.sm, 'Membership response contains an invalid message from an offline peer');
          }
          if (dm.msg.content !== 'aliveMsg' || dm.msg.aliveMsg.membership === undefined) continue;
          if (!this.checkValid(dm) || !this.host.validateAliveMsg(dm, from)) continue;
          if (!this.id2Member.has(this.env.members.idOf(dm.msg.aliveMsg.membership.pkiId))) this.learnNewMembers([], [dm]);
        }
        return;
      }
      default:
        return;
    }
  }

  private isSentByMe(sm: SignedMessage): boolean {
    const am = (sm.msg as { aliveMsg: AliveMessage }).aliveMsg;
    if (this.env.members.idOf(am.membership!.pkiId) !== this.env.self) return false;
    const ep = am.membership!.endpoint;
    const internal = this.internalEndpointOf(sm);
    if (ep !== this.env.endpoint || (internal !== '' && internal !== this.env.internalEndpoint)) {
      this.env.tr.log('error', 'gossip.discovery', 'Bad configuration detected: Received AliveMessage from a peer with the same PKI-ID as myself');
    }
    return true;
  }

  private internalEndpointOf(sm: SignedMessage): string {
    return sm.internalEndpoint();
  }

  private handleAliveMessage(sm: SignedMessage): void {
    const am = (sm.msg as { aliveMsg: AliveMessage }).aliveMsg;
    if (am.membership === undefined || am.timestamp === undefined) return;
    const k = this.env.members.idOf(am.membership.pkiId);
    if (k === this.env.self) return;
    const ts = am.timestamp;
    if (!this.id2Member.has(k)) return this.learnNewMembers([sm], []);
    const lastDead = this.deadLastTS.get(k);
    if (lastDead !== undefined) {
      if (before(lastDead, ts)) this.resurrectMember(sm, k);
      return;
    }
    const lastAlive = this.aliveLastTS.get(k);
    if (lastAlive !== undefined && before(lastAlive, ts)) this.learnExistingMember(sm, k);
  }

  private memberOf(sm: SignedMessage): NetworkMember {
    const am = (sm.msg as { aliveMsg: AliveMessage }).aliveMsg;
    const pkiHex = hex(am.membership!.pkiId);
    return {
      id: this.env.members.idOf(am.membership!.pkiId),
      pkiId: am.membership!.pkiId,
      pkiHex,
      endpoint: am.membership!.endpoint,
      internalEndpoint: this.internalEndpointOf(sm),
      idx: this.host.peerIndex(pkiHex),
    };
  }

  private learnNewMembers(alive: SignedMessage[], dead: SignedMessage[]): void {
    const now = this.env.rt.now();
    for (const sm of alive) {
      const m = this.memberOf(sm);
      const ts = (sm.msg as { aliveMsg: AliveMessage }).aliveMsg.timestamp!;
      this.aliveLastTS.set(m.id, { incNum: ts.incNum, seqNum: ts.seqNum, lastSeen: now });
      this.aliveMembership.set(m.id, sm);
      this.id2Member.set(m.id, m);
      this.changed();
      this.env.tr.state('alive', { member: m.idx, endpoint: preferredEndpoint(m), learned: true });
      this.onChange('alive', m);
    }
    for (const sm of dead) {
      const m = this.memberOf(sm);
      const ts = (sm.msg as { aliveMsg: AliveMessage }).aliveMsg.timestamp!;
      this.deadLastTS.set(m.id, { incNum: ts.incNum, seqNum: ts.seqNum, lastSeen: now });
      this.deadMembership.set(m.id, sm);
      this.id2Member.set(m.id, m);
      this.changed();
      this.env.tr.state('dead', { member: m.idx, endpoint: preferredEndpoint(m), why: 'learned dead' });
    }
  }

  private learnExistingMember(sm: SignedMessage, k: MemberId): void {
    const am = (sm.msg as { aliveMsg: AliveMessage }).aliveMsg;
    const old = this.id2Member.get(k)!;
    // The internal endpoint is only in same-org envelopes; keep what we knew otherwise.
    const internal = sm.internalEndpoint() || old.internalEndpoint;
    if (am.membership!.endpoint !== old.endpoint || internal !== old.internalEndpoint) {
      this.id2Member.set(k, { ...old, endpoint: am.membership!.endpoint, internalEndpoint: internal });
      this.changed();
    }
    // The common case, a fresh heartbeat: update the record in place.
    const ts = this.aliveLastTS.get(k)!;
    ts.incNum = am.timestamp!.incNum;
    ts.seqNum = am.timestamp!.seqNum;
    ts.lastSeen = this.env.rt.now();
    this.aliveMembership.set(k, sm);
  }

  private resurrectMember(sm: SignedMessage, k: MemberId): void {
    const m = this.memberOf(sm);
    const ts = (sm.msg as { aliveMsg: AliveMessage }).aliveMsg.timestamp!;
    if (m.internalEndpoint === '') m.internalEndpoint = this.id2Member.get(k)?.internalEndpoint ?? '';
    this.deadLastTS.delete(k);
    this.deadMembership.delete(k);
    this.aliveLastTS.set(k, { incNum: ts.incNum, seqNum: ts.seqNum, lastSeen: this.env.rt.now() });
    this.aliveMembership.set(k, sm);
    this.id2Member.set(k, m);
    this.changed();
    this.env.tr.state('alive', { member: m.idx, endpoint: preferredEndpoint(m), resurrected: true });
    this.onChange('alive', m);
  }

  /** createMembershipResponse, filtered by the disclosure policy for the requester. */
  private sendMemResponse(target: Member, internalEndpoint: string, nonce: bigint, idx: number): void {
    const pkiHex = hex(target.pkiId);
    const remote: NetworkMember = { id: this.env.members.idOf(target.pkiId), pkiId: target.pkiId, pkiHex, endpoint: target.endpoint, internalEndpoint, idx };
    const self = this.selfAlive ?? (this.selfAlive = this.createSignedAliveMessage(true));
    const policy = this.host.disclosurePolicy(remote);
    if (!policy.sieve(self)) {
      this.env.tr.log('warn', 'gossip.discovery', `Got a membership request from a peer that shouldn't have sent one: ${target.endpoint}, closing connection to the peer as a result.`);
      this.host.closeConn(remote);
      return;
    }
    const alive = [policy.filter(self).envelope];
    for (const sm of this.aliveMembership.values()) if (policy.sieve(sm)) alive.push(policy.filter(sm).envelope);
    const dead = [];
    for (const sm of this.deadMembership.values()) if (policy.sieve(sm)) dead.push(policy.filter(sm).envelope);
    const res = noopSign({ nonce, channel: new Uint8Array(0), tag: Tag.EMPTY, content: 'memRes', memRes: { alive, dead } });
    this.host.sendToPeer(res, remote);
  }

  /** createMembershipRequest: our own alive message, secret included only for our org. */
  private memRequest(includeInternalEndpoint: boolean, nonce: bigint): SignedMessage {
    const self = this.createSignedAliveMessage(includeInternalEndpoint);
    return noopSign({
      nonce,
      channel: new Uint8Array(0),
      tag: Tag.EMPTY,
      content: 'memReq',
      memReq: { selfInformation: self.envelope, known: [] },
    });
  }

  private sendMemRequest(m: NetworkMember, includeInternalEndpoint: boolean): void {
    this.host.sendToPeer(this.memRequest(includeInternalEndpoint, this.env.rt.rng.u64()), m);
  }

  /**
   * InitiateSync: one membership request (one signed alive message, nonce 0, as
   * createMembershipRequest leaves it) sent to up to `peerNum` random alive members.
   */
  initiateSync(peerNum: number): void {
    const members = this.env.rt.rng.select(peerNum, this.getMembership());
    if (members.length === 0) return;
    const memReq = this.memRequest(true, 0n);
    for (const m of members) this.host.sendToPeer(memReq, m);
  }

  /**
   * Connect (bootstrap and anchor peers): probe the endpoint to learn who it is, retrying every
   * reconnectInterval up to maxConnectionAttempts, then send a membership request until acked.
   * `sameOrgOnly` marks bootstrap peers, which must be in our org.
   */
  connect(endpoint: string, isBootstrap: boolean, anchorOf: { channel: string; org: string } | null): void {
    if (endpoint === this.env.endpoint || endpoint === this.env.internalEndpoint) return;
    this.pinned.add(endpoint);
    let attempts = 0;
    const tryOnce = () => {
      attempts++;
      this.host.probe(endpoint, (identity, pkiId, err) => {
        if (identity === null || pkiId === null) {
          this.env.tr.log('warn', 'gossip.discovery', `Could not connect to Endpoint: ${endpoint}, InternalEndpoint: ${endpoint}, PKI-ID: <nil>, Metadata:  : ${err}`);
          if (anchorOf !== null) this.env.tr.log('warn', 'gossip.discovery', `Deep probe of ${endpoint} for channel ${anchorOf.channel} failed: ${err}`);
          if (attempts < this.cfg.maxConnectionAttempts) this.env.rt.after(this.cfg.reconnectInterval, 'discovery.connectRetry', tryOnce);
          return;
        }
        const org = this.host.orgOfIdentity(identity);
        if (isBootstrap && org !== this.env.mspId) {
          this.env.tr.log('warn', 'gossip.discovery', `${endpoint} isn't in our organization, cannot be a bootstrap peer`);
          return;
        }
        if (anchorOf !== null && anchorOf.org === this.env.mspId && org !== this.env.mspId) {
          this.env.tr.log('warn', 'gossip.discovery', `Anchor peer ${endpoint} for channel ${anchorOf.channel} isn't in our org, but is claimed to be`);
          return;
        }
        const pkiHex = hex(pkiId);
        const member: NetworkMember = { id: this.env.members.idOf(pkiId), pkiId, pkiHex, endpoint, internalEndpoint: endpoint, idx: this.host.peerIndex(pkiHex) };
        this.sendUntilAcked(member, org === this.env.mspId);
      });
    };
    tryOnce();
  }

  /** sendUntilAcked: resend the membership request every reconnectInterval until a response with its nonce arrives. */
  private sendUntilAcked(member: NetworkMember, includeInternalEndpoint: boolean): void {
    const nonce = this.env.rt.rng.u64();
    let acked = false;
    let tries = 0;
    this.awaiting.set(nonce, () => {
      acked = true;
      this.awaiting.delete(nonce);
    });
    const attempt = () => {
      if (acked) return;
      if (tries++ >= this.cfg.maxConnectionAttempts) {
        this.awaiting.delete(nonce);
        return;
      }
      this.host.sendToPeer(this.memRequest(includeInternalEndpoint, nonce), member);
      // Wait 5s for the response, then sleep reconnectInterval before the next try.
      this.env.rt.after(5000 + this.cfg.reconnectInterval, 'discovery.sendUntilAcked', attempt);
    };
    attempt();
  }

  /** For the UI and the summary: the alive and dead lists with when each was last heard. */
  snapshot(): { alive: { member: NetworkMember; lastSeen: number }[]; dead: { member: NetworkMember; lastSeen: number }[] } {
    const pick = (m: Map<MemberId, Timestamps>) =>
      [...m].flatMap(([k, ts]) => {
        const member = this.id2Member.get(k);
        return member ? [{ member, lastSeen: ts.lastSeen }] : [];
      });
    return { alive: pick(this.aliveLastTS), dead: pick(this.deadLastTS) };
  }
}
