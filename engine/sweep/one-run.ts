/** One run of a sweep: a combination's scenario text and a seed in, its figures' scalars out. */
import { loadScenario } from '../scenario/load.js';
import { figuresOfScenario } from '../report/run-report.js';
import type { SweepRun } from '../figures/types.js';

export interface SweepJob {
  index: number;
  file: string;
  text: string;
  values: Record<string, number | string>;
  seed: number;
}

export async function sweepRun(job: SweepJob): Promise<SweepRun> {
  const scenario = loadScenario(job.text, job.file);
  scenario.seed = job.seed;
  const { figures, summary } = await figuresOfScenario(scenario);
  return { values: job.values, seed: job.seed, traceHash: summary.traceHash, events: summary.events, scalars: figures.scalars };
}
