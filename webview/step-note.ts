/**
 * What the last step did, in one line above the graph ("Step: peer1.org1 received an
 * AliveMessage from peer0.org1, then sent 3 messages"), with its peers marked on the graph, so a
 * step never changes the picture without saying how.
 */
import type { UiEvent, UiNetwork, UiStep } from '../extension/protocol.js';
import { el, secs } from './dom.js';

export class StepNote {
  readonly root: HTMLElement;
  private network: UiNetwork | null = null;

  constructor() {
    this.root = el('div', { class: 'step-note', role: 'status', 'data-testid': 'step-note', hidden: '' });
  }

  reset(network: UiNetwork): void {
    this.network = network;
    this.clear();
  }

  /** Hides the note; returns no peers (for the graph's mark). */
  clear(): number[] {
    this.root.hidden = true;
    this.root.replaceChildren();
    return [];
  }

  /**
   * Describes the move the user just made (a debug stop says which): the step that led to this
   * moment, at that step's own time; returns the peers it touched.
   */
  showStep(step: UiStep): number[] {
    if (step.events.length === 0) {
      this.root.replaceChildren(el('span', { class: 'what' }, step.how === 'back' ? 'Back at the start: ' : 'At the start: '), 'no event has happened yet');
      this.root.hidden = false;
      return [];
    }
    const at = secs(this.mainOf(step.events).t);
    const head = step.how === 'back' ? `Stepped back to ${at}, after: ` : step.how === 'stop' ? `Stopped at ${at}${step.reason ? ` (${step.reason})` : ''}: ` : `Step at ${at}: `;
    return this.show(step.events, head);
  }

  /** Describes a step's events; returns the peers they touched. */
  show(events: readonly UiEvent[], head?: string): number[] {
    const main = this.mainOf(events);
    const sends = events.filter((e) => e.kind === 'send' && e !== main).length;
    const peers = new Set<number>();
    for (const e of events) {
      if (e.peer >= 0) peers.add(e.peer);
      if (e.other !== undefined && e.other >= 0 && (e.kind === 'deliver' || e.kind === 'reject' || e.kind === 'drop' || e.kind === 'send')) peers.add(e.other);
    }
    const then = sends > 0 ? `, then sent ${sends} message${sends === 1 ? '' : 's'}` : '';
    const more = events.length > 1 ? ` (${events.length} events)` : '';
    this.root.replaceChildren(el('span', { class: 'what' }, head ?? `Step at ${secs(main.t)}: `), `${this.describe(main)}${then}${more}`);
    this.root.hidden = false;
    return [...peers];
  }

  /** The event a step is told by: what arrived, else what happened, else the first. */
  private mainOf(events: readonly UiEvent[]): UiEvent {
    return events.find((e) => e.kind === 'deliver' || e.kind === 'reject' || e.kind === 'drop') ?? events.find((e) => e.kind !== 'verify') ?? events[0];
  }

  private name(i: number | undefined): string {
    if (i === undefined) return '?';
    return i < 0 ? 'the orderer' : (this.network?.peers[i]?.id ?? `#${i}`);
  }

  private describe(e: UiEvent): string {
    const type = e.type ?? 'a message';
    switch (e.kind) {
      case 'deliver':
        return `${this.name(e.peer)} received ${type} from ${this.name(e.other)}`;
      case 'reject':
        return `${this.name(e.peer)} rejected ${type} from ${this.name(e.other)}: ${e.reason ?? ''}`;
      case 'drop':
        return `${type} from ${this.name(e.peer)} to ${this.name(e.other)} was dropped: ${e.reason ?? ''}`;
      case 'send':
        return `${this.name(e.peer)} sent ${type} to ${this.name(e.other)}`;
      case 'timer':
        return `${this.name(e.peer)}'s timer ${e.reason ?? ''} fired`;
      case 'fault':
        return e.msg !== undefined ? `${type} #${e.msg} from ${this.name(e.peer)} to ${this.name(e.other)} was tampered with in flight: ${(e.reason ?? '').replace(/^tampered: /, '')}` : `fault: ${e.reason ?? ''}`;
      case 'state':
        return `${this.name(e.peer)}: ${e.reason ?? 'state changed'}`;
      default:
        return `${this.name(e.peer)}: ${e.kind} ${e.reason ?? ''}`;
    }
  }
}
