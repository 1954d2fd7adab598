import { EventQueue } from './queue.js';

/**
 * The deterministic kernel: a virtual clock and one event queue. Nothing in the engine waits on
 * real time; everything that "happens later" is a record queued here, and the queue's
 * (time, sequence) order makes every run with the same inputs identical.
 *
 * The busy events (messages in flight, protocol timers) are records of a registered kind,
 * run by their kind's handler with no closure made per event; rare ones (a peer's start, an
 * orderer's cut) are plain tasks.
 */
export type Task = () => void;

/** What a waiting event is, for a user looking at a stopped network. */
export type PendingWhat =
  | { kind: 'message'; from: number; to: number; type: string; msg: number }
  | { kind: 'timer'; peer: number; name: string };

/** A waiting event as the user sees it, in the order the kernel will run it. */
export interface PendingEvent {
  /** Its sequence number: names it while it waits. */
  seq: number;
  at: number;
  what: PendingWhat;
}

/** Runs the records of one kind: registered once, then called with each record's fields. */
export interface RecordKind<S> {
  run(a: number, b: number, slot: S): void;
  /** What the record is; null when it will do nothing when its time comes (a cancelled timer). */
  describe(a: number, b: number, slot: S): PendingWhat | null;
  /** The user dropped it, due at `due`: a message is lost, a ticker skips this tick. */
  discard(a: number, b: number, slot: S, due: number): void;
  /** Whether it may run twice (a message arriving twice); a handshake or a timer may not. */
  readonly copyable: boolean;
}

/** What a user may do with a waiting event, in the scheduler's place (as in Oddity or DSLabs). */
export type HandOp = 'next' | 'drop' | 'duplicate' | 'delay';

/** Kind 0: a plain task, the slot its function. */
const TASK = 0;

export class Kernel {
  /** Simulated milliseconds since the network started. */
  now = 0;
  /** Events executed so far. */
  executed = 0;
  /**
   * Why the run was stopped short (a bound it reached), or undefined: once set, no event runs
   * and the clock stays where it stopped. Counted in events, never in wall time, so a run
   * halts at the same event every time.
   */
  halted: string | undefined;
  private readonly queue = new EventQueue();
  private readonly kinds: RecordKind<never>[] = [];

  /** Runs `task` at absolute simulated time `at` (never earlier than now). */
  at(at: number, task: Task): void {
    this.queue.push(at < this.now ? this.now : at, TASK, 0, 0, task);
  }

  /** Runs `task` after `delay` simulated ms. */
  after(delay: number, task: Task): void {
    this.queue.push(this.now + (delay > 0 ? delay : 0), TASK, 0, 0, task);
  }

  /**
   * The code of a kind of record, registered on first use (kinds are module constants, so a
   * kernel has a handful); it goes with each record queued by recordAfter/recordAt.
   */
  kindCode<S>(kind: RecordKind<S>): number {
    const i = this.kinds.indexOf(kind as RecordKind<never>);
    if (i >= 0) return i + 1; // codes start at 1: 0 is TASK
    if (this.kinds.length >= 255) throw new Error('too many kinds of record (255 at most)');
    this.kinds.push(kind as RecordKind<never>);
    return this.kinds.length;
  }

  /** Queues a record of kind `code` to run after `delay` simulated ms. */
  recordAfter(delay: number, code: number, a: number, b: number, slot: unknown): void {
    this.queue.push(this.now + (delay > 0 ? delay : 0), code, a, b, slot);
  }

  /** Queues a record of kind `code` to run at absolute simulated time `at` (never earlier than now). */
  recordAt(at: number, code: number, a: number, b: number, slot: unknown): void {
    this.queue.push(at < this.now ? this.now : at, code, a, b, slot);
  }

  /**
   * Every message in flight and every live protocol timer, in the order they will run (plain
   * tasks, such as a peer's start, are the simulator's own and not listed).
   */
  pendingEvents(): PendingEvent[] {
    const out: PendingEvent[] = [];
    for (const r of this.queue.waiting()) {
      if (r.kind === TASK) continue;
      const what = this.kinds[r.kind - 1].describe(r.a, r.b, r.slot as never);
      if (what !== null) out.push({ seq: r.seq, at: r.time, what });
    }
    return out;
  }

