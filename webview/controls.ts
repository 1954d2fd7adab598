/**
 * The toolbar: Run, Pause, Step Back, Step, Reset, the speed, the partition tool (split the selected peers
 * from the rest, heal) and the status line. VS Code Elements controls, so they look and behave
 * like VS Code's own.
 */
import { keptSpeedText } from '../extension/kept-speed.js';
import { SPEED_CHOICES, type FromWebview, type UiStatus } from '../extension/protocol.js';
import { custom, el, secs } from './dom.js';

const SPEEDS: [string, string][] = SPEED_CHOICES.map((c) => [String(c.speed), c.label]);

type Selectable = HTMLElement & { value: string };

/** How long the panel waits for the host to confirm a pause before it believes the frames again. */
const PAUSE_CONFIRM_MS = 3000;

export class Controls {
  readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly status: HTMLElement;
  private readonly speed: Selectable;
  private readonly buttons: Record<'run' | 'pause' | 'stepBack' | 'step' | 'reset' | 'partition' | 'heal', HTMLElement>;
  /**
   * When Pause was pressed (performance.now()), until the host confirms: frames already on their
   * way still say "running", and the panel must not look as if the click did nothing.
   */
  private pausingSince: number | null = null;
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
      pause: button('Pause', 'pause', 'Pause (Shift+F5)', () => this.requestPause(() => post({ type: 'control', action: 'pause' })), true),
      stepBack: button('Step Back', 'step-back', 'Go back one step: the network as it was before the last event', () => post({ type: 'control', action: 'stepBack' }), true),
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
    this.root = el('div', { class: 'toolbar', role: 'toolbar' }, this.title, b.run, b.pause, b.stepBack, b.step, b.reset, this.speed, el('span', { class: 'sep' }), b.partition, b.heal, fit, this.status);
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

  /** A pause is on its way (asked for here or elsewhere): say so now. */
  pausing(): void {
    this.requestPause(() => {});
  }

  private requestPause(send: () => void): void {
    this.pausingSince = performance.now();
    this.enable(this.buttons.pause, false);
    this.status.textContent = this.status.textContent?.replace(/ · running\b.*$/, ' · pausing…') ?? 'pausing…';
    send();
  }

  /** `skipped`: messages not animated (too many at once) plus events the host did not send. */
  showStatus(s: UiStatus, skipped: number): void {
    if (s.state !== 'running') this.pausingSince = null;
    // Frames sent before the pause took effect: keep showing "pausing…" and the clock still.
    else if (this.pausingSince !== null && performance.now() - this.pausingSince < PAUSE_CONFIRM_MS) return;
    else this.pausingSince = null;
    const running = s.state === 'running';
    this.enable(this.buttons.run, s.state !== 'running' && s.simTime < s.until);
    this.enable(this.buttons.pause, running);
    this.enable(this.buttons.step, !running && s.state !== 'finished');
    this.enable(this.buttons.stepBack, !running && s.events > 0);
    const speed = String(s.speed);
    if (this.speed.value !== speed) {
      if (!SPEEDS.some(([v]) => v === speed)) this.speed.append(custom('vscode-option', { value: speed }, `${speed}×`));
      this.speed.value = speed;
    }
    const parts = [`${secs(s.simTime)} of ${secs(s.until)}`, `${s.events.toLocaleString('en-US')} events`, s.state];
    // Too much to compute or to draw at this speed: say what the run keeps, not what was asked.
    const kept = keptSpeedText(s);
    if (kept !== undefined) parts.push(kept);
    if (skipped > 0) parts.push(`${skipped.toLocaleString('en-US')} not animated`);
    const text = parts.join(' · ');
    if (this.status.textContent !== text) this.status.textContent = text;
    this.status.title = skipped > 0 ? 'Not animated: messages not drawn as dots because too many were in flight at once (the graph, the list and the timeline still have them), plus events the host left out of overfull frames. Nothing is lost from the run or its trace, and peer states are never skipped.' : '';
  }

  showError(message: string): void {
    this.status.textContent = message;
  }
}
