/**
 * What `gossip-scope report RUN` draws: the figures of a scenario run (with its summary), or of a
 * saved trace (JSON Lines, as `run --trace` or Export Trace write it), read line by line.
 */
import { createReadStream, statSync } from 'node:fs';
import { LIMITS, clip, showMs } from '../scenario/bounds.js';
import { READABLE_TRACE_VERSIONS } from '../trace/saved-trace.js';
import { showBytes } from '../scenario/read-text.js';
import { createInterface } from 'node:readline';
import type { Scenario } from '../scenario/types.js';
import { loadScenario, ScenarioError } from '../scenario/load.js';
import { Simulation } from '../sim/simulation.js';
import { summarise, type RunSummary } from '../sim/summary.js';
import { watchFigures } from '../figures/watch.js';
import { FigureBuilder } from '../figures/figures.js';
import type { Figures, ReportData } from '../figures/types.js';
import type { TraceEvent } from '../trace/events.js';

const bad = (file: string, line: number, message: string) => new ScenarioError([{ file, line, col: 1, message }]);

export async function figuresOfScenario(scenario: Scenario, bucketMs?: number): Promise<{ figures: Figures; summary: RunSummary }> {
  const sim = await Simulation.create(scenario, { traceCapacity: 1000 });
  const figures = watchFigures(sim, bucketMs);
  sim.runUntil(scenario.run.until);
  // Figures of a run cut short at the event bound would read as the whole run's.
  if (sim.kernel.halted !== undefined) throw new ScenarioError([{ file: scenario.file, line: 1, col: 1, message: sim.kernel.halted }]);
  return { figures: figures(), summary: summarise(sim) };
}

/** A saved trace: its header names the peers (and, from VS Code, the scenario: channel members). */
export async function figuresOfTrace(path: string, bucketMs?: number): Promise<{ figures: Figures; live: boolean }> {
  // A missing file, a directory or an oversize one is said at file:1:1 before streaming it.
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw bad(path, 1, 'this is a directory, not a file');
    size = st.size;
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw bad(path, 1, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'cannot read the file: there is no such file' : `cannot read the file: ${(e as Error).message}`);
  }
  if (size > LIMITS.traceBytes.max) throw bad(path, 1, `the file is ${size.toLocaleString('en-US')} bytes; a saved trace is at most ${showBytes(LIMITS.traceBytes.max)}`);
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let builder: FigureBuilder | undefined;
  let n = 0;
  let live = false;
  let last = 0;
  const latest = latestTime(bucketMs ?? DEFAULT_BUCKET_MS);
  let peerCount = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(line) as Record<string, unknown>;
    } catch (e) {
      throw bad(path, n, `not JSON: ${(e as Error).message}`);
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad(path, n, 'not a JSON object');
    if (builder === undefined) {
      if (typeof v.traceVersion !== 'number' || !Array.isArray(v.peers)) throw bad(path, 1, 'not a Gossip Scope trace (the first line has no traceVersion and peers)');
      if (!READABLE_TRACE_VERSIONS.includes(v.traceVersion)) {
        throw bad(path, 1, `traceVersion ${clip(String(v.traceVersion))} is not one this version of Gossip Scope reads (it reads ${READABLE_TRACE_VERSIONS.join(', ')}): saved by another version?`);
      }
      const peers = v.peers.map(String);
      live = v.live === true;
      let channelMembers: Map<string, number[]> | undefined;
      if (typeof v.scenarioText === 'string') {
        const sc = loadScenario(v.scenarioText, typeof v.file === 'string' ? v.file : path);
        const orgOf = new Map(sc.orgs.flatMap((o) => Array.from({ length: o.peers }, (_, i): [string, string] => [`peer${i}.${o.name}`, o.mspId])));
        channelMembers = new Map(sc.channels.map((c) => [c.name, peers.flatMap((p, i) => (c.orgs.includes(orgOf.get(p) ?? '') ? [i] : []))]));
      }
      builder = new FigureBuilder({ scenario: String(v.scenario ?? path), seed: Number(v.seed ?? 0), peers, channelMembers, bucketMs });
      peerCount = peers.length;
      continue;
    }
    if (typeof v.id !== 'number' || typeof v.t !== 'number' || typeof v.kind !== 'string' || typeof v.peer !== 'number') {
      throw bad(path, n, 'not a trace event (it needs id, t, kind and peer)');
    }
    // A time the run could not have reached (1e15 took the chart arrays past what V8 allows),
    // or a peer the header does not name, is refused where it is, as replay refuses it.
    if (!(v.t >= 0 && v.t <= latest.ms)) throw new ScenarioError([{ file: path, line: n, col: colOf(line, 't'), message: `"t" must be from 0 to ${latest.ms} ms (${latest.why}), got ${clip(String(v.t))}` }]);
    if (!Number.isInteger(v.peer) || v.peer < -1 || v.peer >= peerCount) {
      throw new ScenarioError([{ file: path, line: n, col: colOf(line, 'peer'), message: `"peer" must be -1 (the orderer) or the index of one of the header's ${peerCount} peers, got ${clip(String(v.peer))}` }]);
    }
    last = v.t;
    builder.add(v as unknown as TraceEvent);
  }
  if (builder === undefined) throw bad(path, 1, 'the trace is empty');
  return { figures: builder.figures(last), live };
}

/** The figures' default rate bucket (FigureBuilder's). */
const DEFAULT_BUCKET_MS = 1000;

/** The latest event time a trace may have: a run's longest, and no more buckets than a report draws. */
function latestTime(bucketMs: number): { ms: number; why: string } {
  const byBuckets = LIMITS.reportBuckets.max * bucketMs;
  if (byBuckets < LIMITS.duration.max) return { ms: byBuckets, why: `${LIMITS.reportBuckets.max.toLocaleString('en-US')} buckets of ${bucketMs} ms: ${LIMITS.reportBuckets.why}` };
  return { ms: LIMITS.duration.max, why: `${showMs(LIMITS.duration.max)}: ${LIMITS.duration.why}` };
}

/** 1-based column of a key's value in a JSON line (1 when the key is not found as written). */
function colOf(line: string, key: string): number {
  const m = new RegExp(`"${key}"\\s*:\\s*`).exec(line);
  return m === null ? 1 : m.index + m[0].length + 1;
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
