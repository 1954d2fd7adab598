/**
 * gossip/privdata: private data of one channel at one peer. At endorsement the endorser pushes
 * the private write set to peers of the collection's member orgs (one per org first, then
 * others, up to maxPeerCount; the first requiredPeerCount must acknowledge). At commit a member
 * peer takes it from its transient store, or pulls it from other members, retrying for up to
 * pullRetryThreshold while the commit waits; what is still missing is committed as missing and
 * left to reconciliation. Only hashes of private writes are on the chain.
 */
import { createHash } from 'node:crypto';
import { Tag, type PvtDataDigest, type PvtDataElement } from '../wire/messages.js';
import type { ReceivedMessage } from './comm.js';
import type { NetworkMember } from './discovery.js';
import type { PeerEnv } from './env.js';
import type { PvtRef } from './ledger.js';
import type { MemberId } from './members.js';
import { SignedMessage, noopSign } from './message.js';
import type { CollectionSpec } from '../scenario/types.js';

export interface PrivdataHost {
  /** PeersOfChannel: alive members with a StateInfo (without ourselves). */
  peersOfChannel(): NetworkMember[];
  orgOfPeer(id: MemberId): string | undefined;
  send(sm: SignedMessage, to: NetworkMember): void;
  sendWithAck(sm: SignedMessage, to: NetworkMember, timeout: number, done: (err: string | null) => void): void;
}

/** The private write set of one transaction for one collection, as bytes (JSON here). */
export interface PrivateWrite {
  txId: string;
  collection: string;
  rwset: Uint8Array;
}

const NAMESPACE = 'mycc';
const RESPONSE_WAIT_MS = 5000; // privdata/pull.go responseWaitTime
const RETRY_SLEEP_MS = 1000;

const key = (txId: string, collection: string) => `${txId}/${collection}`;
export const rwsetHash = (rwset: Uint8Array): string => createHash('sha256').update(rwset).digest('hex');

export class PrivateData {
  /** Transient store: pushed at endorsement, waiting for the block. */
  readonly transient = new Map<string, Uint8Array>();
  /** Committed private data, by txId/collection (the pvtdata store). */
  readonly committed = new Map<string, Uint8Array>();
  /** Private world state per collection. */
  readonly state = new Map<string, Map<string, string>>();
  /** Eligible private data committed as missing, for reconciliation. */
  readonly missing = new Map<string, PvtRef & { blockSeq: number }>();
  /** Outstanding pull requests: nonce → what to do with the answer. */
  private readonly pending = new Map<bigint, (elements: PvtDataElement[]) => void>();
  private readonly channelBytes: Uint8Array;

  constructor(
    private readonly env: PeerEnv,
    readonly channel: string,
    private readonly collections: CollectionSpec[],
    private readonly host: PrivdataHost,
  ) {
    this.channelBytes = new TextEncoder().encode(channel);
  }

  private get cfg() {
    return this.env.config.pvtData;
  }

  start(): void {
    if (this.cfg.reconciliationEnabled && this.collections.length > 0) {
      this.env.rt.every(this.cfg.reconcileSleepInterval, `privdata.${this.channel}.reconcile`, () => this.reconcile());
    }
  }

  private collection(name: string): CollectionSpec | undefined {
    return this.collections.find((c) => c.name === name);
  }

  isMember(collection: string, org: string | undefined): boolean {
    return org !== undefined && (this.collection(collection)?.memberOrgs.includes(org) ?? false);
  }

  // ---- endorsement: the distributor --------------------------------------------------------

