/**
 * Breakpoints on a gossip network. Three sorts, all with optional condition and hit count:
 * - event breakpoints, written as message predicates: `DataMessage` (a send of one),
 *   `AliveMessage from peer1.org2`, `delivered StateInfo to peer0.org1`, `rejected`, `dropped`,
 *   `leader changed`, `dead`, `commit at peer2.org1`, `fault crash`, `timer pull`;
 * - value breakpoints, any expression of the query language (`height(peer3.org1) >= 10`),
 *   which stop when it becomes true;
 * - data breakpoints on a value (a peer's height, its leader flag), which stop when it changes;
 * - line breakpoints on the scenario's `faults:` entries, which stop when that fault fires.
 */
import { MESSAGE_TYPES } from '../fabric/message-types.js';
import type { Simulation } from '../sim/simulation.js';
import type { TraceEvent, TraceKind } from '../trace/events.js';
import { ExprError, parseExpr, type Expr } from './expr.js';
import { evaluate, truthy, type Value } from './queries.js';

export interface EventPattern {
  kinds?: TraceKind[];
  type?: string;
  /** Peer names; resolved to indexes against the network when matched. */
  from?: string;
  to?: string;
  at?: string;
  /** State change, timer, or fault kind. */
  reason?: string;
  channel?: string;
}

const VERBS: Record<string, TraceKind> = {
  send: 'send',
  sent: 'send',
  deliver: 'deliver',
  delivered: 'deliver',
  received: 'deliver',
  drop: 'drop',
  dropped: 'drop',
  reject: 'reject',
  rejected: 'reject',
  verify: 'verify',
  verified: 'verify',
  timer: 'timer',
  fault: 'fault',
  state: 'state',
  log: 'log',
};
/** State changes that read as a word of their own. */
const STATE_WORDS: Record<string, string> = { dead: 'dead', alive: 'alive', commit: 'commit', committed: 'commit', connected: 'connected', disconnected: 'disconnected', started: 'started' };

/** A message predicate, or null when the text is not one (then it is an expression). */
export function parseEventPattern(text: string): EventPattern | null {
  const words = text.trim().split(/\s+/);
  const pat: EventPattern = {};
  let i = 0;
  const w0 = words[0];
  if (w0 === 'leader' && words[1] === 'changed') {
    pat.kinds = ['state'];
    pat.reason = 'leader';
    i = 2;
  } else if (w0 === 'declared' && words[1] === 'dead') {
    pat.kinds = ['state'];
    pat.reason = 'dead';
    i = 2;
  } else if (w0 in STATE_WORDS && (words.length === 1 || ['at', 'on'].includes(words[1]))) {
    pat.kinds = ['state'];
    pat.reason = STATE_WORDS[w0];
    i = 1;
  } else if (w0 in VERBS) {
    pat.kinds = [VERBS[w0]];
    i = 1;
    if (['timer', 'fault', 'state', 'log'].includes(w0) && words[1] !== undefined && !['at', 'on', 'from', 'to'].includes(words[1])) pat.reason = words[i++];
  } else if (!MESSAGE_TYPES.includes(w0)) {
    return null;
  }
  if (words[i] !== undefined && MESSAGE_TYPES.includes(words[i])) pat.type = words[i++];
  if (pat.kinds === undefined) pat.kinds = ['send'];
  while (i < words.length) {
    const key = words[i];
    const val = words[i + 1];
    if (!['from', 'to', 'at', 'on'].includes(key)) throw new ExprError(`"${key}": expected from, to, at or on (e.g. "AliveMessage from peer1.org2")`, text.indexOf(key));
    if (val === undefined) throw new ExprError(`"${key}" needs a ${key === 'on' ? 'channel' : 'peer'}`, text.length);
    if (key === 'on') pat.channel = val;
    else pat[key as 'from' | 'to' | 'at'] = val;
    i += 2;
  }
  return pat;
}

