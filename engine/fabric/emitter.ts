/**
 * gossip/gossip/batcher.go: the batching emitter. Messages to push wait in a buffer that is
 * emitted when it reaches maxPropagationBurstSize, or on the next tick of a
 * maxPropagationBurstLatency ticker; each entry is emitted propagateIterations times.
 */
import type { PeerEnv } from './env.js';
import type { MemberId } from './members.js';
import type { SignedMessage } from './message.js';

export interface Emitted {
  sm: SignedMessage;
  /** The peer it came from, never sent back to (IsNotSameFilter); -1 for our own messages. */
  exclude: MemberId;
  iterationsLeft: number;
  /** Trace event that added it, the cause of its sends. */
  cause: number;
}

export class BatchingEmitter {
  private buf: Emitted[] = [];
  private tickScheduled = false;
  private readonly startedAt: number;

  constructor(
    private readonly env: PeerEnv,
    private readonly emit: (batch: Emitted[]) => void,
  ) {
    this.startedAt = env.rt.now();
  }

  add(sm: SignedMessage, exclude: MemberId = -1): void {
    const c = this.env.config;
    // propagateIterations=0 cannot be configured: GetIntOrDefault turns 0 into 1.
    const iterations = c.propagateIterations > 0 ? c.propagateIterations : 1;
    this.buf.push({ sm, exclude, iterationsLeft: iterations, cause: this.env.tr.cause });
    if (this.buf.length >= c.maxPropagationBurstSize) this.flush();
    else this.scheduleTick();
  }

  get size(): number {
    return this.buf.length;
  }

  /** Whether a message waiting here was added by one of these trace events (the debugger's Step Out). */
  holdsAnyCausedBy(causes: ReadonlySet<number>): boolean {
    return this.buf.some((e) => causes.has(e.cause));
  }

  /**
   * Fabric's ticker fires every latency since start whether or not anything waits; only ticks
   * that find messages matter, so only those are scheduled, at the same instants.
   */
  private scheduleTick(): void {
    if (this.tickScheduled) return;
    this.tickScheduled = true;
    const L = this.env.config.maxPropagationBurstLatency;
    const now = this.env.rt.now();
    const next = this.startedAt + (Math.floor((now - this.startedAt) / L) + 1) * L;
    this.env.rt.after(next - now, 'emitter.tick', () => {
      this.tickScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    const batch = this.buf;
    this.emit(batch);
    this.buf = [];
    for (const e of batch) if (--e.iterationsLeft > 0) this.buf.push(e);
    if (this.buf.length > 0) this.scheduleTick();
  }
}
