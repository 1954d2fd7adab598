import { createHash } from 'node:crypto';

/**
 * A seeded PRNG (sfc32: small, fast, passes PractRand to 2^40+). Each concern gets its own
 * stream, derived from the scenario seed and a label, so that adding randomness to one
 * mechanism does not shift every other mechanism's choices.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string, label = '') {
    const h = createHash('sha256').update(`${seed}/${label}`).digest();
    this.a = h.readUInt32LE(0);
    this.b = h.readUInt32LE(4);
    this.c = h.readUInt32LE(8);
    this.d = h.readUInt32LE(12) | 1;
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A random uint64, as Fabric's nonces are (util.RandomUInt64). */
  u64(): bigint {
    return (BigInt(this.nextU32()) << 32n) | BigInt(this.nextU32());
  }

  /** Fisher-Yates over a copy: Fabric's util.GetRandomIndices / SelectPeers permute then take. */
  shuffled<T>(xs: readonly T[]): T[] {
    const out = xs.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  }

  /**
   * The first k elements of a random permutation that satisfy pred (filter.SelectPeers).
   * A lazy Fisher-Yates: only the positions actually drawn are swapped (in a small map), so
   * picking 3 of 1,000 peers costs a few draws, not a copy of the whole membership.
   */
  select<T>(k: number, xs: readonly T[], pred?: (x: T) => boolean): T[] {
    const out: T[] = [];
    const n = xs.length;
    if (k <= 0 || n === 0) return out;
    const swapped = new Map<number, number>();
    for (let i = 0; i < n && out.length < k; i++) {
      const j = i + this.int(n - i);
      const atJ = swapped.get(j) ?? j;
      swapped.set(j, swapped.get(i) ?? i);
      const x = xs[atJ];
      if (pred === undefined || pred(x)) out.push(x);
    }
    return out;
  }
}
