/**
 * The kernel on the wall clock: live mode runs the same protocol code, timers and all, on a
 * Kernel whose events fire when their time comes instead of at once. Time 0 is when the driver
 * starts; an event due at t ms runs t ms later (as soon as the event loop lets it).
 */
import type { Kernel, Task } from '../kernel/kernel.js';

export class RealTimeKernel {
  private timer?: NodeJS.Timeout;
  private armedFor = Infinity;
  private startedAt = 0;
  private running = false;

  constructor(
    readonly kernel: Kernel,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Milliseconds since start by the wall clock. */
  elapsed(): number {
    return this.clock() - this.startedAt;
  }

  start(): void {
    this.startedAt = this.clock();
    this.running = true;
    this.pump();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Runs `task` now (an I/O event: a frame off a socket), in the kernel's order of things. */
  now(task: Task): void {
    this.kernel.at(Math.max(this.kernel.now, this.elapsed()), task);
    this.arm(0);
  }

  private readonly pump = (): void => {
    this.timer = undefined;
    this.armedFor = Infinity;
    if (!this.running) return;
    // Everything due by now, then sleep until the next event.
    this.kernel.runUntil(Math.max(this.kernel.now, this.elapsed()));
    const next = this.kernel.nextTime();
    if (next !== Infinity) this.arm(Math.max(0, next - this.elapsed()));
  };

  private arm(delay: number): void {
    if (!this.running) return;
    const due = this.elapsed() + delay;
    if (this.timer !== undefined && this.armedFor <= due) return;
    clearTimeout(this.timer);
    this.armedFor = due;
    this.timer = setTimeout(this.pump, delay);
  }
}
