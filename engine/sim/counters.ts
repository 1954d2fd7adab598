import type { TraceEvent } from '../trace/events.js';
import type { Trace } from '../trace/trace.js';

/**
 * Running totals over the trace, for the summary: messages by type and fate, rejections by
 * reason (with the parts that name one peer or one id taken out, so reasons group), and when
 * each peer committed each block.
 */
export class Counters {
  readonly sent: Record<string, number> = {};
  readonly delivered: Record<string, number> = {};
  readonly dropped: Record<string, number> = {};
  readonly rejected: Record<string, number> = {};
  readonly dropReasons: Record<string, number> = {};
  /** channel → block → [peer, time] of each commit. */
  readonly commits = new Map<string, Map<number, [number, number][]>>();

  constructor(trace: Trace) {
    trace.listen((ev) => this.count(ev));
  }

  private count(ev: TraceEvent): void {
    switch (ev.kind) {
      case 'send':
        this.sent[ev.type!] = (this.sent[ev.type!] ?? 0) + 1;
        return;
      case 'deliver':
        this.delivered[ev.type!] = (this.delivered[ev.type!] ?? 0) + 1;
        return;
      case 'drop': {
        this.dropped[ev.type!] = (this.dropped[ev.type!] ?? 0) + 1;
        const r = normaliseReason(ev.reason ?? '');
        this.dropReasons[r] = (this.dropReasons[r] ?? 0) + 1;
        return;
      }
      case 'reject': {
        const r = normaliseReason(ev.reason ?? '');
        this.rejected[r] = (this.rejected[r] ?? 0) + 1;
        return;
      }
      case 'state':
        if (ev.reason === 'commit' && ev.data !== undefined) {
          const ch = ev.data.channel as string;
          let byBlock = this.commits.get(ch);
          if (byBlock === undefined) this.commits.set(ch, (byBlock = new Map()));
          const b = ev.data.block as number;
          let list = byBlock.get(b);
          if (list === undefined) byBlock.set(b, (list = []));
          list.push([ev.peer, ev.t]);
        }
        return;
      default:
        return;
    }
  }
}

/** Groups reasons: endpoints, long hex ids and numbers in brackets become placeholders. */
export function normaliseReason(r: string): string {
  return r
    .replace(/[\w.-]+:\d{2,5}\b/g, '<endpoint>')
    .replace(/\b[0-9a-f]{16,}\b/g, '<id>')
    .replace(/\[\d+\]/g, '[N]')
    .replace(/\b\d+\b/g, 'N');
}