/** Whether the pattern names only peers and channels the network has; the problem if not. */
export function checkPattern(p: EventPattern, sim: Simulation): string | null {
  for (const who of [p.from, p.to, p.at]) {
    if (who !== undefined && who !== 'orderer' && !sim.peers.some((x) => x.id === who)) return `no peer "${who}" in this network`;
  }
  if (p.channel !== undefined && !sim.scenario.channels.some((c) => c.name === p.channel)) return `no channel "${p.channel}" in this network`;
  return null;
}

export function matchEvent(p: EventPattern, ev: TraceEvent, sim: Simulation): boolean {
  if (p.kinds !== undefined && !p.kinds.includes(ev.kind)) return false;
  if (p.type !== undefined && ev.type !== p.type) return false;
  if (p.reason !== undefined) {
    if (ev.reason === undefined) return false;
    if (ev.kind === 'timer' ? !ev.reason.includes(p.reason) : ev.reason !== p.reason) return false;
  }
  const name = (i: number | undefined) => (i === undefined ? undefined : i < 0 ? 'orderer' : sim.peers[i]?.id);
  const outgoing = ev.kind === 'send' || ev.kind === 'drop';
  if (p.from !== undefined && name(outgoing ? ev.peer : ev.other) !== p.from) return false;
  if (p.to !== undefined && name(outgoing ? ev.other : ev.peer) !== p.to) return false;
  if (p.at !== undefined && name(ev.peer) !== p.at) return false;
  if (p.channel !== undefined && ev.data?.channel !== p.channel) return false;
  return true;
}

/** `5` or `==5` (exactly the 5th hit), `>=5`, `>5`, `%3` (every 3rd). */
export function parseHitCondition(text: string): (hits: number) => boolean {
  const m = /^\s*(==|>=|>|%)?\s*(\d+)\s*$/.exec(text);
  if (!m) throw new ExprError(`hit count "${text}": expected a number, or ==N, >=N, >N, %N`, 0);
  const n = Number(m[2]);
  if (!Number.isSafeInteger(n)) throw new ExprError(`hit count "${text}": ${m[2]} is too large (at most ${Number.MAX_SAFE_INTEGER})`, 0);
  // Hits count from 1: a condition no hit can meet is refused rather than verified and silent.
  if (m[1] === '%' && n === 0) throw new ExprError(`hit count "${text}": %0 never fires; every Nth hit needs N of at least 1`, 0);
  if ((m[1] === undefined || m[1] === '==') && n === 0) throw new ExprError(`hit count "${text}": hits count from 1, so the 0th never comes`, 0);
  switch (m[1]) {
    case '>=':
      return (h) => h >= n;
    case '>':
      return (h) => h > n;
    case '%':
      return (h) => h % n === 0;
    default:
      return (h) => h === n;
  }
}

export type BreakpointSort = 'event' | 'value' | 'data' | 'fault';

export interface Breakpoint {
  id: number;
  sort: BreakpointSort;
  /** What the user wrote (or the fault it stands for). */
  text: string;
  pattern?: EventPattern;
  /** value: stops when it becomes true; data: stops when it changes. */
  expr?: Expr;
  /** fault: the index in scenario.faults. */
  faultIndex?: number;
  condition?: Expr;
  hitCondition?: (hits: number) => boolean;
  hits: number;
  last?: Value;
}

export interface Hit {
  bp: Breakpoint;
  event?: TraceEvent;
  /** For data breakpoints: the value before and after. */
  change?: { from: Value; to: Value };
}

export class BreakpointSet {
  private nextId = 1;
  private events: Breakpoint[] = [];
  private values: Breakpoint[] = [];
  private faults: Breakpoint[] = [];

  get empty(): boolean {
    return this.events.length === 0 && this.values.length === 0 && this.faults.length === 0;
  }

