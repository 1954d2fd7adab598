/**
 * gossip/gossip/channel/channel.go: one channel as a peer sees it. StateInfo publish and pull
 * (who is in the channel, at which ledger height), the block message store, and the block
 * pull engine, restricted to eligible peers of our own org.
 */
import { createHash } from 'node:crypto';
import { PullMsgType, Tag, type Envelope, type GossipMessage, type StateInfo } from '../wire/messages.js';
import type { ReceivedMessage } from './comm.js';
import type { NetworkMember } from './discovery.js';
import type { PeerEnv } from './env.js';
import type { MemberId } from './members.js';
import { SignedMessage, bytesEqual, bytesStr, fromEnvelope, hex, noopSign, strBytes } from './message.js';
import { PullMediator } from './pull.js';

const macs = new Map<string, Uint8Array>();
const macsByObject = new WeakMap<Uint8Array, Map<string, Uint8Array>>();

/**
 * GenerateMAC: SHA-256(pkiID ‖ channel), a plain hash, not an HMAC. Every StateInfo is checked
 * against it at every receiver, so each (peer, channel) MAC is computed once: looked up by the
 * PKI-ID's byte array first (shared by every receiver of a message), then by its hex.
 */
export function channelMAC(pkiId: Uint8Array, channel: string): Uint8Array {
  let perChannel = macsByObject.get(pkiId);
  const hit = perChannel?.get(channel);
  if (hit !== undefined) return hit;
  const k = `${hex(pkiId)}/${channel}`;
  let mac = macs.get(k);
  if (mac === undefined) {
    mac = createHash('sha256').update(pkiId).update(channel).digest();
    if (macs.size > 200_000) macs.clear();
    macs.set(k, mac);
  }
  if (perChannel === undefined) macsByObject.set(pkiId, (perChannel = new Map()));
  perChannel.set(channel, mac);
  return mac;
}

/** What the channel needs from the node (Fabric's channel.Adapter). */
export interface ChannelHost {
  membership(): NetworkMember[];
  lookup(id: MemberId): NetworkMember | undefined;
  orgOfPeer(id: MemberId): string | undefined;
  gossip(sm: SignedMessage): void;
  forward(m: ReceivedMessage): void;
  send(sm: SignedMessage, to: NetworkMember[]): void;
  /** Node-level StateInfo signature check (validateStateInfoMsg); `traced` false: no verify event. */
  validateStateInfo(sm: SignedMessage, from: number, traced?: boolean): string | null;
  sign(msg: GossipMessage): SignedMessage;
}

export class GossipChannel {
  readonly name: string;
  private readonly nameBytes: Uint8Array;
  readonly mac: Uint8Array;
  private ledgerHeight = 1n;
  private stateInfoMsg?: SignedMessage;
  private shouldGossipStateInfo = false;
  private leftChannel = false;
  private readonly joinedAt: bigint;
  /** stateInfoMsgStore: the latest StateInfo per member (a Map: snapshots list it in insertion order). */
  readonly stateInfos = new Map<MemberId, SignedMessage>();
  /** blockMsgStore: recent blocks by sequence, within maxBlockCountToStore of the newest. */
  private readonly blocks = new Map<number, { sm: SignedMessage; expires: number }>();
  private maxSeq = -1;
  readonly puller: PullMediator<string>;
  /** DeMultiplex: blocks for the state provider. */
  onBlock: (sm: SignedMessage) => void = () => {};
  /** DeMultiplex: leadership messages for the election. */
  onLeadership: (sm: SignedMessage) => void = () => {};
  /** leaderMsgStore: the newest leadership message per PKI-ID, kept leaderAliveThreshold × 10. */
  private readonly leaderMsgs = new Map<MemberId, { incNum: bigint; seqNum: bigint; expires: number }>();

  constructor(
    private readonly env: PeerEnv,
    private readonly host: ChannelHost,
    name: string,
    readonly orgs: Set<string>,
    withholding: () => boolean = () => false,
  ) {
    this.name = name;
    this.nameBytes = strBytes(name);
    this.mac = channelMAC(env.pkiId, name);
    this.joinedAt = env.rt.unixNano();
    this.puller = new PullMediator(
      env,
      {
        msgType: PullMsgType.BLOCK_MSG,
        tag: Tag.CHAN_AND_ORG,
        channel: this.nameBytes,
        membership: () => this.eligibleSameOrgMembers(),
        idOf: (sm) => (sm.msg.content === 'dataMsg' ? String(sm.msg.dataMsg.payload?.seqNum ?? 0n) : ''),
        digestOf: (id) => strBytes(id),
        idOfDigest: (d) => bytesStr(d),
        consume: (sm) => this.onBlock(sm),
        egressFilter: () => () => !withholding(),
        // Only blocks at or above our ledger height are worth requesting.
        ingressFilter: (ids) => ids.filter((id) => /^\d+$/.test(id) && BigInt(id) >= this.ledgerHeight),
        send: (sm, to) => this.host.send(sm, [to]),
      },
      `pull.blocks.${name}`,
    );
  }

