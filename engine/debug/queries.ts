/**
 * What the query language's names and functions mean on a running network. One evaluator serves
 * breakpoint conditions, value breakpoints, data breakpoints, watches and the Debug Console.
 */
import { hex } from '../fabric/message.js';
import type { Simulation } from '../sim/simulation.js';
import type { TraceEvent } from '../trace/events.js';
import { describeMessage } from '../ui/inspect.js';
import { ExprError, isMessageType, parseExpr, type Expr } from './expr.js';
import { peerStateTree } from './peer-state.js';

export type Value = number | string | boolean | null | Value[] | { [k: string]: Value };

export interface QueryContext {
  sim: Simulation;
  /** The event the debugger is stopped at (or testing a breakpoint against). */
  event?: TraceEvent;
}

/** Names that are variables rather than peers, with what they mean (for completion and docs). */
export const VARIABLES: Record<string, string> = {
  now: 'simulated time in ms',
  events: 'trace events so far',
  event: 'the current event (kind, type, peer, from, to, reason, msg, t)',
  kind: "the current event's kind (send, deliver, drop, reject, verify, timer, state, log, fault)",
  type: "the current event's message type",
  peer: 'the peer where the current event happened',
  from: "the current message's sender",
  to: "the current message's receiver",
  reason: "the current event's reason (drop/reject/verify reason, timer or state name)",
  peers: 'every peer id',
};

/** Functions, with their signature and meaning (for completion, hover and the README). */
export const FUNCTIONS: Record<string, string> = {
  height: 'height(peer[, channel]): ledger height',
  leader: 'leader(peer[, channel]): whether the peer leads its org on the channel',
  leaderIn: 'leaderIn(org[, channel]): the peer leading the org on the channel, or null',
  running: 'running(peer): false while crashed',
  members: 'members(peer): how many peers it sees alive',
  dead: 'dead(peer): how many peers it holds dead',
  knows: 'knows(peer, other): whether peer sees other alive',
  world: 'world(peer, key[, channel]): the value of a world-state key',
  orderer: 'orderer([channel]): blocks cut by the orderer',
  privateData: 'privateData(peer[, collection]): private write sets the peer holds (transient store and committed)',
  sent: 'sent([type]): messages sent so far (of one type)',
  delivered: 'delivered([type]): messages delivered so far',
  dropped: 'dropped([type]): messages dropped so far',
  rejected: 'rejected([reason]): messages rejected so far (whose reason contains the text)',
  state: 'state(peer): the peer state tree (as in Variables)',
  msg: 'msg(id): a message decoded, with its signature and verdicts',
};

export function evaluate(src: string | Expr, ctx: QueryContext): Value {
  return evalExpr(typeof src === 'string' ? parseExpr(src) : src, ctx);
}

/** Truthiness as the debugger reads a condition: false, 0, '', null are false. */
export function truthy(v: Value): boolean {
  return !(v === false || v === 0 || v === '' || v === null);
}

function evalExpr(e: Expr, ctx: QueryContext): Value {
  switch (e.kind) {
    case 'lit':
      return e.value;
    case 'name':
      return nameValue(e.name, ctx);
    case 'member': {
      const of = evalExpr(e.of, ctx);
      if (of === null || typeof of !== 'object' || Array.isArray(of)) throw new ExprError(`"${e.name}": not a field of a ${of === null ? 'null' : typeof of}`, 0);
      if (!(e.name in of)) throw new ExprError(`no field "${e.name}" (fields: ${Object.keys(of).join(', ')})`, 0);
      return of[e.name];
    }
    case 'not':
      return !truthy(evalExpr(e.of, ctx));
    case 'bin': {
      if (e.op === '&&') return truthy(evalExpr(e.left, ctx)) && truthy(evalExpr(e.right, ctx));
      if (e.op === '||') return truthy(evalExpr(e.left, ctx)) || truthy(evalExpr(e.right, ctx));
      const a = evalExpr(e.left, ctx);
      const b = evalExpr(e.right, ctx);
      switch (e.op) {
        case '==':
          return a === b;
        case '!=':
          return a !== b;
        case '+':
          return typeof a === 'number' && typeof b === 'number' ? a + b : `${a}${b}`;
        case '-':
          return num(a) - num(b);
        case '<':
          return num(a) < num(b);
        case '<=':
          return num(a) <= num(b);
        case '>':
          return num(a) > num(b);
        default:
          return num(a) >= num(b);
      }
    }
    case 'call':
      return call(e.fn, e.args.map((a) => evalExpr(a, ctx)), ctx);
  }
}

