/**
 * How a peer reads in the Peers view: one word for its condition (the graph's colours stand for
 * the same words) and a one-line description. No `vscode` here, so it is tested as it is.
 */
import type { UiPeerState } from './protocol.js';

export type Condition = 'alive' | 'dead' | 'behind' | 'paused' | 'not started';

export function peerCondition(s: UiPeerState | undefined, everRan: boolean): Condition {
  if (!s?.running) return everRan ? 'dead' : 'not started';
  // A paused process is up but answers nothing: others will declare it dead by silence.
  if (s.paused) return 'paused';
  return s.behind ? 'behind' : 'alive';
}

export function peerDescription(s: UiPeerState | undefined, everRan: boolean): string {
  if (!s) return '';
  if (!everRan) return 'not started';
  const heights = Object.entries(s.height).map(([ch, h]) => (Object.keys(s.height).length > 1 ? `${ch} ${h}` : `height ${h}`));
  const leading = Object.entries(s.leader).filter(([, l]) => l).map(([ch]) => ch);
  const parts: string[] = [peerCondition(s, everRan), ...heights, `sees ${s.alive}`];
  if (leading.length > 0) parts.push(Object.keys(s.leader).length > 1 ? `leader of ${leading.join(', ')}` : 'leader');
  return parts.join(' · ');
}
