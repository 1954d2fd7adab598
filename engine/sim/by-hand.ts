/**
 * Words for deliver by hand: what a waiting event is, and what the user did with it, as the
 * trace, the inspector and the Debug Console say them.
 */
import type { HandOp, PendingWhat } from '../kernel/kernel.js';

/** "Alive peer1.org1 → peer0.org1" or "peer0.org1's timer alive". */
export function pendingLabel(what: PendingWhat, name: (idx: number) => string): string {
  return what.kind === 'message' ? `${what.type} ${name(what.from)} → ${name(what.to)}` : `${name(what.peer)}'s timer ${what.name}`;
}

/** The fault event's words: "by hand: Alive peer1.org1 → peer0.org1 delivered next". */
export function handReason(op: HandOp, what: PendingWhat, ms: number, name: (idx: number) => string): string {
  const timer = what.kind === 'timer';
  const done = { next: timer ? 'fired next' : 'delivered next', drop: timer ? 'skipped' : 'dropped', duplicate: 'duplicated', delay: `delayed ${ms} ms` }[op];
  return `by hand: ${pendingLabel(what, name)} ${done}`;
}
