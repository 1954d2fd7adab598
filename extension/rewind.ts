/**
 * Step Back for the panel's own network (the engine worker's run). The engine is deterministic:
 * the network as it was after kernel event N is a fresh network from the same scenario and faults,
 * re-executed N events. Building one takes most of a second and re-executing costs about as much
 * as running did, so spares stand ready one and two steps behind the head, brought up to date
 * while the user looks (never while the run runs): a step back takes a spare as it is.
 * (The debugger's run.ts does the same for a debug session, whose networks carry no panel state.)
 */
import { lastBelow } from '../engine/debug/run.js';
import type { Simulation } from '../engine/sim/simulation.js';

/** A network with what watches it from its first event (figures, expectations, invariants). */
export interface Rewindable {
  sim: Simulation;
  /** Re-executes up to `position` (never past it), by `deadline`; true once there. */
  advanceTo(position: number, deadline: number): boolean;
  dispose(): void;
}

/** Spares kept: the first and second step back are ready at once. */
export const SPARES = 2;
/** Longest stretch of background work before the worker looks at its messages again. */
const SLICE_MS = 10;
/**
 * Quiet time before spares are made. Building a network is one synchronous stretch (its
 * identities' keys: 0.5–2 s), during which a click waits: it is done once the user has stopped
 * clicking, not between two steps.
 */
export const QUIET_BEFORE_SPARES_MS = 1000;

export class Rewind<N extends Rewindable> {
  /** Positions (kernel events executed) after which events were recorded: where a step back can stop. */
  private visible: number[] = [];
  /** Spares, each parked at or before the position it serves. */
  private spares: N[] = [];
  private preparing = false;
  private quiet?: NodeJS.Timeout;
  private disposed = false;
  /** Bumped when history changes (a fault injected, a step back): spares made before are for another run. */
  private generation = 0;
  /** While false (the run is running), spares wait. */
  idle = true;

  constructor(private readonly build: () => Promise<N>) {}

  /** The head executed up to `position` and recorded events there. */
  noteVisible(position: number): void {
    const last = this.visible[this.visible.length - 1];
    if (last === undefined || position > last) this.visible.push(position);
  }

  /** The visible position before `pos` (0, the start, when there is none). */
  previous(pos: number): number {
    return lastBelow(this.visible, pos);
  }

  /**
   * A network exactly at `position` (behind the head): a spare brought there, or a new one.
   * What the head did after it is forgotten; going forward records it again.
   */
  async networkAt(position: number): Promise<N> {
    this.generation++;
    let best: N | undefined;
    for (const s of this.spares) if (s.sim.kernel.executed <= position && (best === undefined || s.sim.kernel.executed > best.sim.kernel.executed)) best = s;
    if (best !== undefined) this.spares.splice(this.spares.indexOf(best), 1);
    const net = best ?? (await this.build());
    net.advanceTo(position, Infinity);
    while (this.visible.length > 0 && this.visible[this.visible.length - 1] > position) this.visible.pop();
    // Spares past the new head serve nothing any more.
    for (const s of this.spares.filter((x) => x.sim.kernel.executed > position)) s.dispose();
    this.spares = this.spares.filter((x) => x.sim.kernel.executed <= position);
    return net;
  }

  /** History changed at the head (a fault): every spare re-executes without it, so all go. */
  forgetSpares(): void {
    this.generation++;
    for (const s of this.spares) s.dispose();
    this.spares = [];
  }

  /** Brings spares up to one and two steps behind `head`, in slices, once the user has been quiet a moment. */
  prepare(head: () => number): void {
    clearTimeout(this.quiet);
    this.quiet = setTimeout(() => {
      if (this.preparing || this.disposed) return;
      this.preparing = true;
      void this.prepareLoop(head).finally(() => (this.preparing = false));
    }, QUIET_BEFORE_SPARES_MS);
  }

  private async prepareLoop(head: () => number): Promise<void> {
    for (;;) {
      if (this.disposed || !this.idle) return;
      const gen = this.generation;
      const first = this.previous(head());
      const targets = [first, this.previous(first)].slice(0, SPARES);
      this.spares.sort((a, b) => b.sim.kernel.executed - a.sim.kernel.executed);
      // Each target gets the furthest spare not past it; missing ones are built.
      const todo = targets.map((t, i) => ({ t, spare: this.spares[i] as N | undefined }));
      const job = todo.find(({ t, spare }) => spare === undefined || spare.sim.kernel.executed !== t);
      if (job === undefined) return;
      let spare = job.spare;
      if (spare === undefined || spare.sim.kernel.executed > job.t) {
        const fresh = await this.build();
        if (this.disposed || gen !== this.generation) {
          fresh.dispose();
          continue; // the head moved meanwhile: look at the targets again
        }
        if (spare !== undefined) {
          this.spares.splice(this.spares.indexOf(spare), 1);
          spare.dispose();
        }
        this.spares.push(fresh);
        spare = fresh;
      }
      while (gen === this.generation && this.idle && !this.disposed && !spare.advanceTo(job.t, performance.now() + SLICE_MS)) {
        await new Promise<void>((r) => setImmediate(r));
      }
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.quiet);
    for (const s of this.spares) s.dispose();
    this.spares = [];
  }
}
