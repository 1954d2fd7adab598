import type { Kernel } from '../kernel/kernel.js';
import type { Rng } from '../kernel/rng.js';
import type { Runtime, Timer } from '../kernel/runtime.js';
import type { Trace } from '../trace/trace.js';

/** Simulated wall clock: time 0 of every run is this instant, so UnixNano stamps are reproducible. */
export const EPOCH_MS = Date.UTC(2026, 0, 1);

export function unixNanoAt(simMs: number, epochMs = EPOCH_MS): bigint {
  return (BigInt(epochMs) * 1000n + BigInt(Math.round(simMs * 1000))) * 1000n;
}

/**
 * One peer's runtime on the simulator. Timers belong to a process generation: when the peer
 * crashes, the generation moves on and every timer of the old process silently dies, as the
 * goroutines of a killed process do.
 */
export class SimRuntime implements Runtime {
  private generation = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly trace: Trace,
    private readonly peer: number,
    readonly rng: Rng,
    /** Wall-clock ms of time 0: the simulator's fixed epoch, or (live mode) the process's start. */
    private readonly epochMs = EPOCH_MS,
  ) {}

  now(): number {
    return this.kernel.now;
  }

  unixNano(): bigint {
    return unixNanoAt(this.kernel.now, this.epochMs);
  }

  private paused = false;
  private held: (() => void)[] = [];

  /** The process dies: all its timers with it. */
  stop(): void {
    this.generation++;
    this.paused = false;
    this.held = [];
  }

  /** SIGSTOP: nothing runs; what comes due waits (a ticker keeps one pending tick). */
  pause(): void {
    this.paused = true;
  }

  /** SIGCONT: everything that waited runs now, in order. */
  resume(): void {
    this.paused = false;
    const held = this.held;
    this.held = [];
    for (const fn of held) fn();
  }

  isPaused(): boolean {
    return this.paused;
  }

  gate(fn: () => void): void {
    if (this.paused) this.held.push(fn);
    else fn();
  }

  after(ms: number, name: string, fn: () => void): Timer {
    const gen = this.generation;
    const timer = { cancelled: false, cancel: () => (timer.cancelled = true) };
    this.kernel.after(ms, () => {
      if (timer.cancelled || gen !== this.generation) return;
      this.gate(() => !timer.cancelled && gen === this.generation && this.fire(name, fn));
    });
    return timer;
  }

  every(ms: number, name: string, fn: () => void): Timer {
    const gen = this.generation;
    const timer = { cancelled: false, cancel: () => (timer.cancelled = true) };
    let pending = false;
    const tick = () => {
      if (timer.cancelled || gen !== this.generation) return;
      this.kernel.after(ms, tick);
      if (!this.paused) return this.fire(name, fn);
      // Paused: Go's ticker keeps one tick in its channel and drops the rest.
      if (pending) return;
      pending = true;
      this.held.push(() => {
        pending = false;
        if (!timer.cancelled && gen === this.generation) this.fire(name, fn);
      });
    };
    this.kernel.after(ms, tick);
    return timer;
  }

  private fire(name: string, fn: () => void): void {
    const tr = this.trace;
    const prev = tr.cause;
    tr.cause = 0;
    const ev = tr.emit(this.kernel.now, 'timer', this.peer, undefined, undefined, undefined, name);
    tr.cause = ev.id;
    try {
      fn();
    } finally {
      tr.cause = prev;
    }
  }
}
