/**
 * What a run will cost, judged before it starts: a scenario (or a --until given later) whose
 * estimated events exceed what this machine runs in reasonable time is refused, with the figures.
 */
import { DURATION_KEYS, type GossipConfig } from '../fabric/config.js';
import { DEFAULT_FANOUT, LIMITS, PERIODIC_KEYS, estimateEvents, showMs, type PushLoad } from './bounds.js';
import type { Scenario } from './types.js';

/** Why the run is too big, or undefined when it fits. */
export function runCostProblem(s: Scenario, until = s.run.until): string | undefined {
  if (!(until <= LIMITS.duration.max)) return `run.until is at most ${showMs(LIMITS.duration.max)} (${LIMITS.duration.why}), got ${until} ms`;
  const peers = s.orgs.reduce((n, o) => n + o.peers, 0);
  const periods = shortestPeriods(s);
  const push = pushLoad(s, peers, until);
  const estimate = estimateEvents(peers, until, periods, push);
  if (estimate <= LIMITS.events.max) return undefined;
  const most = LIMITS.events.max;
  // What a run of no time would still cost (its first block): the longest run is what the rest leaves.
  const fixed = estimateEvents(peers, 0, periods, pushLoad(s, peers, 0));
  const longest = fixed >= most ? 0 : Math.floor((until * (most - fixed)) / (estimate - fixed));
  const fan = push.fanout > DEFAULT_FANOUT ? ` with a push fanout of ${push.fanout.toLocaleString('en-US')} (propagatePeerNum × propagateIterations)` : '';
  return (
    `this run of ${peers} peers for ${showMs(until)}${fan} would cause about ${Math.round(estimate).toExponential(1)} events, ` +
    `more than the ${most.toLocaleString('en-US')} a run may have (${LIMITS.events.why}); ` +
    (longest > 0
      ? `with these peers and intervals, run.until ${longest >= 1000 ? `${Math.floor(longest / 1000)}s` : `${longest}ms`} at most, or use fewer peers or longer intervals`
      : 'use fewer peers, blocks or a narrower push fanout')
  );
}

/**
 * The widest push fanout over every peer's configuration, and the blocks the channels' members
 * receive by `until`: the orderer cuts one a batchTimeout from its start, so a short run sees
 * few of a long chain (100,000 blocks in 30 s are 15 cut).
 */
function pushLoad(s: Scenario, peers: number, until: number): PushLoad {
  const configs: GossipConfig[] = [s.config.gossip, ...Object.values(s.peerConfigs ?? {}).map((p) => p.config.gossip)];
  let fanout = 0;
  for (const g of configs) fanout = Math.max(fanout, Math.min(g.propagatePeerNum, Math.max(1, peers - 1)) * g.propagateIterations);
  const members = (orgs: string[]) => s.orgs.filter((o) => orgs.includes(o.mspId)).reduce((n, o) => n + o.peers, 0);
  const o = s.orderer;
  const cut = until < o.start ? 0 : Math.min(o.blocks, Math.floor((until - o.start) / Math.max(1, o.batchTimeout)) + 1);
  const blockDeliveries = s.channels.reduce((n, c) => n + cut * members(c.orgs), 0);
  return { fanout, blockDeliveries };
}

/** Each periodic key's shortest value over the network and every peer's own configuration. */
function shortestPeriods(s: Scenario): Record<string, number> {
  const configs: GossipConfig[] = [s.config.gossip, ...Object.values(s.peerConfigs ?? {}).map((p) => p.config.gossip)];
  const out: Record<string, number> = {};
  for (const key of Object.keys(PERIODIC_KEYS)) {
    if (!DURATION_KEYS.has(key)) continue;
    for (const g of configs) {
      const v = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], g) as number;
      if (out[key] === undefined || v < out[key]) out[key] = v;
    }
  }
  return out;
}
