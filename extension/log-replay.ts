/**
 * A network read from Fabric logs, played back in the panel as a recording: a cursor over its
 * events that Run plays forward at the chosen speed (log time), Step moves one event, Step Back
 * one event back, Reset to the start. Peers are as the log has them at the cursor. Nothing
 * changes the recording: faults are refused, saying why. No vscode here (tests drive it).
 */
import type { LoggedRun } from '../engine/ui/logged-run.js';
import type { FromWebview, ToWebview } from './protocol.js';
import type { FromWorker } from './worker-protocol.js';

/** Frames while playing: as often as the engine's. */
const FRAME_MS = 33;
/** Events one frame carries at most (as the engine's frames): older ones are counted as skipped. */
const MAX_FRAME_EVENTS = 4096;

type Out = FromWorker | Extract<ToWebview, { type: 'select' }>;

export class LogReplay {
  /** Events shown so far: the recording's position. */
  private cursor = 0;
  private playing = false;
  private timer?: NodeJS.Timeout;
  private lastTick = 0;
  /** Log time (ms from its first line) that playing has reached; between events too. */
  private position = 0;

  constructor(
    private readonly run: LoggedRun,
    private readonly out: (m: Out) => void,
    private speed: number,
    /** Told what a recording cannot do (inject a fault), in words. */
    private readonly refuse: (message: string) => void,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  get shown(): number {
    return this.cursor;
  }

  /** The panel's picture of the recording at the cursor (sent again after a step back or reset). */
  opened(): Out {
    return { type: 'opened', network: this.run.network(), status: this.status(), states: this.run.states(this.cursor) };
  }

  /** The events a panel starting over shows: those up to the cursor. */
  history(limit: number) {
    return this.run.events.slice(Math.max(0, this.cursor - limit), this.cursor);
  }

  handle(m: Exclude<FromWebview, { type: 'ready' }>): void {
    switch (m.type) {
      case 'inspectMessage':
        return this.out({ type: 'messageDetail', detail: this.run.messageDetail(m.msg), msg: m.msg });
      case 'inspectPeer':
        return this.out({ type: 'peerDetail', detail: this.run.peerDetail(m.idx, this.cursor), idx: m.idx });
      case 'figures':
        return this.out({ type: 'figures', figures: null });
      case 'speed':
        this.speed = Math.max(0, m.speed);
        return this.frame(this.cursor);
      case 'fault':
        return this.refuse('this network was read from logs: it is a recording, and a fault cannot change what was logged. Replay it: Run, Step, Step Back, Reset.');
      case 'frameShown':
      case 'addInvariant':
        return;
      case 'control':
        switch (m.action) {
          case 'run':
            return this.play();
          case 'pause':
            this.stop();
            return this.frame(this.cursor);
          case 'step':
            this.stop();
            return this.frame(Math.min(this.run.events.length, this.cursor + 1));
          case 'stepBack':
            this.stop();
            return this.moveBack(Math.max(0, this.cursor - 1));
          case 'reset':
            this.stop();
            return this.moveBack(0);
        }
    }
  }

  dispose(): void {
    this.stop();
  }

  private play(): void {
    if (this.cursor >= this.run.events.length) return this.frame(this.cursor);
    this.stop();
    this.playing = true;
    this.position = this.at(this.cursor);
    this.lastTick = this.clock();
    this.timer = setInterval(() => this.tick(), FRAME_MS);
    this.frame(this.cursor);
  }

  private tick(): void {
    const now = this.clock();
    const events = this.run.events;
    this.position = this.speed === 0 ? Infinity : this.position + (now - this.lastTick) * this.speed;
    this.lastTick = now;
    let to = this.cursor;
    while (to < events.length && events[to].t <= this.position) to++;
    if (to >= events.length) this.stop();
    this.frame(to);
  }

  private stop(): void {
    this.playing = false;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Moves forward to `to` events shown, with a frame of the events passed. */
  private frame(to: number): void {
    const from = this.cursor;
    this.cursor = to;
    const passed = this.run.events.slice(from, to);
    const events = passed.length > MAX_FRAME_EVENTS ? passed.slice(-MAX_FRAME_EVENTS) : passed;
    this.out({ type: 'frame', status: this.status(), events, states: this.run.states(to), skipped: passed.length - events.length });
  }

  /** Back in the recording: the panel starts over at that position. */
  private moveBack(to: number): void {
    this.cursor = to;
    this.out(this.opened());
  }

  private status() {
    return this.run.status(this.cursor, this.playing ? 'running' : 'paused', this.speed);
  }

  private at(cursor: number): number {
    return cursor > 0 ? this.run.events[cursor - 1].t : 0;
  }
}
