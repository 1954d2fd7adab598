/**
 * The faults in force, confirmed where the user looks: a short notice when one begins or ends,
 * and a chip per fault for as long as it lasts (the graph marks its peers meanwhile). Built
 * from the status the host sends, so it lists what the network really does, however the fault
 * came (the scenario, the palette, the graph's menus, the debugger).
 */
import type { UiActiveFault, UiEvent } from '../extension/protocol.js';
import { isTampering } from './event-log.js';
import { el, secs } from './dom.js';

/** How long a notice stays (real ms). */
const NOTICE_MS = 4000;

export class FaultBar {
  readonly root: HTMLElement;
  private readonly chips: HTMLElement;
  private readonly notice: HTMLElement;
  private shown = new Map<string, UiActiveFault>();
  private noticeTimer: number | undefined;
  /** The first status of a network only shows what is in force (no notice for it). */
  private primed = false;
  /** Messages tamper rules took since the last update, in words. */
  private took: string[] = [];

  constructor() {
    this.chips = el('span', { class: 'chips', 'data-testid': 'faults' });
    this.notice = el('span', { class: 'notice', role: 'status', 'aria-live': 'polite', 'data-testid': 'fault-notice' });
    this.root = el('div', { class: 'fault-bar', hidden: '' }, el('span', { class: 'label' }, 'Faults in force:'), this.chips, this.notice);
  }

  reset(): void {
    this.shown.clear();
    this.took = [];
    this.primed = false;
    this.chips.replaceChildren();
    this.notice.textContent = '';
    this.root.hidden = true;
  }

  update(faults: readonly UiActiveFault[] = []): void {
    const next = new Map(faults.map((f) => [f.key, f]));
    const began = faults.filter((f) => !this.shown.has(f.key));
    const ended = [...this.shown.values()].filter((f) => !next.has(f.key));
    const changed = began.length > 0 || ended.length > 0 || faults.some((f) => this.shown.get(f.key)?.label !== f.label);
    this.shown = next;
    if (changed) {
      this.chips.replaceChildren(
        ...faults.map((f) => el('span', { class: `chip ${f.kind}`, 'data-testid': 'fault-chip', 'data-kind': f.kind, title: f.until !== undefined ? `until ${secs(f.until)}` : 'until it is undone' }, f.label)),
      );
    }
    this.root.hidden = faults.length === 0 && this.notice.textContent === '';
    const words = this.primed ? [...began.map((f) => `${f.label}`), ...ended.map((f) => `ended: ${f.label}`)] : [];
    // What a tamper rule took comes with the frame that ends the rule: said together.
    words.push(...this.took);
    this.took = [];
    if (words.length > 0) this.say(words.join(' · '));
    this.primed = true;
  }

  /** Which messages a tamper rule took (a rule ends when spent): said with the next update. */
  noteTampered(events: readonly UiEvent[], name: (i: number) => string): void {
    const took = events.filter(isTampering);
    if (took.length === 0) return;
    const e = took[took.length - 1];
    const more = took.length > 1 ? ` (and ${took.length - 1} more)` : '';
    this.took.push(`tamper took ${e.type ?? 'a message'} #${e.msg} ${name(e.peer)} → ${name(e.other ?? -1)}: ${(e.reason ?? '').replace(/^tampered: /, '')}${more}`);
  }

  private say(text: string): void {
    this.notice.textContent = text;
    this.root.hidden = false;
    window.clearTimeout(this.noticeTimer);
    this.noticeTimer = window.setTimeout(() => {
      this.notice.textContent = '';
      this.root.hidden = this.shown.size === 0;
    }, NOTICE_MS);
  }
}
