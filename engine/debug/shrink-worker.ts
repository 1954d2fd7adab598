/**
 * The shrinker on a worker thread (bundled to dist/shrink-worker.js), so VS Code's extension
 * host stays responsive through the many runs: sent { text, file, maxRuns }, it posts
 * { progress } as it goes and then { result } or { error } (a ScenarioError's message).
 */
import { parentPort } from 'node:worker_threads';
import { shrink } from './shrink.js';

export interface ShrinkJob {
  text: string;
  file: string;
  maxRuns?: number;
}

parentPort!.once('message', (job: ShrinkJob) => {
  shrink(job.text, job.file, { maxRuns: job.maxRuns, onRun: (runs, kept) => parentPort!.postMessage({ progress: { runs, kept } }) }).then(
    (result) => parentPort!.postMessage({ result }),
    (e: unknown) => parentPort!.postMessage({ error: (e as Error)?.message ?? String(e) }),
  );
});