  /** Builds a breakpoint, or throws ExprError saying what is wrong with it. */
  make(sort: BreakpointSort, text: string, sim: Simulation, opts: { condition?: string; hitCondition?: string; faultIndex?: number } = {}): Breakpoint {
    const bp: Breakpoint = { id: this.nextId++, sort, text, hits: 0 };
    if (sort === 'event' || sort === 'value') {
      const pattern = parseEventPattern(text);
      if (pattern !== null) {
        const problem = checkPattern(pattern, sim);
        if (problem !== null) throw new ExprError(problem, 0);
        bp.sort = 'event';
        bp.pattern = pattern;
      } else {
        bp.sort = 'value';
        bp.expr = parseExpr(text);
        evaluate(bp.expr, { sim }); // unknown names and functions fail now, not at the first stop
      }
    } else if (sort === 'data') {
      bp.expr = parseExpr(text);
    } else {
      bp.faultIndex = opts.faultIndex;
    }
    if (opts.condition?.trim()) bp.condition = parseExpr(opts.condition);
    if (opts.hitCondition?.trim()) bp.hitCondition = parseHitCondition(opts.hitCondition);
    return bp;
  }

  /** Replaces every breakpoint of these sorts (DAP sends each sort's full list every time). */
  replace(sorts: BreakpointSort[], bps: Breakpoint[], sim: Simulation): void {
    const keep = (list: Breakpoint[]) => list.filter((b) => !sorts.includes(b.sort));
    this.events = [...keep(this.events), ...bps.filter((b) => b.sort === 'event')];
    this.values = [...keep(this.values), ...bps.filter((b) => b.sort === 'value' || b.sort === 'data')];
    this.faults = [...keep(this.faults), ...bps.filter((b) => b.sort === 'fault')];
    this.prime(sim);
  }

  /** Takes the current values as the baseline, so a value breakpoint fires on a change from now. */
  prime(sim: Simulation): void {
    for (const bp of this.values) bp.last = safeEval(bp.expr!, sim);
  }

  resetHits(): void {
    for (const bp of [...this.events, ...this.values, ...this.faults]) bp.hits = 0;
  }

  /** Every breakpoint's hit count now (by breakpoint id). */
  saveHits(): Map<number, number> {
    return new Map([...this.events, ...this.values, ...this.faults].map((bp) => [bp.id, bp.hits]));
  }

  /** Hit counts as saved at some moment of the run (a breakpoint set since then has none). */
  restoreHits(saved: Map<number, number>): void {
    for (const bp of [...this.events, ...this.values, ...this.faults]) bp.hits = saved.get(bp.id) ?? 0;
  }

  /** The first breakpoint an event of this step triggers, if any. */
  checkEvent(ev: TraceEvent, sim: Simulation): Hit | undefined {
    for (const bp of this.events) if (matchEvent(bp.pattern!, ev, sim) && this.counts(bp, sim, ev)) return { bp, event: ev };
    if (ev.kind === 'fault' && this.faults.length > 0) {
      const index = sim.scenario.faults.findIndex((f) => f.action === ev.data);
      for (const bp of this.faults) if (bp.faultIndex === index && this.counts(bp, sim, ev)) return { bp, event: ev };
    }
    return undefined;
  }

  /** After a step: the first value breakpoint that became true or data breakpoint that changed. */
  checkValues(sim: Simulation, event: TraceEvent | undefined): Hit | undefined {
    let hit: Hit | undefined;
    for (const bp of this.values) {
      const now = safeEval(bp.expr!, sim, event);
      const before = bp.last;
      bp.last = now;
      if (hit !== undefined) continue; // keep every baseline current
      const fired = bp.sort === 'value' ? truthy(now) && !truthy(before ?? false) : JSON.stringify(now) !== JSON.stringify(before);
      if (fired && this.counts(bp, sim, event)) hit = { bp, event, change: bp.sort === 'data' ? { from: before ?? null, to: now } : undefined };
    }
    return hit;
  }

  private counts(bp: Breakpoint, sim: Simulation, event: TraceEvent | undefined): boolean {
    if (bp.condition !== undefined && !truthy(safeEval(bp.condition, sim, event))) return false;
    bp.hits++;
    return bp.hitCondition === undefined || bp.hitCondition(bp.hits);
  }
}

/** A condition that cannot be evaluated at some point (a crashed peer's state) reads as null. */
function safeEval(e: Expr, sim: Simulation, event?: TraceEvent): Value {
  try {
    return evaluate(e, { sim, event });
  } catch {
    return null;
  }
}