  private get cfg() {
    return this.env.config;
  }

  start(): void {
    const rt = this.env.rt;
    const c = this.cfg;
    this.updateProperties(1n);
    rt.every(c.publishStateInfoInterval, `channel.${this.name}.publishStateInfo`, () => this.publishStateInfo());
    rt.every(c.requestStateInfoInterval, `channel.${this.name}.requestStateInfo`, () => this.requestStateInfo());
    rt.every(c.pullInterval * 5, `channel.${this.name}.stateInfoSweep`, () => this.sweepStateInfo());
    rt.every(c.pullInterval, `channel.${this.name}.blockStoreExpiry`, () => this.expireBlocks());
    this.puller.start();
  }

  get height(): bigint {
    return this.ledgerHeight;
  }

  /** UpdateLedgerHeight: marks our StateInfo dirty; it is signed and pushed at the next publish tick. */
  updateLedgerHeight(height: bigint): void {
    this.updateProperties(height);
  }

  private updateProperties(height: bigint): void {
    this.ledgerHeight = height;
    this.stateInfoMsg = undefined;
    this.shouldGossipStateInfo = true;
  }

  /** The signed StateInfo: seq_num is the wall clock in UnixNano at signing, as in Fabric. */
  private currentStateInfo(): SignedMessage {
    if (this.stateInfoMsg === undefined) {
      const e = this.env;
      const stateInfo: StateInfo = {
        timestamp: { incNum: this.joinedAt, seqNum: e.rt.unixNano() },
        pkiId: e.pkiId,
        channelMAC: this.mac,
        properties: { ledgerHeight: this.ledgerHeight, leftChannel: this.leftChannel, chaincodes: [] },
      };
      // The channel field stays empty: the MAC names the channel without revealing it.
      const sm = this.host.sign({ nonce: 0n, channel: new Uint8Array(0), tag: Tag.CHAN_OR_ORG, content: 'stateInfo', stateInfo });
      this.stateInfoMsg = sm;
      this.stateInfos.set(e.self, sm);
      this.stateInfoVersion++;
    }
    return this.stateInfoMsg;
  }

  private publishStateInfo(): void {
    if (!this.shouldGossipStateInfo) return;
    this.host.gossip(this.currentStateInfo());
    if (this.host.membership().length > 0) this.shouldGossipStateInfo = false;
  }

  private requestStateInfo(): void {
    const req = noopSign({
      nonce: 0n,
      channel: new Uint8Array(0),
      tag: Tag.CHAN_OR_ORG,
      content: 'stateInfoPullReq',
      stateInfoPullReq: { channelMAC: this.mac },
    });
    const peers = this.env.rt.rng.select(this.cfg.pullPeerNum, this.host.membership(), (m) => this.isMemberInChan(m));
    if (peers.length > 0) this.host.send(req, peers);
  }

  private sweepStateInfo(): void {
    for (const k of [...this.stateInfos.keys()]) {
      if (k !== this.env.self && this.host.lookup(k) === undefined && this.stateInfos.delete(k)) this.stateInfoVersion++;
    }
  }

  isOrgInChannel(org: string | undefined): boolean {
    return org !== undefined && this.orgs.has(org);
  }

  isMemberInChan(m: NetworkMember): boolean {
    return this.isOrgInChannel(this.host.orgOfPeer(m.id));
  }

  /** EligibleForChannel: we know its identity and hold a StateInfo from it. */
  eligibleForChannel(m: NetworkMember): boolean {
    return this.host.orgOfPeer(m.id) !== undefined && this.stateInfos.has(m.id);
  }

  /** membershipFilter: alive peers of our org that are eligible for the channel. */
  eligibleSameOrgMembers(): NetworkMember[] {
    if (this.leftChannel) return [];
    return this.host.membership().filter((m) => this.eligibleForChannel(m) && this.host.orgOfPeer(m.id) === this.env.mspId);
  }

  private peersCache: { membership: NetworkMember[]; version: number; peers: { member: NetworkMember; height: bigint }[] } | null = null;
  private stateInfoVersion = 0;

