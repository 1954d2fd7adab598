/**
 * The message list: recent sends, deliveries, drops and rejections, newest first, filtered by
 * the filter bar. Virtual: only the rows in sight exist in the DOM, so 20,000 events cost no
 * more than 30. Drops, rejections and tampering are highlighted with Fabric's reason. Every row
 * opens: its message in the inspector, or, for an event that names no message, the event itself.
 * When the timeline's cursor is set, the list scrolls to that moment.
 */
import type { UiEvent, UiNetwork } from '../extension/protocol.js';
import { BENIGN_LABEL, noteOnReason } from '../extension/reason-notes.js';
import { el, secs } from './dom.js';
import type { EventLog } from './event-log.js';
import { matcher, type FilterBar } from './message-filters.js';
import { typeColor } from './theme.js';

const ROW_H = 20;
/** Re-filter at most this often while events stream in (a filter change applies at once). */
const REFILTER_MS = 200;

export class MessageList {
  readonly root: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly sizer: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly pool: HTMLElement[] = [];
  private network: UiNetwork | null = null;
  /** Absolute log positions of the rows, newest first. */
  private rows: number[] = [];
  private seenVersion = -1;
  private lastFilterAt = 0;
  private forceFilter = true;
  private forceDraw = true;
  /** The event at the top of the view while the user reads below the newest (kept in place). */
  private anchor: number | null = null;
  private cursor: number | null = null;
  private selectedMsg: number | null = null;

  onOpen: (msg: number) => void = () => {};
  /** A row whose event names no message (bytes a live peer could not decode): the event itself. */
  onOpenEvent: (e: UiEvent) => void = () => {};

