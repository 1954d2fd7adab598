/**
 * Every peer as a small square, grouped by org and coloured like the graph: an overview that
 * fits 500 peers, and the accessible (keyboard, screen reader, test) way to reach each one.
 * Each item carries data-peer-id, data-state (alive/down), data-leader and data-behind.
 */
import type { UiNetwork, UiPeerState } from '../extension/protocol.js';
import { el } from './dom.js';
import { LOOK_WORDS, declaredDeadWords, lookOf } from './peer-look.js';

export class PeerList {
  readonly root: HTMLElement;
  private readonly count: HTMLElement;
  private readonly groups: HTMLElement;
  private items: HTMLElement[] = [];
  private keys: string[] = [];
  private network: UiNetwork | null = null;
  onSelect: (idx: number, add: boolean) => void = () => {};
  onContext: (idx: number, x: number, y: number) => void = () => {};

  constructor() {
    this.count = el('span', { class: 'count' });
    this.groups = el('div', { class: 'peer-groups' });
    this.root = el('section', { class: 'peers' }, el('h3', {}, 'Peers ', this.count), this.groups);
    this.groups.addEventListener('click', (e) => {
      const li = (e.target as HTMLElement).closest<HTMLElement>('[data-idx]');
      if (li) this.onSelect(Number(li.dataset.idx), e.ctrlKey || e.metaKey || e.shiftKey);
    });
    // One tab stop for the whole list (500 would be a trap); arrows move between peers.
    this.groups.addEventListener('keydown', (e) => {
      const li = (e.target as HTMLElement).closest<HTMLElement>('[data-idx]');
      if (!li) return;
      const idx = Number(li.dataset.idx);
      const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
      if (e.key === 'Enter' || e.key === ' ') this.onSelect(idx, e.ctrlKey || e.metaKey || e.shiftKey);
      else if (step !== undefined) this.focus(idx + step);
      else return;
      e.preventDefault();
    });
    this.groups.addEventListener('contextmenu', (e) => {
      const li = (e.target as HTMLElement).closest<HTMLElement>('[data-idx]');
      if (!li) return;
      e.preventDefault();
      this.onContext(Number(li.dataset.idx), e.clientX, e.clientY);
    });
  }

  load(network: UiNetwork, drawn: number): void {
    this.network = network;
    // The count says how many peers the graph drew; the test id appears only once it is true.
    this.count.textContent = String(drawn);
    this.count.setAttribute('data-testid', 'peer-count');
    this.items = [];
    this.keys = new Array(network.peers.length).fill('');
    const byOrg = new Map<string, HTMLElement>();
    const lists = network.orgs.map((o) => {
      const ul = el('ul', { 'aria-label': `${o.mspId} peers` });
      byOrg.set(o.mspId, ul);
      return el('div', { class: 'org' }, el('span', { class: 'org-name' }, o.mspId), ul);
    });
    for (const p of network.peers) {
      const li = el('li', { 'data-peer-id': p.id, 'data-idx': String(p.idx), tabindex: p.idx === 0 ? '0' : '-1', title: p.id, 'aria-label': p.id });
      this.items[p.idx] = li;
      byOrg.get(p.mspId)?.append(li);
    }
    this.groups.replaceChildren(...lists);
  }

  /** Only the items whose look changed are touched. */
  setStates(states: readonly UiPeerState[]): void {
    for (const s of states) {
      const li = this.items[s.idx];
      if (li === undefined) continue;
      const look = lookOf(s);
      const dead = declaredDeadWords(s);
      const key = `${look}${s.running && !s.paused && Object.values(s.leader).some(Boolean) ? 'L' : ''}${s.running && s.behind ? 'B' : ''}|${dead}|${s.exited ?? ''}`;
      if (this.keys[s.idx] === key) continue;
      this.keys[s.idx] = key;
      li.dataset.state = s.running ? 'alive' : 'down';
      li.dataset.look = look;
      li.dataset.leader = String(key.split('|')[0].includes('L'));
      li.dataset.behind = String(key.split('|')[0].includes('B'));
      const p = this.network?.peers[s.idx];
      const flags = key.split('|')[0];
      li.setAttribute('aria-label', `${p?.id ?? s.idx}: ${s.exited ?? LOOK_WORDS[look]}${flags.includes('L') ? ', leader' : ''}${flags.includes('B') ? ', behind' : ''}${dead ? `, ${dead}` : ''}`);
      li.title = li.getAttribute('aria-label')!;
    }
  }

  private focus(idx: number): void {
    const li = this.items[idx];
    if (li === undefined) return;
    for (const other of this.items) other.tabIndex = -1;
    li.tabIndex = 0;
    li.focus();
  }

  setSelected(idxs: readonly number[]): void {
    const set = new Set(idxs);
    this.items.forEach((li, i) => li.classList.toggle('selected', set.has(i)));
  }
}
