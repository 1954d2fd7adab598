/**
 * Trace events as a debugger shows them: one-line labels, and a call stack made of an event and
 * the chain of events that caused it (which message caused it, which message caused that).
 */
import type { Simulation } from '../sim/simulation.js';
import type { TraceEvent } from '../trace/events.js';

/** Deepest causal chain shown: gossip chains are short, a runaway one is cut. */
export const MAX_FRAMES = 32;

export function peerName(sim: Simulation, i: number | undefined): string {
  if (i === undefined) return '?';
  return i < 0 ? 'orderer' : sim.peers[i]?.id ?? `#${i}`;
}

/** `deliver DataMessage ← peer1.org2`, `timer discovery.periodicalSendAlive`, `state dead peer3.org1`. */
export function eventLabel(sim: Simulation, ev: TraceEvent): string {
  const other = ev.other === undefined ? '' : ` ${ev.kind === 'send' || ev.kind === 'drop' ? '→' : '←'} ${peerName(sim, ev.other)}`;
  switch (ev.kind) {
    case 'send':
    case 'deliver':
      return `${ev.kind} ${ev.type ?? ''}${other}`;
    case 'drop':
    case 'reject':
    case 'verify':
      return `${ev.kind} ${ev.type ?? ''}${other}: ${ev.reason ?? ''}`;
    case 'timer':
      return `timer ${ev.reason ?? ''}`;
    case 'state': {
      const member = ev.data?.member ?? ev.data?.peer;
      const detail = typeof member === 'number' ? ` ${peerName(sim, member)}` : ev.data?.channel !== undefined ? ` ${String(ev.data.channel)}` : '';
      const flag = ev.reason === 'leader' ? (ev.data?.leader ? ' (now leader)' : ' (stepped down)') : ev.reason === 'commit' ? ` block ${String(ev.data?.block)}` : '';
      return `state ${ev.reason ?? ''}${detail}${flag}`;
    }
    case 'fault':
      return `fault ${ev.reason ?? ''}`;
    default:
      return `${ev.kind} ${ev.reason ?? ''}`;
  }
}

/** The event and its causes, newest first, as far back as the trace still holds them. */
export function causalChain(sim: Simulation, ev: TraceEvent): TraceEvent[] {
  const chain = [ev];
  let cur = ev;
  while (cur.parent !== undefined && chain.length < MAX_FRAMES) {
    const parent = sim.trace.byId(cur.parent);
    if (parent === undefined) break;
    chain.push(parent);
    cur = parent;
  }
  return chain;
}

/** The most recent event that happened at a peer (-1: the orderer), looking back `window` events. */
export function lastEventAt(sim: Simulation, peer: number, window = 20_000): TraceEvent | undefined {
  const last = sim.trace.count;
  for (let id = last; id > Math.max(0, last - window); id--) {
    const ev = sim.trace.byId(id);
    if (ev === undefined) return undefined;
    if (ev.peer === peer) return ev;
  }
  return undefined;
}

/** A simulated time as the debugger shows it: 250ms, 6.074s. */
export function formatTime(ms: number): string {
  return ms < 1000 ? `${+ms.toFixed(3)}ms` : `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
}
