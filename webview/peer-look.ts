/** How a peer is drawn, from its state: not started, down and paused beat behind beats leader beats alive. */
import type { UiPeerState } from '../extension/protocol.js';
import { secs } from './dom.js';

export type PeerLook = 'alive' | 'leader' | 'behind' | 'down' | 'paused' | 'unstarted' | 'stopped';

/** The words for each look (the peer list's labels, read by screen readers). */
export const LOOK_WORDS: Record<PeerLook, string> = { alive: 'running', leader: 'running', behind: 'running', down: 'crashed', paused: 'paused', unstarted: 'not started', stopped: 'stopped' };

export function lookOf(s: UiPeerState): PeerLook {
  if (!s.running) return s.started === false ? 'unstarted' : s.stopped ? 'stopped' : 'down';
  if (s.paused) return 'paused';
  if (s.behind) return 'behind';
  return Object.values(s.leader).some(Boolean) ? 'leader' : 'alive';
}

/** "declared dead by 6 of 6 at 45.200s": how many of the others hold it dead now, since when the last of them does. */
export function declaredDeadWords(s: UiPeerState): string {
  const d = s.declaredDead;
  return d === undefined ? '' : `declared dead by ${d.by} of ${d.of} at ${secs(d.at)}`;
}

/**
 * The same, short enough for a label under the peer in the graph: "dead to 6/6 · 45.200s". Only
 * for a crashed or paused peer, or one most of the others hold dead: after a partition every peer
 * is presumed dead by a few on the other side, and a label on each would bury the graph.
 */
export function declaredDeadLabel(s: UiPeerState): string {
  const d = s.declaredDead;
  if (d === undefined || (s.running && !s.paused && 2 * d.by <= d.of)) return '';
  return `dead to ${d.by}/${d.of} · ${secs(d.at)}`;
}
