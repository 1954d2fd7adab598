/**
 * The Debug Console's commands for taking the scheduler's place, on a stopped network:
 *   /pending [peer]       every message in flight and timer pending (of one peer), in run order
 *   /deliver N            waiting event #N runs next (a message delivered, a timer fired)
 *   /drop N               it is dropped (a message lost; a ticker skips this tick)
 *   /duplicate N          a message arrives twice
 *   /delay N <ms>         it waits <ms> more (a number of ms, or a duration such as 2s)
 *   /hash                 the trace hash so far (the same history gives the same hash)
 */
import type { HandOp, PendingEvent } from '../kernel/kernel.js';
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
  const op = OPS[word];
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

function pendingText(sim: Simulation, peer: string | undefined): string {
  const name = (i: number) => (i < 0 ? 'orderer' : (sim.peers[i]?.id ?? `#${i}`));
  let idx: number | undefined;
  if (peer !== undefined) {
    idx = sim.peers.findIndex((p) => p.id === peer);
    if (idx < 0) throw new Error(`no peer ${JSON.stringify(peer)} in this network`);
  }
  const all = sim.kernel.pendingEvents();
  const mine = idx === undefined ? all : all.filter((e) => (e.what.kind === 'message' ? e.what.to === idx || e.what.from === idx : e.what.peer === idx));
  if (mine.length === 0) return peer === undefined ? 'nothing is waiting: no message in flight, no timer pending' : `nothing is waiting at ${peer}`;
  const line = (e: PendingEvent) => `#${e.seq}  ${formatTime(e.at)}  ${pendingLabel(e.what, name)}${e.what.kind === 'message' && e.what.msg ? ` (message ${e.what.msg})` : ''}`;
  const shown = mine.slice(0, LIST_MAX).map(line);
  if (mine.length > LIST_MAX) shown.push(`… and ${mine.length - LIST_MAX} more (name a peer: /pending peer0.org1)`);
  return shown.join('\n');
}
