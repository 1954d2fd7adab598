/**
 * The toolbar: Run, Pause, Step, Reset, the speed, the partition tool (split the selected peers
 * from the rest, heal) and the status line. VS Code Elements controls, so they look and behave
 * like VS Code's own.
 */
import type { FromWebview, UiStatus } from '../extension/protocol.js';
import { custom, el, secs } from './dom.js';

const SPEEDS: [string, string][] = [
  ['0.25', '¼×'],
  ['1', '1× (real time)'],
  ['5', '5×'],
  ['20', '20×'],
  ['100', '100×'],
  ['0', 'as fast as possible'],
];

type Selectable = HTMLElement & { value: string };

export class Controls {
  readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly status: HTMLElement;
  private readonly speed: Selectable;
  private readonly buttons: Record<'run' | 'pause' | 'step' | 'reset' | 'partition' | 'heal', HTMLElement>;
  onPartition: () => void = () => {};
  onFit: () => void = () => {};

  constructor(post: (m: FromWebview) => void) {
    const button = (label: string, testid: string, title: string, action: () => void, secondary = false) => {
      const b = custom('vscode-button', { 'data-testid': testid, title, ...(secondary ? { secondary: '' } : {}) }, label);
      b.addEventListener('click', () => {
        if (!b.hasAttribute('disabled')) action();
      });
      return b;
    };
    this.buttons = {
      run: button('Run', 'run', 'Run the simulation (F5)', () => post({ type: 'control', action: 'run' })),
      pause: button('Pause', 'pause', 'Pause (Shift+F5)', () => post({ type: 'control', action: 'pause' }), true),
      step: button('Step', 'step', 'Execute one event (F10)', () => post({ type: 'control', action: 'step' }), true),
      reset: button('Reset', 'reset', 'Start the network again from time 0', () => post({ type: 'control', action: 'reset' }), true),
      partition: button('Partition selected', 'partition', 'Cut the selected peers off from the rest (select with Shift+drag or Ctrl+click)', () => this.onPartition(), true),
      heal: button('Heal', 'heal', 'Remove every partition', () => post({ type: 'fault', fault: { kind: 'heal' } }), true),
    };
    this.speed = custom('vscode-single-select', { 'aria-label': 'speed', 'data-testid': 'speed', title: 'Simulated time per real time' }) as Selectable;
    for (const [value, label] of SPEEDS) this.speed.append(custom('vscode-option', { value }, label));
    this.speed.addEventListener('change', () => post({ type: 'speed', speed: Number(this.speed.value) }));
    this.title = el('span', { class: 'title' });
    this.status = el('span', { class: 'status', 'data-testid': 'status', role: 'status' }, 'waiting for the network…');
    const fit = button('Fit', 'fit', 'Fit the whole network in view', () => this.onFit(), true);
    const b = this.buttons;
    this.root = el('div', { class: 'toolbar', role: 'toolbar' }, this.title, b.run, b.pause, b.step, b.reset, this.speed, el('span', { class: 'sep' }), b.partition, b.heal, fit, this.status);
    this.setPartitionable(false);
  }

  setTitle(text: string): void {
    this.title.textContent = text;
  }

  private enable(b: HTMLElement, on: boolean): void {
    b.toggleAttribute('disabled', !on);
  }

  setPartitionable(on: boolean): void {
    this.enable(this.buttons.partition, on);
  }

  /** `skipped`: messages not animated (too many at once) plus events the host did not send. */
  showStatus(s: UiStatus, skipped: number): void {
    const running = s.state === 'running';
    this.enable(this.buttons.run, s.state !== 'running' && s.simTime < s.until);
    this.enable(this.buttons.pause, running);
    this.enable(this.buttons.step, !running && s.state !== 'finished');
    const speed = String(s.speed);
    if (this.speed.value !== speed) {
      if (!SPEEDS.some(([v]) => v === speed)) this.speed.append(custom('vscode-option', { value: speed }, `${speed}×`));
      this.speed.value = speed;
    }
    const parts = [`${secs(s.simTime)} of ${secs(s.until)}`, `${s.events.toLocaleString('en-US')} events`, s.state];
    if (skipped > 0) parts.push(`${skipped.toLocaleString('en-US')} skipped`);
    const text = parts.join(' · ');
    if (this.status.textContent !== text) this.status.textContent = text;
    this.status.title = skipped > 0 ? 'Skipped: messages not animated as dots because too many were in flight (the graph, the list and the timeline still have them), plus events the host left out of overfull frames. Peer states are never skipped.' : '';
  }

  showError(message: string): void {
    this.status.textContent = message;
  }
}
