/**
 * Which rejections are start-up noise: a StateInfo from a sender whose certificate the receiver
 * has not learned yet, while peers are still starting. Real Fabric logs the same warning then;
 * the UI explains these and lets the user hide them (extension/reason-notes.ts has the words).
 */
import { STARTUP_GRACE_MS } from '../../extension/reason-notes.js';
import type { Simulation } from '../sim/simulation.js';
import type { TraceEvent } from '../trace/events.js';

const UNKNOWN_SENDER = /PKI-ID not found in identity mapper/;

export function isStartupNoise(sim: Simulation, ev: TraceEvent): boolean {
  if (ev.kind !== 'reject' || ev.reason === undefined || !UNKNOWN_SENDER.test(ev.reason)) return false;
  const receiver = sim.peers[ev.peer]?.startedAt;
  if (receiver !== undefined && ev.t - receiver < STARTUP_GRACE_MS) return true;
  // A peer that joined lately is unknown to everyone for a moment too.
  if (sim.latestStartAt <= ev.t) return ev.t - sim.latestStartAt < STARTUP_GRACE_MS;
  // A peer started after this event (within the same frame): find the latest start before it.
  let latest = -Infinity;
  for (const p of sim.peers) if (p.startedAt !== undefined && p.startedAt <= ev.t && p.startedAt > latest) latest = p.startedAt;
  return ev.t - latest < STARTUP_GRACE_MS;
}
