/**
 * A peer's ledger for one channel: the committed blocks and the world state their transactions
 * write. Transactions here are small JSON documents ({txId, writes: [[key, value]]}) standing in
 * for Fabric's endorsed envelopes; every peer applies the same writes in block order, so world
 * states can be compared across peers by digest.
 */
import { createHash } from 'node:crypto';
import { decodeBlock } from '../wire/codec.js';

/** A private write of a transaction, as the block has it: only the hash of the write set. */
export interface PvtRef {
  txId: string;
  collection: string;
  /** SHA-256 (hex) of the private write set. */
  hash: string;
  /** PKI-ID (hex) of the endorsing peer: asked first when the data must be pulled. */
  endorser: string;
  seqInBlock: number;
}

export interface Tx {
  txId: string;
  writes: [string, string][];
  pvt: PvtRef[];
}

/** Transactions of a block, parsed once per block however many peers commit it. */
const parsed = new WeakMap<Uint8Array, Tx[]>();

export function transactionsOf(blockBytes: Uint8Array): Tx[] {
  let txs = parsed.get(blockBytes);
  if (txs === undefined) {
    const list: Tx[] = [];
    txs = list;
    try {
      for (const d of decodeBlock(blockBytes).data?.data ?? []) {
        try {
          const tx = JSON.parse(Buffer.from(d).toString('utf8')) as Partial<Tx> & { pvt?: Partial<PvtRef>[] };
          if (typeof tx.txId !== 'string' || !Array.isArray(tx.writes)) continue;
          const txId = tx.txId;
          const pvt = (Array.isArray(tx.pvt) ? tx.pvt : []).map((r) => ({
            txId,
            collection: String(r.collection),
            hash: String(r.hash),
            endorser: String(r.endorser ?? ''),
            seqInBlock: list.length,
          }));
          list.push({ txId, writes: tx.writes.filter((w) => Array.isArray(w) && w.length === 2).map((w) => [String(w[0]), String(w[1])]), pvt });
        } catch {
          // Not one of ours (the genesis block): no writes.
        }
      }
    } catch {
      // A block that does not decode never passes VerifyBlock; nothing to apply.
    }
    parsed.set(blockBytes, txs);
  }
  return txs;
}

export class Ledger {
  readonly blocks = new Map<number, Uint8Array>();
  readonly worldState = new Map<string, string>();
  height = 0;

  constructor(genesis?: Uint8Array) {
    if (genesis !== undefined) this.commit(0, genesis);
  }

  commit(seq: number, block: Uint8Array): void {
    this.blocks.set(seq, block);
    this.height = seq + 1;
    for (const tx of transactionsOf(block)) for (const [k, v] of tx.writes) this.worldState.set(k, v);
  }

  /** SHA-256 over the sorted key/value pairs: equal digests, equal world states. */
  stateDigest(): string {
    const h = createHash('sha256');
    for (const k of [...this.worldState.keys()].sort()) h.update(k).update('\0').update(this.worldState.get(k)!).update('\0');
    return h.digest('hex');
  }
}
