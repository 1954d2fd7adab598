import { loadScenario } from '../../engine/scenario/load.js';
import { Simulation } from '../../engine/sim/simulation.js';
import type { TraceEvent } from '../../engine/trace/events.js';

/** Loads a scenario from YAML text and runs it to `until` (or the scenario's run.until). */
export async function run(yaml: string, opts: { until?: number; seed?: number; keep?: boolean } = {}): Promise<{ sim: Simulation; events: TraceEvent[] }> {
  const scenario = loadScenario(yaml, 'test.yaml');
  if (opts.seed !== undefined) scenario.seed = opts.seed;
  const sim = await Simulation.create(scenario, { traceCapacity: 10 });
  const events: TraceEvent[] = [];
  if (opts.keep !== false) sim.trace.listen((e) => events.push(e));
  sim.runUntil(opts.until ?? scenario.run.until);
  return { sim, events };
}

/** Two orgs × four peers, classic gossip: the DESIGN.md sketch without faults. */
export function twoOrgs(extra = '', profile = 'classic-gossip'): string {
  return `
name: two-orgs
seed: 7
profile: ${profile}
orgs:
  - { mspId: Org1MSP, peers: 4, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 4, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
orderer: { batchTimeout: 2s, blocks: 10, txPerBlock: 5 }
network: { latency: { min: 5ms, max: 50ms }, loss: 0 }
run: { until: 60s }
${extra}`;
}

export const idx = (sim: Simulation, id: string): number => sim.peer(id).idx;
