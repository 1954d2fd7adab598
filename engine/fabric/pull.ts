/**
 * gossip/gossip/algo/pull.go + gossip/gossip/pull/pullstore.go: the pull engine.
 * Initiator: Hello to pullPeerNum peers (fresh nonce each), collect DataDigests for
 * digestWaitTime, request each missing item from one random owner, accept DataUpdates for
 * responseWaitTime. Responder: remember a Hello's nonce for requestWaitTime, answer with a
 * digest of what passes the egress filter, then serve requests carrying a remembered nonce.
 */
import type { Envelope, PullMsgType, Tag, GossipMessage } from '../wire/messages.js';
import type { Conn, ReceivedMessage } from './comm.js';
import type { NetworkMember } from './discovery.js';
import type { PeerEnv } from './env.js';
import { SignedMessage, fromEnvelope, noopSign } from './message.js';

/** An item's id: a block's sequence as text, or an identity's member id. */
export type PullItemId = string | number;

export interface PullAdapter<K extends PullItemId> {
  msgType: PullMsgType;
  tag: Tag;
  channel: Uint8Array;
  /** MemSvc.GetMembership: the peers this engine may pull from. */
  membership(): NetworkMember[];
  /** IdExtractor. */
  idOf(sm: SignedMessage): K;
  /** Digest item bytes ↔ item id. */
  digestOf(id: K): Uint8Array;
  idOfDigest(d: Uint8Array): K;
  /** MsgCons: every item of every DataUpdate, even with a stale nonce (a Fabric quirk). */
  consume(sm: SignedMessage, m: ReceivedMessage): void;
  /** EgressDigFilter: which items a requester may learn about. */
  egressFilter(m: ReceivedMessage): (id: K) => boolean;
  /** IngressDigFilter: which digest items we care about. */
  ingressFilter(ids: K[]): K[];
  send(sm: SignedMessage, to: NetworkMember): void;
}

export class PullMediator<K extends PullItemId> {
  /** itemID2Msg: what we can serve. */
  private readonly items = new Map<K, SignedMessage>();
  /** engine.state: what we advertise in digests. */
  private readonly state = new Set<K>();
  private readonly outgoingNonces = new Map<bigint, NetworkMember>();
  private readonly incomingNonces = new Set<bigint>();
  private item2owners = new Map<K, NetworkMember[]>();
  private acceptingDigests = false;
  private acceptingResponses = false;

  constructor(
    private readonly env: PeerEnv,
    private readonly adapter: PullAdapter<K>,
    private readonly name: string,
  ) {}

  start(): void {
    this.env.rt.every(this.env.config.pullInterval, `${this.name}.initiatePull`, () => this.initiatePull());
  }

  /** What the debugger shows of this pull engine (read-only). */
  view(): { items: number; advertised: K[]; roundsInFlight: number; acceptingDigests: boolean; acceptingResponses: boolean } {
    return { items: this.items.size, advertised: [...this.state].slice(0, 100), roundsInFlight: this.outgoingNonces.size, acceptingDigests: this.acceptingDigests, acceptingResponses: this.acceptingResponses };
  }

  add(sm: SignedMessage): void {
    const id = this.adapter.idOf(sm);
    this.items.set(id, sm);
    this.state.add(id);
  }

  remove(id: K): void {
    this.items.delete(id);
    this.state.delete(id);
  }

  has(id: K): boolean {
    return this.state.has(id);
  }

  private msg(content: 'hello' | 'dataDig' | 'dataReq' | 'dataUpdate', body: object): SignedMessage {
    const a = this.adapter;
    // The pull nonce lives inside the pull message; the outer nonce stays 0.
    return noopSign({ nonce: 0n, channel: a.channel, tag: a.tag, content, [content]: body } as unknown as GossipMessage);
  }

  private initiatePull(): void {
    const c = this.env.config;
    this.acceptingDigests = true;
    const peers = this.env.rt.rng.select(c.pullPeerNum, this.adapter.membership());
    for (const p of peers) {
      const nonce = this.env.rt.rng.u64();
      this.outgoingNonces.set(nonce, p);
      this.adapter.send(this.msg('hello', { nonce, metadata: new Uint8Array(0), msgType: this.adapter.msgType }), p);
    }
    this.env.rt.after(c.digestWaitTime, `${this.name}.processIncomingDigests`, () => this.processIncomingDigests());
  }

