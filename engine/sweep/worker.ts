/**
 * A sweep worker thread (bundled to dist/sweep-worker.js): runs the jobs it is sent, one at a
 * time, each a whole deterministic simulation, and answers with its scalars or its error.
 */
import { parentPort } from 'node:worker_threads';
import { sweepRun, type SweepJob } from './one-run.js';

parentPort!.on('message', (job: SweepJob) => {
  sweepRun(job).then(
    (run) => parentPort!.postMessage({ index: job.index, run }),
    (e: unknown) => parentPort!.postMessage({ index: job.index, error: (e as Error)?.message ?? String(e) }),
  );
});
