/**
 * Message types a network's configuration never sends, with why: "Step to next DataMessage" in a
 * Fabric v3 network (whose peers take every block from the orderer) would otherwise run silently
 * to the end of the run waiting for one.
 */
import type { Scenario } from '../scenario/types.js';

export function neverSentReason(scenario: Scenario, type: string): string | undefined {
  if (type === 'DataMessage' && !scenario.config.deliveryclient.blockGossipEnabled) {
    return `no peer gossips blocks here: deliveryclient.blockGossipEnabled is false (profile ${scenario.profile}), so every peer takes its blocks from the orderer and no DataMessage is ever sent`;
  }
  return undefined;
}
