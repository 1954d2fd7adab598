/**
 * gossip/gossip/gossip_impl.go: one peer's gossip node. It wires comm, discovery, the emitter,
 * the identity mapper and its pull engine, and the channels; validates every incoming message
 * and routes every outgoing batch by tag, org and channel, as Fabric does.
 */
import { PullMsgType, Tag, type GossipMessage, type Payload } from '../wire/messages.js';
import { Comm, type CommLayer, type CommNet, type ReceivedMessage, type RemotePeer } from './comm.js';
import { GossipChannel, channelMAC, type ChannelHost } from './channel.js';
import { Discovery, preferredEndpoint, type DiscoveryHost, type NetworkMember } from './discovery.js';
import { BatchingEmitter, type Emitted } from './emitter.js';
import type { PeerEnv } from './env.js';
import { IdentityMapper } from './identity.js';
import type { MemberId } from './members.js';
import { SignedMessage, bytesEqual, bytesStr, fromEnvelope, hex, noopSign, signMessage, tagError } from './message.js';
import { PullMediator } from './pull.js';
import { StateProvider } from './state.js';
import { Ledger } from './ledger.js';
import { LeaderElection } from './election.js';
import { AntiEntropy } from './antientropy.js';
import { PrivateData } from './privdata.js';
import { transactionsOf } from './ledger.js';
import type { CollectionSpec } from '../scenario/types.js';

export interface ChannelJoin {
  name: string;
  orgs: string[];
  collections: CollectionSpec[];
  /** Anchor peers of every org of the channel, from its config block. */
  anchors: { org: string; endpoint: string }[];
}

export interface NodeOptions {
  bootstrap: string[];
  /** Trace index of a PKI-ID (for display); -1 when unknown. */
  peerIndex: (pkiHex: string) => number;
  /** Gives a message its trace id when it is first sent (and lets the host keep it for inspection). */
  nextMsgId: (sm: SignedMessage) => number;
  /** Election results: start or stop the deliver client of a channel. */
  onLeadershipChange: (channel: string, isLeader: boolean) => void;
}

const isChannelRestricted = (t: Tag) => t === Tag.CHAN_AND_ORG || t === Tag.CHAN_ONLY || t === Tag.CHAN_OR_ORG;
const isOrgRestricted = (t: Tag) => t === Tag.CHAN_AND_ORG || t === Tag.ORG_ONLY;

export class GossipNode {
  readonly comm: CommLayer;
  readonly disc: Discovery;
  readonly idMapper: IdentityMapper;
  readonly emitter: BatchingEmitter;
  readonly certPuller: PullMediator<MemberId>;
  readonly channels = new Map<string, GossipChannel>();
  readonly states = new Map<string, StateProvider>();
  readonly elections = new Map<string, LeaderElection>();
  readonly antiEntropy = new Map<string, AntiEntropy>();
  readonly privdata = new Map<string, PrivateData>();
  /** StateInfo of channels we have not joined, kept to re-push to our org. */
  private readonly foreignStateInfo = new Map<MemberId, SignedMessage>();
  private selfIdentityMsg?: SignedMessage;
  /** A Byzantine peer that never passes blocks on (no push, nothing offered to pull). */
  withholdBlocks = false;
  private readonly startedAt: number;

  constructor(
    readonly env: PeerEnv,
    /** The simulated network, or (live mode) a factory of the peer's comm over real sockets. */
    net: CommNet | ((env: PeerEnv, nextMsgId: (sm: SignedMessage) => number) => CommLayer),
    private readonly opts: NodeOptions,
    private readonly ledgers: Map<string, Ledger>,
  ) {
    this.startedAt = env.rt.now();
    this.idMapper = new IdentityMapper(env);
    this.idMapper.putSelf(env.pkiId, env.identity, env.mspId);
    this.comm = typeof net === 'function' ? net(env, opts.nextMsgId) : new Comm(env, net, opts.nextMsgId);
    this.comm.onIdentity = (pki, identity) => this.idMapper.put(pki, identity);
    this.comm.onMessage = (m) => this.handleMessage(m);
    this.emitter = new BatchingEmitter(env, (batch) => this.gossipBatch(batch));
    this.disc = new Discovery(env, this.discoveryHost(), opts.bootstrap);
    this.comm.onPresumedDead = (k) => this.disc.presumedDead(k);
    this.idMapper.onPurge = (k) => this.onIdentityPurged(k);
    this.certPuller = this.createCertStorePuller();
  }

