/**
 * The Debug Adapter Protocol over a gossip network: peers are threads, an event and its causes
 * are the call stack, a peer's state is the Variables tree, and the run can go backwards.
 * The same class runs inline in VS Code and over stdio (`gossip-scope dap`).
 *
 * Stepping: Step Over runs to the next event; Step Into follows the message the current step
 * sent to its receiver; Step Out runs until the current event's consequences (every message
 * it caused, transitively) have been delivered or dropped; Step Back and Reverse Continue
 * re-execute deterministically (run.ts).
 */
import { basename, resolve } from 'node:path';
import {
  Breakpoint,
  CompletionItem,
  Event,
  InitializedEvent,
  Scope,
  Source,
  StackFrame,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { MESSAGE_TYPES } from '../fabric/message-types.js';
import { ScenarioError, readScenarioText } from '../scenario/load.js';
import type { FaultRequest } from '../../extension/protocol.js';
import { faultActionOf } from '../ui/faults.js';
import type { TraceEvent } from '../trace/events.js';
import { describeMessage, describePeer, jsonSafe, networkOf, peerStates } from '../ui/inspect.js';
import { BreakpointSet, type Breakpoint as GossipBreakpoint, type Hit } from './breakpoints.js';
import { ExprError } from './expr.js';
import { GuardedDebugSession } from './guarded-session.js';
import type { Violation } from './invariants.js';
import { causalChain, eventLabel, lastEventAt, peerName } from './frames.js';
import { peerStateTree } from './peer-state.js';
import { eventValue, evaluate, FUNCTIONS, VARIABLES, type Value } from './queries.js';
import { DebugRun } from './run.js';
import { ChangeTracker } from './changes.js';
import { declarationLines, faultAtLine, faultLines } from './scenario-lines.js';
import { preview, VariableTree } from './variables.js';

export interface GossipLaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** The scenario file. */
  scenario: string;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Simulated time to run to: ms, or a duration such as "90s". Defaults to the scenario's run.until. */
  until?: number | string;
  /** Stop before the first event (default true). */
  stopOnEntry?: boolean;
}

/** Panel events (custom DAP events) the extension forwards to the network graph. */
export const PANEL_EVENT = 'gossipScope.panel';
/** Events one panel frame carries at most. */
const PANEL_MAX_EVENTS = 4096;
/** Work between two looks at incoming requests (pause) during continue. */
const SLICE_MS = 20;

type StopReason = 'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'data breakpoint' | 'pause' | 'goto' | 'exception';

/** How a run in progress decides it has arrived (besides breakpoints, pause and the end). */
type Goal = (events: TraceEvent[]) => TraceEvent | undefined;

/**
 * Every request reaches these handlers through GuardedDebugSession: its arguments are those
 * request-schema.ts gives the command, and a command that needs a network comes only with one.
 */
export class GossipDebugSession extends GuardedDebugSession {
  private run?: DebugRun;
  private scenarioPath = '';
  private faultSpans: [number, number][] = [];
  /** Where each org (and the orderer) is declared in the scenario. */
  private declared = new Map<string, number>();
  private readonly bps = new BreakpointSet();
  private functionBps: GossipBreakpoint[] = [];
  private lineBps: GossipBreakpoint[] = [];
  private dataBps: GossipBreakpoint[] = [];
  /** The event the session is stopped at (undefined at the start of the run). */
  private current?: TraceEvent;
  /** Every event of the step stopped at. */
  private stepEvents: TraceEvent[] = [];
  private readonly vars = new VariableTree();
  private readonly changes = new ChangeTracker();
  private busy = false;
  private pauseRequested = false;
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((r) => (this.configured = r));
  /** The invariant broken where the session last stopped on one. */
  private violation?: Violation;
  /** The last trace event id the panel has seen. */
  private panelSeen = 0;
  /** A launch is under way (a second one is refused). */
  private launching = false;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected get running(): boolean {
    return this.run !== undefined;
  }

