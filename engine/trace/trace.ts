import type { TraceEvent, TraceKind } from './events.js';
import { StreamHasher } from './hash.js';

const KIND_CODE: Record<TraceKind, number> = {
  send: 1,
  deliver: 2,
  drop: 3,
  reject: 4,
  verify: 5,
  timer: 6,
  state: 7,
  log: 8,
  fault: 9,
};

/**
 * Event data that writes its own JSON, exactly as JSON.stringify would (same keys, same order,
 * numbers as Number#toString): the per-delivery timing, so the hot path skips the generic walk.
 */
export interface CanonicalJson {
  canonicalJson(): string;
}

/**
 * A trace event as a plain object whose optional fields are present only when set. Built by a
 * constructor, not a literal, so that V8 reserves room in the object for every field at once
 * (a literal of four fields grew a separate property store for the rest, on every event). Its
 * prototype is Object.prototype: to every reader (JSON, deepStrictEqual, structuredClone) it
 * is the same plain object the literal was.
 */
const buildEvent = function (
  this: TraceEvent,
  id: number,
  t: number,
  kind: TraceKind,
  peer: number,
  other: number | undefined,
  type: string | undefined,
  msg: number | undefined,
  parent: number,
  reason: string | undefined,
  data: Record<string, unknown> | undefined,
) {
  this.id = id;
  this.t = t;
  this.kind = kind;
  this.peer = peer;
  if (other !== undefined) this.other = other;
  if (type !== undefined) this.type = type;
  if (msg !== undefined) this.msg = msg;
  if (parent !== 0) this.parent = parent;
  if (reason !== undefined) this.reason = reason;
  if (data !== undefined) this.data = data;
};
const EventRecord = buildEvent as unknown as new (...args: Parameters<typeof buildEvent>) => TraceEvent;
EventRecord.prototype = Object.prototype;

export type TraceListener = (ev: TraceEvent) => void;

/**
 * The trace: a bounded ring of recent events (so long runs do not grow without bound), a
 * running hash over all of them, counters, and listeners (a JSON Lines file, the UI).
 */
export class Trace {
  private nextId = 1;
  private readonly ring: (TraceEvent | undefined)[];
  private head = 0;
  private readonly hasher: StreamHasher;
  private readonly listeners: TraceListener[] = [];
  /** The event being handled right now; new events name it as their parent. */
  cause = 0;
  private limitAt = Infinity;
  private onLimit: (() => void) | undefined;

  constructor(
    readonly capacity = 100_000,
    /** Distinct strings the running hash remembers (see REMEMBERED_STRINGS). */
    hashStringMemory?: number,
  ) {
    this.hasher = new StreamHasher(hashStringMemory);
    this.ring = new Array(capacity);
  }

  get count(): number {
    return this.nextId - 1;
  }

  /** Calls `fn` once, when the `n`-th event is recorded (the run's event bound). */
  atCount(n: number, fn: () => void): void {
    this.limitAt = n;
    this.onLimit = fn;
  }

  listen(l: TraceListener): () => void {
    this.listeners.push(l);
    return () => {
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  emit(
    t: number,
    kind: TraceKind,
    peer: number,
    other?: number,
    type?: string,
    msg?: number,
    reason?: string,
    data?: Record<string, unknown>,
  ): TraceEvent {
    const ev: TraceEvent = new EventRecord(this.nextId++, t, kind, peer, other, type, msg, this.cause, reason, data);
    this.record(ev);
    return ev;
  }

  private record(ev: TraceEvent): void {
    const h = this.hasher;
    h.head(KIND_CODE[ev.kind], ev.t, ev.peer, ev.other ?? -1);
    h.str(ev.type);
    h.f64x2(ev.msg ?? -1, ev.parent ?? 0);
    h.str(ev.reason);
    const data = ev.data as (Record<string, unknown> & Partial<CanonicalJson>) | undefined;
    if (data === undefined) h.i32(-1);
    else h.str(typeof data.canonicalJson === 'function' ? data.canonicalJson() : JSON.stringify(data, bigintToString));
    this.ring[this.head] = ev;
    this.head = (this.head + 1) % this.capacity;
    for (let i = 0; i < this.listeners.length; i++) this.listeners[i](ev);
    if (ev.id === this.limitAt) this.onLimit?.();
  }

  /** Distinct strings the running hash holds: bounded, however long the run. */
  get hashStrings(): number {
    return this.hasher.rememberedStrings;
  }

  /** SHA-256 over the canonical encoding of every event so far. */
  hash(): string {
    return this.hasher.digestHex();
  }

  /** The event with this id, while it is still in the ring. */
  byId(id: number): TraceEvent | undefined {
    if (id < 1 || id > this.count || id <= this.count - this.capacity) return undefined;
    return this.ring[(id - 1) % this.capacity];
  }

  /** The most recent events, oldest first (at most `capacity`). */
  recent(limit = this.capacity): TraceEvent[] {
    const out: TraceEvent[] = [];
    const n = Math.min(limit, this.capacity, this.count);
    for (let i = n; i > 0; i--) {
      const ev = this.ring[(this.head - i + this.capacity) % this.capacity];
      if (ev !== undefined) out.push(ev);
    }
    return out;
  }
}

export function bigintToString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
