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

  /** Executes one event; false when nothing is left. */
  step(): boolean {
    const t = this.queue.peekTime();
    if (t === Infinity) return false;
    const task = this.queue.pop()!;
    this.now = t;
    this.executed++;
    task();
    return true;
  }

  /** Executes every event up to and including time `until`, then sets the clock to `until`. */
  runUntil(until: number, shouldStop?: () => boolean): void {
    const q = this.queue;
    while (q.peekTime() <= until) {
      const t = q.peekTime();
      const task = q.pop()!;
      this.now = t;
      this.executed++;
      task();
      if (shouldStop !== undefined && shouldStop()) return;
    }
    if (until > this.now && until !== Infinity) this.now = until;
  }
}
