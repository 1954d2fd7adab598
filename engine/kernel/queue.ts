/**
 * The simulator's event queue: a binary min-heap of records ordered by (time, sequence). A
 * record is a few numbers and one slot: a kind code (what runs it), two integers (`a`: a
 * connection or peer handle; `b`: a trace cause) and a slot for the message, timer or task.
 * Stored as struct-of-arrays (typed arrays for the numbers), so queuing an event allocates
 * nothing and the heap moves numbers, not objects (an array of {time, seq, item} objects
 * measured about 2.7x slower: shared/reference/perf-limits.md section 3).
 * Equal times pop in insertion order, which is what makes runs reproducible.
 */
export class EventQueue {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private kinds = new Uint8Array(1024);
  private as = new Int32Array(1024);
  private bs = new Int32Array(1024);
  private slots: unknown[] = new Array(1024);
  private n = 0;
  private nextSeq = 0;
  /** Sequence numbers below every other: a record the user moved to the front (deliver by hand). */
  private frontSeq = -1;

  /** The record pop() took last: read these right after it (no object per pop). */
  kind = 0;
  a = 0;
  b = 0;
  slot: unknown = undefined;

  get size(): number {
    return this.n;
  }

  /** Queues a record; returns its sequence number (its name while it waits). */
  push(time: number, kind: number, a: number, b: number, slot: unknown): number {
    return this.insert(time, this.nextSeq++, kind, a, b, slot);
  }

  /** Queues a record ahead of everything else due at `time` (the latest moved goes first). */
  pushFront(time: number, kind: number, a: number, b: number, slot: unknown): number {
    return this.insert(time, this.frontSeq--, kind, a, b, slot);
  }

  /** Puts back a record taken out with remove(), under its old sequence number (its old place). */
  restore(time: number, seq: number, kind: number, a: number, b: number, slot: unknown): void {
    this.insert(time, seq, kind, a, b, slot);
  }

  /**
   * Takes record `seq` out of the queue into kind, a, b, slot; its time, or undefined when no
   * such record waits (a linear search: for a user's choice, not the hot path).
   */
  remove(seq: number): number | undefined {
    let i = 0;
    while (i < this.n && this.seqs[i] !== seq) i++;
    if (i === this.n) return undefined;
    const time = this.times[i];
    this.kind = this.kinds[i];
    this.a = this.as[i];
    this.b = this.bs[i];
    this.slot = this.slots[i];
    // Rebuild the heap without it: rare, and simpler than sifting the hole.
    const rest = this.waiting().filter((r) => r.seq !== seq);
    this.n = 0;
    for (const r of rest) this.insert(r.time, r.seq, r.kind, r.a, r.b, r.slot);
    this.slots[this.n] = undefined; // the one place the rebuilt heap no longer uses
    return time;
  }

  private insert(time: number, seq: number, kind: number, a: number, b: number, slot: unknown): number {
    if (this.n === this.times.length) this.grow();
    let i = this.n++;
    const times = this.times;
    const seqs = this.seqs;
    // Sift up.
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (times[p] < time || (times[p] === time && seqs[p] < seq)) break;
      this.move(p, i);
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    this.kinds[i] = kind;
    this.as[i] = a;
    this.bs[i] = b;
    this.slots[i] = slot;
    return seq;
  }

  /** Time of the earliest record, or Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? this.times[0] : Infinity;
  }

  /** Sequence number of the earliest record, or -1 when empty. */
  peekSeq(): number {
    return this.n > 0 ? this.seqs[0] : -1;
  }

  /** Takes the earliest record into kind, a, b, slot; false when empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    const times = this.times;
    const seqs = this.seqs;
    this.kind = this.kinds[0];
    this.a = this.as[0];
    this.b = this.bs[0];
    this.slot = this.slots[0];
    const last = --this.n;
    const t = times[last];
    const s = seqs[last];
    let i = 0;
    const n = this.n;
    // Sift the last record down from the root.
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (times[r] < times[c] || (times[r] === times[c] && seqs[r] < seqs[c]))) c = r;
      if (t < times[c] || (t === times[c] && s < seqs[c])) break;
      this.move(c, i);
      i = c;
    }
    if (i !== last) this.move(last, i);
    this.slots[last] = undefined;
    return true;
  }

  /**
   * Every waiting record, earliest first, as the kernel will run them (a sorted copy: for a
   * user looking at a stopped network, not the hot path).
   */
  waiting(): { time: number; seq: number; kind: number; a: number; b: number; slot: unknown }[] {
    const out = [];
    for (let i = 0; i < this.n; i++) out.push({ time: this.times[i], seq: this.seqs[i], kind: this.kinds[i], a: this.as[i], b: this.bs[i], slot: this.slots[i] });
    return out.sort((x, y) => x.time - y.time || x.seq - y.seq);
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from];
    this.seqs[to] = this.seqs[from];
    this.kinds[to] = this.kinds[from];
    this.as[to] = this.as[from];
    this.bs[to] = this.bs[from];
    this.slots[to] = this.slots[from];
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const grown = <A extends Float64Array | Int32Array | Uint8Array>(old: A, make: new (n: number) => A): A => {
      const x = new make(cap);
      x.set(old);
      return x;
    };
    this.times = grown(this.times, Float64Array);
    this.seqs = grown(this.seqs, Float64Array);
    this.kinds = grown(this.kinds, Uint8Array);
    this.as = grown(this.as, Int32Array);
    this.bs = grown(this.bs, Int32Array);
    this.slots.length = cap;
  }
}
