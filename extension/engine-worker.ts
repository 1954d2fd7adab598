/**
 * The engine worker's entry point (bundled to dist/engine-worker.js): the simulation runs here,
 * off the extension host's main thread, so a big network never freezes VS Code. Messages are
 * handled one at a time, in order, even when one of them (open) has to wait.
 */
import { parentPort } from 'node:worker_threads';
import { EngineSession } from './engine-session.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('engine-worker.js runs as a worker thread');

const session = new EngineSession((m: FromWorker) => port.postMessage(m));
let queue: Promise<void> = Promise.resolve();

port.on('message', (m: ToWorker) => {
  queue = queue
    .then(() => session.handle(m))
    .catch((err: Error) => port.postMessage({ type: 'error', message: `engine: ${err?.stack ?? err}` } satisfies FromWorker));
});
