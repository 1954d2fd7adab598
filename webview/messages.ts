/**
 * The message list: the most recent sends, deliveries, drops and rejections, filterable by
 * type, peer and verdict. Drops and rejections show Fabric's reason. A row opens the message
 * in the inspector.
 */
import type { UiEvent, UiNetwork } from '../extension/protocol.js';
import { el, secs } from './dom.js';
import type { ViewState } from './host.js';
import { typeColor } from './theme.js';

const KEEP = 5000;
const SHOWN = 300;

export class MessageList {
  private events: UiEvent[] = [];
  private network: UiNetwork | null = null;
  private readonly list: HTMLElement;
  private readonly typeSelect: HTMLSelectElement;
  private readonly peerInput: HTMLInputElement;
  private readonly verdictSelect: HTMLSelectElement;
  private readonly types = new Set<string>();
  private dirty = false;
  /** Show only events up to this simulated time (the timeline's scrubber); null: the latest. */
  upTo: number | null = null;
  onOpen: (msg: number) => void = () => {};
  onFilter: () => void = () => {};

  constructor(
    root: HTMLElement,
    private readonly view: ViewState,
  ) {
    this.typeSelect = el('select', { 'aria-label': 'message type', 'data-testid': 'filter-type' }, el('option', { value: '' }, 'all types'));
    this.peerInput = el('input', { type: 'search', placeholder: 'peer', 'aria-label': 'peer', 'data-testid': 'filter-peer' });
    this.verdictSelect = el(
      'select',
      { 'aria-label': 'verdict', 'data-testid': 'filter-verdict' },
      el('option', { value: 'all' }, 'all'),
      el('option', { value: 'ok' }, 'delivered'),
      el('option', { value: 'dropped' }, 'dropped'),
      el('option', { value: 'rejected' }, 'rejected'),
    );
    this.peerInput.value = view.filterPeer;
    this.verdictSelect.value = view.filterVerdict;
    for (const input of [this.typeSelect, this.peerInput, this.verdictSelect]) input.addEventListener('input', () => this.filterChanged());
    this.list = el('div', { class: 'rows', role: 'list' });
    this.list.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-msg]');
      if (row) this.onOpen(Number(row.dataset.msg));
    });
    root.append(el('div', { class: 'filters' }, this.typeSelect, this.peerInput, this.verdictSelect), this.list);
  }

  private filterChanged(): void {
    this.view.filterType = this.typeSelect.value;
    this.view.filterPeer = this.peerInput.value.trim();
    this.view.filterVerdict = this.verdictSelect.value as ViewState['filterVerdict'];
    this.dirty = true;
    this.onFilter();
  }

  reset(network: UiNetwork): void {
    this.network = network;
    this.events = [];
    this.dirty = true;
  }

  add(events: UiEvent[]): void {
    for (const e of events) {
      if (e.kind !== 'send' && e.kind !== 'deliver' && e.kind !== 'drop' && e.kind !== 'reject') continue;
      this.events.push(e);
      if (e.type && !this.types.has(e.type)) {
        this.types.add(e.type);
        const opts = [...this.types].sort();
        this.typeSelect.replaceChildren(el('option', { value: '' }, 'all types'), ...opts.map((t) => el('option', { value: t }, t)));
        this.typeSelect.value = this.view.filterType;
      }
    }
    if (this.events.length > KEEP) this.events = this.events.slice(-KEEP);
    this.dirty = true;
  }

  private name(i: number | undefined): string {
    if (i === undefined) return '';
    return i < 0 ? 'orderer' : this.network?.peers[i]?.id ?? `#${i}`;
  }

  private matches(e: UiEvent): boolean {
    const v = this.view;
    if (this.upTo !== null && e.t > this.upTo) return false;
    if (v.filterType && e.type !== v.filterType) return false;
    if (v.filterPeer && !this.name(e.peer).includes(v.filterPeer) && !this.name(e.other).includes(v.filterPeer)) return false;
    if (v.filterVerdict === 'dropped' && e.kind !== 'drop') return false;
    if (v.filterVerdict === 'rejected' && e.kind !== 'reject') return false;
    if (v.filterVerdict === 'ok' && e.kind !== 'deliver') return false;
    return true;
  }

  /** Redraws at most once per animation frame, and only when something changed. */
  render(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const rows: HTMLElement[] = [];
    for (let i = this.events.length - 1; i >= 0 && rows.length < SHOWN; i--) {
      const e = this.events[i];
      if (!this.matches(e)) continue;
      const arrow = e.kind === 'send' || e.kind === 'drop' ? `${this.name(e.peer)} → ${this.name(e.other)}` : `${this.name(e.other)} → ${this.name(e.peer)}`;
      const row = el(
        'div',
        { class: `row ${e.kind}`, role: 'listitem', 'data-testid': 'message-row', 'data-type': e.type ?? '', 'data-kind': e.kind },
        el('span', { class: 'time' }, secs(e.t)),
        el('span', { class: 'swatch' }),
        el('span', { class: 'type' }, e.type ?? e.kind),
        el('span', { class: 'kind' }, e.kind),
        el('span', { class: 'who' }, arrow),
        el('span', { class: 'reason' }, e.kind === 'drop' || e.kind === 'reject' ? e.reason ?? '' : ''),
      );
      (row.querySelector('.swatch') as HTMLElement).style.background = typeColor(e.type);
      if (e.reason && (e.kind === 'drop' || e.kind === 'reject')) row.title = e.reason;
      if (e.msg !== undefined) row.dataset.msg = String(e.msg);
      rows.push(row);
    }
    this.list.replaceChildren(...rows);
  }
}
