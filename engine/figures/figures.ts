/**
 * The pictures of a run, computed from its trace alone: per block, who received it when and how
 * (infection curves); the distribution of dissemination latency, overall and per org; messages
 * and bytes per second by type. One pass over the events, in the order they happened, so the
 * same figures come from a running simulation (as a trace listener) and from a saved trace.
 *
 * What the trace says, and how it is read:
 * - a gossiped block arrives as a `verify` event with reason 'valid' and data.block (and
 *   data.channel); its parent is the `deliver` of the message that carried it: a DataMessage
 *   delivery is a push, a DataUpdate delivery a pull; type RemoteStateResponse is state transfer;
 * - the orderer's Deliver stream leaves no event of its own: a `commit` of a block the peer had
 *   never received by gossip is its delivery from the orderer (at the commit's time);
 * - `block cut` (the orderer, peer -1) starts a block's clock; latency is commit time minus it,
 *   as in the run summary.
 * A peer's first receipt of a block is the one that counts ("holds it from then"); later ones
 * are counted apart as redundant.
 */
import type { TraceEvent } from '../trace/events.js';

import type { BlockCurve, Distribution, Figures, Rates, Receipt, Scalars, Via } from './types.js';

export { VIAS, SCALAR_NAMES } from './types.js';
export type { BlockCurve, Distribution, Figures, Rates, Receipt, Scalars, Via } from './types.js';

export interface FigureContext {
  scenario: string;
  seed: number;
  peers: string[];
  /** Peer indexes of each channel; channels missing here count the peers seen on them. */
  channelMembers?: Map<string, number[]>;
  /** Encoded size of a message by its trace id, when known. */
  sizeOf?: (msg: number) => number | undefined;
  /** Width of a rate bucket; default 1 s. */
  bucketMs?: number;
}

export const orgOfPeerId = (id: string): string => id.slice(id.indexOf('.') + 1);

interface BlockState {
  channel: string;
  seq: number;
  cutAtMs: number;
  first: Map<number, Receipt>;
  redundant: Record<Via, number>;
  commits: [peer: number, t: number][];
}

/** Feed it every event in order (`add`), then read `figures(endMs)`. */
export class FigureBuilder {
  private readonly blocks = new Map<string, BlockState>();
  /** deliver event id → how a block inside it travels. */
  private readonly carriers = new Map<number, Via>();
  private readonly seenOn = new Map<string, Set<number>>();
  private readonly sends = new Map<string, number[]>();
  private bytes: number[] | null;
  private readonly bucketMs: number;
  private lastT = 0;

  constructor(private readonly ctx: FigureContext) {
    this.bucketMs = ctx.bucketMs ?? 1000;
    this.bytes = ctx.sizeOf ? [] : null;
  }

  private block(channel: string, seq: number): BlockState {
    const k = `${channel}\u0000${seq}`;
    let b = this.blocks.get(k);
    if (b === undefined) {
      b = { channel, seq, cutAtMs: NaN, first: new Map(), redundant: { orderer: 0, push: 0, pull: 0, state: 0 }, commits: [] };
      this.blocks.set(k, b);
    }
    return b;
  }

  private receive(channel: string, seq: number, r: Receipt): void {
    const b = this.block(channel, seq);
    let seen = this.seenOn.get(channel);
    if (seen === undefined) this.seenOn.set(channel, (seen = new Set()));
    seen.add(r.peer);
    if (b.first.has(r.peer)) b.redundant[r.via]++;
    else b.first.set(r.peer, r);
  }

  add(ev: TraceEvent): void {
    this.lastT = ev.t;
    switch (ev.kind) {
      case 'send': {
        const i = Math.floor(ev.t / this.bucketMs);
        const type = ev.type ?? '?';
        let row = this.sends.get(type);
        if (row === undefined) this.sends.set(type, (row = []));
        row[i] = (row[i] ?? 0) + 1;
        if (this.bytes !== null) {
          const n = ev.msg === undefined ? undefined : this.ctx.sizeOf!(ev.msg);
          // A size the log no longer has makes the whole bytes series unknown, not smaller.
          if (n === undefined) this.bytes = null;
          else this.bytes[i] = (this.bytes[i] ?? 0) + n;
        }
        return;
      }
      case 'deliver':
        if (ev.type === 'DataMessage') this.carriers.set(ev.id, 'push');
        else if (ev.type === 'DataUpdate') this.carriers.set(ev.id, 'pull');
        return;
      case 'verify': {
        if (ev.reason !== 'valid' || typeof ev.data?.block !== 'number') return;
        const via: Via | undefined = ev.type === 'RemoteStateResponse' ? 'state' : ev.parent === undefined ? undefined : this.carriers.get(ev.parent);
        if (via === undefined) return;
        this.receive(this.channelOf(ev), ev.data.block, { peer: ev.peer, t: ev.t, via, event: ev.id });
        return;
      }
      case 'state': {
        const d = ev.data;
        if (d === undefined || typeof d.channel !== 'string' || typeof d.block !== 'number') return;
        if (ev.reason === 'block cut' && ev.peer === -1) this.block(d.channel, d.block).cutAtMs = ev.t;
        else if (ev.reason === 'commit' && d.block > 0) {
          const b = this.block(d.channel, d.block);
          b.commits.push([ev.peer, ev.t]);
          if (!b.first.has(ev.peer)) this.receive(d.channel, d.block, { peer: ev.peer, t: ev.t, via: 'orderer', event: ev.id });
        }
        return;
      }
      default:
        return;
    }
  }

