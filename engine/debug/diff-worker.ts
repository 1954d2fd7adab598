/**
 * Two runs compared on a worker thread (bundled to dist/diff-worker.js), so VS Code's extension
 * host stays responsive while both run: sent { a, b, at }, it posts { result } (the RunDiff) or { error }.
 */
import { parentPort } from 'node:worker_threads';
import { diffRuns, type RunSide } from './diff.js';

export interface DiffJob {
  a: RunSide;
  b: RunSide;
  at?: number;
}

parentPort!.once('message', (job: DiffJob) => {
  diffRuns(job.a, job.b, { at: job.at }).then(
    (result) => parentPort!.postMessage({ result }),
    (e: unknown) => parentPort!.postMessage({ error: (e as Error)?.message ?? String(e) }),
  );
});
