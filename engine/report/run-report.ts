/**
 * What `gossip-scope report RUN` draws: the figures of a scenario run (with its summary), or of a
 * saved trace (JSON Lines, as `run --trace` or Export Trace write it), read line by line.
 */
import { LIMITS, clip, showMs } from '../scenario/bounds.js';
import { colOfValue, readCheckedTrace } from '../trace/read-trace.js';
import type { Scenario } from '../scenario/types.js';
import { loadScenario, ScenarioError } from '../scenario/load.js';
import { Simulation } from '../sim/simulation.js';
import { summarise, type RunSummary } from '../sim/summary.js';
import { watchFigures } from '../figures/watch.js';
import { FigureBuilder } from '../figures/figures.js';
import type { Figures, ReportData } from '../figures/types.js';

export async function figuresOfScenario(scenario: Scenario, bucketMs?: number): Promise<{ figures: Figures; summary: RunSummary }> {
  const sim = await Simulation.create(scenario, { traceCapacity: 1000 });
  const figures = watchFigures(sim, bucketMs);
  sim.runUntil(scenario.run.until);
  // Figures of a run cut short at the event bound would read as the whole run's.
  if (sim.kernel.halted !== undefined) throw new ScenarioError([{ file: scenario.file, line: 1, col: 1, message: sim.kernel.halted }]);
  return { figures: figures(), summary: summarise(sim) };
}

/**
 * A saved trace: its header names the peers (and, from VS Code, the scenario: channel members).
 * Read and checked as every reader of a trace checks it (read-trace.ts: its lines hashed against
 * the header, numbered and counted), so a report is never drawn from an edited or damaged file.
 */
export async function figuresOfTrace(path: string, bucketMs?: number): Promise<{ figures: Figures; live: boolean }> {
  const latest = latestTime(bucketMs ?? DEFAULT_BUCKET_MS);
  let builder: FigureBuilder | undefined;
  let last = 0;
  const trace = readCheckedTrace(path, {
    verifyHash: true,
    onHeader: (header, peers) => (builder = builderOf(path, header, peers, bucketMs)),
    each(ev, n, text) {
      // A time past what the charts can hold (1e15 took the arrays past what V8 allows) is refused where it is.
      if (!(ev.t <= latest.ms)) throw new ScenarioError([{ file: path, line: n, col: colOfValue(text, 't'), message: `"t" must be from 0 to ${latest.ms} ms (${latest.why}), got ${clip(String(ev.t))}` }]);
      last = ev.t;
      builder!.add(ev);
    },
  });
  return { figures: builder!.figures(last), live: trace.origin === 'live' };
}

/** The figures of a trace with this header (a scenario in it gives each channel's members). */
function builderOf(path: string, h: Record<string, unknown>, peers: string[], bucketMs?: number): FigureBuilder {
  let channelMembers: Map<string, number[]> | undefined;
  if (typeof h.scenarioText === 'string') {
    const sc = loadScenario(h.scenarioText, typeof h.file === 'string' ? h.file : path);
    const orgOf = new Map(sc.orgs.flatMap((o) => Array.from({ length: o.peers }, (_, i): [string, string] => [`peer${i}.${o.name}`, o.mspId])));
    channelMembers = new Map(sc.channels.map((c) => [c.name, peers.flatMap((p, i) => (c.orgs.includes(orgOf.get(p) ?? '') ? [i] : []))]));
  }
  return new FigureBuilder({ scenario: String(h.scenario ?? path), seed: Number(h.seed ?? 0), peers, channelMembers, bucketMs });
}

/** The figures' default rate bucket (FigureBuilder's). */
const DEFAULT_BUCKET_MS = 1000;

/** The latest event time a trace may have: a run's longest, and no more buckets than a report draws. */
function latestTime(bucketMs: number): { ms: number; why: string } {
  const byBuckets = LIMITS.reportBuckets.max * bucketMs;
  if (byBuckets < LIMITS.duration.max) return { ms: byBuckets, why: `${LIMITS.reportBuckets.max.toLocaleString('en-US')} buckets of ${bucketMs} ms: ${LIMITS.reportBuckets.why}` };
  return { ms: LIMITS.duration.max, why: `${showMs(LIMITS.duration.max)}: ${LIMITS.duration.why}` };
}


export type RunReportData = Extract<ReportData, { kind: 'run' }>;

export function runReportData(figures: Figures, summary?: RunSummary, source = ''): RunReportData {
  const facts: [string, string][] = [
    ['scenario', `${figures.scenario}${source === '' ? '' : ` (${source})`}`],
    ['seed', String(figures.seed)],
    ['peers', String(figures.peers.length)],
    ['simulated', `${(figures.simTimeMs / 1000).toFixed(1)} s`],
  ];
  if (summary !== undefined) {
    facts.push(['profile', summary.profile], ['trace events', String(summary.events)], ['trace hash', summary.traceHash], ['converged', summary.converged ? 'yes' : `no: ${summary.notConverged.slice(0, 3).join('; ')}`]);
    facts.push(['messages sent', Object.entries(summary.messages.sent).map(([t, n]) => `${t} ${n}`).join(', ')]);
  }
  return { kind: 'run', title: `Gossip Scope report: ${figures.scenario}, seed ${figures.seed}`, facts, figures };
}
