/**
 * gossip-scope report RUN: one self-contained HTML file with a run's charts and summary. RUN is
 * a scenario (run here, deterministically) or a saved JSON Lines trace. --json prints the figures.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseDuration } from '../fabric/config.js';
import { seedOption, untilOption } from './bounded-options.js';
import { runCostProblem } from '../scenario/run-cost.js';
import { LIMITS } from '../scenario/bounds.js';
import { loadScenarioFile } from '../scenario/load.js';
import { figuresOfScenario, figuresOfTrace, runReportData, type RunReportData } from '../report/run-report.js';
import { reportHtml } from '../report/html.js';
import { parseArgs, UsageError } from './args.js';
import { checkOutFile } from './out-path.js';

/** Rate buckets: from 10 ms to a minute, at most LIMITS.reportBuckets in a run. */
const BUCKET_MIN_MS = 10;
const BUCKET_MAX_MS = 60_000;
const MAX_BUCKETS = LIMITS.reportBuckets.max;

export function bucketFlag(v: string | true | undefined): number | undefined {
  if (typeof v !== 'string') return undefined;
  const ms = parseDuration(v);
  if (ms === null || ms < BUCKET_MIN_MS || ms > BUCKET_MAX_MS) throw new UsageError(`--bucket must be a duration from 10ms to 1m, got '${v}'`);
  return ms;
}

export async function report(argv: string[], out: (s: string) => void): Promise<number> {
  const { positional, flags } = parseArgs(argv, new Set(['seed', 'until', 'out', 'bucket']), new Set(['json']));
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'report needs a scenario file or a saved trace' : `unexpected argument '${positional[1]}'`);
  const run = positional[0];
  const bucketMs = bucketFlag(flags.get('bucket'));
  const isTrace = /\.jsonl?$/i.test(run);
  const file = (flags.get('out') as string | undefined) ?? `${basename(run).replace(/\.(ya?ml|jsonl?)$/i, '')}-report.html`;
  // Before the run: a folder, a missing folder or the input itself is refused now.
  checkOutFile('--out', file, [run], 'report.html');
  let data: RunReportData;
  if (isTrace) {
    if (flags.has('seed') || flags.has('until')) throw new UsageError('--seed and --until are for a scenario; a saved trace has its own');
    const { figures, live } = await figuresOfTrace(run, bucketMs);
    data = runReportData(figures, undefined, live ? `live trace ${basename(run)}` : `trace ${basename(run)}`);
  } else {
    const scenario = loadScenarioFile(run);
    const seed = flags.get('seed');
    if (typeof seed === 'string') scenario.seed = seedOption(seed);
    const until = flags.get('until');
    if (typeof until === 'string') {
      const ms = untilOption(until);
      scenario.run.until = ms;
      const cost = runCostProblem(scenario);
      if (cost !== undefined) throw new UsageError(`--until ${until}: ${cost}`);
    }
    if (scenario.run.until / (bucketMs ?? 1000) > MAX_BUCKETS) throw new UsageError(`--bucket: ${scenario.run.until} ms in buckets of ${bucketMs ?? 1000} ms is more than ${MAX_BUCKETS} buckets`);
    const { figures, summary } = await figuresOfScenario(scenario, bucketMs);
    data = runReportData(figures, summary, basename(run));
  }
  writeFileSync(file, reportHtml(data));
  if (flags.has('json')) out(JSON.stringify(data.figures));
  else {
    const s = data.figures.scalars;
    out(`wrote ${file}: ${data.figures.blocks.length} blocks, latency p50 ${s.latencyP50 ?? '—'} ms p99 ${s.latencyP99 ?? '—'} ms, push reach ${s.pushReach}, ${s.dataMessagesPerBlock} DataMessages per block`);
  }
  return 0;
}