  private processIncomingDigests(): void {
    this.acceptingDigests = false;
    const requests = new Map<NetworkMember, { nonce: bigint; ids: K[] }>();
    const nonceOf = new Map<NetworkMember, bigint>();
    for (const [nonce, p] of this.outgoingNonces) nonceOf.set(p, nonce);
    for (const [id, owners] of this.item2owners) {
      const owner = owners[this.env.rt.rng.int(owners.length)];
      let r = requests.get(owner);
      if (r === undefined) requests.set(owner, (r = { nonce: nonceOf.get(owner) ?? 0n, ids: [] }));
      r.ids.push(id);
    }
    this.acceptingResponses = true;
    for (const [owner, r] of requests) {
      const digests = r.ids.map((id) => this.adapter.digestOf(id));
      this.adapter.send(this.msg('dataReq', { nonce: r.nonce, digests, msgType: this.adapter.msgType }), owner);
    }
    this.env.rt.after(this.env.config.responseWaitTime, `${this.name}.endPull`, () => this.endPull());
  }

  private endPull(): void {
    this.acceptingResponses = false;
    this.outgoingNonces.clear();
    this.item2owners = new Map();
  }

  /**
   * pullMediatorImpl.HandleMessage. `updateData` replaces a DataUpdate's items when the channel
   * filtered them first (Fabric rewrites the message in place; ours are shared, so never mutated).
   */
  handleMessage(m: ReceivedMessage, updateData?: Envelope[]): void {
    const msg = m.sm.msg;
    const a = this.adapter;
    switch (msg.content) {
      case 'hello': {
        if (msg.hello.msgType !== a.msgType) return;
        const nonce = msg.hello.nonce;
        this.incomingNonces.add(nonce);
        this.env.rt.after(this.env.config.requestWaitTime, `${this.name}.forgetHello`, () => this.incomingNonces.delete(nonce));
        const allow = a.egressFilter(m);
        const ids = [...this.state].filter(allow);
        if (ids.length === 0) return;
        this.respond(m.conn, this.msg('dataDig', { nonce, digests: ids.map((id) => a.digestOf(id)), msgType: a.msgType }));
        return;
      }
      case 'dataDig': {
        if (msg.dataDig.msgType !== a.msgType) return;
        const ids = a.ingressFilter(msg.dataDig.digests.map((d) => a.idOfDigest(d)));
        const nonce = msg.dataDig.nonce;
        if (!this.acceptingDigests || !this.outgoingNonces.has(nonce)) return;
        const owner = this.outgoingNonces.get(nonce)!;
        for (const id of ids) {
          if (this.state.has(id)) continue;
          const owners = this.item2owners.get(id);
          if (owners === undefined) this.item2owners.set(id, [owner]);
          else owners.push(owner);
        }
        return;
      }
      case 'dataReq': {
        if (msg.dataReq.msgType !== a.msgType) return;
        const nonce = msg.dataReq.nonce;
        if (!this.incomingNonces.has(nonce)) return;
        const allow = a.egressFilter(m);
        const data = [];
        for (const d of msg.dataReq.digests) {
          const id = a.idOfDigest(d);
          const item = this.items.get(id);
          if (item !== undefined && allow(id)) data.push(item.envelope);
        }
        this.respond(m.conn, this.msg('dataUpdate', { nonce, data, msgType: a.msgType }));
        return;
      }
      case 'dataUpdate': {
        if (msg.dataUpdate.msgType !== a.msgType) return;
        const ids: K[] = [];
        for (const env of updateData ?? msg.dataUpdate.data) {
          let item: SignedMessage;
          try {
            item = fromEnvelope(env);
          } catch {
            return this.env.tr.reject(m.conn.remoteIdx, m.sm, 'Data update contains an invalid message');
          }
          a.consume(item, m);
          const id = a.idOf(item);
          this.items.set(id, item);
          ids.push(id);
        }
        if (!this.outgoingNonces.has(msg.dataUpdate.nonce) || !this.acceptingResponses) return;
        for (const id of ids) this.state.add(id);
        return;
      }
      default:
        return;
    }
  }

  /** ReceivedMessage.Respond: back on the same connection. */
  private respond(conn: Conn, sm: SignedMessage): void {
    if (conn.open) conn.send(sm);
  }
}
