/**
 * The message list's filter bar: type, peer and verdict. The selects are native <select>s
 * styled like VS Code's dropdowns (tests and screen readers drive them as such); the peer box is
 * a VS Code Elements text field. Choices persist in the view state.
 */
import { counted } from './plural.js';
import type { UiEvent } from '../extension/protocol.js';
import { custom, el } from './dom.js';
import type { VerdictFilter, ViewStateStore } from './state.js';

/** Fabric's gossip message types (GossipMessage's content), offered before any is seen. */
export const FABRIC_TYPES = [
  'AliveMessage', 'MembershipRequest', 'MembershipResponse', 'ConnEstablish', 'PeerIdentity', 'DataMessage', 'GossipHello', 'DataDigest', 'DataRequest',
  'DataUpdate', 'StateInfo', 'StateInfoSnapshot', 'StateInfoPullRequest', 'RemoteStateRequest', 'RemoteStateResponse', 'LeadershipMessage',
  'PrivateDataMessage', 'RemotePvtDataRequest', 'RemotePvtDataResponse', 'Acknowledgement', 'Empty',
];

export interface Filter {
  type: string;
  peer: string;
  verdict: VerdictFilter;
  /** Leave out rejections that real Fabric also logs at start-up (benign). */
  hideBenign: boolean;
}

/** A predicate over events; `name` turns a peer index into its id. */
export function matcher(f: Filter, name: (i: number | undefined) => string): (e: UiEvent) => boolean {
  const peer = f.peer.trim().toLowerCase();
  return (e) => {
    if (f.type && e.type !== f.type) return false;
    if (f.hideBenign && e.benign) return false;
    switch (f.verdict) {
      case 'ok':
        if (e.kind !== 'deliver') return false;
        break;
      case 'dropped':
        if (e.kind !== 'drop') return false;
        break;
      case 'rejected':
        if (e.kind !== 'reject') return false;
        break;
      case 'problems':
        if (e.kind !== 'drop' && e.kind !== 'reject' && e.kind !== 'fault') return false;
        break;
    }
    if (peer && !name(e.peer).toLowerCase().includes(peer) && !name(e.other).toLowerCase().includes(peer)) return false;
    return true;
  };
}

export class FilterBar {
  readonly root: HTMLElement;
  private readonly typeSelect: HTMLSelectElement;
  private readonly peerField: HTMLElement & { value: string };
  private readonly verdictSelect: HTMLSelectElement;
  private readonly count: HTMLElement;
  private readonly benignBox: HTMLInputElement;
  onChange: () => void = () => {};

  constructor(private readonly store: ViewStateStore) {
    const v = store.value;
    this.typeSelect = el('select', { class: 'dropdown', 'aria-label': 'message type', 'data-testid': 'filter-type' }, el('option', { value: '' }, 'all types'));
    this.peerField = custom('vscode-textfield', { placeholder: 'peer', 'aria-label': 'peer', 'data-testid': 'filter-peer', class: 'peer-filter' }) as HTMLElement & { value: string };
    this.peerField.value = v.filterPeer;
    this.verdictSelect = el(
      'select',
      { class: 'dropdown', 'aria-label': 'verdict', 'data-testid': 'filter-verdict' },
      el('option', { value: 'all' }, 'all verdicts'),
      el('option', { value: 'ok' }, 'delivered'),
      el('option', { value: 'dropped' }, 'dropped'),
      el('option', { value: 'rejected' }, 'rejected'),
      el('option', { value: 'problems' }, 'dropped, rejected or tampered'),
    );
    this.verdictSelect.value = v.filterVerdict;
    this.benignBox = el('input', { type: 'checkbox', 'data-testid': 'filter-benign' }) as HTMLInputElement;
    this.benignBox.checked = v.hideBenign;
    this.benignBox.addEventListener('change', () => this.changed());
    const benign = el(
      'label',
      { class: 'benign-filter', title: 'Hide "PKI-ID not found in identity mapper" rejections of StateInfo while peers start up: real Fabric logs them too, and they are harmless then' },
      this.benignBox,
      'hide start-up noise',
    );
    this.count = el('span', { class: 'count', 'data-testid': 'message-count' });
    this.typeSelect.addEventListener('change', () => this.changed());
    this.verdictSelect.addEventListener('change', () => this.changed());
    this.peerField.addEventListener('input', () => this.changed());
    this.root = el('div', { class: 'filters' }, this.typeSelect, this.peerField, this.verdictSelect, benign, this.count);
  }

  get value(): Filter {
    const v = this.store.value;
    return { type: v.filterType, peer: v.filterPeer, verdict: v.filterVerdict, hideBenign: v.hideBenign };
  }

  /** The filters in force, in words ('' when none): an empty list must say it is filtered. */
  get active(): string {
    const v = this.value;
    const parts: string[] = [];
    if (v.type) parts.push(`type ${v.type}`);
    if (v.peer.trim()) parts.push(`peer "${v.peer.trim()}"`);
    if (v.verdict !== 'all') parts.push(`verdict ${v.verdict}`);
    if (v.hideBenign) parts.push('start-up noise hidden');
    return parts.join(', ');
  }

  /** Shows the choices in the store (a new network starts with none). */
  load(): void {
    const v = this.store.value;
    this.typeSelect.value = v.filterType;
    this.peerField.value = v.filterPeer;
    this.verdictSelect.value = v.filterVerdict;
    this.benignBox.checked = v.hideBenign;
    this.onChange();
  }

  private changed(): void {
    this.store.update({
      filterType: this.typeSelect.value,
      filterPeer: String(this.peerField.value ?? ''),
      filterVerdict: this.verdictSelect.value as VerdictFilter,
      hideBenign: this.benignBox.checked,
    });
    this.onChange();
  }

  /** New message types appeared: the type list grows (beyond Fabric's own), the choice stays. */
  setTypes(types: Iterable<string>): void {
    const chosen = this.store.value.filterType;
    const all = new Set([...FABRIC_TYPES, ...types]);
    if (chosen) all.add(chosen);
    this.typeSelect.replaceChildren(el('option', { value: '' }, 'all types'), ...[...all].sort().map((t) => el('option', { value: t }, t)));
    this.typeSelect.value = chosen;
  }

  showCount(shown: number, total: number): void {
    this.count.textContent = shown === total ? counted(total, 'message') : `${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
  }
}
