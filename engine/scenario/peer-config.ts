/**
 * Each peer's own configuration. Fabric reads core.yaml per peer, so one peer may differ from
 * the rest of its org (one static leader: `orgLeader: true` on peer0 only). A value comes from
 * the profile, the scenario's `gossip:` (network), the peer's org's `gossip:`, or the peer's own
 * `peers.config` entry, the last one that sets it winning.
 */
import { DURATION_KEYS, formatDuration, type EffectiveConfig } from '../fabric/config.js';
import type { Scenario } from './types.js';

export type ConfigSource = 'profile' | 'network' | 'org' | 'peer';

export interface PeerConfig {
  config: EffectiveConfig;
  /** Keys (core.yaml paths under peer.gossip) the scenario set for this peer, and where. */
  sources: Record<string, ConfigSource>;
}

/** The configuration a peer runs with. */
export function peerConfig(scenario: Scenario, peerId: string): EffectiveConfig {
  return scenario.peerConfigs[peerId]?.config ?? scenario.config;
}

export interface EffectiveEntry {
  /** core.yaml path under peer.gossip, e.g. `election.startupGracePeriod`. */
  key: string;
  /** As core.yaml writes it: `4s`, `true`, `3`. */
  value: string;
  from: ConfigSource;
}

/** Every `peer.gossip.*` key of a peer, its value and where the value came from. */
export function effectiveEntries(scenario: Scenario, peerId: string): EffectiveEntry[] {
  const own = scenario.peerConfigs[peerId];
  const sources = own?.sources ?? scenario.configSources;
  const out: EffectiveEntry[] = [];
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v !== null && typeof v === 'object') walk(v as Record<string, unknown>, key);
      else out.push({ key, value: DURATION_KEYS.has(key) ? formatDuration(v as number) : String(v), from: sources[key] ?? 'profile' });
    }
  };
  walk(peerConfig(scenario, peerId).gossip as unknown as Record<string, unknown>, '');
  return out;
}
