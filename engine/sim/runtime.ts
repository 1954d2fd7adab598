import type { Kernel } from '../kernel/kernel.js';
import type { Rng } from '../kernel/rng.js';
import type { Described, PendingWhat } from '../kernel/kernel.js';
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

  get peerIndex(): number {
    return this.peer;
  }

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
    const timer = new OneShot(this, this.generation, name, fn);
    this.kernel.after(ms, timer);
    return timer;
  }

  every(ms: number, name: string, fn: () => void): Timer {
    const ticker = new Ticker(this, this.kernel, this.generation, ms, name, fn);
    this.kernel.after(ms, ticker);
    return ticker;
  }

  /** Whether a timer made in process generation `gen` still belongs to a living process. */
  alive(gen: number): boolean {
    return gen === this.generation;
  }

  /** Holds fn until the process resumes (a paused process runs nothing). */
  hold(fn: () => void): void {
    this.held.push(fn);
  }

  /** A timer fires: traced, and the cause of whatever it does. */
  fire(name: string, fn: () => void): void {
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

/** What both kinds of protocol timer share: cancelling, and saying what they are while they wait. */
abstract class ProtocolTimer implements Timer, Described {
  cancelled = false;

  constructor(
    protected readonly rt: SimRuntime,
    private readonly gen: number,
    protected readonly name: string,
    protected readonly fn: () => void,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }

  /** Not cancelled, and its process has not been stopped or restarted since it was made. */
  protected get live(): boolean {
    return !this.cancelled && this.rt.alive(this.gen);
  }

  describe(): PendingWhat | null {
    return this.live ? { kind: 'timer', peer: this.rt.peerIndex, name: this.name } : null;
  }

  abstract run(): void;
  abstract discard(due: number): void;
}

/**
 * A one-shot timer (time.AfterFunc), queued as itself so the user can see it waiting and fire
 * it early, drop it or delay it by hand.
 */
class OneShot extends ProtocolTimer {
  run(): void {
    if (!this.live) return;
    this.rt.gate(() => this.live && this.rt.fire(this.name, this.fn));
  }

  discard(): void {
    this.cancelled = true;
  }
}

/** A Go ticker: re-queues itself each period; while paused, one tick waits and the rest drop. */
class Ticker extends ProtocolTimer {
  /** A tick held while the process is paused. */
  private pending = false;

  constructor(
    rt: SimRuntime,
    private readonly kernel: Kernel,
    gen: number,
    private readonly period: number,
    name: string,
    fn: () => void,
  ) {
    super(rt, gen, name, fn);
  }

  run(): void {
    if (!this.live) return;
    this.kernel.after(this.period, this);
    if (!this.rt.isPaused()) return this.rt.fire(this.name, this.fn);
    if (this.pending) return;
    this.pending = true;
    this.rt.hold(() => {
      this.pending = false;
      if (this.live) this.rt.fire(this.name, this.fn);
    });
  }

  /** This tick is skipped; the ticker goes on from when it was due. */
  discard(due: number): void {
    if (this.live) this.kernel.at(due + this.period, this);
  }
}
