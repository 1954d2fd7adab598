/**
 * A debugged run that can go backwards. The engine is deterministic, so "the network as it was
 * after event N" is always reachable by building the network again from its scenario and seed
 * and re-executing N kernel events (with the faults the user injected, at the same points).
 * Building and re-executing is slow at depth (tens of thousands of events a second), so spare
 * networks are prepared in idle time, parked a little behind the head: stepping back then costs
 * at most SPARE_SPACING events of re-execution instead of the whole history.
 *
 * A position is a count of executed kernel events (tasks). Each task may emit trace events;
 * the debugger stops only after tasks that emitted some (the visible positions).
 */
import { loadScenario } from '../scenario/load.js';
import { LIMITS, MAX_EXACT_INTEGER } from '../scenario/bounds.js';
import { runCostProblem } from '../scenario/run-cost.js';
import type { FaultAction } from '../scenario/types.js';
import { Simulation } from '../sim/simulation.js';
import type { TraceEvent } from '../trace/events.js';
import { InvariantWatch, type Violation } from './invariants.js';

export interface RunSource {
  file: string;
  text: string;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Trace events kept in memory per network (causal chains reach back this far). */
  traceCapacity?: number;
}

/** A fault the user injected while debugging: replayed at the same position in every rebuild. */
export interface InjectedFault {
  afterEvents: number;
  at: number;
  action: FaultAction;
}

/** Tasks between a spare and the position it serves: the most a step back re-executes. */
export const SPARE_SPACING = 2000;
/** Spares kept ready: consecutive step backs that need no rebuild. */
export const SPARES = 2;
/** Longest stretch of background work before yielding to requests. */
const SLICE_MS = 12;

/** One network, its invariants, and the trace events of the last task it executed. */
export class Cursor {
  stepEvents: TraceEvent[] = [];
  /** Watches the network from its first event: every rebuild finds the same violations. */
  readonly invariants: InvariantWatch;

  constructor(readonly sim: Simulation) {
    sim.trace.listen((ev) => this.stepEvents.push(ev));
    this.invariants = new InvariantWatch(sim);
  }

  get position(): number {
    return this.sim.kernel.executed;
  }

  /** Executes one task at or before `until`; false when there is none. */
  task(until: number): boolean {
    const k = this.sim.kernel;
    if (k.nextTime() > until) return false;
    this.stepEvents = [];
    return k.step();
  }

  /**
   * Re-executes up to `position` (never past it). A fault the user injected right there is
   * applied too, as it was when it was injected.
   */
  advanceTo(position: number, deadline = Infinity): void {
    const k = this.sim.kernel;
    let n = 0;
    while (k.executed < position) {
      this.stepEvents = [];
      if (!k.step()) break;
      if ((++n & 255) === 0 && performance.now() > deadline) return;
    }
    if (k.executed === position) k.runDueHooks();
  }
}

export async function buildNetwork(src: RunSource, faults: readonly InjectedFault[]): Promise<Simulation> {
  const scenario = loadScenario(src.text, src.file);
  if (src.seed !== undefined) {
    if (!Number.isSafeInteger(src.seed) || src.seed < 0) throw new Error(`"seed" must be an integer between 0 and ${MAX_EXACT_INTEGER} (${LIMITS.seed.why}), got ${JSON.stringify(src.seed)}`);
    scenario.seed = src.seed;
  }
  const sim = await Simulation.create(scenario, { traceCapacity: src.traceCapacity ?? 100_000 });
  for (const f of faults) sim.kernel.afterEvents(f.afterEvents, f.at, () => applyInjected(sim, f.action));
  sim.start();
  return sim;
}

/** Applies a fault as the UI does: traced as a fault event, then handed to the engine. */
export function applyInjected(sim: Simulation, a: FaultAction): void {
  sim.inject(a);
}

export class DebugRun {
  head: Cursor;
  /** Sorted positions after which the head stopped or could have (tasks that emitted events). */
  private visible: number[] = [];
  private spares: Cursor[] = [];
  private readonly faults: InjectedFault[] = [];
  private building?: Promise<void>;
  private disposed = false;
  /** Bumped whenever history changes (a new fault): spares built before are for another run. */
  private generation = 0;
  /** False while the debugger runs the head: spares are built only while the user looks. */
  idle = true;

  private constructor(
    readonly source: RunSource,
    first: Simulation,
    /** Simulated ms the run goes to. */
    readonly until: number,
  ) {
    this.head = new Cursor(first);
  }

  static async open(source: RunSource, until?: number): Promise<DebugRun> {
    const sim = await buildNetwork(source, []);
    // A launch's own "until" is bounded as the scenario's run.until is.
    const cost = until === undefined ? undefined : runCostProblem(sim.scenario, until);
    if (cost !== undefined) throw new Error(`"until": ${cost}`);
    return new DebugRun(source, sim, until ?? sim.scenario.run.until);
  }

  get sim(): Simulation {
    return this.head.sim;
  }

  get position(): number {
    return this.head.position;
  }