  start(): void {
    const rt = this.env.rt;
    this.certPuller.add(this.identityMessage());
    this.certPuller.start();
    this.disc.start();
    rt.every(this.env.config.pullInterval, 'gossip.syncDiscovery', () => this.disc.initiateSync(this.env.config.pullPeerNum));
  }

  /** The process stops: connections break, timers die with the runtime. */
  stop(): void {
    for (const le of this.elections.values()) le.stop();
    this.comm.stop();
  }

  // ---- channels -------------------------------------------------------------------------

  joinChannel(join: ChannelJoin): void {
    const ch = new GossipChannel(this.env, this.channelHost(), join.name, new Set(join.orgs), () => this.withholdBlocks);
    let ledger = this.ledgers.get(join.name);
    if (ledger === undefined) this.ledgers.set(join.name, (ledger = new Ledger()));
    const state = new StateProvider(this.env, join.name, ledger);
    ch.onBlock = (sm) => {
      if (sm.msg.content === 'dataMsg' && sm.msg.dataMsg.payload) state.addPayload(sm.msg.dataMsg.payload, false, this.env.tr.cause);
    };
    state.onCommit = (seq) => ch.updateLedgerHeight(BigInt(seq + 1));
    this.channels.set(join.name, ch);
    this.states.set(join.name, state);
    const ae = new AntiEntropy(this.env, state, {
      peersOfChannel: () => ch.peersOfChannel(),
      send: (sm, to) => this.comm.sendTo(sm, this.remote(to)),
      verifyBlock: (seq, block) => this.env.mcs.verifyBlock(join.name, seq, block),
    });
    this.antiEntropy.set(join.name, ae);
    const pd = new PrivateData(this.env, join.name, join.collections, {
      peersOfChannel: () => ch.peersOfChannel().map((p) => p.member),
      orgOfPeer: (id) => this.idMapper.orgOf(id),
      send: (sm, to) => this.comm.sendTo(sm, this.remote(to)),
      sendWithAck: (sm, to, timeout, done) => this.comm.sendWithAck(sm, this.remote(to), timeout, done),
    });
    this.privdata.set(join.name, pd);
    state.beforeCommit = (seq, payload, done) => {
      const refs = transactionsOf(payload.data).flatMap((tx) => tx.pvt);
      if (refs.length === 0) return done();
      pd.beforeCommit(seq, refs, done);
    };
    ch.start();
    ae.start();
    pd.start();
    if (ledger.height > 1) ch.updateLedgerHeight(BigInt(ledger.height));
    this.learnAnchorPeers(join);
    if (this.env.config.useLeaderElection) {
      const le = new LeaderElection(this.env, join.name, {
        peers: () => {
          const view = ch.peersOfChannel().map((p) => p.member).filter(this.isInMyOrg);
          return [{ pkiId: this.env.pkiId, pkiHex: this.env.pkiHex }, ...view];
        },
        // The same view, asked about one peer: every leadership message asks this.
        inView: (pkiId) => {
          const id = this.env.members.idOf(pkiId);
          return id === this.env.self || (this.disc.isAlive(id) && ch.inChannelView(id) && this.idMapper.orgOf(id) === this.env.mspId);
        },
        gossip: (msg) => this.gossip(msg),
        onLeadershipChange: (isLeader) => this.opts.onLeadershipChange(join.name, isLeader),
      });
      ch.onLeadership = (sm) => le.handleMessage(sm);
      this.elections.set(join.name, le);
      le.start();
    }
  }

  /** Node.Gossip: sign (noop for blocks), store blocks locally, push through the emitter. */
  gossip(msg: GossipMessage): void {
    const sm = msg.content === 'dataMsg' ? noopSign(msg) : signMessage(msg, (d) => this.env.mcs.sign(d));
    if (msg.content === 'dataMsg') this.channels.get(bytesStr(msg.channel))?.addBlock(sm);
    this.emitter.add(sm);
  }

