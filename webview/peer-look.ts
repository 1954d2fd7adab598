/** How a peer is drawn, from its state: not started, down and paused beat behind beats leader beats alive. */
import type { UiPeerState } from '../extension/protocol.js';

export type PeerLook = 'alive' | 'leader' | 'behind' | 'down' | 'paused' | 'unstarted' | 'stopped';

/** The words for each look (the peer list's labels, read by screen readers). */
export const LOOK_WORDS: Record<PeerLook, string> = { alive: 'running', leader: 'running', behind: 'running', down: 'crashed', paused: 'paused', unstarted: 'not started', stopped: 'stopped' };

export function lookOf(s: UiPeerState): PeerLook {
  if (!s.running) return s.started === false ? 'unstarted' : s.stopped ? 'stopped' : 'down';
  if (s.paused) return 'paused';
  if (s.behind) return 'behind';
  return Object.values(s.leader).some(Boolean) ? 'leader' : 'alive';
}