  get atEnd(): boolean {
    return this.sim.kernel.halted !== undefined || this.sim.kernel.nextTime() > this.until;
  }

  /** The invariants the last step broke (empty when none). */
  violations: Violation[] = [];

  /** Executes tasks until one emits trace events; those events, or null at the end. */
  step(): TraceEvent[] | null {
    for (;;) {
      if (!this.head.task(this.until)) return null;
      if (this.head.stepEvents.length > 0) {
        this.violations = this.head.invariants.take();
        this.visible.push(this.head.position);
        return this.head.stepEvents;
      }
    }
  }

  /** The visible position before `pos` (0, the start, when there is none). */
  previousVisible(pos: number): number {
    let lo = 0;
    let hi = this.visible.length - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.visible[mid] < pos) {
        best = this.visible[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  /** Moves the head to exactly `position` (backwards through a spare or a rebuild). */
  async travelTo(position: number): Promise<void> {
    if (position >= this.head.position) {
      this.head.advanceTo(position);
      this.head.invariants.take();
      this.violations = [];
      return;
    }
    await this.building; // a spare being built may be the one we need
    let best: Cursor | undefined;
    for (const c of this.spares) if (c.position <= position && (best === undefined || c.position > best.position)) best = c;
    if (best !== undefined) this.spares.splice(this.spares.indexOf(best), 1);
    else best = new Cursor(await buildNetwork(this.source, this.faults));
    best.advanceTo(position);
    // What broke on the way here was reported when it first happened.
    best.invariants.take();
    this.violations = [];
    this.head = best;
    // Visible positions past the head are re-learnt as the run goes forward again.
    while (this.visible.length > 0 && this.visible[this.visible.length - 1] > position) this.visible.pop();
  }

  /**
   * A fresh network run to `position`, checking each task that emitted events (reverse
   * continue's search); `begin` sees the network before its first event.
   */
  async scan(position: number, visit: (c: Cursor) => void, begin?: (c: Cursor) => void): Promise<void> {
    const c = new Cursor(await buildNetwork(this.source, this.faults));
    begin?.(c);
    while (c.position < position) {
      c.stepEvents = [];
      if (!c.sim.kernel.step()) break;
      if (c.stepEvents.length > 0) visit(c);
    }
  }

  /**
   * Injects a fault now. History after the head is forgotten (it would have run without it),
   * and spares are rebuilt with it.
   */
  async inject(action: FaultAction): Promise<void> {
    const at = this.head.position;
    const later = this.faults.some((f) => f.afterEvents > at);
    for (let i = this.faults.length - 1; i >= 0; i--) if (this.faults[i].afterEvents > at) this.faults.splice(i, 1);
    if (later) {
      // The head carries hooks for faults that no longer happen: rebuild it without them.
      const c = new Cursor(await buildNetwork(this.source, this.faults));
      c.advanceTo(at);
      c.invariants.take();
      this.head = c;
    }
    this.generation++;
    this.spares = [];
    // Applied before it is recorded: a fault the network refuses is not replayed on every rebuild.
    applyInjected(this.sim, action);
    this.faults.push({ afterEvents: at, at: this.sim.kernel.now, action });
  }

  get injected(): readonly InjectedFault[] {
    return this.faults;
  }

  /** Where spares should stand so that the next step back from the head is cheap. */
  private spareTarget(): number {
    const target = this.previousVisible(this.head.position);
    return Math.floor(target / SPARE_SPACING) * SPARE_SPACING;
  }

  /**
   * Prepares spares in the background, in slices that leave room for requests; resolves when
   * SPARES of them stand at the current target. Call again after the head moves.
   */
  prepareSpares(): Promise<void> {
    if (this.building !== undefined) return this.building;
    const job = this.buildSpares().finally(() => {
      if (this.building === job) this.building = undefined;
    });
    this.building = job;
    return job;
  }

  private async buildSpares(): Promise<void> {
    const gen = this.generation;
    for (;;) {
      if (this.disposed || gen !== this.generation) return;
      const target = this.spareTarget();
      const limit = this.previousVisible(this.head.position);
      // Spares beyond what a step back needs are useless; keep the nearest ones below it.
      this.spares = this.spares.filter((c) => c.position <= limit);
      this.spares.sort((a, b) => b.position - a.position);
      this.spares.length = Math.min(this.spares.length, SPARES);
      const ready = this.spares.filter((c) => c.position >= target).length;
      if (ready >= SPARES) return;
      // The furthest-behind spare moves up if it can; otherwise a new network is built.
      const lagging = this.spares.find((c) => c.position < target);
      const c = lagging ?? new Cursor(await buildNetwork(this.source, this.faults));
      if (lagging === undefined) this.spares.push(c);
      while (c.position < target) {
        if (this.disposed || gen !== this.generation) return;
        if (this.idle) c.advanceTo(target, performance.now() + SLICE_MS);
        await new Promise<void>((r) => (this.idle ? setImmediate(r) : setTimeout(r, 50)));
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.spares = [];
  }
}
