import { EventQueue } from './queue.js';

/**
 * The deterministic kernel: a virtual clock and one event queue. Nothing in the engine waits on
 * real time; everything that "happens later" is a callback scheduled here, and the queue's
 * (time, sequence) order makes every run with the same inputs identical.
 */
export type Task = (() => void) | Described;

/** What a queued event is, for a user who picks what happens next (deliver by hand). */
export type PendingWhat =
  | { kind: 'message'; from: number; to: number; type: string; msg: number }
  | { kind: 'timer'; peer: number; name: string };

/**
 * A queued event that can say what it is: messages in flight and protocol timers. It costs
 * what the closure it replaces cost (one object), so the hot path pays nothing for it.
 */
export interface Described {
  run(): void;
  /** What it is; null when it will do nothing when its time comes (a cancelled timer). */
  describe(): PendingWhat | null;
  /** The user dropped it, due at `due`: a message is lost, a ticker skips this tick. */
  discard(due: number): void;
  /** The same event once more (a message delivered twice); absent where that means nothing. */
  copy?(): Described;
}

/** A described event built from a closure, for rare events (handshakes) where one more object costs nothing. */
export class Labelled implements Described {
  constructor(
    private readonly fn: () => void,
    private readonly what: PendingWhat,
    private readonly onDiscard: () => void,
  ) {}

  run(): void {
    this.fn();
  }

  describe(): PendingWhat {
    return this.what;
  }

  discard(): void {
    this.onDiscard();
  }
}

/** A described event waiting in the queue: `seq` names it while it waits. */
export interface PendingEvent {
  seq: number;
  at: number;
  what: PendingWhat;
}

/** What a user may do with a waiting event (the scheduler's place, as in Oddity or DSLabs). */
export type HandOp = 'next' | 'drop' | 'duplicate' | 'delay';

function run(task: Task): void {
  if (typeof task === 'function') task();
  else task.run();
}

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
  private readonly queue = new EventQueue<Task>();

  /** Runs `task` at absolute simulated time `at` (never earlier than now). */
  at(at: number, task: Task): void {
    this.queue.push(at < this.now ? this.now : at, task);
  }

  /** Every described event waiting, in the order they would run. */
  pendingEvents(): PendingEvent[] {
    const out: PendingEvent[] = [];
    for (const { time, seq, item } of this.queue.entries()) {
      if (typeof item === 'function') continue;
      const what = item.describe();
      if (what !== null) out.push({ seq, at: time, what });
    }
    return out.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /**
   * What waiting event `seq` is, if `op` can be done to it; else a sentence saying why not.
   * A linear search: for a user's choice, not the hot path.
   */
  check(op: HandOp, seq: number, ms = 0): PendingWhat | string {
    let found: Described | undefined;
    for (const e of this.queue.entries()) if (e.seq === seq && typeof e.item !== 'function') found = e.item;
    const what = found?.describe() ?? null;
    if (found === undefined || what === null) return `no message in flight or timer pending is #${seq} now`;
    if (op === 'duplicate' && found.copy === undefined) {
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
    const found = this.queue.remove(seq);
    if (found === undefined || typeof found.item === 'function') throw new Error(`no described event #${seq} is waiting`);
    const item = found.item;
    switch (op) {
      case 'next':
        this.queue.pushFront(this.now, item);
        return;
      case 'drop':
        return item.discard(found.time);
      case 'duplicate':
        this.queue.restore(found.time, seq, item);
        this.queue.push(found.time, item.copy!());
        return;
      case 'delay':
        this.queue.push(found.time + ms, item);
        return;
    }
  }

  /** Runs `task` after `delay` simulated ms. */
  after(delay: number, task: Task): void {
    this.queue.push(this.now + (delay > 0 ? delay : 0), task);
  }

  get pending(): number {
    return this.queue.size;
  }

  nextTime(): number {
    return this.queue.peekTime();
  }

  /** Hooks that run once exactly `n` events have executed (replaying what a user did then). */
  private readonly hooks: { n: number; t: number; fn: () => void }[] = [];

  /**
   * Runs fn when exactly `n` events have executed, with the clock at `t` (which must not be
   * earlier than the n-th event). A saved run's UI faults replay this way: same events before,
   * same instant, so the replay is the same run.
   */
  afterEvents(n: number, t: number, fn: () => void): void {
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
    const task = this.queue.pop()!;
    this.now = t;
    this.executed++;
    run(task);
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
      const task = q.pop()!;
      this.now = t;
      this.executed++;
      run(task);
      if (shouldStop !== undefined && shouldStop()) return;
    }
    if (until > this.now && until !== Infinity) this.now = until;
    if (this.hooks.length > 0) this.runHooks(until);
  }
}