  /** GetPeers ("peers of channel"): alive members with a StateInfo that did not leave. */
  peersOfChannel(): { member: NetworkMember; height: bigint }[] {
    // Recomputed only when membership or a StateInfo changed: elections ask on every message.
    const membership = this.host.membership();
    const c = this.peersCache;
    if (c !== null && c.membership === membership && c.version === this.stateInfoVersion) return c.peers;
    const out: { member: NetworkMember; height: bigint }[] = [];
    for (const m of membership) {
      const si = this.stateInfos.get(m.id);
      if (si === undefined || si.msg.content !== 'stateInfo') continue;
      const props = si.msg.stateInfo.properties;
      if (props?.leftChannel) continue;
      out.push({ member: m, height: props?.ledgerHeight ?? 0n });
    }
    this.peersCache = { membership, version: this.stateInfoVersion, peers: out };
    return out;
  }

  /** Whether a peer counts among peersOfChannel (given that it is alive): a StateInfo that did not leave. */
  inChannelView(id: MemberId): boolean {
    const si = this.stateInfos.get(id);
    return si !== undefined && si.msg.content === 'stateInfo' && si.msg.stateInfo.properties?.leftChannel !== true;
  }

  /** blockMsgStore.CheckValid: not a duplicate, not more than maxBlockCountToStore behind the newest. */
  private blockCheckValid(seq: number): boolean {
    if (this.blocks.has(seq)) return false;
    return !(this.maxSeq - seq > this.cfg.maxBlockCountToStore);
  }

  /** AddToMsgStore: store a block and offer it to the puller; evicts what falls out of the window. */
  addBlock(sm: SignedMessage): boolean {
    if (sm.msg.content !== 'dataMsg' || sm.msg.dataMsg.payload === undefined) return false;
    const seq = Number(sm.msg.dataMsg.payload.seqNum);
    if (!this.blockCheckValid(seq)) return false;
    this.blocks.set(seq, { sm, expires: this.env.rt.now() + this.cfg.pullInterval * 100 });
    if (seq > this.maxSeq) {
      this.maxSeq = seq;
      for (const s of [...this.blocks.keys()]) {
        if (seq - s > this.cfg.maxBlockCountToStore) {
          this.blocks.delete(s);
          this.puller.remove(String(s));
        }
      }
    }
    this.puller.add(sm);
    return true;
  }

  private expireBlocks(): void {
    const now = this.env.rt.now();
    for (const [s, b] of [...this.blocks]) {
      if (b.expires <= now) {
        this.blocks.delete(s);
        this.puller.remove(String(s));
      }
    }
  }

  /** VerifyBlock as the channel calls it: a bad block is "fabricated". */
  private verifyBlock(sm: SignedMessage, from: ReceivedMessage): boolean {
    const p = (sm.msg as { dataMsg: { payload?: { seqNum: bigint; data: Uint8Array } } }).dataMsg.payload!;
    const err = this.env.mcs.verifyBlock(this.name, p.seqNum, p.data);
    this.env.tr.emit('verify', from.conn.remoteIdx, sm.typeName, sm.id || undefined, err ?? 'valid', { block: Number(p.seqNum), channel: this.name });
    if (err !== null) {
      this.env.tr.reject(from.conn.remoteIdx, sm, `Received fabricated block from ${from.conn.remoteEndpoint} in DataUpdate: ${err}`);
      return false;
    }
    return true;
  }

  /** verifyMsg: the MAC or channel name must be ours. */
  private verifyMsg(m: ReceivedMessage): string | null {
    const msg = m.sm.msg;
    if (msg.content === 'stateInfo') {
      const expected = channelMAC(msg.stateInfo.pkiId, this.name);
      return bytesEqual(expected, msg.stateInfo.channelMAC) ? null : `Message contains wrong channel MAC(${hex(msg.stateInfo.channelMAC)}), expected ${hex(expected)}`;
    }
    if (msg.content === 'stateInfoPullReq') {
      const expected = channelMAC(m.conn.remotePki, this.name);
      return bytesEqual(expected, msg.stateInfoPullReq.channelMAC) ? null : `Message contains wrong channel MAC(${hex(msg.stateInfoPullReq.channelMAC)}), expected ${hex(expected)}`;
    }
    return bytesEqual(msg.channel, this.nameBytes) ? null : `Message contains wrong channel(${bytesStr(msg.channel)}), expected ${this.name}`;
  }

