/**
 * The ordering service, as far as gossip sees it: it cuts a block every batchTimeout, hash-chains
 * and signs it, and streams blocks to each peer that runs a deliver client (org leaders), from
 * that peer's ledger height on, like a Deliver stream resuming where the ledger ends.
 */
import { blockHeaderHash, makeSignedBlock } from '../fabric/block.js';
import { strBytes } from '../fabric/message.js';
import type { Kernel } from '../kernel/kernel.js';
import { Rng } from '../kernel/rng.js';
import type { Trace } from '../trace/trace.js';
import type { OrdererSpec } from '../scenario/types.js';

export interface OrdererIdentity {
  serialized: Uint8Array;
  sign(data: Uint8Array): Uint8Array;
}

export interface CutBlock {
  seq: number;
  bytes: Uint8Array;
  /** Simulated time the block was cut: dissemination latency is measured from here. */
  cutAt: number;
}

/** A deliver client on a peer: receives blocks for one channel. */
export interface DeliverTarget {
  peer: number;
  channel: string;
  /** The peer's ledger height now: the stream resumes from there. */
  height(): number;
  /** Hands one block to the peer (the gossip block handler). */
  deliver(seq: number, bytes: Uint8Array): void;
  /** Whether the peer still wants blocks (alive, and still a leader). */
  active(): boolean;
}

export class Orderer {
  readonly chains = new Map<string, CutBlock[]>();
  private readonly rng: Rng;
  private readonly streams = new Set<DeliverTarget>();
  private cut = 0;
  /** Transactions submitted by clients, waiting for the next block. */
  private readonly pending = new Map<string, Uint8Array[]>();

  constructor(
    private readonly kernel: Kernel,
    private readonly trace: Trace,
    private readonly spec: OrdererSpec,
    private readonly identity: OrdererIdentity,
    channels: string[],
    seed: number,
    private readonly route: (peer: number) => number | string,
  ) {
    this.rng = new Rng(seed, 'orderer');
    for (const ch of channels) this.chains.set(ch, [this.makeBlock(ch, 0, new Uint8Array(32), [strBytes(`genesis:${ch}`)])]);
  }

  /** Block 0 of a channel, which every peer's ledger starts with (height 1). */
  genesis(channel: string): CutBlock {
    return this.chains.get(channel)![0];
  }

  start(): void {
    if (this.spec.blocks === 0) return;
    this.kernel.at(this.spec.start, () => this.cutRound());
  }

  private cutRound(): void {
    this.cut++;
    for (const ch of [...this.chains.keys()]) {
      const chain = this.chains.get(ch)!;
      const seq = chain.length;
      const txs: Uint8Array[] = [];
      for (let i = 0; i < this.spec.txPerBlock; i++) {
        const txId = this.rng.u64().toString(16).padStart(16, '0');
        txs.push(strBytes(JSON.stringify({ txId, channel: ch, block: seq, writes: [[`key${this.rng.int(1000)}`, `v${seq}.${i}`]] })));
      }
      txs.push(...(this.pending.get(ch) ?? []));
      this.pending.delete(ch);
      const prev = chain[seq - 1];
      const block = this.makeBlock(ch, seq, blockHeaderHash(this.headerOf(prev)), txs);
      chain.push(block);
      this.trace.emit(this.kernel.now, 'state', -1, undefined, undefined, undefined, 'block cut', { channel: ch, block: seq });
      for (const s of this.streams) if (s.channel === ch) this.push(s);
    }
    if (this.cut < this.spec.blocks) this.kernel.after(this.spec.batchTimeout, () => this.cutRound());
  }

  private readonly headers = new Map<CutBlock, { number: bigint; previousHash: Uint8Array; dataHash: Uint8Array }>();

  private headerOf(b: CutBlock) {
    return this.headers.get(b)!;
  }

  private makeBlock(channel: string, seq: number, previousHash: Uint8Array, data: Uint8Array[]): CutBlock {
    const nonce = new Uint8Array(24);
    for (let i = 0; i < nonce.length; i++) nonce[i] = this.rng.int(256);
    const { block, bytes } = makeSignedBlock({
      number: BigInt(seq),
      previousHash,
      data,
      sign: (d) => this.identity.sign(d),
      signerIdentity: this.identity.serialized,
      nonce,
    });
    const cut: CutBlock = { seq, bytes, cutAt: this.kernel.now };
    this.headers.set(cut, block.header!);
    void channel;
    return cut;
  }

  /** Broadcast: a client's endorsed transaction, to be ordered into the next block. */
  submit(channel: string, tx: Uint8Array): void {
    const list = this.pending.get(channel) ?? [];
    list.push(tx);
    this.pending.set(channel, list);
  }

  /** A peer's deliver client connects (at start, on becoming leader, after a restart). */
  subscribe(target: DeliverTarget): void {
    this.streams.add(target);
    this.push(target);
  }

  /** Observers of every block handed to a deliver client (the invariants' "taken from the orderer"). */
  readonly deliveries: ((peer: number, channel: string, seq: number) => void)[] = [];

  unsubscribe(target: DeliverTarget): void {
    this.streams.delete(target);
  }

  /** Sends what the stream has not had yet, each block after a network delay, in order. */
  private readonly sentUpTo = new Map<DeliverTarget, number>();

  private push(t: DeliverTarget): void {
    if (!t.active() || !this.streams.has(t)) return;
    const chain = this.chains.get(t.channel)!;
    let from = Math.max(t.height(), this.sentUpTo.get(t) ?? 0);
    let at = 0;
    for (; from < chain.length; from++) {
      const fate = this.route(t.peer);
      if (typeof fate === 'string') {
        // The Deliver stream broke (the peer cannot reach the orderer): the deliver client
        // reconnects after a back-off and resumes from its ledger height.
        this.sentUpTo.delete(t);
        this.trace.emit(this.kernel.now, 'drop', -1, t.peer, 'Block', undefined, `deliver stream to the orderer broken: ${fate}`);
        this.kernel.after(RECONNECT_BACKOFF_MS, () => this.push(t));
        return;
      }
      at = Math.max(at, fate);
      const b = chain[from];
      const seq = from;
      this.kernel.after(at, () => {
        if (!t.active() || !this.streams.has(t)) return;
        for (const d of this.deliveries) d(t.peer, t.channel, seq);
        t.deliver(seq, b.bytes);
      });
    }
    this.sentUpTo.set(t, chain.length);
  }
}

/** How long a broken deliver client waits before reconnecting (a simplification of its back-off). */
const RECONNECT_BACKOFF_MS = 1000;