  /** DistributePrivateData: done(null) when every required acknowledgement came back. */
  distribute(w: PrivateWrite, done: (err: string | null) => void): void {
    const col = this.collection(w.collection);
    if (col === undefined) return done(`collection ${w.collection} is not defined on channel ${this.channel}`);
    // We keep our own copy, as the endorser's transient store does.
    if (this.isMember(w.collection, this.env.mspId)) this.transient.set(key(w.txId, w.collection), w.rwset);
    const rng = this.env.rt.rng;
    const eligible = this.host.peersOfChannel().filter((m) => this.isMember(w.collection, this.host.orgOfPeer(m.id)));
    if (eligible.length < col.requiredPeerCount) {
      return done(`required to disseminate to at least ${col.requiredPeerCount} peers, but know of only ${eligible.length} eligible peers`);
    }
    // Phase 1: one random peer per org; phase 2: random others up to maxPeerCount.
    const byOrg = new Map<string, NetworkMember[]>();
    for (const m of eligible) {
      const org = this.host.orgOfPeer(m.id)!;
      byOrg.set(org, [...(byOrg.get(org) ?? []), m]);
    }
    const plan: { to: NetworkMember; ack: boolean }[] = [];
    let required = col.requiredPeerCount;
    let remaining = col.maxPeerCount;
    const rest: NetworkMember[] = [];
    for (const members of byOrg.values()) {
      if (remaining === 0) break;
      const i = rng.int(members.length);
      plan.push({ to: members[i], ack: required > 0 });
      members.forEach((m, j) => j !== i && rest.push(m));
      if (required > 0) required--;
      remaining--;
    }
    while (remaining > 0 && rest.length > 0) {
      const [m] = rest.splice(rng.int(rest.length), 1);
      plan.push({ to: m, ack: required > 0 });
      if (required > 0) required--;
      remaining--;
    }
    const nonce = rng.u64();
    const sm = noopSign({
      nonce,
      channel: this.channelBytes,
      tag: Tag.CHAN_ONLY,
      content: 'privateData',
      privateData: { payload: { collectionName: w.collection, namespace: NAMESPACE, txId: w.txId, privateRwset: w.rwset, privateSimHeight: 0n } },
    });
    let outstanding = plan.length;
    let failed = 0;
    if (outstanding === 0) return done(null);
    for (const p of plan) {
      this.host.sendWithAck(sm, p.to, this.cfg.pushAckTimeout, (err) => {
        if (err !== null && p.ack) failed++;
        if (--outstanding > 0) return;
        done(failed === 0 ? null : `Failed disseminating ${failed} out of ${plan.length} private dissemination plans`);
      });
    }
  }

  /** A pushed PrivateDataMessage: into the transient store, then the acknowledgement. */
  handlePush(m: ReceivedMessage, ack: (err: string) => void): void {
    if (m.sm.msg.content !== 'privateData') return;
    const p = m.sm.msg.privateData.payload;
    if (p === undefined) return ack('Private payload is empty');
    this.transient.set(key(p.txId, p.collectionName), p.privateRwset);
    this.env.tr.state('transientStore', { channel: this.channel, txId: p.txId, collection: p.collectionName });
    ack('');
  }

  // ---- commit ---------------------------------------------------------------------------

  /**
   * Before a block commits: gather the private data this peer is eligible for, pulling what
   * the transient store lacks. `done` runs when the block may commit (perhaps with data missing).
   */
  beforeCommit(blockSeq: number, refs: PvtRef[], done: () => void): void {
    const mine = refs.filter((r) => this.isMember(r.collection, this.env.mspId));
    const apply = () => {
      for (const r of mine) {
        const k = key(r.txId, r.collection);
        const data = this.transient.get(k) ?? this.committed.get(k);
        if (data !== undefined && rwsetHash(data) === r.hash) {
          this.commitPrivate(r, data);
          this.missing.delete(k);
        } else if (!this.committed.has(k)) {
          this.missing.set(k, { ...r, blockSeq });
        }
        this.transient.delete(k);
      }
      const missing = mine.filter((r) => this.missing.has(key(r.txId, r.collection))).length;
      if (missing > 0) {
        this.env.tr.log('warn', 'gossip.privdata', `Could not fetch (or mark to reconcile later) ${missing} eligible collection private write sets for block [${blockSeq}] (0 from local cache, 0 from transient store, ${missing} from other peers). Will commit block with missing private write sets:${mine.filter((r) => this.missing.has(key(r.txId, r.collection))).map((r) => ` ${r.txId}/${r.collection}`).join(',')}`);
      }
      done();
    };
    const lacking = () => mine.filter((r) => !this.transient.has(key(r.txId, r.collection)) && !this.committed.has(key(r.txId, r.collection)));
    if (lacking().length === 0 || this.cfg.pullRetryThreshold <= 0) return apply();
    const deadline = this.env.rt.now() + this.cfg.pullRetryThreshold;
    const attempt = () => {
      const want = lacking();
      if (want.length === 0) return apply();
      this.fetch(blockSeq, want, () => {
        if (lacking().length === 0 || this.env.rt.now() + RETRY_SLEEP_MS > deadline) return apply();
        this.env.rt.after(RETRY_SLEEP_MS, `privdata.${this.channel}.pullRetry`, attempt);
      });
    };
    attempt();
  }

  private commitPrivate(r: PvtRef, data: Uint8Array): void {
    const k = key(r.txId, r.collection);
    this.committed.set(k, data);
    let st = this.state.get(r.collection);
    if (st === undefined) this.state.set(r.collection, (st = new Map()));
    try {
      const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { writes?: [string, string][] };
      for (const [kk, v] of parsed.writes ?? []) st.set(String(kk), String(v));
    } catch {
      // A write set that is not ours: nothing to apply.
    }
  }

