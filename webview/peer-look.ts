/** How a peer is drawn, from its state: down beats behind beats leader beats alive. */
import type { UiPeerState } from '../extension/protocol.js';

export type PeerLook = 'alive' | 'leader' | 'behind' | 'down';

export function lookOf(s: UiPeerState): PeerLook {
  if (!s.running) return 'down';
  if (s.behind) return 'behind';
  return Object.values(s.leader).some(Boolean) ? 'leader' : 'alive';
}