  constructor(
    private readonly log: EventLog,
    private readonly filters: FilterBar,
  ) {
    this.sizer = el('div', { class: 'sizer' });
    this.empty = el('p', { class: 'hint empty' });
    this.scroller = el('div', { class: 'rows', role: 'list', 'aria-label': 'messages', tabindex: '0' }, this.sizer, this.empty);
    this.scroller.addEventListener('scroll', () => {
      this.anchor = this.scroller.scrollTop > ROW_H / 2 ? (this.rows[Math.floor(this.scroller.scrollTop / ROW_H)] ?? null) : null;
      this.forceDraw = true;
    });
    this.scroller.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-at]');
      if (row) this.openRow(row);
    });
    this.scroller.addEventListener('keydown', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-at]');
      if (row && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        this.openRow(row);
      }
    });
    filters.onChange = () => {
      this.forceFilter = true;
    };
    this.root = el('div', { class: 'messages' }, filters.root, this.scroller);
  }

  reset(network: UiNetwork): void {
    this.network = network;
    this.rows = [];
    this.anchor = null;
    this.selectedMsg = null;
    this.forceFilter = true;
  }

  private openRow(row: HTMLElement): void {
    if (row.dataset.msg !== undefined) return this.open(Number(row.dataset.msg));
    const e = this.log.at(Number(row.dataset.at));
    if (e === undefined) return;
    this.selectedMsg = null;
    this.forceDraw = true;
    this.onOpenEvent(e);
  }

  private open(msg: number): void {
    this.selectedMsg = msg;
    this.forceDraw = true;
    this.onOpen(msg);
  }

  /** Marks the message shown in the inspector (from the list, the tree view or a reload). */
  select(msg: number | null): void {
    this.selectedMsg = msg;
    this.forceDraw = true;
  }

  /** Scrolls to the moment the timeline's cursor is on; null returns to the newest. */
  scrollToTime(t: number | null): void {
    this.cursor = t;
    this.forceFilter = true;
    if (t === null) {
      this.anchor = null;
      this.scroller.scrollTop = 0;
    }
  }

  private name = (i: number | undefined): string => {
    if (i === undefined) return '';
    return i < 0 ? 'orderer' : (this.network?.peers[i]?.id ?? `#${i}`);
  };

  private refilter(): void {
    const match = matcher(this.filters.value, this.name);
    const rows: number[] = [];
    for (let abs = this.log.end - 1; abs >= this.log.start; abs--) if (match(this.log.at(abs)!)) rows.push(abs);
    this.rows = rows;
    this.filters.showCount(rows.length, this.log.end - this.log.start);
    this.sizer.style.height = `${rows.length * ROW_H}px`;
    const total = this.log.end - this.log.start;
    this.empty.hidden = rows.length > 0;
    const filtered = this.filters.active;
    this.empty.textContent = filtered
      ? `No ${total === 0 ? '' : 'recent '}message matches the filters (${filtered}). Clear them to see all ${total.toLocaleString('en-US')}.`
      : 'No messages yet: Run or Step the network.';
    let top: number | null = null;
    if (this.cursor !== null) {
      // Newest first: the first row at or before the cursor, put in the middle of the view.
      const i = this.firstAtOrBefore(this.cursor);
      top = Math.max(0, i * ROW_H - this.scroller.clientHeight / 2);
      this.cursor = null;
    } else if (this.anchor !== null) {
      // Keep the row the user is reading where it is while newer rows arrive above it.
      top = this.indexOf(this.anchor) * ROW_H;
    }
    if (top !== null && Math.abs(this.scroller.scrollTop - top) >= 1) this.scroller.scrollTop = top;
  }

  private firstAtOrBefore(t: number): number {
    for (let i = 0; i < this.rows.length; i++) if (this.log.at(this.rows[i])!.t <= t) return i;
    return Math.max(0, this.rows.length - 1);
  }

  /** Where an absolute position is in the rows (descending), by binary search. */
  private indexOf(abs: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.rows[mid] > abs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Called every animation frame; does work only when something changed. */
  render(now: number): void {
    const stale = this.log.version !== this.seenVersion;
    if (this.forceFilter || (stale && now - this.lastFilterAt >= REFILTER_MS)) {
      this.forceFilter = false;
      this.seenVersion = this.log.version;
      this.lastFilterAt = now;
      this.refilter();
      this.forceDraw = true;
    }
    if (!this.forceDraw) return;
    this.forceDraw = false;
    const first = Math.floor(this.scroller.scrollTop / ROW_H);
    const count = Math.min(this.rows.length - first, Math.ceil(this.scroller.clientHeight / ROW_H) + 1);
    for (let k = 0; k < Math.max(count, 0); k++) this.fill(this.rowElement(k), this.log.at(this.rows[first + k])!, first + k, this.rows[first + k]);
    for (let k = Math.max(count, 0); k < this.pool.length; k++) this.pool[k].remove();
  }

  private rowElement(k: number): HTMLElement {
    let row = this.pool[k];
    if (row === undefined) {
      row = el('div', { role: 'listitem', tabindex: '-1' }, el('span', { class: 'time' }), el('span', { class: 'swatch' }), el('span', { class: 'type' }), el('span', { class: 'kind' }), el('span', { class: 'who' }), el('span', { class: 'reason' }));
      this.pool[k] = row;
    }
    if (row.parentElement !== this.scroller) this.scroller.append(row);
    return row;
  }

  private fill(row: HTMLElement, e: UiEvent, index: number, abs: number): void {
    const [time, swatch, type, kind, who, reason] = row.children as unknown as HTMLElement[];
    row.className = `row ${e.kind}${e.benign ? ' benign' : ''}${e.msg !== undefined && e.msg === this.selectedMsg ? ' selected' : ''}`;
    row.style.top = `${index * ROW_H}px`;
    row.dataset.testid = 'message-row';
    row.dataset.type = e.type ?? '';
    row.dataset.kind = e.kind;
    row.dataset.at = String(abs);
    if (e.msg !== undefined) row.dataset.msg = String(e.msg);
    else delete row.dataset.msg;
    time.textContent = secs(e.t);
    swatch.style.background = typeColor(e.type);
    type.textContent = e.type ?? e.kind;
    kind.textContent = e.kind === 'deliver' ? 'delivered' : e.kind === 'drop' ? 'dropped' : e.kind === 'reject' ? 'rejected' : e.kind === 'fault' ? 'tampered' : 'sent';
    // Sender first: a send, a drop and a tamper happen at the sender, a receipt at the receiver.
    who.textContent = e.kind === 'send' || e.kind === 'drop' || e.kind === 'fault' ? `${this.name(e.peer)} → ${this.name(e.other)}` : `${this.name(e.other)} → ${this.name(e.peer)}`;
    reason.textContent = e.kind === 'drop' || e.kind === 'reject' ? `${e.benign ? `${BENIGN_LABEL}: ` : ''}${e.reason ?? ''}` : e.kind === 'fault' ? `in flight: ${(e.reason ?? '').replace(/^tampered: /, '')}` : '';
    reason.title = [reason.textContent, noteOnReason(e.reason)].filter(Boolean).join('\n\n');
  }
}