function num(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new ExprError(`${JSON.stringify(v)} is not a number`, 0);
}

function nameValue(name: string, ctx: QueryContext): Value {
  const { sim, event } = ctx;
  const peerName = (i: number | undefined) => (i === undefined ? null : i < 0 ? 'orderer' : sim.peers[i]?.id ?? null);
  switch (name) {
    case 'now':
      return sim.kernel.now;
    case 'events':
      return sim.trace.count;
    case 'peers':
      return sim.peers.map((p) => p.id);
    case 'event':
      return event === undefined ? null : eventValue(sim, event);
    case 'kind':
      return event?.kind ?? null;
    case 'type':
      return event?.type ?? null;
    case 'reason':
      return event?.reason ?? null;
    case 'peer':
      return peerName(event?.peer);
    case 'from':
      return event === undefined ? null : peerName(event.kind === 'send' || event.kind === 'drop' ? event.peer : event.other);
    case 'to':
      return event === undefined ? null : peerName(event.kind === 'send' || event.kind === 'drop' ? event.other : event.peer);
  }
  if (isKnownName(sim, name) || isMessageType(name)) return name;
  // `event.type` arrives as one name token (names may contain dots): split off the variable.
  const dot = name.indexOf('.');
  if (dot > 0 && name.slice(0, dot) in VARIABLES) {
    let v = nameValue(name.slice(0, dot), ctx);
    for (const part of name.slice(dot + 1).split('.')) {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !(part in v)) throw new ExprError(`no field "${part}" in ${name.slice(0, dot)}`, 0);
      v = v[part];
    }
    return v;
  }
  throw new ExprError(`unknown name "${name}": not a peer, channel, org, message type or variable (${Object.keys(VARIABLES).join(', ')})`, 0);
}

function isKnownName(sim: Simulation, name: string): boolean {
  const s = sim.scenario;
  return sim.peers.some((p) => p.id === name) || s.channels.some((c) => c.name === name) || s.orgs.some((o) => o.mspId === name || o.name === name);
}

export function eventValue(sim: Simulation, ev: TraceEvent): Value {
  const name = (i: number | undefined) => (i === undefined ? null : i < 0 ? 'orderer' : sim.peers[i]?.id ?? `#${i}`);
  const out: { [k: string]: Value } = { id: ev.id, t: ev.t, kind: ev.kind, peer: name(ev.peer) };
  if (ev.type !== undefined) out.type = ev.type;
  if (ev.other !== undefined) out.other = name(ev.other);
  if (ev.msg !== undefined) out.msg = ev.msg;
  if (ev.reason !== undefined) out.reason = ev.reason;
  if (ev.parent !== undefined) out.parent = ev.parent;
  return out;
}

function peerArg(sim: Simulation, fn: string, v: Value | undefined) {
  const p = typeof v === 'string' ? sim.peers.find((x) => x.id === v) : undefined;
  if (p === undefined) throw new ExprError(`${fn}: ${v === undefined ? 'needs a peer' : `${JSON.stringify(v)} is not a peer`} (peers: ${sim.peers.slice(0, 6).map((x) => x.id).join(', ')}${sim.peers.length > 6 ? ', …' : ''})`, 0);
  return p;
}

function channelArg(sim: Simulation, fn: string, v: Value | undefined, fallback: string | undefined): string {
  if (v === undefined) {
    if (fallback === undefined) throw new ExprError(`${fn}: needs a channel`, 0);
    return fallback;
  }
  if (typeof v !== 'string' || !sim.scenario.channels.some((c) => c.name === v)) {
    throw new ExprError(`${fn}: ${JSON.stringify(v)} is not a channel (channels: ${sim.scenario.channels.map((c) => c.name).join(', ')})`, 0);
  }
  return v;
}