  /** learnAnchorPeers: connect to every anchor peer of the channel that the disclosure rules allow. */
  private learnAnchorPeers(join: ChannelJoin): void {
    for (const a of join.anchors) {
      if (a.org !== this.env.mspId && this.env.endpoint === '') {
        this.env.tr.log('info', 'gossip.gossip', `Anchor peer ${a.endpoint} isn't in our org(${this.env.mspId}) and we have no external endpoint, skipping`);
        continue;
      }
      this.disc.connect(a.endpoint, false, { channel: join.name, org: a.org });
    }
  }

  /**
   * A block from the orderer (deliverservice's gossip block handler): into our own payload
   * buffer, and, only if blockGossipEnabled, into the block store and the emitter.
   */
  deliverFromOrderer(channel: string, seq: bigint, block: Uint8Array, blockGossipEnabled: boolean): void {
    const ch = this.channels.get(channel);
    const state = this.states.get(channel);
    if (ch === undefined || state === undefined) return;
    const payload: Payload = { seqNum: seq, data: block, privateData: [] };
    const msg: GossipMessage = { nonce: 0n, channel: new TextEncoder().encode(channel), tag: Tag.CHAN_AND_ORG, content: 'dataMsg', dataMsg: { payload } };
    state.addPayload(payload, true, -1);
    if (!blockGossipEnabled) return;
    const sm = noopSign(msg);
    ch.addBlock(sm);
    this.emitter.add(sm);
  }

  // ---- receiving ------------------------------------------------------------------------

  /** Node.handleMessage. */
  handleMessage(m: ReceivedMessage): void {
    const msg = m.sm.msg;
    const tr = this.env.tr;
    const from = m.conn.remoteIdx;
    if (msg.content === 'ack') return this.comm.ackReceived(m);
    // Private data bypasses the node (its message selector drops it); the channel's private data
    // handler takes it, after a Readers-policy check of the sender.
    if (msg.content === 'privateReq' || msg.content === 'privateRes' || msg.content === 'privateData') return this.handlePrivateData(m);
    // The message selector: ConnEstablish and Empty never reach here.
    if (msg.content === 'conn' || msg.content === 'empty') return;
    const tagErr = tagError(msg);
    if (tagErr !== null) return tr.reject(from, m.sm, `Tag of ${m.sm.typeName} isn't legal: ${tagErr}`);
    if (msg.content === 'stateInfo') {
      const err = this.validateStateInfo(m.sm, from);
      if (err !== null) return tr.reject(from, m.sm, `StateInfo message is found invalid: ${err}`);
    }
    if (isChannelRestricted(msg.tag)) {
      const ch = this.lookupChannelForMsg(m);
      if (ch === undefined) {
        // Not in the channel: still re-push StateInfo of our own org's peers.
        if (msg.content === 'stateInfo' && this.idMapper.orgOf(m.conn.remoteId) === this.env.mspId) {
          const k = this.env.members.idOf(msg.stateInfo.pkiId);
          const cur = this.foreignStateInfo.get(k);
          const ts = msg.stateInfo.timestamp;
          const curTs = cur?.msg.content === 'stateInfo' ? cur.msg.stateInfo.timestamp : undefined;
          if (ts && (!curTs || curTs.incNum < ts.incNum || (curTs.incNum === ts.incNum && curTs.seqNum < ts.seqNum))) {
            this.foreignStateInfo.set(k, m.sm);
            this.emitter.add(m.sm, m.conn.remoteId);
          }
        }
        return tr.reject(from, m.sm, `No such channel ${bytesStr(msg.channel)} discarding message`);
      }
      if (msg.content === 'leadershipMsg') {
        const err = this.validateLeadershipMessage(m.sm, from);
        if (err !== null) return tr.reject(from, m.sm, `Failed validating LeaderElection message: ${err}`);
      }
      ch.handleMessage(m);
      // The state provider subscribes to state transfer messages of its channel beside the
      // channel, authorising the sender by the channel's Readers policy (its org is a member).
      if (msg.content === 'stateRequest' || msg.content === 'stateResponse') {
        if (!ch.isOrgInChannel(m.conn.remoteOrg)) return tr.log('warn', 'gossip.state', `Got unauthorized request from ${m.conn.remoteEndpoint}`);
        const ae = this.antiEntropy.get(ch.name)!;
        if (msg.content === 'stateRequest') ae.handleRequest(m);
        else ae.handleResponse(m);
      }
      return;
    }
    if (msg.content === 'aliveMsg' || msg.content === 'memReq' || msg.content === 'memRes') {
      if (msg.content === 'memReq') {
        const self = msg.memReq.selfInformation;
        let ok = false;
        try {
          const inner = self ? fromEnvelope(self) : undefined;
          ok = inner !== undefined && inner.msg.content === 'aliveMsg' && inner.msg.aliveMsg.membership !== undefined && bytesEqual(inner.msg.aliveMsg.membership.pkiId, m.conn.remotePki);
        } catch {
          return tr.reject(from, m.sm, 'Got membership request with invalid selfInfo');
        }
        if (!ok) return tr.reject(from, m.sm, "Got membership request with selfInfo that doesn't match the handshake");
      }
      return this.disc.handleMessage(m);
    }
    if ((msg.content === 'hello' || msg.content === 'dataDig' || msg.content === 'dataReq' || msg.content === 'dataUpdate') && this.isIdentityPull(msg)) {
      return this.handleCertStoreMessage(m);
    }
  }