  /** Traces written before verify events named their channel: the peer's one channel. */
  private channelOf(ev: TraceEvent): string {
    if (typeof ev.data?.channel === 'string') return ev.data.channel;
    for (const [ch, members] of this.ctx.channelMembers ?? []) if (members.includes(ev.peer)) return ch;
    return '';
  }

  figures(endMs = this.lastT): Figures {
    const peers = this.ctx.peers;
    const orgOf = peers.map(orgOfPeerId);
    const blocks: BlockCurve[] = [];
    const all: number[] = [];
    const byOrg = new Map<string, number[]>();
    for (const b of [...this.blocks.values()].sort((x, y) => (x.channel === y.channel ? x.seq - y.seq : x.channel < y.channel ? -1 : 1))) {
      // Only blocks the orderer cut in this trace (a ring-trimmed trace may start mid-run).
      if (Number.isNaN(b.cutAtMs)) continue;
      const members = this.ctx.channelMembers?.get(b.channel)?.length ?? this.seenOn.get(b.channel)?.size ?? 0;
      blocks.push({
        channel: b.channel,
        seq: b.seq,
        cutAtMs: b.cutAtMs,
        members,
        receipts: [...b.first.values()].sort((x, y) => x.t - y.t || x.event - y.event),
        redundant: b.redundant,
      });
      for (const [peer, t] of b.commits) {
        const l = t - b.cutAtMs;
        all.push(l);
        const org = orgOf[peer] ?? '?';
        let list = byOrg.get(org);
        if (list === undefined) byOrg.set(org, (list = []));
        list.push(l);
      }
    }
    const rates = this.rates(endMs);
    const latency = { overall: distribution(all), byOrg: Object.fromEntries([...byOrg].sort(([a], [b]) => (a < b ? -1 : 1)).map(([o, l]) => [o, distribution(l)])) };
    return {
      figuresVersion: 1,
      scenario: this.ctx.scenario,
      seed: this.ctx.seed,
      simTimeMs: endMs,
      peers,
      orgOf,
      blocks,
      latency,
      rates,
      scalars: scalars(blocks, latency.overall, rates, endMs),
    };
  }

  private rates(endMs: number): Rates {
    const n = Math.max(1, Math.ceil(endMs / this.bucketMs));
    const dense = (row: number[]) => Array.from({ length: n }, (_, i) => row[i] ?? 0);
    const messages: Record<string, number[]> = {};
    for (const type of [...this.sends.keys()].sort()) messages[type] = dense(this.sends.get(type)!);
    return { bucketMs: this.bucketMs, t: Array.from({ length: n }, (_, i) => i * this.bucketMs), messages, bytes: this.bytes === null ? null : dense(this.bytes) };
  }
}

/** Nearest-rank percentile of ascending samples (p50 is the summary's lower median). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

export function distribution(samples: number[]): Distribution {
  const s = [...samples].sort((a, b) => a - b);
  if (s.length === 0) return { count: 0, min: NaN, max: NaN, mean: NaN, p50: NaN, p95: NaN, p99: NaN, samples: [] };
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    count: s.length,
    min: r3(s[0]),
    max: r3(s[s.length - 1]),
    mean: r3(s.reduce((a, b) => a + b, 0) / s.length),
    p50: r3(percentile(s, 0.5)),
    p95: r3(percentile(s, 0.95)),
    p99: r3(percentile(s, 0.99)),
    samples: s.map(r3),
  };
}

function scalars(blocks: BlockCurve[], lat: Distribution, rates: Rates, endMs: number): Scalars {
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const share = (via: Via) =>
    mean(
      blocks.map((b) => {
        const gossiped = b.members - b.receipts.filter((r) => r.via === 'orderer').length;
        return gossiped <= 0 ? 0 : b.receipts.filter((r) => r.via === via).length / gossiped;
      }),
    );
  const full = blocks.filter((b) => b.members > 0 && b.receipts.length >= b.members).map((b) => b.receipts[b.receipts.length - 1].t - b.cutAtMs);
  const total = (row: number[]) => row.reduce((a, b) => a + b, 0);
  const sent = Object.values(rates.messages).reduce((a, row) => a + total(row), 0);
  const secs = endMs / 1000;
  const n = blocks.length;
  const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    blocks: n,
    pushReach: r4(share('push')),
    pullShare: r4(share('pull')),
    stateShare: r4(share('state')),
    coverage: r4(mean(blocks.map((b) => (b.members === 0 ? 0 : b.receipts.length / b.members)))),
    fullCoverageMs: full.length === 0 ? null : r4(mean(full)),
    latencyP50: lat.count === 0 ? null : lat.p50,
    latencyP95: lat.count === 0 ? null : lat.p95,
    latencyP99: lat.count === 0 ? null : lat.p99,
    dataMessagesPerBlock: n === 0 ? 0 : r4(total(rates.messages.DataMessage ?? []) / n),
    messagesPerBlock: n === 0 ? 0 : r4(sent / n),
    messagesPerSecond: secs === 0 ? 0 : r4(sent / secs),
    bytesPerSecond: rates.bytes === null || secs === 0 ? null : r4(total(rates.bytes) / secs),
  };
}
