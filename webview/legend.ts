/**
 * The graph's key: what the peer colours and the dot colours mean. Colours come from the
 * stylesheet (theme variables), so the key always matches the theme.
 */
import { el } from './dom.js';
import { TYPE_FAMILIES } from './theme.js';

export function legend(): HTMLElement {
  const item = (cls: string, text: string) => el('span', { class: 'key' }, el('span', { class: `sw ${cls}` }), text);
  return el(
    'div',
    { class: 'legend', 'aria-label': 'legend' },
    el('span', { class: 'group' }, 'Peers:', item('peer alive', 'alive'), item('peer leader', 'leader'), item('peer behind', 'behind'), item('peer paused', 'paused'), item('peer down', 'crashed'), item('peer unstarted', 'not started'), el('span', { class: 'key recording-only' }, el('span', { class: 'sw peer stopped' }), 'stopped'), item('peer faulted', 'under a fault')),
    el('span', { class: 'group' }, 'Messages:', ...TYPE_FAMILIES.map(([label, type]) => item(`msg t-${type}`, label)), item('msg drop', 'dropped'), item('msg reject', 'rejected (at the receiver)')),
    el('span', { class: 'group' }, 'Links:', item('link cut', 'cut by a partition')),
    el('span', { class: 'group hint changes-run' }, 'Right-click a peer or edge for faults · Shift+drag selects peers · in a big network, select a peer to see its connections'),
  );
}