  /** stateInfoCache.Add with the channel's checks: newer, org in channel, Readers policy. */
  private addStateInfo(sm: SignedMessage): boolean {
    if (sm.msg.content !== 'stateInfo') return false;
    const si = sm.msg.stateInfo;
    const k = this.env.members.idOf(si.pkiId);
    const cur = this.stateInfos.get(k);
    if (cur !== undefined && cur.msg.content === 'stateInfo') {
      const a = cur.msg.stateInfo.timestamp;
      const b = si.timestamp;
      if (a !== undefined && b !== undefined && !(a.incNum < b.incNum || (a.incNum === b.incNum && a.seqNum < b.seqNum))) return false;
    }
    const org = this.host.orgOfPeer(k);
    if (!this.isOrgInChannel(org)) {
      this.env.tr.log('warn', 'gossip.channel', `peer ${this.env.members.hex(k)} 's organization(${org ?? ''}) isn't in the channel ${this.name}`);
      return false;
    }
    this.stateInfos.set(k, sm);
    this.stateInfoVersion++;
    return true;
  }

  /** gossipChannel.HandleMessage. */
  handleMessage(m: ReceivedMessage): void {
    const tr = this.env.tr;
    const from = m.conn.remoteIdx;
    const bad = this.verifyMsg(m);
    if (bad !== null) return tr.reject(from, m.sm, `Failed verifying message: ${bad}`);
    const msg = m.sm.msg;
    const org = this.host.orgOfPeer(m.conn.remoteId);
    if (org === undefined) return tr.reject(from, m.sm, `Couldn't find org identity of peer ${m.conn.remoteEndpoint}`);
    if (!this.isOrgInChannel(org)) {
      return tr.reject(from, m.sm, `Point to point message came from ${m.conn.remoteEndpoint}, org(${org}) but it's not eligible for the channel ${this.name}`);
    }
    switch (msg.content) {
      case 'stateInfoPullReq':
        return m.conn.send(this.stateInfoSnapshot(org));
      case 'stateSnapshot':
        return this.handleStateInfoSnapshot(m);
      case 'dataMsg': {
        const p = msg.dataMsg.payload;
        if (p === undefined) return tr.reject(from, m.sm, `Payload is empty, got it from ${m.conn.remoteEndpoint}`);
        if (!this.blockCheckValid(Number(p.seqNum))) return;
        if (!this.verifyBlock(m.sm, m)) return;
        if (this.addBlock(m.sm)) {
          this.host.forward(m);
          this.onBlock(m.sm);
        }
        return;
      }
      case 'stateInfo':
        if (this.addStateInfo(m.sm)) this.host.forward(m);
        return;
      case 'hello':
      case 'dataDig':
      case 'dataReq':
      case 'dataUpdate':
        return this.handlePull(m);
      case 'leadershipMsg':
        return this.handleLeadership(m);
      default:
        return;
    }
  }

  private handleLeadership(m: ReceivedMessage): void {
    if (m.sm.msg.content !== 'leadershipMsg') return;
    const lm = m.sm.msg.leadershipMsg;
    const senderOrg = this.host.orgOfPeer(m.conn.remoteId);
    if (senderOrg !== this.env.mspId) {
      return this.env.tr.reject(m.conn.remoteIdx, m.sm, `Received leadership message from ${m.conn.remoteEndpoint} that belongs to a foreign organization ${senderOrg ?? ''}`);
    }
    const k = this.env.members.idOf(lm.pkiId);
    const creatorOrg = this.host.orgOfPeer(k);
    if (creatorOrg !== this.env.mspId) {
      return this.env.tr.reject(m.conn.remoteIdx, m.sm, `Received leadership message created by a foreign organization ${creatorOrg ?? ''}`);
    }
    const ts = lm.timestamp;
    if (ts === undefined) return;
    const now = this.env.rt.now();
    const cur = this.leaderMsgs.get(k);
    if (cur !== undefined && cur.expires > now && !(cur.incNum < ts.incNum || (cur.incNum === ts.incNum && cur.seqNum < ts.seqNum))) return;
    this.leaderMsgs.set(k, { incNum: ts.incNum, seqNum: ts.seqNum, expires: now + this.env.config.election.leaderAliveThreshold * 10 });
    // Leadership messages are not forwarded: the sender already sent them to every eligible peer.
    this.onLeadership(m.sm);
  }

