/**
 * The 200-peer lesson (samples/big-200.yaml) as a user runs it: through the extension's engine
 * worker (dist/engine-worker.js, beside this bench), flat out (speed 0).
 *   - real-time factor: simulated time / wall time from Run to the 'finished' frame;
 *   - responsiveness while it runs flat out: Pause (until the frame that says paused), Step
 *     (until its frame) and the inspector (peerDetail), each timed from the host's send.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineClient } from '../../extension/engine-client.js';
import type { FromWorker } from '../../extension/worker-protocol.js';

export interface LessonResult {
  file: string;
  peers: number;
  simMs: number;
  /** False when the wall budget stopped it before the lesson's end. */
  complete: boolean;
  /** Run to finished, wall ms (the worker's open not included). */
  runMs: number;
  realTimeFactor: number;
  events: number;
  pauseMs: number[];
  stepMs: number[];
  inspectMs: number[];
}

const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function waitFor<T extends FromWorker>(client: EngineClient, pick: (m: FromWorker) => m is T, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for the engine worker')), timeoutMs);
    timer.unref(); // a wait left pending (the end of a run stopped at its budget) must not keep the bench alive
    const sub = client.onMessage((m) => {
      if (!pick(m)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(m);
    });
  });
}
type Frame = Extract<FromWorker, { type: 'frame' }>;
const frameIn = (state: string) => (m: FromWorker): m is Frame => m.type === 'frame' && m.status.state === state;
const isFrame = (m: FromWorker): m is Frame => m.type === 'frame';
const isPeerDetail = (m: FromWorker): m is Extract<FromWorker, { type: 'peerDetail' }> => m.type === 'peerDetail';

async function openLesson(client: EngineClient, file: string): Promise<number> {
  const opened = await client.open({ file, text: readFileSync(file, 'utf8'), speed: 0, maxTraceEvents: 100_000 });
  if (opened.type !== 'opened') throw new Error(`cannot open ${file}: ${opened.message}`);
  return opened.network.peers.length;
}

export async function lessonBenchmark(samplesDir: string, wallBudgetMs = 120_000, probes = 5): Promise<LessonResult> {
  const file = join(samplesDir, 'big-200.yaml');
  const client = new EngineClient(join(__dirname, 'engine-worker.js'));
  try {
    // 1. Flat out from Run to the end of the lesson.
    const peers = await openLesson(client, file);
    const t0 = now();
    const finished = waitFor(client, frameIn('finished'), 900_000);
    client.send({ type: 'control', action: 'run' });
    // A slow engine is paused at the wall budget: its factor is then over the part it ran.
    let budget: NodeJS.Timeout | undefined;
    const stopped = new Promise<Frame>((resolve) => {
      budget = setTimeout(() => {
        void waitFor(client, frameIn('paused')).then(resolve);
        client.send({ type: 'control', action: 'pause' });
      }, wallBudgetMs);
    });
    const end = await Promise.race([finished, stopped]);
    clearTimeout(budget);
    const runMs = now() - t0;

    // 2. Interrupted while flat out: a run far past the lesson's end, so it is always running.
    await openLesson(client, file);
    const pauseMs: number[] = [];
    const stepMs: number[] = [];
    const inspectMs: number[] = [];
    for (let i = 0; i < probes; i++) {
      client.send({ type: 'control', action: 'run', until: 3_600_000 });
      await sleep(400 + 150 * i);
      let t = now();
      const paused = waitFor(client, frameIn('paused'));
      client.send({ type: 'control', action: 'pause' });
      await paused;
      pauseMs.push(now() - t);
      t = now();
      const stepped = waitFor(client, isFrame);
      client.send({ type: 'control', action: 'step' });
      await stepped;
      stepMs.push(now() - t);
      // The inspector while running: resume, then ask for a peer.
      client.send({ type: 'control', action: 'run', until: 3_600_000 });
      await sleep(200);
      t = now();
      const detail = waitFor(client, isPeerDetail);
      client.send({ type: 'inspectPeer', idx: (i * 37) % peers });
      await detail;
      inspectMs.push(now() - t);
      const p = waitFor(client, frameIn('paused'));
      client.send({ type: 'control', action: 'pause' });
      await p;
    }
    return { file, peers, simMs: end.status.simTime, complete: end.status.state === 'finished', runMs, realTimeFactor: end.status.simTime / runMs, events: end.status.events, pauseMs, stepMs, inspectMs };
  } finally {
    await client.dispose();
  }
}
