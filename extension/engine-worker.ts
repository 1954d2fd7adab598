/**
 * The engine worker's entry point (bundled to dist/engine-worker.js): the simulation runs here,
 * off the extension host's main thread, so a big network never freezes VS Code; so does the
 * controller of a live network (its peers are processes of their own). Messages are handled one
 * at a time, in order, even when one of them (open) has to wait.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { EngineSession } from './engine-session.js';
import { LiveSession } from './live-session.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('engine-worker.js runs as a worker thread');

const post = (m: FromWorker) => port.postMessage(m);
const session = new EngineSession(post);
// Live peers run the CLI bundled beside this worker (dist/), or, loaded from source in tests, the built one.
const cli = existsSync(join(__dirname, 'cli.js')) ? join(__dirname, 'cli.js') : join(__dirname, '..', 'dist', 'cli.js');
const live = new LiveSession(post, cli);
let queue: Promise<void> = Promise.resolve();

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'open' && m.live) {
    await live.open(m);
    if (live.active) session.dispose(); // the simulated network gives way once the live one runs
    return;
  }
  if (m.type === 'open') {
    await live.dispose();
    return session.handle(m);
  }
  if (m.type === 'close') {
    // The panel's tab was closed on a live network: its peer processes end with it.
    await live.dispose();
    session.dispose();
    return post({ type: 'closed', requestId: m.requestId });
  }
  return live.active ? live.handle(m) : session.handle(m);
}

port.on('message', (m: ToWorker) => {
  queue = queue.then(() => handle(m)).catch((err: Error) => post({ type: 'error', message: `engine: ${err?.stack ?? err}` }));
});
