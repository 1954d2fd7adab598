/**
 * Runs one benchmark network: creates it (identities and certificates, timed on their own), then
 * advances simulated time in slices, sampling memory between slices and stopping early, with
 * the figure clearly marked partial, if a wall-clock budget runs out.
 */
import { Simulation } from '../../engine/sim/simulation.js';
import { summarise } from '../../engine/sim/summary.js';
import { benchScenario, lastCutMs, type BenchNetwork } from './scenario.js';

export interface RunOptions {
  /** Simulated time to run to, ms. */
  untilMs: number;
  /** Simulated ms per slice; memory is sampled between slices. */
  sliceMs: number;
  /** Stop after this much wall time in the run loop (ms); Infinity for no limit. */
  wallBudgetMs: number;
  /** Print a progress line every this many ms of wall time (0: never). */
  progressEveryMs?: number;
  log?: (s: string) => void;
}

export interface RunResult {
  network: BenchNetwork & { peers: number };
  plannedSimMs: number;
  lastCutMs: number;
  /** Simulated time actually reached. */
  simMs: number;
  complete: boolean;
  loadMs: number;
  /** Simulation.create: CAs, every peer's key and certificate, genesis blocks. */
  createMs: number;
  /** The event loop only (sim.runUntil over all slices), excluding the memory sampling. */
  runMs: number;
  summaryMs: number;
  /** loadMs + createMs + runMs + summaryMs, the wall time of the whole case. */
  totalMs: number;
  delivered: number;
  deliveredByType: Record<string, number>;
  sent: number;
  dropped: number;
  rejected: number;
  traceEvents: number;
  kernelEvents: number;
  blocksCut: number;
  /** Peers that committed every cut block. */
  peersComplete: number;
  /** Median over blocks of the time until the last peer committed it (ms), null if some block never reached all. */
  medianFullLatencyMs: number | null;
  converged: boolean;
  traceHash: string;
  mem: { rssBeforeMB: number; peakRssMB: number; peakHeapUsedMB: number; samples: number; rssAfterCreateMB: number; heapAfterCreateMB: number };
}

const MB = 1024 * 1024;
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

export async function runNetwork(network: BenchNetwork, opts: RunOptions): Promise<RunResult> {
  const log = opts.log ?? (() => {});
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let peakHeap = process.memoryUsage().heapUsed;
  let samples = 0;
  const sample = () => {
    const m = process.memoryUsage();
    samples++;
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  };

  const t0 = now();
  const scenario = benchScenario(network, opts.untilMs);
  const t1 = now();
  const sim = await Simulation.create(scenario, { traceCapacity: 10_000, messageCapacity: 10_000 });
  const t2 = now();
  sample();
  const afterCreate = process.memoryUsage();

  let runMs = 0;
  let t = 0;
  let lastProgress = now();
  let complete = true;
  while (t < opts.untilMs) {
    if (runMs > opts.wallBudgetMs) {
      complete = false;
      break;
    }
    t = Math.min(opts.untilMs, t + opts.sliceMs);
    const s0 = now();
    sim.runUntil(t);
    runMs += now() - s0;
    sample();
    if (opts.progressEveryMs && now() - lastProgress > opts.progressEveryMs) {
      lastProgress = now();
      log(`    … ${network.name}: simulated ${(t / 1000).toFixed(1)}s of ${(opts.untilMs / 1000).toFixed(0)}s after ${(runMs / 1000).toFixed(1)}s of wall time, ${sim.kernel.executed} kernel events, rss ${(process.memoryUsage().rss / MB).toFixed(0)} MB`);
    }
  }
  const s0 = now();
  const summary = summarise(sim);
  const summaryMs = now() - s0;
  sample();

  const cut = summary.blocks.length;
  const perBlockFull = summary.blocks.map((b) => (b.committedBy === sim.peers.length && b.latencyMs ? b.latencyMs.max : null));
  const full = perBlockFull.filter((x): x is number => x !== null).sort((a, b) => a - b);
  const peersComplete = summary.peers.filter((p) => Object.values(p.height).every((h) => h === cut + 1)).length;

  return {
    network: { ...network, peers: network.orgs * network.peersPerOrg },
    plannedSimMs: opts.untilMs,
    lastCutMs: lastCutMs(network),
    simMs: sim.kernel.now,
    complete,
    loadMs: t1 - t0,
    createMs: t2 - t1,
    runMs,
    summaryMs,
    totalMs: t1 - t0 + (t2 - t1) + runMs + summaryMs,
    delivered: sum(summary.messages.delivered),
    deliveredByType: summary.messages.delivered,
    sent: sum(summary.messages.sent),
    dropped: sum(summary.messages.dropped),
    rejected: sum(summary.messages.rejected),
    traceEvents: summary.events,
    kernelEvents: sim.kernel.executed,
    blocksCut: cut,
    peersComplete,
    medianFullLatencyMs: full.length === cut && cut > 0 ? full[(full.length - 1) >> 1] : null,
    converged: summary.converged,
    traceHash: summary.traceHash,
    mem: {
      rssBeforeMB: rssBefore / MB,
      peakRssMB: peakRss / MB,
      peakHeapUsedMB: peakHeap / MB,
      samples,
      rssAfterCreateMB: afterCreate.rss / MB,
      heapAfterCreateMB: afterCreate.heapUsed / MB,
    },
  };
}