  private handlePrivateData(m: ReceivedMessage): void {
    const name = bytesStr(m.sm.msg.channel);
    const pd = this.privdata.get(name);
    const ch = this.channels.get(name);
    if (pd === undefined || ch === undefined) return this.env.tr.reject(m.conn.remoteIdx, m.sm, `No such channel ${name} discarding message`);
    if (!ch.isOrgInChannel(m.conn.remoteOrg)) return this.env.tr.reject(m.conn.remoteIdx, m.sm, `Got unauthorized request from ${m.conn.remoteEndpoint}`);
    const msg = m.sm.msg;
    if (msg.content === 'privateData') {
      pd.handlePush(m, (error) => {
        const ack = noopSign({ nonce: msg.nonce, channel: new Uint8Array(0), tag: Tag.UNDEFINED, content: 'ack', ack: { error } });
        if (m.conn.open) m.conn.send(ack);
      });
    } else if (msg.content === 'privateReq') pd.handleRequest(m);
    else pd.handleResponse(m);
  }

  private isIdentityPull(msg: GossipMessage): boolean {
    const t = msg.content === 'hello' ? msg.hello.msgType : msg.content === 'dataDig' ? msg.dataDig.msgType : msg.content === 'dataReq' ? msg.dataReq.msgType : msg.content === 'dataUpdate' ? msg.dataUpdate.msgType : 0;
    return t === PullMsgType.IDENTITY_MSG;
  }

  private lookupChannelForMsg(m: ReceivedMessage): GossipChannel | undefined {
    const msg = m.sm.msg;
    if (msg.content === 'stateInfo') {
      for (const ch of this.channels.values()) if (bytesEqual(channelMAC(msg.stateInfo.pkiId, ch.name), msg.stateInfo.channelMAC)) return ch;
      return undefined;
    }
    if (msg.content === 'stateInfoPullReq') {
      for (const ch of this.channels.values()) if (bytesEqual(channelMAC(m.conn.remotePki, ch.name), msg.stateInfoPullReq.channelMAC)) return ch;
      return undefined;
    }
    return this.channels.get(bytesStr(msg.channel));
  }

  /**
   * validateStateInfoMsg: the signer must be known; the signature must verify. `traced` false:
   * the caller reports the verdict (a snapshot reports its elements as one check).
   */
  validateStateInfo(sm: SignedMessage, from: number, traced = true): string | null {
    if (sm.msg.content !== 'stateInfo') return 'not a StateInfo';
    const identity = this.idMapper.get(this.env.members.idOf(sm.msg.stateInfo.pkiId));
    if (identity === undefined) return 'PKI-ID not found in identity mapper';
    return this.verifyEnvelope(sm, identity, from, traced);
  }

