/**
 * gossip/state: the payload buffer and in-order commit. Blocks arrive out of order from the
 * orderer, push, pull (and, later, state transfer); the buffer releases them strictly by
 * sequence, and each commit raises the ledger height that StateInfo advertises.
 */
import type { Payload } from '../wire/messages.js';
import type { PeerEnv } from './env.js';
import type { Ledger } from './ledger.js';

export class StateProvider {
  private readonly buffer = new Map<number, Payload>();
  private next: number;
  private committing = false;
  /** After each commit (the channel raises the height StateInfo advertises). */
  onCommit: (seq: number, payload: Payload) => void = () => {};
  /** Before each commit: the coordinator gathers private data; `done` lets the commit go on. */
  beforeCommit: (seq: number, payload: Payload, done: () => void) => void = (_s, _p, done) => done();

  constructor(
    private readonly env: PeerEnv,
    readonly channel: string,
    readonly ledger: Ledger,
  ) {
    this.next = ledger.height;
  }

  get height(): number {
    return this.ledger.height;
  }

  /** Blocks waiting in the payload buffer for the ones before them (read-only). */
  bufferedSeqs(): number[] {
    return [...this.buffer.keys()].sort((a, b) => a - b);
  }

  /**
   * addPayload. Gossip-received blocks come non-blocking and are refused when too far ahead;
   * orderer and state-transfer blocks come blocking (the simulator never needs to wait).
   */
  addPayload(p: Payload, blocking: boolean, from: number): boolean {
    const c = this.env.config;
    const seq = Number(p.seqNum);
    const height = this.ledger.height;
    if (!blocking && seq - height >= c.state.blockBufferSize) {
      // FAB-18378: with state transfer off, a peer that is far behind says so.
      if (!c.state.enabled && seq > height + 100 && (c.useLeaderElection || !c.orgLeader)) {
        this.env.tr.log('warn', 'gossip.state', `Current block height (${height}) is too far behind other peers at (${seq}) and state transfer is disabled. Consider enabling it or setting the peer explicitly to be a leader (peer.gossip.orgLeader = true) in order to catch up.`);
      }
      this.env.tr.emit('reject', from, 'DataMessage', undefined, `Ledger height is at ${height}, cannot enqueue block with sequence of ${seq}`);
      return false;
    }
    if (seq < this.next || this.buffer.has(seq)) return false;
    this.buffer.set(seq, p);
    this.deliverPayloads();
    return true;
  }

  /**
   * deliverPayloads: pop buf[next] while it is there and commit it, strictly in order. A commit
   * may wait (for private data); the next block waits behind it.
   */
  private deliverPayloads(): void {
    while (!this.committing) {
      const p = this.buffer.get(this.next);
      if (p === undefined) return;
      this.buffer.delete(this.next);
      const seq = this.next++;
      this.committing = true;
      let sync = true;
      this.beforeCommit(seq, p, () => {
        this.ledger.commit(seq, p.data);
        this.env.tr.state('commit', { channel: this.channel, block: seq, height: seq + 1 });
        this.committing = false;
        this.onCommit(seq, p);
        if (!sync) this.deliverPayloads();
      });
      sync = false;
    }
  }

  get buffered(): number {
    return this.buffer.size;
  }
}
