/**
 * Live mode against the simulation, same scenario: `npm run bench:live`.
 * A 20-peer network (2 orgs x 10, classic gossip: election, push and pull) runs once as 20
 * processes on 127.0.0.1 (real sockets, real timers) and once in the simulator. Printed side by
 * side: messages delivered per second through one peer, and block dissemination latency (cut to
 * commit at every peer). The gap is what the simulation leaves out: process scheduling on this
 * machine's CPUs, socket and serialisation costs, timer slack.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLive } from '../engine/live/launcher.js';
import { loadScenario } from '../engine/scenario/load.js';
import { Simulation } from '../engine/sim/simulation.js';
import { summarise, type BlockSummary } from '../engine/sim/summary.js';

const SCENARIO = `name: live-bench-20
seed: 11
profile: classic-gossip
orgs:
  - { mspId: Org1MSP, peers: 10, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 10, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
orderer: { start: 20s, batchTimeout: 1s, blocks: 10, txPerBlock: 10 }
network: { latency: { min: 0ms, max: 1ms }, loss: 0 }
run: { until: 35s }
`;

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

function latency(blocks: BlockSummary[]): { median: number; max: number; committed: string } {
  const medians = blocks.map((b) => b.latencyMs?.median ?? NaN).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const maxes = blocks.map((b) => b.latencyMs?.max ?? NaN).filter((x) => !Number.isNaN(x));
  return { median: medians[Math.floor((medians.length - 1) / 2)] ?? NaN, max: Math.max(...maxes), committed: `${Math.min(...blocks.map((b) => b.committedBy))}–${Math.max(...blocks.map((b) => b.committedBy))}` };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gossip-bench-live-'));
  const file = join(dir, 'live-bench-20.yaml');
  writeFileSync(file, SCENARIO);
  const cli = join(__dirname, 'cli.js');
  console.log('Gossip Scope live mode vs simulation: 20 peers (2 orgs x 10), classic gossip, 10 blocks, 35 s');

  const t0 = performance.now();
  const live = await runLive(file, { cli, log: (s) => console.error(s) });
  const liveWall = performance.now() - t0;
  const liveDelivered = Object.values(live.messages.delivered).reduce((a, b) => a + b, 0);

  const scenario = loadScenario(SCENARIO, file);
  const sim = await Simulation.create(scenario);
  const t1 = performance.now();
  sim.runUntil(scenario.run.until);
  const simWall = performance.now() - t1;
  const s = summarise(sim);
  const simDelivered = Object.values(s.messages.delivered).reduce((a, b) => a + b, 0);

  const l = latency(live.blocks);
  const m = latency(s.blocks);
  const rows: [string, string, string][] = [
    ['delivered messages (whole network)', fmt(liveDelivered), fmt(simDelivered)],
    ['delivered per second through one peer', `${fmt(liveDelivered / 20 / (live.simTimeMs / 1000), 1)} /s (wall)`, `${fmt(simDelivered / 20 / (scenario.run.until / 1000), 1)} /s (simulated)`],
    ['simulator throughput, whole network', '', `${fmt(simDelivered / (simWall / 1000))} msgs per wall second`],
    ['block latency cut → commit, median of medians', `${fmt(l.median, 1)} ms`, `${fmt(m.median, 1)} ms`],
    ['block latency, worst peer', `${fmt(l.max, 1)} ms`, `${fmt(m.max, 1)} ms`],
    ['peers that committed each block', l.committed, m.committed],
    ['converged', String(live.converged), String(s.converged)],
    ['wall time', `${fmt(liveWall / 1000, 1)} s (20 processes)`, `${fmt(simWall / 1000, 1)} s (one thread)`],
  ];
  const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length), 4), Math.max(...rows.map((r) => r[2].length), 10)];
  console.log(`| ${'figure'.padEnd(w[0])} | ${'live'.padEnd(w[1])} | ${'simulation'.padEnd(w[2])} |`);
  console.log(`|${'-'.repeat(w[0] + 2)}|${'-'.repeat(w[1] + 2)}|${'-'.repeat(w[2] + 2)}|`);
  for (const r of rows) console.log(`| ${r[0].padEnd(w[0])} | ${r[1].padEnd(w[1])} | ${r[2].padEnd(w[2])} |`);
  if (!live.converged) console.log(`live run not converged: ${live.notConverged.slice(0, 5).join('; ')}`);
  console.log(JSON.stringify({ live: { delivered: liveDelivered, wallMs: live.simTimeMs, blocks: l, converged: live.converged }, sim: { delivered: simDelivered, wallMs: simWall, blocks: m, converged: s.converged } }));
}

main().catch((e) => {
  console.error(`bench:live failed: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
});
