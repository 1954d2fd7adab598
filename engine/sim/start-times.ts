/**
 * When each peer's process starts. Operators start real peers seconds apart, and every ticker of
 * a Fabric peer (alive, pull, StateInfo, the emitter, election, anti-entropy, expiry) counts
 * from its own process's start: so peers that start apart tick out of phase. A pinned peer
 * (`peers.start`) starts when told; the others at an instant drawn from the seed, uniform over
 * [0, startWindow), each from a stream of its own so no other random choice moves.
 */
import { Rng } from '../kernel/rng.js';
import type { Scenario } from '../scenario/types.js';

export function peerStartTimes(scenario: Scenario, ids: readonly string[]): number[] {
  const pinned = new Map(scenario.lateJoiners.map((l) => [l.peer, l.at]));
  const window = scenario.startWindow;
  return ids.map((id) => {
    const at = pinned.get(id);
    if (at !== undefined) return at;
    if (window <= 0) return 0;
    // Microsecond resolution, as the network's latencies, keeps times exact in binary.
    return Math.floor(new Rng(scenario.seed, `start/${id}`).next() * window * 1000) / 1000;
  });
}
