/**
 * A live run's clock as the panel shows it: wall time since every process was up, less the time
 * the network was paused. Paused, it stands still; events keep their place on it.
 */
export class LiveClock {
  private readonly pauses: { from: number; to: number }[] = [];
  private since?: number;

  /** `wall`: wall-clock ms since the run started. */
  constructor(private readonly wall: () => number) {}

  get paused(): boolean {
    return this.since !== undefined;
  }

  /** Stops the clock now, or at `at` on it if that has passed (a timer that fired late still stops at its time). */
  pause(at?: number): void {
    if (this.since !== undefined) return;
    const w = this.wall();
    this.since = w - Math.max(0, at === undefined ? 0 : this.at(w) - at);
  }

  resume(): void {
    if (this.since === undefined) return;
    this.pauses.push({ from: this.since, to: this.wall() });
    this.since = undefined;
  }

  now(): number {
    return this.at(this.wall());
  }

  /** A wall time (ms since the run started) on this clock: the paused time before it taken out. */
  at(t: number): number {
    let off = 0;
    for (const p of this.pauses) off += Math.max(0, Math.min(t, p.to) - p.from);
    if (this.since !== undefined) off += Math.max(0, t - this.since);
    return t - off;
  }
}
