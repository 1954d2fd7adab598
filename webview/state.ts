/**
 * What the user chose in this view (selection, filters, zoom and pan):
 * kept by VS Code across hiding the panel and reloading the window. Writes are coalesced,
 * since panning fires many viewport events a second.
 */
import { readSavedState, writeSavedState } from './host.js';

export type VerdictFilter = 'all' | 'ok' | 'dropped' | 'rejected' | 'problems';

export interface ViewState {
  /** The network these choices belong to (name and size): another network starts afresh. */
  network: string | null;
  selectedPeer: number | null;
  selectedMessage: number | null;
  filterType: string;
  filterPeer: string;
  filterVerdict: VerdictFilter;
  hideBenign: boolean;
  viewport: { zoom: number; pan: { x: number; y: number } } | null;
}

const EMPTY: ViewState = {
  network: null,
  selectedPeer: null,
  selectedMessage: null,
  filterType: '',
  filterPeer: '',
  filterVerdict: 'all',
  hideBenign: false,
  viewport: null,
};

const VERDICTS: VerdictFilter[] = ['all', 'ok', 'dropped', 'rejected', 'problems'];

export class ViewStateStore {
  readonly value: ViewState;
  private timer: number | undefined;

  constructor() {
    const s = (readSavedState() ?? {}) as Partial<ViewState>;
    this.value = { ...EMPTY };
    // Only fields of the right type are taken: a state saved by an older build must not break this one.
    if (typeof s.network === 'string') this.value.network = s.network;
    if (typeof s.selectedPeer === 'number') this.value.selectedPeer = s.selectedPeer;
    if (typeof s.selectedMessage === 'number') this.value.selectedMessage = s.selectedMessage;
    if (typeof s.filterType === 'string') this.value.filterType = s.filterType;
    if (typeof s.filterPeer === 'string') this.value.filterPeer = s.filterPeer;
    if (typeof s.hideBenign === 'boolean') this.value.hideBenign = s.hideBenign;
    if (VERDICTS.includes(s.filterVerdict as VerdictFilter)) this.value.filterVerdict = s.filterVerdict as VerdictFilter;
    if (s.viewport && typeof s.viewport.zoom === 'number' && typeof s.viewport.pan?.x === 'number') this.value.viewport = s.viewport;
  }

  update(patch: Partial<ViewState>): void {
    Object.assign(this.value, patch);
    if (this.timer === undefined) this.timer = window.setTimeout(() => this.flush(), 150);
  }

  /**
   * A different network: selection, viewport and filters belong to the old one (a "rejected"
   * filter carried over would leave the next lesson's list empty for no visible reason).
   */
  startNetwork(key: string): boolean {
    const same = this.value.network === key;
    if (!same) this.update({ network: key, selectedPeer: null, selectedMessage: null, viewport: null, filterType: '', filterPeer: '', filterVerdict: 'all' });
    return same;
  }

  flush(): void {
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    this.timer = undefined;
    writeSavedState(this.value);
  }
}
