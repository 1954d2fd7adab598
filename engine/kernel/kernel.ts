import { EventQueue } from './queue.js';

/**
 * The deterministic kernel: a virtual clock and one event queue. Nothing in the engine waits on
 * real time; everything that "happens later" is a callback scheduled here, and the queue's
 * (time, sequence) order makes every run with the same inputs identical.
 */
export type Task = () => void;

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
    const task = this.queue.pop()!;
    this.now = t;
    this.executed++;
    task();
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
      task();
      if (shouldStop !== undefined && shouldStop()) return;
    }
    if (until > this.now && until !== Infinity) this.now = until;
    if (this.hooks.length > 0) this.runHooks(until);
  }
}
