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
  /**
   * Stop when the case's wall time (load + create + run loop) reaches this many ms; Infinity for
   * no limit. Checked between events, so the overshoot is one event at most.
   */
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
  /** Wall ms per simulated ms over the last quarter of the run loop (over the whole loop if simulated time stood still in it). */
  recentPace: number;
  /** Most events waiting in the kernel's queue at one time (sampled). */
  peakPending: number;
  loadMs: number;
  /** Simulation.create: CAs, every peer's key and certificate, genesis blocks. */
  createMs: number;
  /** The event loop only (sim.runUntil over all slices), excluding the memory sampling. */
  runMs: number;
  /** CPU time (user + system, all threads of the process: GC helpers too) during the run loop. */
  runCpuMs: number;
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
const now = () => performance.now();
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
  let peakPending = 0;
  const samplePending = () => {
    if (sim.kernel.pending > peakPending) peakPending = sim.kernel.pending;
  };

  // The run loop: slices of simulated time; memory is sampled between slices only, outside the
  // timed part (process.memoryUsage() inside the loop cost 0.4–3.3 % of the samples). A slice
  // that holds a burst still ends at the wall budget: the clock is read every 16 events.
  const deadline = t0 + opts.wallBudgetMs;
  let stopped = false;
  let events = 0;
  const shouldStop = () => {
    if ((++events & 15) !== 0) return false;
    if (now() > deadline) stopped = true;
    return stopped;
  };
  let runMs = 0;
  let runCpuUs = 0;
  let t = 0;
  let lastProgress = now();
  const pace: { wallMs: number; simMs: number }[] = [{ wallMs: 0, simMs: 0 }];
  sim.start();
  while (t < opts.untilMs && !stopped) {
    t = Math.min(opts.untilMs, t + opts.sliceMs);
    const s0 = now();
    const c0 = process.cpuUsage();
    sim.kernel.runUntil(t, shouldStop);
    runMs += now() - s0;
    const c1 = process.cpuUsage(c0);
    runCpuUs += c1.user + c1.system;
    sample();
    samplePending();
    if (!stopped && now() > deadline && t < opts.untilMs) stopped = true;
    pace.push({ wallMs: runMs, simMs: sim.kernel.now });
    if (opts.progressEveryMs && now() - lastProgress > opts.progressEveryMs) {
      lastProgress = now();
      log(`    … ${network.name}: simulated ${(sim.kernel.now / 1000).toFixed(2)}s of ${(opts.untilMs / 1000).toFixed(0)}s after ${(runMs / 1000).toFixed(1)}s in the run loop, ${sim.kernel.executed} kernel events, ${sim.kernel.pending} pending, rss ${(process.memoryUsage().rss / MB).toFixed(0)} MB`);
    }
  }
  const complete = !stopped;
  // Pace of the last quarter of the run loop (wall ms per simulated ms), for estimates of partial runs.
  const since = pace.find((p) => p.wallMs >= runMs * 0.75) ?? pace[0];
  const last = pace[pace.length - 1];
  const recentPace =
    last.simMs > since.simMs ? (last.wallMs - since.wallMs) / (last.simMs - since.simMs) : last.simMs > 0 ? last.wallMs / last.simMs : Infinity;
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
    recentPace,
    peakPending,
    loadMs: t1 - t0,
    createMs: t2 - t1,
    runMs,
    runCpuMs: runCpuUs / 1000,
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
