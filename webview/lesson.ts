/**
 * A lesson beside the graph: the scenario's description, and its expectations ticked off as
 * they come true (✓ met, ✗ failed, … not yet).
 */
import type { UiExpectation, UiNetwork } from '../extension/protocol.js';
import { el } from './dom.js';

export class Lesson {
  private readonly notes: HTMLElement;
  private readonly checks: HTMLElement;
  private readonly heading: HTMLElement;
  private last = '';

  constructor(readonly root: HTMLElement) {
    this.notes = el('div', { class: 'notes' });
    this.checks = el('ul', { class: 'checks', 'aria-label': 'expectations' });
    root.setAttribute('data-testid', 'lesson');
    this.heading = el('h3', {}, 'Lesson');
    root.append(this.heading, this.notes, this.checks);
    root.hidden = true;
  }

  reset(network: UiNetwork): void {
    const text = network.scenario.description ?? '';
    // A log's description is what reading it found, not a lesson.
    this.heading.textContent = network.recording ? 'Parse notes' : 'Lesson';
    this.notes.replaceChildren(...text.split(/\n\s*\n/).filter((p) => p.trim()).map((p) => el('p', {}, p.replace(/\s*\n\s*/g, ' ').trim())));
    this.last = '';
    this.root.hidden = text === '';
  }

  update(expectations: UiExpectation[] | undefined): void {
    const list = expectations ?? [];
    const key = JSON.stringify(list);
    if (key === this.last) return;
    this.last = key;
    if (list.length > 0) this.root.hidden = false;
    this.checks.replaceChildren(
      ...list.map((e) => {
        const mark = e.status === 'met' ? '✓' : e.status === 'failed' ? '✗' : '…';
        // The CLI's words for the same (gossip-scope run --check): "(at 1.0s)".
        const when = e.status === 'met' && e.at !== null ? ` (at ${(e.at / 1000).toFixed(1)}s)` : e.status === 'failed' && e.detail ? `: ${e.detail}` : '';
        return el('li', { class: e.status, 'data-testid': 'expectation', 'data-status': e.status }, `${mark} ${e.text}${when}`);
      }),
    );
  }
}
