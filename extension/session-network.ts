/**
 * One network of the engine worker's run with everything that watches it from its first event:
 * the charts' figures, the lesson's expectations, the invariants, a saved trace's replay check,
 * and the faults the user injected, applied again at the same points. The session shows one;
 * Step Back (rewind.ts) keeps spares of them a step or two behind.
 */
import { InvariantWatch } from '../engine/debug/invariants.js';
import type { Figures } from '../engine/figures/types.js';
import { watchFigures } from '../engine/figures/watch.js';
import { watchDeadDeclarations } from '../engine/ui/dead-declarations.js';
import { loadScenario } from '../engine/scenario/load.js';
import type { Invariant } from '../engine/scenario/types.js';
import { CHECK_EVERY_MS, ExpectationWatch } from '../engine/sim/expectations.js';
import { Simulation } from '../engine/sim/simulation.js';
import type { TraceEvent } from '../engine/trace/events.js';
import { ReplayCheck } from '../engine/trace/replay-check.js';
import { faultActionOf } from '../engine/ui/faults.js';
import pkg from '../package.json';
import type { FaultRequest } from './protocol.js';
import type { Rewindable } from './rewind.js';
import type { OpenRequest } from './worker-protocol.js';

/** A fault injected from the UI (or recorded in a saved trace): when, and what. */
export interface AppliedFault {
  at: number;
  afterEvents: number;
  fault: FaultRequest;
}

export class SessionNetwork implements Rewindable {
  /** Each trace event as it happens, once the session shows this network. */
  onEvent?: (ev: TraceEvent) => void;
  /** A recorded fault applied by a hook (the session flushes, and says if it was refused). */
  onFault?: (f: AppliedFault, error?: Error) => void;
  /** Whether a recorded fault still happens (one injected later than a newer one does not). */
  wanted: (f: AppliedFault) => boolean = () => true;
  /** The events of the last kernel event that recorded any, and its position. */
  private lastStep: TraceEvent[] = [];
  private lastStepAt = -1;

  private constructor(
    readonly sim: Simulation,
    readonly figures: () => Figures,
    readonly watch: ExpectationWatch | undefined,
    readonly invariants: InvariantWatch,
    readonly check: ReplayCheck | undefined,
  ) {}

  /** Loads the scenario (throws ScenarioError) and starts the network; `faults` happen again where they did. */
  static async build(req: OpenRequest, faults: readonly AppliedFault[], panelInvariants: readonly Invariant[]): Promise<SessionNetwork> {
    const scenario = loadScenario(req.text, req.file);
    const sim = await Simulation.create(scenario, { traceCapacity: Math.max(1000, req.maxTraceEvents) });
    const check = req.replay === undefined ? undefined : new ReplayCheck(req.replay, pkg.version);
    // Events of the network's creation (if any) are checked too: the replay check sees every event.
    for (let id = 1; check !== undefined && id <= sim.trace.count; id++) {
      const ev = sim.trace.byId(id);
      if (ev !== undefined) check.see(ev);
    }
    const watch = sim.scenario.expect.length > 0 ? new ExpectationWatch(sim) : undefined;
    const invariants = new InvariantWatch(sim);
    // Added as the panel added them: each one watched from when it holds (they parsed before).
    for (const inv of panelInvariants) invariants.add(inv);
    const net = new SessionNetwork(sim, watchFigures(sim), watch, invariants, check);
    // Who declares whom dead, from the start (the panel's "dead to 6/6 · 23.1s").
    watchDeadDeclarations(sim);
    sim.trace.listen((ev) => {
      check?.see(ev);
      if (sim.kernel.executed !== net.lastStepAt) {
        net.lastStepAt = sim.kernel.executed;
        net.lastStep = [];
      }
      net.lastStep.push(ev);
      net.onEvent?.(ev);
    });
    for (const f of faults) sim.kernel.afterEvents(f.afterEvents, f.at, () => net.wanted(f) && net.applyFault(f));
    // Peers start at time 0 as scheduled events, so a first step already shows something.
    sim.start();
    return net;
  }

  /** The events of the step that led to this moment. */
  stepEvents(): readonly TraceEvent[] {
    return this.lastStep;
  }

  /** Applies a fault as the UI does: traced as a fault event, then handed to the engine. */
  applyFault(f: AppliedFault): void {
    const sim = this.sim;
    const action = faultActionOf(f.fault, sim.kernel.now);
    let error: Error | undefined;
    try {
      sim.inject(action);
    } catch (err) {
      error = err as Error;
    }
    this.onFault?.(f, error);
  }

  /**
   * Re-executes to `position` by `deadline`, judging the expectations at their check points as
   * a run does. What broke on the way was told when it first happened: it is not told again.
   */
  advanceTo(position: number, deadline: number): boolean {
    const k = this.sim.kernel;
    let n = 0;
    while (k.executed < position) {
      if (this.watch !== undefined && Math.floor(k.nextTime() / CHECK_EVERY_MS) > Math.floor(k.now / CHECK_EVERY_MS)) this.watch.evaluate();
      if (!k.step()) break;
      if ((++n & 31) === 0 && performance.now() > deadline) {
        this.invariants.take();
        return false;
      }
    }
    if (k.executed === position) k.runDueHooks();
    this.invariants.take();
    return true;
  }

  dispose(): void {
    this.onEvent = undefined;
    this.onFault = undefined;
    this.invariants.dispose();
  }
}
