/**
 * One simulated network as the engine worker runs it: loads the scenario, runs it at a chosen
 * speed in short slices (so requests are answered between slices), steps, injects faults, and
 * posts batched frames at most ~30 times a second. No worker_threads here: the worker entry
 * (engine-worker.ts) feeds it messages, and tests can drive it directly.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { loadScenario, ScenarioError } from '../engine/scenario/load.js';
import { faultActionOf } from '../engine/ui/faults.js';
import { Simulation } from '../engine/sim/simulation.js';
import { summarise } from '../engine/sim/summary.js';
import { TRACE_VERSION, type TraceEvent } from '../engine/trace/events.js';
import { bigintToString } from '../engine/trace/trace.js';
import { isShiVizPath, toShiViz } from '../engine/trace/shiviz.js';
import { activeFaults } from '../engine/ui/active-faults.js';
import { toUiEvent } from '../engine/ui/ui-event.js';
import { describeMessage, describePeer, networkOf, peerStates } from '../engine/ui/inspect.js';
import { CHECK_EVERY_MS, ExpectationWatch } from '../engine/sim/expectations.js';
import { BUILT_IN_INVARIANTS, InvariantWatch, type Violation } from '../engine/debug/invariants.js';
import type { Invariant } from '../engine/scenario/types.js';
import { watchFigures } from '../engine/figures/watch.js';
import type { Figures } from '../engine/figures/types.js';
import type { FaultRequest, RunState, UiEvent, UiStatus, UiViolation } from './protocol.js';
import { ReplayCheck } from '../engine/trace/replay-check.js';
import { linesHash } from '../engine/trace/saved-trace.js';
import pkg from '../package.json';
import type { FromWorker, OpenRequest, ToWorker } from './worker-protocol.js';

const FRAME_INTERVAL_MS = 33;
/** Longest stretch of engine work between two looks at the message queue. */
const SLICE_BUDGET_MS = 25;
/** Events one frame carries at most; older ones beyond this are counted as skipped. */
export const MAX_FRAME_EVENTS = 4096;
/** Events without a trace event that one Step runs through at most before it stops anyway. */
const SILENT_STEPS_MAX = 10_000;
/** Broken invariants a status carries at most (the latest). */
const MAX_VIOLATIONS_SHOWN = 20;
/** Queries the panel may add: each one is evaluated after every event. */
export const MAX_PANEL_INVARIANTS = 20;

function uiViolation(sim: Simulation, v: Violation): UiViolation {
  const peer = sim.peers[v.event.peer]?.id;
  return { invariant: v.invariant, detail: v.detail, t: v.event.t, eventId: v.event.id, ...(peer !== undefined ? { peer } : {}) };
}

export class EngineSession {
  private sim?: Simulation;
  private source?: OpenRequest;
  private state: RunState = 'paused';
  private speed = 1;
  private until = 0;
  private pending: TraceEvent[] = [];
  private skipped = 0;
  private timer?: NodeJS.Timeout | NodeJS.Immediate;
  private lastTickAt = 0;
  private lastFrameAt = -Infinity;
  /** The lesson's expectations, judged as the run goes. */
  private watch?: ExpectationWatch;
  /** Faults injected from the UI in this run (saved with an exported trace, to replay it). */
  private applied: { at: number; afterEvents: number; fault: FaultRequest }[] = [];
  /** When replaying a saved trace: what the run must reproduce, checked line by line as it goes. */
  private replay?: { until: number; check: ReplayCheck };
  /** stepTo: the message type to stop at, and whether it has been sent. */
  private stopAtSend?: string;
  private stopHit = false;
  /** The charts' figures, watched from the network's first event. */
  private figures?: () => Figures;
  /** Invariants checked at every event; the run stops where one breaks, like a breakpoint. */
  private invariants?: InvariantWatch;
  /** Queries added from the panel: they belong to this network, so a reset keeps them. */
  private panelInvariants: Invariant[] = [];
  private broken: UiViolation[] = [];
  /** Every invariant that has broken in this run, however many violations came since. */
  private everBroken = new Set<string>();