/** Messages by fate; sent/delivered/dropped are counted by type, rejections by reason. */
function countOf(sim: Simulation, kind: 'sent' | 'delivered' | 'dropped' | 'rejected', filter: Value | undefined): number {
  const counts = sim.counters[kind];
  if (kind !== 'rejected') return filter === undefined ? sum(counts) : counts[String(filter)] ?? 0;
  let n = 0;
  for (const [reason, v] of Object.entries(counts)) if (filter === undefined || reason.includes(String(filter))) n += v;
  return n;
}

function sum(counts: Record<string, number>): number {
  let n = 0;
  for (const v of Object.values(counts)) n += v;
  return n;
}

function call(fn: string, args: Value[], ctx: QueryContext): Value {
  const { sim } = ctx;
  switch (fn) {
    case 'height': {
      const p = peerArg(sim, fn, args[0]);
      return p.ledgers.get(channelArg(sim, fn, args[1], p.channels[0]))?.height ?? 0;
    }
    case 'leader': {
      const p = peerArg(sim, fn, args[0]);
      return p.running && p.leaderOf.has(channelArg(sim, fn, args[1], p.channels[0]));
    }
    case 'leaderIn': {
      const org = sim.scenario.orgs.find((o) => o.mspId === args[0] || o.name === args[0]);
      if (org === undefined) throw new ExprError(`leaderIn: ${JSON.stringify(args[0])} is not an org`, 0);
      const ch = channelArg(sim, fn, args[1], sim.scenario.channels.find((c) => c.orgs.includes(org.mspId))?.name);
      return sim.peers.find((p) => p.org.mspId === org.mspId && p.running && p.leaderOf.has(ch))?.id ?? null;
    }
    case 'running':
      return peerArg(sim, fn, args[0]).running;
    case 'members': {
      const p = peerArg(sim, fn, args[0]);
      return p.running && p.node ? p.node.disc.getMembership().length : 0;
    }
    case 'dead': {
      const p = peerArg(sim, fn, args[0]);
      return p.running && p.node ? p.node.disc.deadLastTS.size : 0;
    }
    case 'knows': {
      const p = peerArg(sim, fn, args[0]);
      const q = peerArg(sim, fn, args[1]);
      const pki = hex(q.identity.pkiId);
      return p.running && p.node !== undefined && p.node.disc.getMembership().some((m) => hex(m.pkiId) === pki);
    }
    case 'world': {
      const p = peerArg(sim, fn, args[0]);
      return p.ledgers.get(channelArg(sim, fn, args[2], p.channels[0]))?.worldState.get(String(args[1])) ?? null;
    }
    case 'privateData': {
      const p = peerArg(sim, fn, args[0]);
      const col = args[1] === undefined ? undefined : String(args[1]);
      let n = 0;
      for (const pvt of p.node?.privdata.values() ?? []) {
        for (const k of [...pvt.transient.keys(), ...pvt.committed.keys()]) if (col === undefined || k.endsWith(`/${col}`)) n++;
      }
      return n;
    }
    case 'orderer': {
      const ch = channelArg(sim, fn, args[0], sim.scenario.channels[0]?.name);
      return sim.orderer.chains.get(ch)?.length ?? 0;
    }
    case 'sent':
    case 'delivered':
    case 'dropped':
    case 'rejected':
      return countOf(sim, fn, args[0]);
    case 'state':
      return peerStateTree(sim, peerArg(sim, fn, args[0]).idx);
    case 'msg': {
      const d = describeMessage(sim, num(args[0] ?? null), sim.trace.recent());
      return d === null ? null : (JSON.parse(JSON.stringify(d)) as Value);
    }
  }
  throw new ExprError(`unknown function "${fn}" (functions: ${Object.keys(FUNCTIONS).join(', ')})`, 0);
}