  private validateLeadershipMessage(sm: SignedMessage, from: number): string | null {
    if (sm.msg.content !== 'leadershipMsg') return 'not a LeadershipMessage';
    if (sm.msg.leadershipMsg.pkiId.length === 0) return 'Empty PKI-ID';
    const identity = this.idMapper.get(this.env.members.idOf(sm.msg.leadershipMsg.pkiId));
    if (identity === undefined) return 'Unable to fetch PKI-ID from id-mapper: PKI-ID not found in identity mapper';
    return this.verifyEnvelope(sm, identity, from);
  }

  /** SignedGossipMessage.Verify: envelope, then secret envelope, against one identity. */
  private verifyEnvelope(sm: SignedMessage, identity: Uint8Array, from: number, traced = true): string | null {
    const env = sm.envelope;
    let err: string | null = null;
    if (env.payload.length === 0) err = 'Empty payload';
    else if (env.signature.length === 0) err = 'Empty signature';
    else err = this.env.mcs.verify(identity, env.signature, env.payload);
    if (err === null && env.secretEnvelope !== undefined) {
      const se = env.secretEnvelope;
      err = se.signature.length === 0 ? 'Empty signature' : this.env.mcs.verify(identity, se.signature, se.payload);
    }
    if (traced) this.env.tr.emit('verify', from, sm.typeName, sm.id || undefined, err ?? 'valid');
    return err;
  }

  /** ValidateAliveMsg (discoverySecurityAdapter). */
  private validateAliveMsg(sm: SignedMessage, from: number): boolean {
    const tr = this.env.tr;
    if (sm.msg.content !== 'aliveMsg') return false;
    const am = sm.msg.aliveMsg;
    if (am.membership === undefined || am.membership.pkiId.length === 0 || !sm.isSigned()) {
      tr.reject(from, sm, 'Invalid alive message');
      return false;
    }
    let identity: Uint8Array | undefined;
    if (am.identity.length > 0) {
      const err = this.idMapper.put(am.membership.pkiId, am.identity);
      if (err !== null) {
        tr.reject(from, sm, `Failed validating identity of alive message: ${err}`);
        return false;
      }
      identity = am.identity;
    } else {
      identity = this.idMapper.get(this.env.members.idOf(am.membership.pkiId));
      if (identity === undefined) {
        tr.reject(from, sm, `Don't have certificate for ${preferredMember(am.membership.endpoint, hex(am.membership.pkiId))}`);
        return false;
      }
    }
    const err = this.verifyEnvelope(sm, identity, from);
    if (err !== null) {
      tr.reject(from, sm, `Failed verifying: ${err}`);
      return false;
    }
    return true;
  }

  // ---- identities (certstore.go) ---------------------------------------------------------

  private identityMessage(): SignedMessage {
    if (this.selfIdentityMsg === undefined) {
      const e = this.env;
      this.selfIdentityMsg = signMessage(
        { nonce: 0n, channel: new Uint8Array(0), tag: Tag.EMPTY, content: 'peerIdentity', peerIdentity: { pkiId: e.pkiId, cert: e.identity, metadata: new Uint8Array(0) } },
        (d) => e.mcs.sign(d),
      );
    }
    return this.selfIdentityMsg;
  }

  private createCertStorePuller(): PullMediator<MemberId> {
    return new PullMediator(
      this.env,
      {
        msgType: PullMsgType.IDENTITY_MSG,
        tag: Tag.EMPTY,
        channel: new Uint8Array(0),
        membership: () => this.disc.getMembership(),
        idOf: (sm) => (sm.msg.content === 'peerIdentity' ? this.env.members.idOf(sm.msg.peerIdentity.pkiId) : -1),
        digestOf: (id) => this.env.members.pkiId(id),
        idOfDigest: (d) => this.env.members.idOf(d),
        consume: (sm, m) => {
          if (sm.msg.content !== 'peerIdentity') return;
          const err = this.idMapper.put(sm.msg.peerIdentity.pkiId, sm.msg.peerIdentity.cert);
          if (err !== null) this.env.tr.reject(m.conn.remoteIdx, sm, `Failed associating PKI-ID with certificate: ${err}`);
        },
        egressFilter: (m) => this.sameOrgOrOurOrgPullFilter(m),
        ingressFilter: (ids) => ids,
        send: (sm, to) => this.comm.sendTo(sm, this.remote(to)),
      },
      'pull.identities',
    );
  }

