import type { Rng } from './rng.js';

/**
 * What protocol code may use of the outside world. Fabric's packages get time, timers and
 * randomness from the Go runtime; ours get them from here, so the same code runs on the
 * simulator (virtual clock) and, later, on a real runtime.
 */
export interface Timer {
  cancel(): void;
}

export interface Runtime {
  /** Milliseconds since the network started. */
  now(): number;
  /** The current time as Go's time.Now().UnixNano(), used where Fabric stamps messages. */
  unixNano(): bigint;
  /** Calls fn once after ms; `name` labels the timer in the trace. */
  after(ms: number, name: string, fn: () => void): Timer;
  /** Calls fn every ms, first after ms (a Go ticker). */
  every(ms: number, name: string, fn: () => void): Timer;
  /** This peer's random stream (nonces, peer selection). */
  rng: Rng;
  /** Runs fn now, or, while the process is paused, when it resumes. */
  gate(fn: () => void): void;
  /** Whether the process is paused (callers skip building a closure for gate when it is not). */
  isPaused(): boolean;
}
