/**
 * Runs a sweep: every combination of the parameters for every seed, on a pool of worker threads
 * (one per core unless told), each run a deterministic simulation of its own. Results come back
 * in any order and are put in combination order, so the same sweep always gives the same table.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadScenario, ScenarioError } from '../scenario/load.js';
import { placeInOriginal } from './positions.js';
import type { Sweep, SweepParam, SweepRun } from '../figures/types.js';
import { applyValues, combinations, MAX_RUNS, MAX_SEEDS, SweepArgError } from './params.js';
import type { SweepJob } from './one-run.js';

export const MAX_JOBS = 64;

export interface SweepOptions {
  file: string;
  text: string;
  params: SweepParam[];
  /** How many seeds: the scenario's seed and the ones after it. */
  seeds: number;
  /** Worker threads; default the machine's cores. */
  jobs?: number;
  onProgress?: (done: number, total: number, run: SweepRun) => void;
  /** The loader's warnings about a swept value, before any run (a value Fabric reads as its default). */
  onWarning?: (message: string) => void;
  /** Stops the sweep (the VS Code command's Cancel): workers are ended, the promise rejects. */
  signal?: AbortSignal;
}

function workerScript(): string {
  const candidates = [join(__dirname, 'sweep-worker.js'), join(__dirname, '..', '..', 'dist', 'sweep-worker.js')];
  const f = candidates.find((c) => existsSync(c));
  if (f === undefined) throw new Error('the sweep worker (sweep-worker.js) is not built: run node scripts/build.mjs');
  return f;
}

/** The jobs of a sweep, each combination's scenario checked by the loader before anything runs. */
export function sweepJobs(o: Pick<SweepOptions, 'file' | 'text' | 'params' | 'seeds'>): { jobs: SweepJob[]; seeds: number[]; name: string; warnings: string[] } {
  if (!Number.isInteger(o.seeds) || o.seeds < 1 || o.seeds > MAX_SEEDS) throw new SweepArgError(`--seeds must be an integer from 1 to ${MAX_SEEDS}, got ${o.seeds}`);
  const names = o.params.map((p) => p.name);
  if (new Set(names).size !== names.length) throw new SweepArgError(`--set: a parameter is given twice`);
  // The bound is checked on the product of the counts, before a single combination is built
  // (three ranges of 1,000 are a billion of them).
  const count = o.params.reduce((n, p) => n * p.values.length, 1);
  if (count * o.seeds > MAX_RUNS) {
    throw new SweepArgError(`${o.params.map((p) => p.values.length.toLocaleString('en-US')).join(' × ')} values${o.params.length > 1 ? ` (${count.toLocaleString('en-US')} combinations)` : ''} × ${o.seeds} seed${o.seeds === 1 ? '' : 's'} is ${(count * o.seeds).toLocaleString('en-US')} runs, at most ${MAX_RUNS.toLocaleString('en-US')}`);
  }
  const combos = combinations(o.params);
  const base = loadScenario(o.text, o.file);
  const seeds = Array.from({ length: o.seeds }, (_, i) => base.seed + i);
  const jobs: SweepJob[] = [];
  // What the loader warns of for a value set (propagatePeerNum=0 is Fabric's default 3), said as `run` says it.
  const baseWarnings = new Set((base.warnings ?? []).map((w) => w.message));
  const warnings: string[] = [];
  for (const values of combos) {
    const text = applyValues(o.text, o.file, values);
    const label = `--set ${Object.entries(values).map(([k, v]) => `${k}=${v}`).join(' ')}`;
    try {
      const combo = loadScenario(text, o.file);
      for (const w of combo.warnings ?? []) if (!baseWarnings.has(w.message)) warnings.push(`${label}: warning: ${w.message}`);
    } catch (e) {
      // Said at the user's file and line, not the reprinted combination's.
      if (!(e instanceof ScenarioError)) throw new SweepArgError(`${label}: ${(e as Error).message}`);
      const placed = e.diagnostics.map((d) => {
        const { line, col, added } = placeInOriginal(text, d.line, d.col, o.text);
        return { ...d, line, col, message: added === undefined ? d.message : `${d.message} (${added}: not in the file, the sweep sets it)` };
      });
      throw new SweepArgError(`${label}: ${new ScenarioError(placed).message}`);
    }
    for (const seed of seeds) jobs.push({ index: jobs.length, file: o.file, text, values, seed });
  }
  return { jobs, seeds, name: base.name, warnings };
}

export async function runSweep(o: SweepOptions): Promise<Sweep> {
  const { jobs, seeds, name, warnings } = sweepJobs(o);
  for (const w of warnings) o.onWarning?.(w);
  const threads = Math.max(1, Math.min(o.jobs ?? availableParallelism(), MAX_JOBS, jobs.length));
  const results: (SweepRun | undefined)[] = new Array(jobs.length);
  const script = workerScript();
  let next = 0;
  let done = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (e: Error) => reject(e);
      o.signal?.addEventListener('abort', () => fail(new Error('the sweep was cancelled')), { once: true });
      const feed = (w: Worker) => {
        if (next < jobs.length) w.postMessage(jobs[next++]);
      };
      for (let i = 0; i < threads; i++) {
        const w = new Worker(script);
        workers.push(w);
        w.on('error', fail);
        w.on('message', (m: { index: number; run?: SweepRun; error?: string }) => {
          if (m.error !== undefined || m.run === undefined) {
            const j = jobs[m.index];
            return fail(new Error(`run ${Object.entries(j.values).map(([k, v]) => `${k}=${v}`).join(' ')} seed ${j.seed} failed: ${m.error}`));
          }
          results[m.index] = m.run;
          done++;
          o.onProgress?.(done, jobs.length, m.run);
          if (done === jobs.length) resolve();
          else feed(w);
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { sweepVersion: 1, scenario: name, params: o.params, seeds, runs: results as SweepRun[] };
}