  /**
   * What waiting event `seq` is, if `op` can be done to it; else a sentence saying why not.
   * A linear search: for a user's choice, not the hot path.
   */
  check(op: HandOp, seq: number, ms = 0): PendingWhat | string {
    const r = this.queue.waiting().find((x) => x.seq === seq);
    const what = r === undefined || r.kind === TASK ? null : this.kinds[r.kind - 1].describe(r.a, r.b, r.slot as never);
    if (r === undefined || what === null) return `no message in flight or timer pending is #${seq} now`;
    if (op === 'duplicate' && !this.kinds[r.kind - 1].copyable) {
      return what.kind === 'timer' ? 'a timer cannot be duplicated: only a message can arrive twice' : `a ${what.type} cannot be duplicated: its handshake would run twice on one stream`;
    }
    if (op === 'delay' && !(Number.isFinite(ms) && ms > 0)) return `a delay must be a positive number of ms, got ${ms}`;
    return what;
  }

  /**
   * The user's choice for waiting event `seq`, which check() allowed: run it next (before
   * everything else, at the current time), drop it, queue a second copy right after it, or
   * delay it by `ms`.
   */
  choose(op: HandOp, seq: number, ms = 0): void {
    const q = this.queue;
    const due = q.remove(seq);
    if (due === undefined) throw new Error(`no message in flight or timer pending is #${seq} now`);
    const { kind, a, b, slot } = q;
    q.slot = undefined;
    if (kind === TASK) {
      q.restore(due, seq, kind, a, b, slot); // the simulator's own task: put back untouched
      throw new Error(`no message in flight or timer pending is #${seq} now`);
    }
    switch (op) {
      case 'next':
        q.pushFront(this.now, kind, a, b, slot);
        return;
      case 'drop':
        return this.kinds[kind - 1].discard(a, b, slot as never, due);
      case 'duplicate':
        q.restore(due, seq, kind, a, b, slot);
        q.push(due, kind, a, b, slot);
        return;
      case 'delay':
        q.push(due + ms, kind, a, b, slot);
        return;
    }
  }

  /** Runs the record pop() just took. */
  private runPopped(): void {
    const q = this.queue;
    const kind = q.kind;
    const slot = q.slot;
    q.slot = undefined;
    if (kind === TASK) (slot as Task)();
    else this.kinds[kind - 1].run(q.a, q.b, slot as never);
  }

  get pending(): number {
    return this.queue.size;
  }

  nextTime(): number {
    return this.queue.peekTime();
  }

  /** Sequence number of the event that runs next (matches a PendingEvent's seq), or -1. */
  nextSeq(): number {
    return this.queue.peekSeq();
  }

  /** Hooks that run once exactly `n` events have executed (replaying what a user did then). */
  private readonly hooks: { n: number; t: number; fn: Task }[] = [];

  /**
   * Runs fn when exactly `n` events have executed, with the clock at `t` (which must not be
   * earlier than the n-th event). A saved run's UI faults replay this way: same events before,
   * same instant, so the replay is the same run.
   */
  afterEvents(n: number, t: number, fn: Task): void {
    this.hooks.push({ n, t, fn });
    this.hooks.sort((a, b) => a.n - b.n);
  }

  private runHooks(limit: number): void {
    while (this.hooks.length > 0 && this.hooks[0].n === this.executed && this.hooks[0].t <= limit) {
      const h = this.hooks.shift()!;
      if (h.t > this.now) this.now = h.t;
      h.fn();
    }
  }

  /** Runs the hooks due now (exactly `executed` events done) without executing an event. */
  runDueHooks(): void {
    if (this.hooks.length > 0) this.runHooks(Infinity);
  }

  /** Stops the run for good, saying why (the first reason given is kept). */
  halt(reason: string): void {
    this.halted ??= reason;
  }

  /** Executes one event; false when nothing is left (or the run was halted). */
  step(): boolean {
    if (this.halted !== undefined) return false;
    if (this.hooks.length > 0) this.runHooks(Infinity);
    const t = this.queue.peekTime();
    if (t === Infinity) return false;
    this.queue.pop();
    this.now = t;
    this.executed++;
    this.runPopped();
    return true;
  }

  /**
   * Executes every event up to and including time `until`, then sets the clock to `until`;
   * a halted run stops where it is instead.
   */
  runUntil(until: number, shouldStop?: () => boolean): void {
    const q = this.queue;
    for (;;) {
      if (this.halted !== undefined) return;
      if (this.hooks.length > 0) this.runHooks(until);
      if (q.peekTime() > until) break;
      const t = q.peekTime();
      q.pop();
      this.now = t;
      this.executed++;
      this.runPopped();
      if (shouldStop !== undefined && shouldStop()) return;
    }
    if (until > this.now && until !== Infinity) this.now = until;
    if (this.hooks.length > 0) this.runHooks(until);
  }
}