  private handleCertStoreMessage(m: ReceivedMessage): void {
    const msg = m.sm.msg;
    if (msg.content === 'dataUpdate') {
      for (const env of msg.dataUpdate.data) {
        let item: SignedMessage;
        try {
          item = fromEnvelope(env);
        } catch {
          return this.env.tr.reject(m.conn.remoteIdx, m.sm, 'Data update contains an invalid message');
        }
        if (item.msg.content !== 'peerIdentity') return this.env.tr.reject(m.conn.remoteIdx, m.sm, `Got message with non-identity item: ${item.typeName}`);
        const pi = item.msg.peerIdentity;
        const computed = this.env.mcs.pkiIdOf(pi.cert);
        let err: string | null = null;
        if (computed === null || !bytesEqual(computed, pi.pkiId)) err = "Calculated pkiID doesn't match identity";
        else err = this.verifyEnvelope(item, pi.cert, m.conn.remoteIdx) ?? this.env.mcs.validateIdentity(pi.cert);
        if (err !== null) return this.env.tr.reject(m.conn.remoteIdx, m.sm, `Failed validating identity message: ${err}`);
      }
    }
    this.certPuller.handleMessage(m);
  }

  /** sameOrgOrOurOrgPullFilter: what identities a requester may learn. */
  private sameOrgOrOurOrgPullFilter(m: ReceivedMessage): (id: MemberId) => boolean {
    const peersOrg = m.conn.remoteOrg;
    if (peersOrg === '') {
      this.env.tr.log('warn', 'gossip.gossip', `Failed determining organization of ${m.conn.remoteEndpoint}`);
      return () => false;
    }
    if (peersOrg === this.env.mspId) return () => true;
    return (id) => {
      const org = this.idMapper.orgOf(id);
      if (org === undefined) return false;
      if (!this.hasExternalEndpoint(id)) return false;
      return org === this.env.mspId || org === peersOrg;
    };
  }

  private hasExternalEndpoint(id: MemberId): boolean {
    if (id === this.env.self) return this.env.endpoint !== '';
    const m = this.disc.lookup(id);
    return m !== undefined && m.endpoint !== '';
  }

  private onIdentityPurged(id: MemberId): void {
    this.certPuller.remove(id);
    this.env.tr.log('info', 'gossip.discovery', `Purging ${this.env.members.hex(id)} from membership`);
    this.disc.presumedDead(id);
    this.comm.closeConn(id);
  }

  // ---- sending ---------------------------------------------------------------------------

  /** comm's address of a member, built once per member object (a changed member is a new object). */
  private remote(m: NetworkMember): RemotePeer {
    let r = this.remotes.get(m);
    if (r === undefined) this.remotes.set(m, (r = { endpoint: preferredEndpoint(m), pkiId: m.pkiId, id: m.id, idx: m.idx }));
    return r;
  }

  private readonly remotes = new WeakMap<NetworkMember, RemotePeer>();

  private send(sm: SignedMessage, to: NetworkMember[]): void {
    for (const m of to) this.comm.sendTo(sm, this.remote(m));
  }

  /**
   * sendAndFilterSecrets: alive messages of other orgs never go to peers without an external
   * endpoint, and the SecretEnvelope never leaves our org.
   */
  private sendAndFilterSecrets(sm: SignedMessage, to: NetworkMember[]): void {
    const alive = sm.msg.content === 'aliveMsg' ? sm.msg.aliveMsg : undefined;
    const foreignAlive = alive !== undefined && this.idMapper.orgOf(this.env.members.idOf(alive.membership!.pkiId)) !== this.env.mspId;
    for (const m of to) {
      if (foreignAlive && !this.hasExternalEndpoint(m.id)) continue;
      const sameOrg = this.idMapper.orgOf(m.id) === this.env.mspId;
      this.comm.sendTo(sameOrg ? sm : sm.withoutSecret(), this.remote(m));
    }
  }

