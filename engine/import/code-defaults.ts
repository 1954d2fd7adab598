/**
 * What Fabric uses for a `peer.gossip.*` key that core.yaml leaves out: the code default, which
 * is not always the value sampleconfig/core.yaml writes (../shared/reference/fabric-gossip.md
 * section 3). Keys not listed here default to the same value core.yaml ships.
 */
import { coreYamlDefaults } from '../fabric/config.js';

export interface CodeDefault {
  value: number | boolean;
  /** Where Fabric sets it. */
  source: string;
}

/** The code default of a key, given the keys already read (some defaults derive from others). */
export function codeDefault(key: string, read: Map<string, number | boolean>): CodeDefault {
  const alive = (read.get('aliveTimeInterval') as number | undefined) ?? 5000;
  switch (key) {
    case 'orgLeader':
      return { value: false, source: 'plain viper.GetBool in gossip/service/config.go' };
    case 'sendBuffSize':
      return { value: 20, source: 'DefSendBuffSize in gossip/comm/comm_impl.go' };
    case 'aliveExpirationTimeout':
      return { value: 5 * alive, source: '5 × aliveTimeInterval, gossip/discovery/discovery_impl.go' };
    case 'reconnectInterval':
      return { value: (read.get('aliveExpirationTimeout') as number | undefined) ?? 5 * alive, source: '= aliveExpirationTimeout, gossip/gossip/config.go' };
    case 'pvtData.pullRetryThreshold':
      return { value: 0, source: 'plain viper.GetDuration in gossip/privdata/config.go' };
    case 'pvtData.pushAckTimeout':
      return { value: 0, source: 'plain viper.GetDuration in gossip/privdata/config.go' };
    case 'pvtData.reconciliationEnabled':
      return { value: false, source: 'plain viper.GetBool in gossip/privdata/config.go' };
    case 'deliveryclient.blockGossipEnabled':
      return { value: true, source: 'core/deliverservice/config.go' };
  }
  let v: unknown = coreYamlDefaults().gossip;
  for (const k of key.split('.')) v = (v as Record<string, unknown>)[k];
  return { value: v as number | boolean, source: 'gossip/gossip/config.go and the package constants' };
}

/** Every key the simulator models, as dotted paths below peer.gossip, plus blockGossipEnabled. */
export function modelledKeys(): string[] {
  const out: string[] = [];
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v !== null && typeof v === 'object') walk(v as Record<string, unknown>, key);
      else out.push(key);
    }
  };
  walk(coreYamlDefaults().gossip as unknown as Record<string, unknown>, '');
  out.push('deliveryclient.blockGossipEnabled');
  return out;
}
