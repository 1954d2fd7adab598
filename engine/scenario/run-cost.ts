/**
 * What a run will cost, judged before it starts: a scenario (or a --until given later) whose
 * estimated events exceed what this machine runs in reasonable time is refused, with the figures.
 */
import { DURATION_KEYS, type GossipConfig } from '../fabric/config.js';
import { LIMITS, PERIODIC_KEYS, estimateEvents, showMs } from './bounds.js';
import type { Scenario } from './types.js';

/** Why the run is too big, or undefined when it fits. */
export function runCostProblem(s: Scenario, until = s.run.until): string | undefined {
  if (!(until <= LIMITS.duration.max)) return `run.until is at most ${showMs(LIMITS.duration.max)} (${LIMITS.duration.why}), got ${until} ms`;
  const peers = s.orgs.reduce((n, o) => n + o.peers, 0);
  const estimate = estimateEvents(peers, until, shortestPeriods(s));
  if (estimate <= LIMITS.events.max) return undefined;
  const most = LIMITS.events.max;
  const longest = Math.floor((until * most) / estimate);
  return (
    `this run of ${peers} peers for ${showMs(until)} would cause about ${Math.round(estimate).toExponential(1)} events, ` +
    `more than the ${most.toLocaleString('en-US')} a run may have (${LIMITS.events.why}); ` +
    `with these peers and intervals, run.until ${longest >= 1000 ? `${Math.floor(longest / 1000)}s` : `${longest}ms`} at most, or use fewer peers or longer intervals`
  );
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
