/**
 * The simulator's event queue: a binary min-heap ordered by (time, sequence), stored as
 * struct-of-arrays (typed arrays for the keys) because that measured about 2.7x faster than a
 * heap of {time, seq, item} objects (shared/reference/perf-limits.md section 3).
 * Equal times pop in insertion order, which is what makes runs reproducible.
 */
export class EventQueue<T> {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private items: (T | undefined)[] = new Array(1024);
  private n = 0;
  private nextSeq = 0;
  /** Sequence numbers below every other: an item the user moved to the front (deliver by hand). */
  private frontSeq = -1;

  get size(): number {
    return this.n;
  }

  /** Queues item; returns its sequence number (its name while it waits). */
  push(time: number, item: T): number {
    return this.insert(time, this.nextSeq++, item);
  }

  /** Queues item ahead of everything else due at `time` (the latest moved goes first). */
  pushFront(time: number, item: T): number {
    return this.insert(time, this.frontSeq--, item);
  }

  /** Puts back an item taken out with remove(), under its old sequence number (its old place). */
  restore(time: number, seq: number, item: T): void {
    this.insert(time, seq, item);
  }

  private insert(time: number, seq: number, item: T): number {
    if (this.n === this.times.length) this.grow();
    let i = this.n++;
    const times = this.times;
    const seqs = this.seqs;
    const items = this.items;
    // Sift up.
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (times[p] < time || (times[p] === time && seqs[p] < seq)) break;
      times[i] = times[p];
      seqs[i] = seqs[p];
      items[i] = items[p];
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    items[i] = item;
    return seq;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? this.times[0] : Infinity;
  }

  pop(): T | undefined {
    if (this.n === 0) return undefined;
    const times = this.times;
    const seqs = this.seqs;
    const items = this.items;
    const top = items[0];
    const last = --this.n;
    const t = times[last];
    const s = seqs[last];
    const it = items[last];
    items[last] = undefined;
    let i = 0;
    const n = this.n;
    // Sift down.
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (times[r] < times[c] || (times[r] === times[c] && seqs[r] < seqs[c]))) c = r;
      if (t < times[c] || (t === times[c] && s < seqs[c])) break;
      times[i] = times[c];
      seqs[i] = seqs[c];
      items[i] = items[c];
      i = c;
    }
    if (n > 0) {
      times[i] = t;
      seqs[i] = s;
      items[i] = it;
    }
    return top;
  }

  /** Every waiting item with its time and sequence number, in no particular order. */
  *entries(): Generator<{ time: number; seq: number; item: T }> {
    for (let i = 0; i < this.n; i++) yield { time: this.times[i], seq: this.seqs[i], item: this.items[i] as T };
  }

  /** Takes the item with sequence number `seq` out of the queue (a linear search: for user actions, not the hot path). */
  remove(seq: number): { time: number; item: T } | undefined {
    let i = 0;
    while (i < this.n && this.seqs[i] !== seq) i++;
    if (i === this.n) return undefined;
    const found = { time: this.times[i], item: this.items[i] as T };
    // The last entry fills the hole and then finds its place: up if it beats the parent, else down.
    const last = --this.n;
    const t = this.times[last];
    const s = this.seqs[last];
    const it = this.items[last];
    this.items[last] = undefined;
    if (i < last) {
      this.times[i] = t;
      this.seqs[i] = s;
      this.items[i] = it;
      this.siftUp(i);
      this.siftDown(i);
    }
    return found;
  }

  private before(a: number, b: number): boolean {
    return this.times[a] < this.times[b] || (this.times[a] === this.times[b] && this.seqs[a] < this.seqs[b]);
  }

  private swap(a: number, b: number): void {
    const t = this.times[a];
    this.times[a] = this.times[b];
    this.times[b] = t;
    const s = this.seqs[a];
    this.seqs[a] = this.seqs[b];
    this.seqs[b] = s;
    const it = this.items[a];
    this.items[a] = this.items[b];
    this.items[b] = it;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.n) return;
      if (c + 1 < this.n && this.before(c + 1, c)) c++;
      if (!this.before(c, i)) return;
      this.swap(i, c);
      i = c;
    }
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const t = new Float64Array(cap);
    t.set(this.times);
    const s = new Float64Array(cap);
    s.set(this.seqs);
    this.times = t;
    this.seqs = s;
    this.items.length = cap;
  }
}