  constructor(
    private readonly post: (m: FromWorker) => void,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  async handle(m: ToWorker): Promise<void> {
    if (m.type === 'open') return this.open(m);
    const sim = this.sim;
    if (sim === undefined) {
      if ('requestId' in m) this.post({ type: 'requestFailed', requestId: m.requestId, message: 'no network is open' });
      else this.post({ type: 'error', message: 'no network is open' });
      return;
    }
    switch (m.type) {
      case 'control':
        if (m.action === 'run') return this.run(m.until);
        if (m.action === 'pause') return this.pause();
        if (m.action === 'step') return this.step();
        return this.open({ ...this.source!, speed: this.speed }, { reset: true });
      case 'stepTo':
        this.stopAtSend = m.messageType;
        this.stopHit = false;
        return this.run(undefined);
      case 'speed':
        this.speed = Math.max(0, m.speed);
        return this.flush();
      case 'fault':
        return this.fault(sim, m.fault);
      case 'inspectMessage':
        return this.post({ type: 'messageDetail', msg: m.msg, detail: describeMessage(sim, m.msg, sim.trace.recent()) });
      case 'inspectPeer':
        return this.post({ type: 'peerDetail', idx: m.idx, detail: describePeer(sim, m.idx) });
      case 'metrics':
        return this.post({ type: 'metrics', requestId: m.requestId, summary: summarise(sim) });
      case 'figures':
        return this.post({ type: 'figures', figures: this.figures?.() ?? null });
      case 'history': {
        // Only what frames have already carried: the pending events follow in the next frame.
        const held = this.pending.length;
        const recent = sim.trace.recent(m.limit + held);
        return this.post({ type: 'history', requestId: m.requestId, events: recent.slice(0, Math.max(0, recent.length - held)).map((e) => toUiEvent(sim, e)) });
      }
      case 'addInvariantQuery': {
        if (this.panelInvariants.length >= MAX_PANEL_INVARIANTS) {
          return this.post({ type: 'invariantRefused', requestId: m.requestId, inQuery: false, problem: `at most ${MAX_PANEL_INVARIANTS} invariants can be added to a network (each is evaluated after every event); Reset does not remove them, opening the network again does` });
        }
        const inv: Invariant = { name: m.name, holds: m.holds };
        let holdsNow: boolean;
        try {
          ({ holdsNow } = this.invariants!.add(inv));
        } catch (err) {
          return this.post({ type: 'invariantRefused', requestId: m.requestId, inQuery: true, problem: (err as Error).message });
        }
        this.panelInvariants.push(inv);
        this.post({ type: 'invariantAdded', requestId: m.requestId, holdsNow });
        return this.flush();
      }
      case 'exportTrace':
        try {
          const { events, lost } = await exportTrace(sim, m.path, this.source!, this.applied);
          return this.post({ type: 'exported', requestId: m.requestId, path: m.path, events, lost });
        } catch (err) {
          return this.post({ type: 'requestFailed', requestId: m.requestId, message: (err as Error).message });
        }
    }
  }

  dispose(): void {
    this.stopLoop();
    this.invariants?.dispose();
    this.invariants = undefined;
    this.sim = undefined;
  }

  private async open(req: OpenRequest, how: { reset?: boolean } = {}): Promise<void> {
    let sim: Simulation;
    try {
      const scenario = loadScenario(req.text, req.file);
      sim = await Simulation.create(scenario, { traceCapacity: Math.max(1000, req.maxTraceEvents) });
    } catch (err) {
      const diagnostics = err instanceof ScenarioError ? err.diagnostics : [];
      this.post({ type: 'openFailed', openId: req.openId, message: (err as Error).message, diagnostics });
      return;
    }
    // The old network goes only now: a scenario that does not load leaves it open.
    this.dispose();
    this.source = { ...req, openId: undefined };
    this.speed = Math.max(0, req.speed);
    this.state = 'paused';
    this.pending = [];
    this.skipped = 0;
    this.stopAtSend = undefined;
    this.sim = sim;
    this.until = sim.scenario.run.until;
    this.figures = watchFigures(sim);
    this.replay = req.replay === undefined ? undefined : { until: req.replay.until, check: new ReplayCheck(req.replay, pkg.version) };
    // Events of the network's creation (if any) are checked too: the replay check sees every event.
    const check = this.replay?.check;
    for (let id = 1; check !== undefined && id <= sim.trace.count; id++) {
      const ev = sim.trace.byId(id);
      if (ev !== undefined) check.see(ev);
    }
    sim.trace.listen((ev) => this.collect(ev));
    this.watch = sim.scenario.expect.length > 0 ? new ExpectationWatch(sim) : undefined;
    if (!how.reset) this.panelInvariants = [];
    this.invariants = new InvariantWatch(sim);
    // Added as the panel added them: each one watched from when it holds (they parsed before).
    for (const inv of this.panelInvariants) this.invariants.add(inv);
    this.broken = [];
    this.everBroken = new Set();
    this.applied = [];
    if (req.replay !== undefined) {
      this.until = req.replay.until;
      // The recorded UI faults happen again at their times: the run is the recorded one.
      for (const { at, afterEvents, fault } of req.replay.faults) sim.kernel.afterEvents(afterEvents, at, () => this.fault(sim, fault));
    }
    // Peers start at time 0 as scheduled events, so a first step already shows something.
    sim.start();
    this.post({ type: 'opened', openId: req.openId, network: networkOf(sim), status: this.status(), states: peerStates(sim) });
  }

  private collect(ev: TraceEvent): void {
    this.replay?.check.see(ev);
    this.pending.push(ev);
    // Drop the oldest in bulk (not one by one) so a flat-out run stays linear.
    if (this.pending.length >= 2 * MAX_FRAME_EVENTS) {
      const extra = this.pending.length - MAX_FRAME_EVENTS;
      this.pending.splice(0, extra);
      this.skipped += extra;
    }
    if (this.stopAtSend !== undefined && ev.kind === 'send' && ev.type === this.stopAtSend) this.stopHit = true;
  }

  private run(until: number | undefined): void {
    if (until !== undefined) this.until = until;
    if (this.reachedUntil()) {
      this.state = 'finished';
      return this.flush();
    }
    this.state = 'running';
    this.lastTickAt = this.clock();
    this.flush();
    this.schedule();
  }

  /**
   * The run is over only when every event at `until` has run too: a slice that stops between
   * two events of the same instant is not the end (a saved run would end at a position that
   * depends on the wall clock, and its replay would not reproduce it).
   */
  private reachedUntil(): boolean {
    const k = this.sim!.kernel;
    return k.now >= this.until && k.nextTime() > this.until;
  }

  private pause(): void {
    this.stopLoop();
    this.stopAtSend = undefined;
    if (this.state === 'running') this.state = 'paused';
    this.flush();
  }

  private step(): void {
    this.stopLoop();
    this.stopAtSend = undefined;
    // One step is one event the user can see: kernel events that record nothing (a silent
    // timer, a peer's start scheduled a moment later) are run on the way to it.
    const sim = this.sim!;
    const before = sim.trace.count;
    let more = sim.kernel.step();
    for (let i = 0; more && sim.trace.count === before && i < SILENT_STEPS_MAX; i++) more = sim.kernel.step();
    this.watch?.evaluate();
    this.state = more ? 'paused' : 'finished';
    this.takeViolations(sim);
    if (sim.kernel.halted !== undefined) this.post({ type: 'error', message: sim.kernel.halted });
    this.flush();
  }

  private fault(sim: Simulation, f: FaultRequest): void {
    const action = faultActionOf(f, sim.kernel.now);
    this.applied.push({ at: sim.kernel.now, afterEvents: sim.kernel.executed, fault: f });
    try {
      sim.inject(action);
    } catch (err) {
      this.post({ type: 'error', message: `cannot ${f.kind}: ${(err as Error).message}` });
    }
    // A fault can break an invariant by itself (a crash, while paused): say so now.
    this.takeViolations(sim);
    this.flush();
  }

  private schedule(): void {
    // Flat out: yield only to let messages in. Timed: a slice every few ms is smooth enough.
    this.timer = this.speed === 0 || this.stopAtSend !== undefined ? setImmediate(this.tick) : setTimeout(this.tick, 8);
  }

  private stopLoop(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = undefined;
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    const sim = this.sim;
    if (sim === undefined || this.state !== 'running') return;
    const now = this.clock();
    const flatOut = this.speed === 0 || this.stopAtSend !== undefined;
    const target = flatOut ? this.until : Math.min(this.until, sim.kernel.now + (now - this.lastTickAt) * this.speed);
    this.lastTickAt = now;
    // Sliced by time, not by event count: the clock is read after every event (far cheaper than
    // one), so a slice of a few slow events (a 200-peer membership response) ends on time too.
    const deadline = now + SLICE_BUDGET_MS;
    const invariants = this.invariants!;
    this.advance(target, () => this.stopHit || invariants.broken || this.clock() > deadline);
    if (this.takeViolations(sim)) {
      this.stopAtSend = undefined;
      this.stopHit = false;
      this.state = this.reachedUntil() ? 'finished' : 'paused';
      if (this.state === 'finished') this.checkReplay(sim);
      return this.flush();
    }
    if (this.stopHit) {
      this.stopAtSend = undefined;
      this.stopHit = false;
      this.state = 'paused';
      return this.flush();
    }
    if (sim.kernel.halted !== undefined) {
      // The engine stopped it at the event bound: finished here, and the user is told why.
      this.state = 'finished';
      this.post({ type: 'error', message: sim.kernel.halted });
      return this.flush();
    }
    if (this.reachedUntil()) {
      this.state = 'finished';
      this.checkReplay(sim);
      return this.flush();
    }
    if (this.clock() - this.lastFrameAt >= FRAME_INTERVAL_MS) this.flush();
    this.schedule();
  };

  /** Records what broke since the last look and tells the host; whether anything did. */
  private takeViolations(sim: Simulation): boolean {
    const found = this.invariants?.take() ?? [];
    for (const v of found) {
      const violation = uiViolation(sim, v);
      // Bounded: a run continued past a broken query keeps the latest few.
      this.broken.push(violation);
      if (this.broken.length > MAX_VIOLATIONS_SHOWN) this.broken.shift();
      this.everBroken.add(v.invariant);
      this.post({ type: 'invariantBroken', violation });
    }
    return found.length > 0;
  }

  /** A replay that reached the recorded end: did it reproduce the recorded run exactly? */
  private checkReplay(sim: Simulation): void {
    const r = this.replay;
    if (r === undefined || sim.kernel.now < r.until) return;
    this.replay = undefined;
    this.post({ type: 'replayChecked', ...r.check.verdict(sim.trace.count, sim.trace.hash()) });
  }

  /**
   * Runs towards `target`, stopping at every expectation check point so that each expectation
   * is judged at its own time, however fast the run goes.
   */
  private advance(target: number, shouldStop: () => boolean): void {
    const sim = this.sim!;
    const watch = this.watch;
    if (watch === undefined) return sim.kernel.runUntil(target, shouldStop);
    let stopped = false;
    const stop = () => (stopped = shouldStop());
    // Until every event at `target` has run: a slice that stopped between two events of that
    // very instant must finish them next time (checking only the clock never did, and the
    // run spun without finishing).
    while ((sim.kernel.now < target || sim.kernel.nextTime() <= target) && sim.kernel.halted === undefined) {
      const next = Math.min(target, (Math.floor(sim.kernel.now / CHECK_EVERY_MS) + 1) * CHECK_EVERY_MS);
      sim.kernel.runUntil(next, stop);
      watch.evaluate();
      if (stopped) return;
    }
  }

  private status(): UiStatus {
    const sim = this.sim!;
    const status: UiStatus = { simTime: sim.kernel.now, events: sim.trace.count, state: this.state, speed: this.speed, until: this.until };
    const faults = activeFaults(sim);
    if (faults.length > 0) status.faults = faults;
    if (this.watch !== undefined) status.expectations = this.watch.results.map((r) => ({ ...r }));
    const fromPanel = new Set(this.panelInvariants);
    status.invariants = {
      builtIn: Object.keys(BUILT_IN_INVARIANTS),
      queries: [...sim.scenario.invariants, ...this.panelInvariants].map((i) => ({ name: i.name, holds: i.holds, fromPanel: fromPanel.has(i), hasBroken: this.everBroken.has(i.name) })),
      builtInBroken: Object.keys(BUILT_IN_INVARIANTS).filter((n) => this.everBroken.has(n)),
      broken: this.broken,
    };
    return status;
  }

  /** Posts one frame with everything since the last one. */
  private flush(): void {
    const sim = this.sim;
    if (sim === undefined) return;
    const events = this.pending.length > MAX_FRAME_EVENTS ? this.pending.slice(-MAX_FRAME_EVENTS) : this.pending;
    const skipped = this.skipped + (this.pending.length - events.length);
    this.pending = [];
    this.skipped = 0;
    this.lastFrameAt = this.clock();
    this.post({ type: 'frame', status: this.status(), events: events.map((e) => toUiEvent(sim, e)), states: peerStates(sim), skipped });
  }
}

/** JSON Lines as the CLI writes them: a header, then the events still in memory. */
async function exportTrace(sim: Simulation, path: string, source: { text: string; file: string }, faults: { at: number; afterEvents: number; fault: FaultRequest }[]): Promise<{ events: number; lost: number }> {
  const events = sim.trace.recent();
  if (isShiVizPath(path)) {
    await writeFile(path, toShiViz(events, sim.peers.map((p) => p.id)));
    return { events: events.length, lost: sim.trace.count - events.length };
  }
  // The header carries what it takes to replay the run exactly: the scenario as it was opened,
  // the faults injected from the UI, and the end, event count and hash to check against; and
  // which version saved it and a hash of its event lines, to tell an edit from a version change.
  const lines = events.map((e) => JSON.stringify(e, bigintToString));
  const header = {
    gossipScope: pkg.version,
    linesHash: linesHash(lines),
    traceVersion: TRACE_VERSION,
    scenario: sim.scenario.name,
    seed: sim.scenario.seed,
    peers: sim.peers.map((p) => p.id),
    file: source.file,
    scenarioText: source.text,
    faults,
    simTime: sim.kernel.now,
    events: sim.trace.count,
    traceHash: sim.trace.hash(),
  };
  const out = createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.on('finish', resolve);
  });
  out.write(JSON.stringify(header) + '\n');
  for (let i = 0; i < lines.length; i += 4096) {
    const chunk = lines.slice(i, i + 4096);
    if (!out.write(chunk.join('\n') + '\n')) await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), done]);
  }
  out.end();
  await done;
  return { events: events.length, lost: sim.trace.count - events.length };
}