  private isInMyOrg = (m: NetworkMember): boolean => this.orgOfMember(m) === this.env.mspId;

  /** A member's org, remembered on the member once known (a PKI-ID's org never changes). */
  private orgOfMember(m: NetworkMember): string | undefined {
    if (m.org === undefined) m.org = this.idMapper.orgOf(m.id);
    return m.org;
  }

  /** gossipBatch: route one emitted batch by kind, as Fabric partitions it. */
  private gossipBatch(batch: Emitted[]): void {
    const tr = this.env.tr;
    const rng = this.env.rt.rng;
    const c = this.env.config;
    const membership = this.disc.getMembership();
    const blocks: Emitted[] = [];
    const leadership: Emitted[] = [];
    const stateInfos: Emitted[] = [];
    const orgOnly: Emitted[] = [];
    const rest: Emitted[] = [];
    for (const e of batch) {
      const msg = e.sm.msg;
      if (msg.content === 'dataMsg') {
        if (!this.withholdBlocks) blocks.push(e);
      } else if (msg.content === 'leadershipMsg') leadership.push(e);
      else if (msg.content === 'stateInfo') stateInfos.push(e);
      else if (isOrgRestricted(msg.tag) || (msg.content === 'aliveMsg' && msg.aliveMsg.membership?.endpoint === '' && this.idMapper.orgOf(this.env.members.idOf(msg.aliveMsg.membership.pkiId)) === this.env.mspId)) orgOnly.push(e);
      else rest.push(e);
    }
    const within = (e: Emitted, fn: () => void) => tr.within(e.cause, fn);

    // Blocks and leadership: per channel, eligible peers of our org; leadership to all of them.
    for (const [group, all] of [
      [blocks, false],
      [leadership, true],
    ] as const) {
      if (group.length === 0) continue; // most batches hold no block or leadership message: no map for them
      const byChannel = new Map<string, Emitted[]>();
      for (const e of group) {
        const ch = bytesStr(e.sm.msg.channel);
        const list = byChannel.get(ch);
        if (list === undefined) byChannel.set(ch, [e]);
        else list.push(e);
      }
      for (const [name, msgs] of byChannel) {
        const gc = this.channels.get(name);
        if (gc === undefined) {
          this.env.tr.log('warn', 'gossip.gossip', `Channel ${name} wasn't found`);
          continue;
        }
        const pred = (m: NetworkMember) => gc.eligibleForChannel(m) && gc.isMemberInChan(m) && this.isInMyOrg(m);
        const peers = rng.select(all ? membership.length : c.propagatePeerNum, membership, pred);
        for (const e of msgs) within(e, () => this.send(e.sm, peers.filter((p) => p.id !== e.exclude)));
      }
    }

    // StateInfo: our org, or the channel's orgs when its origin has an external endpoint.
    for (const e of stateInfos) {
      const si = (e.sm.msg as { stateInfo: { pkiId: Uint8Array; channelMAC: Uint8Array } }).stateInfo;
      let gc: GossipChannel | undefined;
      for (const ch of this.channels.values()) if (bytesEqual(channelMAC(si.pkiId, ch.name), si.channelMAC)) gc = ch;
      const origin = this.env.members.idOf(si.pkiId);
      const wide = gc !== undefined && this.hasExternalEndpoint(origin);
      const pred = (m: NetworkMember) => m.id !== e.exclude && (wide ? gc!.isMemberInChan(m) : this.isInMyOrg(m));
      within(e, () => this.send(e.sm, rng.select(c.propagatePeerNum, membership, pred)));
    }

    // Org-restricted messages: propagatePeerNum peers of our org, chosen once for the batch.
    if (orgOnly.length > 0) {
      const peers = rng.select(c.propagatePeerNum, membership, this.isInMyOrg);
      for (const e of orgOnly) within(e, () => this.send(e.sm, peers.filter((p) => p.id !== e.exclude)));
    }

    // The rest (alive messages): by the origin's org.
    for (const e of rest) {
      if (e.sm.msg.content !== 'aliveMsg') {
        this.env.tr.log('error', 'gossip.gossip', `Unknown message type ${e.sm.typeName}`);
        continue;
      }
      const origin = this.env.members.idOf(e.sm.msg.aliveMsg.membership!.pkiId);
      const originOrg = this.idMapper.orgOf(origin);
      if (originOrg === undefined) {
        this.env.tr.log('warn', 'gossip.gossip', 'Unable to determine org of message');
        continue;
      }
      const pred =
        originOrg === this.env.mspId
          ? (m: NetworkMember) => m.id !== e.exclude
          : (m: NetworkMember) => {
              if (m.id === e.exclude) return false;
              const org = this.idMapper.orgOf(m.id);
              return org === this.env.mspId || org === originOrg;
            };
      within(e, () => this.sendAndFilterSecrets(e.sm, rng.select(c.propagatePeerNum, membership, pred)));
    }
  }

