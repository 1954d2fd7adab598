/**
 * The host's end of the engine worker: starts it, sends it typed messages, matches replies to
 * requests, and keeps the latest picture of the network (what a webview needs when it opens).
 * No `vscode` here, so tests can use it as the extension does.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { UiNetwork, UiPeerState, UiStatus } from './protocol.js';
import type { FromWorker, OpenRequest, ToWorker, WorkerReply } from './worker-protocol.js';

export interface NetworkSnapshot {
  network: UiNetwork;
  status: UiStatus;
  states: UiPeerState[];
}

type Opened = Extract<FromWorker, { type: 'opened' | 'openFailed' }>;
type Request = ToWorker extends infer T ? (T extends { requestId: number } ? Omit<T, 'requestId'> : never) : never;
/** The answer's type: the request's own name, but for these three. */
type ReplyType<T> = T extends 'exportTrace' ? 'exported' : T extends 'addInvariantQuery' ? 'invariantAdded' | 'invariantRefused' : T extends 'close' ? 'closed' : T;
type ReplyTo<R extends Request> = Extract<WorkerReply, { type: ReplyType<R['type']> }>;

export class EngineClient {
  private readonly worker: Worker;
  private readonly listeners = new Set<(m: FromWorker) => void>();
  private readonly waiting = new Map<number, (m: WorkerReply) => void>();
  private nextRequestId = 1;
  private readonly opening = new Map<number, (m: Opened) => void>();
  private exited = false;
  /** The last network opened and its latest status and peer states. */
  snapshot?: NetworkSnapshot;

  constructor(workerFile: string, options: WorkerOptions = {}) {
    this.worker = new Worker(workerFile, options);
    this.worker.on('message', (m: FromWorker) => this.receive(m));
    this.worker.on('error', (err) => this.receive({ type: 'error', message: `engine worker failed: ${err.message}` }));
    this.worker.on('exit', () => {
      this.exited = true;
      for (const [requestId, reply] of this.waiting) reply({ type: 'requestFailed', requestId, message: 'the engine worker stopped' });
      this.waiting.clear();
      for (const reply of this.opening.values()) reply({ type: 'openFailed', message: 'the engine worker stopped', diagnostics: [] });
      this.opening.clear();
    });
  }

  /** False once the worker has stopped (crashed or disposed): start a new client. */
  get alive(): boolean {
    return !this.exited;
  }

  /** Every message from the worker, after the snapshot has been updated. */
  onMessage(listener: (m: FromWorker) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  send(m: ToWorker): void {
    if (!this.exited) this.worker.postMessage(m);
  }

  /** Opens a scenario; resolves with 'opened' or 'openFailed' (with the loader's diagnostics). */
  open(req: Omit<OpenRequest, 'type' | 'openId'>): Promise<Opened> {
    const openId = this.nextRequestId++;
    return new Promise((resolve) => {
      if (this.exited) return resolve({ type: 'openFailed', message: 'the engine worker stopped', diagnostics: [] });
      this.opening.set(openId, resolve);
      this.send({ type: 'open', ...req, openId });
    });
  }

  /** A host-only request (export, metrics); rejects with the worker's reason. */
  request<R extends Request>(req: R): Promise<ReplyTo<R>> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(new Error('the engine worker stopped'));
      this.waiting.set(requestId, (reply) => (reply.type === 'requestFailed' ? reject(new Error(reply.message)) : resolve(reply as ReplyTo<R>)));
      this.send({ ...req, requestId } as ToWorker);
    });
  }

  async dispose(): Promise<void> {
    this.listeners.clear();
    await this.worker.terminate();
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'opened':
        this.snapshot = { network: m.network, status: m.status, states: m.states };
        break;
      case 'frame':
        if (this.snapshot) this.snapshot = { ...this.snapshot, status: m.status, states: m.states };
        break;
    }
    if ((m.type === 'opened' || m.type === 'openFailed') && m.openId !== undefined) {
      this.opening.get(m.openId)?.(m);
      this.opening.delete(m.openId);
    }
    if ('requestId' in m) {
      this.waiting.get(m.requestId)?.(m);
      this.waiting.delete(m.requestId);
    }
    for (const l of this.listeners) l(m);
  }
}
