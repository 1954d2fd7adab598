/**
 * Which moment each part of the panel shows, said plainly when they differ: dragging the
 * timeline moves the message list (and the charts' cursor) to that moment, while the graph and
 * the inspector always show the network as it is now. The note says so, and how to take the
 * network itself back (Step Back).
 */
import { el, secs } from './dom.js';

export class MomentNote {
  readonly root: HTMLElement;
  private cursor: number | null = null;
  private now = 0;

  constructor() {
    this.root = el('div', { class: 'moment-note', role: 'status', 'data-testid': 'moment-note', hidden: '' });
  }

  /** The timeline's cursor (null: following live). */
  setCursor(t: number | null): void {
    this.cursor = t;
    this.show();
  }

  /** The network's own simulated time (what the graph and the inspector show). */
  setNow(t: number): void {
    if (t === this.now) return;
    this.now = t;
    this.show();
  }

  private show(): void {
    const t = this.cursor;
    if (t === null || Math.abs(t - this.now) < 1) {
      this.root.hidden = true;
      return;
    }
    const list = `The list and the timeline are at ${secs(t)}`;
    const graph = `the graph and the inspector show the network at ${secs(this.now)}${t < this.now ? ' (later): Step Back takes the network itself back' : ''}.`;
    const text = `${list}; ${graph}`;
    if (this.root.textContent !== text) this.root.textContent = text;
    this.root.hidden = false;
  }
}