  // ---- adapters --------------------------------------------------------------------------

  private discoveryHost(): DiscoveryHost {
    return {
      gossip: (sm) => this.emitter.add(sm),
      forward: (m) => this.emitter.add(m.sm, m.conn.remoteId),
      sendToPeer: (sm, member) => this.comm.sendTo(sm, this.remote(member)),
      probe: (endpoint, cb) => this.comm.probe(endpoint, cb),
      closeConn: (member) => this.comm.closeConn(member.id),
      validateAliveMsg: (sm, from) => this.validateAliveMsg(sm, from),
      signAlive: (msg, internalEndpoint) => {
        const e = this.env;
        // The certificate rides in alive messages only during publishCertPeriod after start.
        if (msg.content === 'aliveMsg' && e.rt.now() < this.startedAt + e.config.publishCertPeriod) msg.aliveMsg.identity = e.identity;
        return signMessage(msg, (d) => e.mcs.sign(d), internalEndpoint === null ? undefined : { internalEndpoint });
      },
      disclosurePolicy: (remote) => this.disclosurePolicy(remote),
      orgOfIdentity: (identity) => this.env.mcs.orgOf(identity),
      peerIndex: (k) => this.opts.peerIndex(k),
    };
  }

  /** disclosurePolicy: which alive messages a remote may learn, and with or without our secrets. */
  private disclosurePolicy(remote: NetworkMember): { sieve: (sm: SignedMessage) => boolean; filter: (sm: SignedMessage) => SignedMessage } {
    const remoteOrg = this.idMapper.orgOf(remote.id);
    if (remoteOrg === undefined) {
      this.env.tr.log('warn', 'gossip.gossip', `Cannot determine organization of ${preferredEndpoint(remote)}`);
      return { sieve: () => false, filter: (sm) => sm };
    }
    const myOrg = this.env.mspId;
    return {
      sieve: (sm) => {
        if (sm.msg.content !== 'aliveMsg' || sm.msg.aliveMsg.membership === undefined) return false;
        const memberOrg = this.idMapper.orgOf(this.env.members.idOf(sm.msg.aliveMsg.membership.pkiId));
        if (memberOrg === undefined) return false;
        const memberAndRemoteSameOrg = memberOrg === remoteOrg;
        if (memberOrg !== myOrg && !memberAndRemoteSameOrg) return false;
        const bothExternal = sm.msg.aliveMsg.membership.endpoint !== '' && remote.endpoint !== '';
        return memberAndRemoteSameOrg || bothExternal;
      },
      filter: (sm) => (remoteOrg === myOrg ? sm : sm.withoutSecret()),
    };
  }

  private channelHost(): ChannelHost {
    return {
      membership: () => this.disc.getMembership(),
      lookup: (id) => this.disc.lookup(id),
      orgOfPeer: (id) => this.idMapper.orgOf(id),
      gossip: (sm) => this.emitter.add(sm),
      forward: (m) => this.emitter.add(m.sm, m.conn.remoteId),
      send: (sm, to) => this.send(sm, to),
      validateStateInfo: (sm, from, traced) => this.validateStateInfo(sm, from, traced),
      sign: (msg) => signMessage(msg, (d) => this.env.mcs.sign(d)),
    };
  }
}

function preferredMember(endpoint: string, pkiHex: string): string {
  return endpoint || pkiHex;
}
