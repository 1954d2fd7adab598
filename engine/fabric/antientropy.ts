/**
 * gossip/state anti-entropy (state transfer): every checkInterval, if a channel peer advertises
 * a higher ledger height, ask peers that have the blocks for them in batches of batchSize
 * (both ends inclusive), waiting responseTimeout for each answer and giving up on a batch after
 * maxRetries retries. Also serves such requests from the ledger.
 */
import { Tag, type Payload } from '../wire/messages.js';
import type { ReceivedMessage } from './comm.js';
import type { NetworkMember } from './discovery.js';
import type { PeerEnv } from './env.js';
import { SignedMessage, noopSign } from './message.js';
import type { StateProvider } from './state.js';

export interface AntiEntropyHost {
  /** PeersOfChannel with their advertised ledger heights. */
  peersOfChannel(): { member: NetworkMember; height: bigint }[];
  send(sm: SignedMessage, to: NetworkMember): void;
  verifyBlock(seq: bigint, block: Uint8Array): string | null;
}

export class AntiEntropy {
  private active: { nonce: bigint; onResponse: (m: ReceivedMessage) => void } | null = null;
  private readonly channelBytes: Uint8Array;

  constructor(
    private readonly env: PeerEnv,
    private readonly state: StateProvider,
    private readonly host: AntiEntropyHost,
  ) {
    this.channelBytes = new TextEncoder().encode(state.channel);
  }

  private get cfg() {
    return this.env.config.state;
  }

  start(): void {
    if (!this.cfg.enabled) return;
    this.scheduleCheck();
  }

  private scheduleCheck(): void {
    this.env.rt.after(this.cfg.checkInterval, `state.${this.state.channel}.antiEntropy`, () => this.check());
  }

  /** One anti-entropy round; the next starts checkInterval after this one ends. */
  private check(): void {
    const ours = this.state.height;
    let max = 0n;
    for (const p of this.host.peersOfChannel()) if (p.height > max) max = p.height;
    if (BigInt(ours) >= max) return this.scheduleCheck();
    this.requestBlocksInRange(ours, Number(max) - 1, () => this.scheduleCheck());
  }

  private requestBlocksInRange(start: number, end: number, done: () => void): void {
    const tr = this.env.tr;
    const nextBatch = (prev: number): void => {
      if (prev > end) {
        this.active = null;
        return done();
      }
      const next = Math.min(end, prev + this.cfg.batchSize);
      const nonce = this.env.rt.rng.u64();
      const req = noopSign({
        nonce,
        channel: this.channelBytes,
        tag: Tag.CHAN_OR_ORG,
        content: 'stateRequest',
        stateRequest: { startSeqNum: BigInt(prev), endSeqNum: BigInt(next) },
      });
      let tries = 0;
      const attempt = (): void => {
        if (tries > this.cfg.maxRetries) {
          tr.log('warn', 'gossip.state', `Wasn't  able to get blocks in range [${prev}...${next}), after ${tries} retries`);
          this.active = null;
          return done();
        }
        const candidates = this.host.peersOfChannel().filter((p) => p.height >= BigInt(next));
        if (candidates.length === 0) {
          tr.log('warn', 'gossip.state', `Cannot send state request for blocks in range [${prev}...${next}), due to there are no peers to ask for missing blocks from`);
          this.active = null;
          return done();
        }
        const peer = candidates[this.env.rt.rng.int(candidates.length)].member;
        this.host.send(req, peer);
        tries++;
        const timer = this.env.rt.after(this.cfg.responseTimeout, `state.${this.state.channel}.responseTimeout`, () => attempt());
        this.active = {
          nonce,
          onResponse: (m) => {
            timer.cancel();
            // A response to an older request: Fabric loops back and sends again.
            if (m.sm.msg.nonce !== nonce) return attempt();
            const max = this.processStateResponse(m);
            if (typeof max === 'string') {
              tr.log('error', 'gossip.state', `Wasn't able to process state response for blocks [${prev}...${next}], due to ${max}`);
              return attempt();
            }
            nextBatch(max + 1);
          },
        };
      };
      attempt();
    };
    nextBatch(start);
  }

  /** Responses count only while a transfer is active (stateTransferActive). */
  handleResponse(m: ReceivedMessage): void {
    const a = this.active;
    if (a === null) return;
    this.active = null;
    a.onResponse(m);
  }

  /** processStateResponse: verify every block, push in blocking mode; the highest sequence, or why not. */
  private processStateResponse(m: ReceivedMessage): number | string {
    if (m.sm.msg.content !== 'stateResponse') return 'not a state response';
    const payloads = m.sm.msg.stateResponse.payloads;
    if (payloads.length === 0) return 'Received state transfer response without payload';
    let max = 0;
    for (const p of payloads) {
      const err = this.host.verifyBlock(p.seqNum, p.data);
      this.env.tr.emit('verify', m.conn.remoteIdx, 'RemoteStateResponse', m.sm.id || undefined, err ?? 'valid', { block: Number(p.seqNum), channel: this.state.channel });
      if (err !== null) {
        this.env.tr.reject(m.conn.remoteIdx, m.sm, `Error verifying block with sequence number ${p.seqNum}, due to ${err}`);
        return err;
      }
      if (Number(p.seqNum) > max) max = Number(p.seqNum);
      this.state.addPayload(p, true, m.conn.remoteIdx);
    }
    return max;
  }

  /** handleStateRequest: validate the range, answer from the ledger on the same connection. */
  handleRequest(m: ReceivedMessage): void {
    if (m.sm.msg.content !== 'stateRequest') return;
    const req = m.sm.msg.stateRequest;
    const start = req.startSeqNum;
    const end = req.endSeqNum;
    if (start > end) return this.env.tr.reject(m.conn.remoteIdx, m.sm, `State request validation failed, Invalid sequence interval [${start}...${end}).. Ignoring request...`);
    if (end > start + BigInt(this.cfg.batchSize)) {
      return this.env.tr.reject(m.conn.remoteIdx, m.sm, `State request validation failed, Requesting blocks range [${start}-${end}) greater than configured allowed (${this.cfg.batchSize}) batching size for anti-entropy.. Ignoring request...`);
    }
    const height = BigInt(this.state.height);
    // Fabric bounds the range by the height, not the last block: block `height` is read, fails, and is skipped.
    const last = height < end ? height : end;
    const payloads: Payload[] = [];
    for (let seq = start; seq <= last; seq++) {
      const data = this.state.ledger.blocks.get(Number(seq));
      if (data === undefined) {
        this.env.tr.log('error', 'gossip.state', `cannot read block number ${seq} from ledger, skipping...`);
        continue;
      }
      payloads.push({ seqNum: seq, data, privateData: [] });
    }
    const res = noopSign({ nonce: m.sm.msg.nonce, channel: this.channelBytes, tag: Tag.CHAN_OR_ORG, content: 'stateResponse', stateResponse: { payloads } });
    if (m.conn.open) m.conn.send(res);
  }
}
