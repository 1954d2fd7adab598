/**
 * Figures of a simulation as it runs: a FigureBuilder listening to its trace, with channel
 * members from the scenario and message sizes from the simulation's message log.
 */
import type { Simulation } from '../sim/simulation.js';
import { envelopeSize } from './envelope-size.js';
import { FigureBuilder, type Figures } from './figures.js';

/** Sizes are remembered per message id (forwards reuse the id long after the log let it go). */
const SIZE_MEMORY = 1_000_000;

export function channelMembersOf(sim: Simulation): Map<string, number[]> {
  return new Map(sim.scenario.channels.map((c) => [c.name, sim.peers.filter((p) => c.orgs.includes(p.org.mspId)).map((p) => p.idx)]));
}

/** Starts listening now (before the run); call the result for the figures so far. */
export function watchFigures(sim: Simulation, bucketMs?: number): () => Figures {
  const sizes = new Map<number, number>();
  let highest = 0;
  const sizeOf = (id: number): number | undefined => {
    let n = sizes.get(id);
    if (n !== undefined) return n;
    const sm = sim.messages.get(id);
    if (sm === undefined) return undefined;
    n = envelopeSize(sm.envelope);
    sizes.set(id, n);
    if (id > highest) highest = id;
    if (sizes.size > SIZE_MEMORY) for (const k of sizes.keys()) if (k < highest - SIZE_MEMORY / 2) sizes.delete(k);
    return n;
  };
  const builder = new FigureBuilder({
    scenario: sim.scenario.name,
    seed: sim.scenario.seed,
    peers: sim.peers.map((p) => p.id),
    channelMembers: channelMembersOf(sim),
    sizeOf,
    bucketMs,
  });
  sim.trace.listen((ev) => builder.add(ev));
  return () => builder.figures(sim.kernel.now);
}