  /**
   * One fetch round (privdata/pull.go scatterRequests): ask the endorser of each transaction if
   * it is eligible, else a random eligible peer; wait responseWaitTime for the answers.
   */
  private fetch(blockSeq: number, refs: PvtRef[], done: () => void): void {
    const rng = this.env.rt.rng;
    const peers = this.host.peersOfChannel();
    const byPeer = new Map<NetworkMember, PvtDataDigest[]>();
    for (const r of refs) {
      const eligible = peers.filter((m) => this.isMember(r.collection, this.host.orgOfPeer(m.id)));
      if (eligible.length === 0) continue;
      const endorser = eligible.find((m) => m.pkiHex === r.endorser);
      const to = endorser ?? eligible[rng.int(eligible.length)];
      const digest: PvtDataDigest = { txId: r.txId, namespace: NAMESPACE, collection: r.collection, blockSeq: BigInt(blockSeq), seqInBlock: BigInt(r.seqInBlock) };
      byPeer.set(to, [...(byPeer.get(to) ?? []), digest]);
    }
    if (byPeer.size === 0) {
      this.env.rt.after(RESPONSE_WAIT_MS, `privdata.${this.channel}.noPeers`, done);
      return;
    }
    let outstanding = byPeer.size;
    const finish = () => {
      if (--outstanding === 0) done();
    };
    for (const [to, digests] of byPeer) {
      const nonce = rng.u64();
      const timer = this.env.rt.after(RESPONSE_WAIT_MS, `privdata.${this.channel}.responseWait`, () => {
        this.pending.delete(nonce);
        finish();
      });
      this.pending.set(nonce, (elements) => {
        timer.cancel();
        this.pending.delete(nonce);
        for (const el of elements) {
          if (el.digest === undefined || el.payload.length === 0) continue;
          this.transient.set(key(el.digest.txId, el.digest.collection), el.payload[0]);
        }
        finish();
      });
      this.host.send(noopSign({ nonce, channel: this.channelBytes, tag: Tag.CHAN_ONLY, content: 'privateReq', privateReq: { digests } }), to);
    }
  }

  /** A RemotePvtDataRequest: answer with what the requester's org may see and we hold. */
  handleRequest(m: ReceivedMessage): void {
    if (m.sm.msg.content !== 'privateReq') return;
    const org = m.conn.remoteOrg;
    const elements: PvtDataElement[] = [];
    for (const d of m.sm.msg.privateReq.digests) {
      if (!this.isMember(d.collection, org)) {
        this.env.tr.log('debug', 'gossip.privdata', `Peer ${m.conn.remoteEndpoint} is not eligible for collection ${d.collection}`);
        continue;
      }
      const k = key(d.txId, d.collection);
      const data = this.committed.get(k) ?? this.transient.get(k);
      elements.push({ digest: d, payload: data === undefined ? [] : [data] });
    }
    const res = noopSign({ nonce: m.sm.msg.nonce, channel: this.channelBytes, tag: Tag.CHAN_ONLY, content: 'privateRes', privateRes: { elements } });
    if (m.conn.open) m.conn.send(res);
  }

  handleResponse(m: ReceivedMessage): void {
    if (m.sm.msg.content !== 'privateRes') return;
    this.pending.get(m.sm.msg.nonce)?.(m.sm.msg.privateRes.elements);
  }

  /** The reconciler: fetch what was committed as missing, from the most recent blocks first. */
  private reconcile(): void {
    const missing = [...this.missing.values()].sort((a, b) => b.blockSeq - a.blockSeq).slice(0, this.cfg.reconcileBatchSize);
    if (missing.length === 0) return;
    const byBlock = new Map<number, PvtRef[]>();
    for (const r of missing) byBlock.set(r.blockSeq, [...(byBlock.get(r.blockSeq) ?? []), r]);
    let outstanding = byBlock.size;
    let reconciled = 0;
    for (const [blockSeq, refs] of byBlock) {
      this.fetch(blockSeq, refs, () => {
        for (const r of refs) {
          const k = key(r.txId, r.collection);
          const data = this.transient.get(k);
          if (data !== undefined && rwsetHash(data) === r.hash) {
            this.commitPrivate(r, data);
            this.missing.delete(k);
            this.transient.delete(k);
            reconciled++;
          }
        }
        if (--outstanding === 0 && reconciled > 0) {
          const seqs = [...byBlock.keys()];
          this.env.tr.log('info', 'gossip.privdata', `Reconciliation cycle finished successfully. reconciled ${reconciled} private data keys from blocks range [${Math.min(...seqs)} - ${Math.max(...seqs)}]`);
        }
      });
    }
  }

  /** Digest of the private world state of a collection (for comparing member peers). */
  stateDigest(collection: string): string {
    const st = this.state.get(collection) ?? new Map<string, string>();
    const h = createHash('sha256');
    for (const k of [...st.keys()].sort()) h.update(k).update('\0').update(st.get(k)!).update('\0');
    return h.digest('hex');
  }
}

