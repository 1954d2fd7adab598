/**
 * The recent message events (send, deliver, drop, reject, and a tamper fault that altered one in
 * flight) the list and the inspector look at,
 * oldest first. Bounded: old events fall off the front in bulk; each event keeps an absolute
 * position (`base + i`) so views can hold on to one while the front moves.
 */
import type { UiEvent } from '../extension/protocol.js';

export const KEEP = 50_000;

export function isMessageEvent(e: UiEvent): boolean {
  return e.kind === 'send' || e.kind === 'deliver' || e.kind === 'drop' || e.kind === 'reject' || isTampering(e);
}

/** A tamper fault that altered one message in flight (it names the message; a fault injected names none). */
export function isTampering(e: UiEvent): boolean {
  return e.kind === 'fault' && e.msg !== undefined;
}

export class EventLog {
  private events: UiEvent[] = [];
  /** Absolute position of events[0]. */
  base = 0;
  /** Bumps on every change, so views know when to look again. */
  version = 0;
  readonly types = new Set<string>();

  clear(): void {
    this.events = [];
    this.base = 0;
    this.types.clear();
    this.version++;
  }

  /** Returns true when a message type was seen for the first time. */
  add(events: readonly UiEvent[]): boolean {
    let newType = false;
    for (const e of events) {
      if (!isMessageEvent(e)) continue;
      this.events.push(e);
      if (e.type !== undefined && !this.types.has(e.type)) {
        this.types.add(e.type);
        newType = true;
      }
    }
    // Trim by a quarter at a time: one splice per many frames, not one per event.
    if (this.events.length > KEEP * 1.25) {
      const extra = this.events.length - KEEP;
      this.events.splice(0, extra);
      this.base += extra;
    }
    this.version++;
    return newType;
  }

  /** First and one-past-last absolute positions. */
  get start(): number {
    return this.base;
  }

  get end(): number {
    return this.base + this.events.length;
  }

  at(abs: number): UiEvent | undefined {
    return this.events[abs - this.base];
  }

  /** Every kept event of one message, oldest first (the inspector's journey). */
  eventsOf(msg: number): UiEvent[] {
    return this.events.filter((e) => e.msg === msg);
  }
}
