/**
 * The run's invariants beside the graph: the four built in, the scenario's and the panel's
 * queries, and where each broke (the run stops there, like a breakpoint). "Add…" asks the host
 * for its input box (Gossip Scope: Add Invariant…); the answer comes back in the status.
 */
import type { UiInvariants, UiViolation } from '../extension/protocol.js';
import { custom, el, secs } from './dom.js';
import { post } from './host.js';

/** Broken invariants listed at most (the latest): the status carries a bounded list too. */
const SHOWN = 5;

export class InvariantsView {
  readonly root: HTMLElement;
  private readonly list: HTMLElement;
  private last = '';
  /** A broken invariant clicked: the peer where it broke. */
  onPeer: (peer: string) => void = () => {};

  constructor() {
    const add = custom('vscode-button', { secondary: '', 'data-testid': 'add-invariant', title: 'Add a query that must hold at every event (Gossip Scope: Add Invariant…)' }, 'Add…');
    add.addEventListener('click', () => post({ type: 'addInvariant' }));
    this.list = el('ul', { class: 'checks', 'aria-label': 'invariants' });
    this.root = el('div', { class: 'invariants', 'data-testid': 'invariants' }, el('div', { class: 'head' }, el('h3', {}, 'Invariants'), add), this.list);
  }

  update(inv: UiInvariants | undefined): void {
    const key = JSON.stringify(inv ?? null);
    if (key === this.last) return;
    this.last = key;
    this.root.hidden = inv === undefined;
    if (inv === undefined) return;
    const builtInBroken = inv.builtInBroken.length;
    const rows: HTMLElement[] = [
      el('li', { class: builtInBroken > 0 ? 'failed' : 'met', title: inv.builtIn.join('\n') }, `${builtInBroken > 0 ? '✗' : '✓'} ${inv.builtIn.length} built in${builtInBroken > 0 ? `, ${builtInBroken} broken` : ''}`),
      ...inv.queries.map((q) => {
        const broken = q.hasBroken;
        return el('li', { class: broken ? 'failed' : 'met', 'data-testid': 'invariant-query' }, `${broken ? '✗' : '✓'} ${q.holds}${q.fromPanel ? ' (added here)' : ''}`);
      }),
      ...inv.broken.slice(-SHOWN).map((b) => this.brokenRow(b)),
    ];
    this.list.replaceChildren(...rows);
  }

  private brokenRow(b: UiViolation): HTMLElement {
    const row = el('li', { class: 'failed broken', 'data-testid': 'invariant-broken', title: 'Click to inspect the peer where it broke' }, `broken at ${secs(b.t)} (event ${b.eventId}): ${b.invariant}: ${b.detail}`);
    if (b.peer !== undefined) {
      const peer = b.peer;
      row.addEventListener('click', () => this.onPeer(peer));
    }
    return row;
  }
}
