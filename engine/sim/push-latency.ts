/**
 * Push dissemination as the Fabric probe measures it: for each block and org, the instant the
 * block first entered the org (its first commit there: the leader, which had it from the
 * orderer) and the instant each other peer of the org first received it in a pushed
 * DataMessage. A peer that had the block already (by pull, state transfer or the orderer)
 * before any push reached it is not reached by push.
 */
import type { Trace } from '../trace/trace.js';
import type { MessageLog } from './message-log.js';

export interface PushStats {
  /** Latency by first receipt over every (block, peer reached by push), ms. */
  latencyMs: { median: number; p95: number; max: number } | null;
  /** Peers reached by push / peers that could be (each org's peers but the first to have it), over all blocks. */
  reach: number | null;
  samples: number;
}

export class PushLatency {
  /** `channel/seq/org` → when the block first entered the org. */
  private readonly entered = new Map<string, number>();
  /** `channel/seq` → peer → first push receipt, or -1 when the peer had it before any push. */
  private readonly first = new Map<string, Map<number, number>>();

  constructor(
    trace: Trace,
    private readonly messages: MessageLog,
    private readonly orgOf: (peer: number) => string,
    private readonly orgSize: (org: string) => number,
  ) {
    trace.listen((ev) => {
      if (ev.kind === 'deliver' && ev.type === 'DataMessage' && ev.msg !== undefined) {
        const sm = this.messages.get(ev.msg);
        if (sm === undefined || sm.msg.content !== 'dataMsg') return;
        const key = `${new TextDecoder().decode(sm.msg.channel)}/${sm.msg.dataMsg.payload!.seqNum}`;
        const byPeer = this.first.get(key) ?? new Map<number, number>();
        this.first.set(key, byPeer);
        if (!byPeer.has(ev.peer)) byPeer.set(ev.peer, ev.t);
      } else if (ev.kind === 'state' && ev.reason === 'commit' && ev.data !== undefined) {
        const key = `${ev.data.channel as string}/${ev.data.block as number}`;
        const org = this.orgOf(ev.peer);
        if (!this.entered.has(`${key}/${org}`)) this.entered.set(`${key}/${org}`, ev.t);
        const byPeer = this.first.get(key) ?? new Map<number, number>();
        this.first.set(key, byPeer);
        if (!byPeer.has(ev.peer)) byPeer.set(ev.peer, -1);
      }
    });
  }

  stats(): PushStats {
    const latencies: number[] = [];
    let reached = 0;
    let possible = 0;
    const orgsSeen = new Set<string>();
    for (const [key, byPeer] of this.first) {
      orgsSeen.clear();
      for (const [peer, t] of byPeer) {
        const org = this.orgOf(peer);
        const entered = this.entered.get(`${key}/${org}`);
        if (entered === undefined || t < 0) continue;
        latencies.push(t - entered);
        reached++;
      }
      for (const k of this.entered.keys()) if (k.startsWith(`${key}/`)) orgsSeen.add(k.slice(key.length + 1));
      for (const org of orgsSeen) possible += this.orgSize(org) - 1;
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    return {
      latencyMs: latencies.length === 0 ? null : { median: r3(at(0.5)), p95: r3(at(0.95)), max: r3(latencies[latencies.length - 1]) },
      reach: possible === 0 ? null : r3(reached / possible),
      samples: latencies.length,
    };
  }
}
