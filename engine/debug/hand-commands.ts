/**
 * The Debug Console's commands for taking the scheduler's place, on a stopped network:
 *   /pending [peer]       every message in flight and timer pending (of one peer), in run order
 *   /deliver N            waiting event #N runs next (a message delivered, a timer fired)
 *   /drop N               it is dropped (a message lost; a ticker skips this tick)
 *   /duplicate N          a message arrives twice
 *   /delay N <ms>         it waits <ms> more (a number of ms, or a duration such as 2s)
 *   /hash                 the trace hash so far (the same history gives the same hash)
 */
import type { HandOp } from '../kernel/kernel.js';
import type { FaultAction } from '../scenario/types.js';
import type { Simulation } from '../sim/simulation.js';
import { pendingLabel } from '../sim/by-hand.js';
import { formatTime } from './frames.js';

export const HAND_HELP = [
  '/pending [peer]    messages in flight and pending timers, in the order they will run',
  '/deliver N         event #N runs next (a message delivered now, a timer fired now)',
  '/drop N            event #N is dropped (a message lost, a ticker skips this tick)',
  '/duplicate N       message #N arrives twice',
  '/delay N <time>    event #N waits longer (e.g. /delay 12 250ms)',
  '/hash              the trace hash so far: the same history, hand-made choices included, gives the same hash',
].join('\n');

/** What a console line asks: text to show, or a choice to make (then its fault action). */
export type HandCommand = { text: string } | { action: Extract<FaultAction, { kind: 'hand' }> };

const OPS: Record<string, HandOp> = { deliver: 'next', drop: 'drop', duplicate: 'duplicate', delay: 'delay' };

/** Lists at most this many waiting events (a 1,000-peer network has tens of thousands). */
const LIST_MAX = 200;

/** Parses and answers a console line starting with '/'; throws an Error saying what is wrong. */
export function handCommand(line: string, sim: Simulation): HandCommand {
  const [word, ...args] = line.trim().slice(1).split(/\s+/);
  if (word === 'help' || word === '') return { text: HAND_HELP };
  if (word === 'pending') return { text: pendingText(sim, args[0]) };
  if (word === 'hash') return { text: `${sim.trace.hash()} after ${sim.trace.count} events` };
  const op = Object.hasOwn(OPS, word) ? OPS[word] : undefined;
  if (op === undefined) throw new Error(`unknown command /${word}: the commands are\n${HAND_HELP}`);
  const wanted = op === 'delay' ? 2 : 1;
  if (args.length !== wanted) throw new Error(`/${word} takes ${wanted === 2 ? 'an event number and a time (/delay 12 250ms)' : `an event number (/${word} 12)`}; see /pending for the numbers`);
  const n = /^#?(-?\d{1,15})$/.exec(args[0]);
  if (n === null) throw new Error(`'${args[0]}' is not an event number: /pending lists them (#12)`);
  const ms = op === 'delay' ? duration(args[1]) : 0;
  const action = { kind: 'hand' as const, op, event: Number(n[1]), ms };
  const what = sim.kernel.check(op, action.event, ms);
  if (typeof what === 'string') throw new Error(what);
  return { action };
}

function duration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text);
  if (m === null) throw new Error(`'${text}' is not a time: write ms or a duration such as 250ms or 2s`);
  const ms = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  if (!(ms > 0 && ms <= 3_600_000)) throw new Error(`a delay is between 0 and 1h (3600000 ms), got ${text}`);
  return ms;
}

/** A waiting event as a list shows it: its number, due time, whose it is, and what it is. */
export interface PendingEntry {
  seq: number;
  at: number;
  /** The peer it waits at: a message's receiver, a timer's owner. */
  peer: string;
  kind: 'message' | 'timer';
  /** "AliveMessage peer1.org1 → peer0.org1 (message 45)" or "peer0.org1's timer discovery.periodicalSendAlive". */
  label: string;
}

/** Every waiting event (of one peer), in the order they will run. */
export function pendingEntries(sim: Simulation, peer?: string): PendingEntry[] {
  const name = (i: number) => (i < 0 ? 'orderer' : (sim.peers[i]?.id ?? `#${i}`));
  if (peer !== undefined && !sim.peers.some((p) => p.id === peer)) throw new Error(`no peer ${JSON.stringify(peer)} in this network`);
  const out: PendingEntry[] = [];
  for (const e of sim.kernel.pendingEvents()) {
    const w = e.what;
    const at = name(w.kind === 'message' ? w.to : w.peer);
    if (peer !== undefined && at !== peer && !(w.kind === 'message' && name(w.from) === peer)) continue;
    out.push({ seq: e.seq, at: e.at, peer: at, kind: w.kind, label: `${pendingLabel(w, name)}${w.kind === 'message' && w.msg ? ` (message ${w.msg})` : ''}` });
  }
  return out;
}

function pendingText(sim: Simulation, peer: string | undefined): string {
  const mine = pendingEntries(sim, peer);
  if (mine.length === 0) return peer === undefined ? 'nothing is waiting: no message in flight, no timer pending' : `nothing is waiting at ${peer}`;
  const shown = mine.slice(0, LIST_MAX).map((e) => `#${e.seq}  ${formatTime(e.at)}  ${e.label}`);
  if (mine.length > LIST_MAX) shown.push(`… and ${mine.length - LIST_MAX} more (name a peer: /pending peer0.org1)`);
  return shown.join('\n');
}
