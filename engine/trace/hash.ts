import { createHash, type Hash } from 'node:crypto';

/**
 * Distinct strings the hash remembers for back-references. Every delivery's timing is its own
 * string, so an unbounded table grew with the run (about 4 MB per simulated second on 200 peers,
 * never freed). At this many the table stops growing: every shipped sample stays well under it
 * (the 200-peer lesson's 15 s see about 510,000), so their hashes are what they were.
 */
export const REMEMBERED_STRINGS = 1 << 20;

/**
 * Incremental SHA-256 over a compact binary encoding of the event sequence. Events are written
 * into a reusable buffer and hashed in 64 KiB chunks, so hashing tens of millions of events costs
 * well under a second, and the hash never depends on object key order or number formatting.
 */
export class StreamHasher {
  private readonly hash: Hash = createHash('sha256');
  private readonly buf = Buffer.allocUnsafe(1 << 16);
  private readonly view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  private pos = 0;
  private readonly strings = new Map<string, number>();

  constructor(
    /** Strings remembered at most; a new string past that is written in full every time. */
    readonly stringMemory = REMEMBERED_STRINGS,
  ) {
    if (!Number.isInteger(stringMemory) || stringMemory < 0) throw new Error(`StreamHasher: stringMemory must be a whole number ≥ 0, not ${stringMemory}`);
  }

  /** Strings remembered so far (at most `stringMemory`). */
  get rememberedStrings(): number {
    return this.strings.size;
  }

  private room(n: number): void {
    if (this.pos + n > this.buf.length) this.flush();
  }

  private flush(): void {
    if (this.pos > 0) this.hash.update(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  u8(x: number): void {
    this.room(1);
    this.buf[this.pos++] = x;
  }

  i32(x: number): void {
    this.room(4);
    this.view.setInt32(this.pos, x, true);
    this.pos += 4;
  }

  f64(x: number): void {
    this.room(8);
    this.view.setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  /** u8, f64, i32, i32 in one go (an event's fixed head: one room check, not four). */
  head(code: number, t: number, peer: number, other: number): void {
    this.room(17);
    const p = this.pos;
    this.buf[p] = code;
    this.view.setFloat64(p + 1, t, true);
    this.view.setInt32(p + 9, peer, true);
    this.view.setInt32(p + 13, other, true);
    this.pos = p + 17;
  }

  /** Two f64 in one go. */
  f64x2(a: number, b: number): void {
    this.room(16);
    this.view.setFloat64(this.pos, a, true);
    this.view.setFloat64(this.pos + 8, b, true);
    this.pos += 16;
  }

  /**
   * A string: its text the first time it is seen, a back-reference after that. Once the table is
   * full, a string not in it is written in full each time: still one decoding for every byte
   * stream (a reader keeps the same table), so different traces still hash differently.
   */
  str(s: string | undefined): void {
    if (s === undefined) return this.i32(-1);
    const known = this.strings.get(s);
    if (known !== undefined) return this.i32(known);
    if (this.strings.size < this.stringMemory) this.strings.set(s, this.strings.size);
    // Into the buffer, not a hash update of its own: the hash sees the same bytes either way.
    const len = Buffer.byteLength(s, 'utf8');
    this.i32(-2 - len);
    if (len > this.buf.length) {
      this.flush();
      this.hash.update(s, 'utf8');
      return;
    }
    this.room(len);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  digestHex(): string {
    this.flush();
    return this.hash.copy().digest('hex');
  }
}