  private handlePull(m: ReceivedMessage): void {
    const tr = this.env.tr;
    const from = m.conn.remoteIdx;
    if (this.leftChannel) return tr.log('info', 'gossip.channel', `Received Pull message from ${m.conn.remoteEndpoint} but left the channel ${this.name}`);
    // Without the sender's StateInfo there is no way to check it belongs to the channel.
    if (!this.stateInfos.has(m.conn.remoteId)) return tr.reject(from, m.sm, `Don't have StateInfo message of peer ${m.conn.remoteEndpoint}`);
    if (this.host.orgOfPeer(m.conn.remoteId) !== this.env.mspId) {
      return tr.reject(from, m.sm, `${m.conn.remoteEndpoint} isn't eligible for pulling blocks of ${this.name}`);
    }
    const msg = m.sm.msg;
    if (msg.content !== 'dataUpdate') return this.puller.handleMessage(m);
    const kept: Envelope[] = [];
    const fresh: SignedMessage[] = [];
    for (const env of msg.dataUpdate.data) {
      let item: SignedMessage;
      try {
        item = fromEnvelope(env);
      } catch {
        return tr.reject(from, m.sm, 'DataUpdate contains an invalid message');
      }
      if (!bytesEqual(item.msg.channel, this.nameBytes)) return tr.reject(from, m.sm, `DataUpdate message contains item with channel ${bytesStr(item.msg.channel)} but should be ${this.name}`);
      if (item.msg.content !== 'dataMsg' || item.msg.dataMsg.payload === undefined) return tr.reject(from, m.sm, 'DataUpdate contains a non-block item');
      if (!this.blockCheckValid(Number(item.msg.dataMsg.payload.seqNum))) continue;
      // One fabricated block aborts the whole update.
      if (!this.verifyBlock(item, m)) return;
      fresh.push(item);
    }
    for (const item of fresh) {
      if (!this.addBlock(item)) continue;
      kept.push(item.envelope);
      this.onBlock(item);
    }
    this.puller.handleMessage(m, kept);
  }

  /** createStateInfoSnapshot: foreign requesters do not see our org's peers without external endpoints. */
  private stateInfoSnapshot(requesterOrg: string): SignedMessage {
    const sameOrg = requesterOrg === this.env.mspId;
    const elements: Envelope[] = [];
    this.currentStateInfo();
    for (const [k, sm] of this.stateInfos) {
      if (!sameOrg && this.host.orgOfPeer(k) === this.env.mspId) {
        const member = k === this.env.self ? { endpoint: this.env.endpoint } : this.host.lookup(k);
        if (member === undefined || member.endpoint === '') continue;
      }
      elements.push(sm.envelope);
    }
    return noopSign({ nonce: 0n, channel: this.nameBytes, tag: Tag.CHAN_OR_ORG, content: 'stateSnapshot', stateSnapshot: { elements } });
  }

  private handleStateInfoSnapshot(m: ReceivedMessage): void {
    if (m.sm.msg.content !== 'stateSnapshot') return;
    const tr = this.env.tr;
    const from = m.conn.remoteIdx;
    // Every element's signature is checked; the trace reports them as one verdict per snapshot.
    let checked = 0;
    for (const env of m.sm.msg.stateSnapshot.elements) {
      let sm: SignedMessage;
      try {
        sm = fromEnvelope(env);
      } catch {
        return tr.reject(from, m.sm, `Channel ${this.name}: StateInfo snapshot contains an invalid message`);
      }
      if (sm.msg.content !== 'stateInfo') return tr.reject(from, m.sm, `Channel ${this.name}: Element of StateInfoSnapshot isn't a StateInfoMessage`);
      const si = sm.msg.stateInfo;
      const k = this.env.members.idOf(si.pkiId);
      if (k === this.env.self) continue;
      const org = this.host.orgOfPeer(k);
      if (org === undefined) return;
      if (!this.isOrgInChannel(org)) return tr.reject(from, m.sm, `Channel ${this.name}: Peer ${this.env.members.hex(k)} is not in an eligible org, can't process a stateInfo from it`);
      if (!bytesEqual(si.channelMAC, channelMAC(si.pkiId, this.name))) return tr.reject(from, m.sm, `Channel ${this.name}: StateInfo message has an invalid MAC`);
      const err = this.host.validateStateInfo(sm, from, false);
      checked++;
      if (err !== null) {
        tr.emit('verify', from, m.sm.typeName, m.sm.id || undefined, err, { elements: checked });
        return tr.reject(from, m.sm, `Channel ${this.name}: Failed validating state info message: ${err}`);
      }
      // Skip StateInfo of peers that have expired from membership.
      if (this.host.lookup(k) === undefined) continue;
      this.addStateInfo(sm);
    }
    if (checked > 0) tr.emit('verify', from, m.sm.typeName, m.sm.id || undefined, 'valid', { elements: checked });
  }
}