  // --- lifecycle -------------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsStepBack: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsDataBreakpoints: true,
      supportsCompletionsRequest: true,
      supportsExceptionInfoRequest: true,
      completionTriggerCharacters: ['(', ' ', ','],
      supportsTerminateRequest: true,
      supportsEvaluateForHovers: false,
      supportsDelayedStackTraceLoading: false,
    };
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: GossipLaunchArguments): Promise<void> {
    if (this.run !== undefined || this.launching) return this.sendErrorResponse(response, { id: 1006, format: 'a network is already running in this session: one launch per session', showUser: true });
    this.launching = true;
    try {
      this.scenarioPath = resolve(args.scenario);
      const text = readScenarioText(this.scenarioPath);
      const until = args.until === undefined ? undefined : parseUntil(args.until);
      this.run = await DebugRun.open({ file: this.scenarioPath, text, seed: args.seed }, until);
      this.faultSpans = faultLines(text);
      this.declared = declarationLines(text);
    } catch (err) {
      const message = err instanceof ScenarioError ? err.message : `Cannot start: ${(err as Error).message}`;
      this.sendErrorResponse(response, { id: 1001, format: message, showUser: true });
      this.sendEvent(new TerminatedEvent());
      return;
    } finally {
      this.launching = false;
    }
    this.sendPanel({ kind: 'open', network: networkOf(this.sim), status: this.status(), states: peerStates(this.sim) });
    this.sendEvent(new InitializedEvent());
    // Breakpoints come between Initialized and configurationDone; start only after them.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.configurationDone, new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
    this.sendResponse(response);
    if (args.stopOnEntry === false) void this.go(() => undefined);
    else this.stopAt('entry', undefined, 'Before the first event');
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configured();
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.pauseRequested = true;
    this.run?.dispose();
    this.run = undefined;
    this.changes.dispose();
    this.sendResponse(response);
    // Over stdio the process ends with the session; inline in VS Code this does nothing.
    this.shutdown();
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.pauseRequested = true;
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  private get sim() {
    return this.run!.sim;
  }

  // --- threads, stack, variables ----------------------------------------------------------

  /** Thread ids: peer i is i + 1; the orderer (and the network itself) is the last one. */
  private threadOf(peer: number | undefined): number {
    return peer === undefined || peer < 0 ? this.sim.peers.length + 1 : peer + 1;
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const threads = this.run === undefined ? [] : this.sim.peers.map((p) => new Thread(p.idx + 1, `${p.id}${!p.running ? (p.startedAt === undefined ? ' (not started)' : ' (crashed)') : p.rt.isPaused() ? ' (paused)' : ''}`));
    if (this.run !== undefined) threads.push(new Thread(this.sim.peers.length + 1, 'orderer'));
    response.body = { threads };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    if (this.run === undefined) return this.sendResponse(response);
    const sim = this.sim;
    if (args.threadId < 1 || args.threadId > sim.peers.length + 1) {
      response.body = { stackFrames: [], totalFrames: 0 };
      return this.sendResponse(response);
    }
    const peer = args.threadId === sim.peers.length + 1 ? -1 : args.threadId - 1;
    const top = this.current !== undefined && this.threadOf(this.current.peer) === args.threadId ? this.current : lastEventAt(sim, peer);
    const chain = top === undefined ? [] : causalChain(sim, top);
    const frames = chain.map((ev) => {
      const frame = new StackFrame(ev.id, `${eventLabel(sim, ev)}  @${formatTime(ev.t)}${ev.peer !== peer ? ` [${peerName(sim, ev.peer)}]` : ''}`);
      // The scenario is the program: a fault's frame is at its entry in `faults:`, a peer's
      // at its org's declaration, the orderer's at `orderer:`.
      const fault = ev.kind === 'fault' ? sim.scenario.faults.findIndex((f) => f.action === ev.data) : -1;
      const line = fault >= 0 ? this.faultSpans[fault]?.[0] : this.declared.get(ev.peer < 0 ? 'orderer' : sim.peers[ev.peer].org.mspId);
      if (line !== undefined) {
        frame.source = new Source(basename(this.scenarioPath), this.scenarioPath);
        frame.line = line;
        frame.column = 1;
      }
      return frame;
    });
    const start = args.startFrame ?? 0;
    const levels = args.levels || frames.length;
    response.body = { stackFrames: frames.slice(start, start + levels), totalFrames: frames.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const sim = this.sim;
    const ev = sim.trace.byId(args.frameId);
    const scopes: Scope[] = [];
    if (ev !== undefined) {
      const event = eventValue(sim, ev) as { [k: string]: Value };
      if (ev.data !== undefined) event.data = jsonSafe(ev.data) as Value;
      if (ev.msg !== undefined) {
        const detail = describeMessage(sim, ev.msg, sim.trace.recent());
        if (detail !== null) event.message = JSON.parse(JSON.stringify(detail)) as Value;
      }
      scopes.push(new Scope('Event', this.vars.handle({ value: event }), false));
      if (ev.peer >= 0) {
        const id = sim.peers[ev.peer].id;
        scopes.push(new Scope(`Peer ${id}`, this.vars.handle({ value: peerStateTree(sim, ev.peer), peer: id }), false));
      }
    }
    // What the last step (or run to here) changed, peer by peer, as DSLabs marks it.
    const changed = this.changes.view(sim);
    const n = Object.keys(changed).length;
    scopes.push(new Scope(n === 0 ? 'Changed since last stop: nothing' : `Changed since last stop (${n} peer${n === 1 ? '' : 's'})`, this.vars.handle({ value: changed }), false));
    scopes.push(new Scope('Network', this.vars.handle({ value: this.networkValue() }), true));
    response.body = { scopes };
    this.sendResponse(response);
  }

  private networkValue(): Value {
    const sim = this.sim;
    const peers: { [k: string]: Value } = {};
    for (const s of peerStates(sim)) {
      const p = sim.peers[s.idx];
      const state = peerStateTree(sim, s.idx);
      state.height = s.height;
      peers[p.id] = state;
    }
    const orderer: { [k: string]: Value } = {};
    for (const [ch, chain] of sim.orderer.chains) orderer[ch] = chain.length;
    return {
      now: sim.kernel.now,
      events: sim.trace.count,
      kernelEvents: sim.kernel.executed,
      until: this.run!.until,
      orderer,
      injectedFaults: this.run!.injected.map((f) => `${formatTime(f.at)} ${f.action.kind}`),
      peers,
    };
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    response.body = { variables: this.vars.children(args.variablesReference) };
    this.sendResponse(response);
  }

  // --- breakpoints -------------------------------------------------------------------------

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    const made = args.breakpoints.map((b) => this.make('event', b.name, b));
    this.functionBps = made.flatMap((m) => (m.bp ? [m.bp] : []));
    if (this.run !== undefined) this.bps.replace(['event', 'value'], this.functionBps, this.sim);
    response.body = { breakpoints: made.map((m) => m.reply) };
    this.sendResponse(response);
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const ours = args.source.path !== undefined && resolve(args.source.path) === this.scenarioPath;
    const made = (args.breakpoints ?? []).map((b) => {
      const index = ours ? faultAtLine(this.faultSpans, b.line) : -1;
      if (index < 0) {
        const reply = new Breakpoint(false, b.line) as DebugProtocol.Breakpoint;
        reply.message = ours ? 'Not a fault: in a scenario, breakpoints go on the entries of `faults:` and stop when that fault fires.' : 'Not the scenario being debugged.';
        return { reply };
      }
      const m = this.make('fault', `fault #${index + 1}`, b, index);
      if (m.bp) m.reply.line = this.faultSpans[index][0];
      return m;
    });
    this.lineBps = made.flatMap((m) => (m.bp ? [m.bp] : []));
    if (this.run !== undefined) this.bps.replace(['fault'], this.lineBps, this.sim);
    response.body = { breakpoints: made.map((m) => m.reply) };
    this.sendResponse(response);
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    const node = args.variablesReference !== undefined ? this.vars.node(args.variablesReference) : undefined;
    if (node?.peer !== undefined && node.channel !== undefined && (args.name === 'height' || args.name === 'leader')) {
      const dataId = `${args.name}(${node.peer}, ${node.channel})`;
      response.body = { dataId, description: `${args.name} of ${node.peer} on ${node.channel}`, accessTypes: ['write'], canPersist: true };
    } else {
      response.body = { dataId: null, description: 'Data breakpoints watch a peer\u2019s height or leader flag (Peer scope \u203a channels \u203a <channel>).' };
    }
    this.sendResponse(response);
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    const made = args.breakpoints.map((b) => this.make('data', b.dataId, b));
    this.dataBps = made.flatMap((m) => (m.bp ? [m.bp] : []));
    if (this.run !== undefined) this.bps.replace(['data'], this.dataBps, this.sim);
    response.body = { breakpoints: made.map((m) => m.reply) };
    this.sendResponse(response);
  }

  private make(sort: 'event' | 'data' | 'fault', text: string, opts: { condition?: string; hitCondition?: string }, faultIndex?: number): { bp?: GossipBreakpoint; reply: DebugProtocol.Breakpoint } {
    try {
      if (this.run === undefined) throw new Error('no network is running yet');
      const bp = this.bps.make(sort, text, this.sim, { ...opts, faultIndex });
      const reply = new Breakpoint(true) as DebugProtocol.Breakpoint;
      reply.id = bp.id;
      return { bp, reply };
    } catch (err) {
      const reply = new Breakpoint(false) as DebugProtocol.Breakpoint;
      reply.message = `${text}: ${(err as Error).message}`;
      return { reply };
    }
  }

  // --- running -----------------------------------------------------------------------------

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    if (this.refusedWhileBusy(response)) return;
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    void this.go(() => undefined);
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    if (this.refusedWhileBusy(response)) return;
    this.sendResponse(response);
    this.stepOver();
  }

  /**
   * A move while the run is already moving (a continue, a rewind) is refused, not silently
   * dropped or run alongside it: two moves at once would fight over the run.
   */
  private refusedWhileBusy(response: DebugProtocol.Response): boolean {
    if (!this.busy) return false;
    this.sendErrorResponse(response, { id: 1008, format: `"${response.command}": the network is already running; pause it first`, showUser: false });
    return true;
  }

  private stepOver(): void {
    if (this.busy) return;
    const events = this.run!.step();
    this.bps.prime(this.sim);
    if (events === null) return this.finished();
    if (this.stopOnViolation()) return;
    this.stopAt('step', events[0]);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    if (this.refusedWhileBusy(response)) return;
    this.sendResponse(response);
    // The message to follow: the current event's if it is a send, else the first one this step sent.
    const send = this.current?.kind === 'send' ? this.current : this.stepEvents.find((e) => e.kind === 'send');
    if (send === undefined || send.msg === undefined) return this.stepOver();
    const { msg, other: receiver } = send;
    void this.go((events) =>
      events.find((e) => e.msg === msg && (((e.kind === 'deliver' || e.kind === 'reject' || e.kind === 'verify') && e.peer === receiver) || (e.kind === 'drop' && e.other === receiver))),
    );
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    if (this.refusedWhileBusy(response)) return;
    this.sendResponse(response);
    const root = this.current;
    if (root === undefined) return this.stepOver();
    // Everything the current event caused, and the messages among it still on their way.
    const caused = new Set<number>([root.id]);
    const inFlight = new Set<string>();
    /** Follows the events of one step; returns the one that brought the last message home. */
    const track = (events: TraceEvent[]): TraceEvent | undefined => {
      let arrived: TraceEvent | undefined;
      for (const e of events) {
        // A delivery names the sender's cause as its parent, not the send: match it by message.
        const key = e.msg === undefined ? undefined : e.kind === 'deliver' || e.kind === 'reject' ? `${e.msg}>${e.peer}` : e.kind === 'drop' ? `${e.msg}>${e.other}` : undefined;
        if (key !== undefined && inFlight.delete(key)) {
          caused.add(e.id);
          arrived = e;
          continue;
        }
        if (e.parent === undefined || !caused.has(e.parent)) continue;
        caused.add(e.id);
        if (e.kind === 'send' && e.msg !== undefined) inFlight.add(`${e.msg}>${e.other}`);
      }
      return arrived;
    };
    // Messages a caused event handed to a peer's batching emitter go out on its next tick
    // (up to 10 ms later): they are consequences too, not yet sent.
    const waiting = () => this.sim.peers.some((p) => p.running && p.node?.emitter.holdsAnyCausedBy(caused));
    if (root.kind === 'send' && root.msg !== undefined) inFlight.add(`${root.msg}>${root.other}`);
    track(this.stepEvents.filter((e) => e.id > root.id));
    if (inFlight.size === 0 && !waiting()) return this.stepOver();
    void this.go((events) => {
      const arrived = track(events);
      // Done: stop at the last arrival, or at the step that found nothing left to wait for.
      return inFlight.size === 0 && !waiting() ? (arrived ?? events[0]) : undefined;
    });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.pauseRequested = true;
    this.sendResponse(response);
    if (!this.busy && this.run !== undefined) this.stopAt('pause', this.current);
  }

  protected override async stepBackRequest(response: DebugProtocol.StepBackResponse): Promise<void> {
    if (this.refusedWhileBusy(response)) return;
    this.sendResponse(response);
    const run = this.run!;
    await this.travel(run.previousVisible(run.position), 'step');
  }

  protected override async reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): Promise<void> {
    if (this.refusedWhileBusy(response)) return;
    this.sendResponse(response);
    const run = this.run!;
    const here = run.position;
    if (this.bps.empty || here === 0) return this.travel(0, 'entry');
    // Re-run the history with the breakpoints armed, remembering the last stop before here and
    // the hit counts there: going forward from it again stops where the first run stopped.
    let last: { position: number; hit: Hit; hits: Map<number, number> } | undefined;
    this.busy = true;
    this.bps.resetHits();
    await run.scan(
      here - 1,
      (c) => {
        let hit: Hit | undefined;
        for (const ev of c.stepEvents) if ((hit = this.bps.checkEvent(ev, c.sim))) break;
        hit ??= this.bps.checkValues(c.sim, c.stepEvents[0]);
        if (hit) last = { position: c.position, hit, hits: this.bps.saveHits() };
      },
      (c) => this.bps.prime(c.sim), // value breakpoints fire on a change from the start
    );
    this.busy = false;
    if (last === undefined) {
      this.bps.resetHits();
      return this.travel(0, 'entry');
    }
    this.bps.restoreHits(last.hits);
    const { position, hit } = last;
    await this.travel(position, reasonOf(hit), hit.event?.id, describeHit(hit));
  }

  /** Moves to a position (usually backwards) and stops there. */
  private async travel(position: number, reason: StopReason, eventId?: number, description?: string): Promise<void> {
    const run = this.run!;
    this.busy = true;
    await run.travelTo(position);
    this.busy = false;
    this.bps.prime(this.sim);
    // The panel's history is ahead of the run now: it starts over from here, and takes the
    // events before this point as its history.
    this.panelSeen = this.sim.trace.count;
    this.sendPanel({ kind: 'open', network: networkOf(this.sim), status: this.status(), states: peerStates(this.sim) });
    const events = run.head.stepEvents;
    this.stepEvents = position === 0 ? [] : events;
    const at = eventId !== undefined ? this.sim.trace.byId(eventId) : events[0];
    this.stopAt(position === 0 ? 'entry' : reason, position === 0 ? undefined : at, position === 0 ? 'At the start of the run' : description);
  }

  /** Runs until the goal, a breakpoint, a pause or the end; yields between slices. */
  private async go(goal: Goal): Promise<void> {
    const run = this.run;
    if (run === undefined || this.busy) return;
    this.busy = true;
    this.pauseRequested = false;
    run.idle = false; // spares wait: the run has the CPU
    let deadline = performance.now() + SLICE_MS;
    try {
      for (let n = 1; ; n++) {
        if (this.run !== run) return;
        const events = run.step();
        if (events === null) return this.finished();
        this.stepEvents = events;
        if (this.stopOnViolation()) return;
        let hit: Hit | undefined;
        for (const ev of events) if ((hit = this.bps.checkEvent(ev, run.sim))) break;
        hit ??= this.bps.checkValues(run.sim, events[0]);
        if (hit) return this.stopAt(reasonOf(hit), hit.event ?? events[0], describeHit(hit));
        const arrived = goal(events);
        if (arrived) return this.stopAt('step', arrived);
        if (this.pauseRequested) return this.stopAt('pause', events[0]);
        if ((n & 63) === 0 && performance.now() > deadline) {
          await new Promise<void>((r) => setImmediate(r)); // a pause request may come in now
          if (this.pauseRequested) return this.stopAt('pause', events[0]);
          deadline = performance.now() + SLICE_MS;
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** An invariant the last step broke stops the run there, as an exception does a program. */
  private stopOnViolation(): boolean {
    const v = this.run!.violations[0];
    if (v === undefined) return false;
    this.violation = v;
    this.stopAt('exception', v.event, `Invariant broken: ${v.invariant}: ${v.detail}`);
    return true;
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const v = this.violation;
    response.body = v === undefined
      ? { exceptionId: 'none', breakMode: 'never', description: 'No invariant is broken here.' }
      : { exceptionId: v.invariant, breakMode: 'always', description: `${v.detail} (at ${eventLabel(this.sim, v.event)}, ${formatTime(v.event.t)})` };
    this.sendResponse(response);
  }

  private finished(): void {
    const halted = this.sim.kernel.halted;
    if (halted !== undefined) return this.stopAt('pause', this.current, `${halted}: step back, or reverse-continue to a breakpoint`);
    this.stopAt('pause', this.current, `The run is over (${formatTime(this.run!.until)}): step back, or reverse-continue to a breakpoint`);
  }

  private stopAt(reason: StopReason, event: TraceEvent | undefined, description?: string): void {
    this.current = event;
    if (this.run !== undefined) this.changes.stopped(this.sim);
    if (event !== undefined && !this.stepEvents.includes(event)) this.stepEvents = this.run!.head.stepEvents;
    this.vars.reset();
    this.pauseRequested = false;
    this.sendFrame(event);
    const stopped = new StoppedEvent(reason, this.threadOf(event?.peer)) as DebugProtocol.StoppedEvent;
    stopped.body.allThreadsStopped = true;
    stopped.body.description = description ?? (event ? `${eventLabel(this.sim, event)} at ${formatTime(event.t)}` : undefined);
    if (description !== undefined) stopped.body.text = description;
    this.sendEvent(stopped);
    if (this.run !== undefined) {
      this.run.idle = true;
      void this.run.prepareSpares();
    }
  }

  // --- evaluate and completion --------------------------------------------------------------

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    if (this.run === undefined) return this.sendErrorResponse(response, { id: 1002, format: 'no network', showUser: false });
    const event = args.frameId !== undefined ? this.sim.trace.byId(args.frameId) : this.current;
    try {
      const value = evaluate(args.expression, { sim: this.sim, event: event ?? this.current });
      response.body = { result: preview(value), variablesReference: this.vars.handle({ value }) };
      this.sendResponse(response);
    } catch (err) {
      const where = err instanceof ExprError && err.offset > 0 ? ` (at column ${err.offset + 1})` : '';
      this.sendErrorResponse(response, { id: 1003, format: `${(err as Error).message}${where}`, showUser: false });
    }
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    const before = args.text.slice(0, Math.max(0, args.column - 1));
    const word = /[A-Za-z_][\w.\-]*$/.exec(before)?.[0] ?? '';
    const start = before.length - word.length;
    const items: DebugProtocol.CompletionItem[] = [];
    const add = (label: string, type: DebugProtocol.CompletionItemType, detail?: string, text = label) => {
      if (!label.startsWith(word)) return;
      const item = new CompletionItem(label, start + 1, word.length) as DebugProtocol.CompletionItem;
      item.type = type;
      item.text = text;
      if (detail) item.detail = detail;
      items.push(item);
    };
    for (const [fn, doc] of Object.entries(FUNCTIONS)) add(fn, 'function', doc, `${fn}(`);
    for (const [v, doc] of Object.entries(VARIABLES)) add(v, 'variable', doc);
    if (this.run !== undefined) {
      for (const p of this.sim.peers) add(p.id, 'value', `${p.org.mspId} peer`);
      for (const c of this.sim.scenario.channels) add(c.name, 'value', `channel of ${c.orgs.join(', ')}`);
      for (const o of this.sim.scenario.orgs) add(o.mspId, 'value', 'org');
    }
    for (const t of MESSAGE_TYPES) add(t, 'class', 'message type');
    for (const k of ['and', 'or', 'not', 'true', 'false']) add(k, 'keyword');
    response.body = { targets: items };
    this.sendResponse(response);
  }

  // --- custom requests: the graph panel's faults and selection -------------------------------

  protected override async customRequest(command: string, response: DebugProtocol.Response, args: unknown): Promise<void> {
    const run = this.run!;
    if (command === 'gossipScope.fault') {
      try {
        const fault = (args as { fault: FaultRequest }).fault;
        const unknown = unknownNames(this.sim, fault);
        if (unknown !== null) throw new Error(unknown);
        await run.inject(faultActionOf(fault, this.sim.kernel.now));
        this.bps.prime(this.sim);
        this.sendResponse(response);
        this.sendFrame(this.current);
      } catch (err) {
        this.sendErrorResponse(response, { id: 1004, format: `cannot inject: ${(err as Error).message}`, showUser: true });
      }
      return;
    }
    if (command === 'gossipScope.history') {
      // What the panel has been sent so far, for a panel that starts over.
      const limit = Math.max(0, Math.min((args as { limit?: number } | undefined)?.limit ?? PANEL_MAX_EVENTS, this.sim.trace.capacity));
      response.body = { events: this.panelEvents(Math.max(0, this.panelSeen - limit), this.panelSeen) };
      return this.sendResponse(response);
    }
    if (command === 'gossipScope.eventOf') {
      // A frame chosen in the Call Stack: the event it stands for, so the graph can show it.
      const ev = this.sim.trace.byId((args as { frameId: number }).frameId);
      response.body = ev === undefined ? null : { msg: ev.msg ?? null, peer: ev.peer };
      return this.sendResponse(response);
    }
    if (command === 'gossipScope.inspectMessage') {
      response.body = describeMessage(this.sim, (args as { msg: number }).msg, this.sim.trace.recent());
      return this.sendResponse(response);
    }
    if (command === 'gossipScope.inspectPeer') {
      const { idx } = args as { idx: number };
      if (idx >= this.sim.peers.length) return this.sendErrorResponse(response, { id: 1007, format: `no peer #${idx}: the network has ${this.sim.peers.length} (0 to ${this.sim.peers.length - 1})`, showUser: false });
      response.body = describePeer(this.sim, idx);
      return this.sendResponse(response);
    }
    this.sendErrorResponse(response, { id: 1005, format: `unknown request ${command}`, showUser: false });
  }

  // --- the panel ------------------------------------------------------------------------------

  private status() {
    const sim = this.sim;
    return { simTime: sim.kernel.now, events: sim.trace.count, state: this.run!.atEnd ? ('finished' as const) : ('paused' as const), speed: 0, until: this.run!.until };
  }

  private sendPanel(body: Record<string, unknown>): void {
    this.sendEvent(new Event(PANEL_EVENT, body));
  }

  /** What happened since the panel last heard, with the event stopped at to select. */
  private sendFrame(at: TraceEvent | undefined): void {
    const sim = this.sim;
    const from = Math.max(this.panelSeen, sim.trace.count - PANEL_MAX_EVENTS);
    const events = this.panelEvents(from, sim.trace.count);
    const skipped = from - this.panelSeen;
    this.panelSeen = sim.trace.count;
    this.sendPanel({ kind: 'frame', status: this.status(), events, states: peerStates(sim), skipped, select: at?.msg !== undefined ? { msg: at.msg } : at !== undefined && at.peer >= 0 ? { peer: at.peer } : undefined });
  }

  /** Trace events (after, to] as the panel takes them: JSON-safe, while still in memory. */
  private panelEvents(after: number, to: number): unknown[] {
    const events: unknown[] = [];
    for (let id = after + 1; id <= to; id++) {
      const ev = this.sim.trace.byId(id);
      if (ev !== undefined) events.push(ev.data === undefined ? ev : { ...ev, data: jsonSafe(ev.data) });
    }
    return events;
  }
}

function reasonOf(hit: Hit): StopReason {
  return hit.bp.sort === 'data' ? 'data breakpoint' : hit.bp.sort === 'fault' ? 'breakpoint' : 'function breakpoint';
}

function describeHit(hit: Hit): string {
  if (hit.change !== undefined) return `${hit.bp.text} changed: ${preview(hit.change.from)} → ${preview(hit.change.to)}`;
  return `Breakpoint: ${hit.bp.text}`;
}

function formatTime(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
}

/** `until` in ms, or a duration string like "90s", "500ms", "2m". */
export function parseUntil(v: number | string): number {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(v) : null;
  if (!m) throw new Error(`"until" must be a positive duration such as "90s" or a number of ms, not ${JSON.stringify(v)}`);
  const n = Number(m[1]);
  return m[2] === 'ms' || m[2] === undefined ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

/** The first name in a panel fault that the network does not have, said; null when all are known. */
function unknownNames(sim: DebugRun['sim'], f: FaultRequest): string | null {
  const peers = new Set(sim.peers.map((p) => p.id));
  const groups = new Set([...peers, ...sim.scenario.orgs.map((o) => o.mspId), 'orderer']);
  const channels = new Set(sim.scenario.channels.map((c) => c.name));
  const types = new Set<string>(MESSAGE_TYPES);
  const checks: [string | null, Set<string>, string][] = [];
  const peer = (n: string | null) => checks.push([n, peers, 'peer']);
  if (f.kind === 'partition') for (const g of f.groups) for (const n of g) checks.push([n, groups, 'peer, org or "orderer"']);
  else if (f.kind === 'tamper') {
    peer(f.rule.from);
    peer(f.rule.to);
    checks.push([f.rule.type, types, 'message type']);
  } else if (f.kind === 'link') f.between.forEach(peer);
  else if (f.kind === 'byzantine') {
    peer(f.peer);
    peer(f.target);
    checks.push([f.channel, channels, 'channel']);
  } else if (f.kind !== 'heal' && f.kind !== 'hand') peer(f.peer);
  for (const [n, known, what] of checks) if (n !== null && !known.has(n)) return `no ${what} ${JSON.stringify(n)} in this network`;
  return null;
}
