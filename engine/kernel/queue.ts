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

  get size(): number {
    return this.n;
  }

  push(time: number, item: T): void {
    if (this.n === this.times.length) this.grow();
    let i = this.n++;
    const seq = this.nextSeq++;
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
