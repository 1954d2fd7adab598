/**
 * Checks a replay against the saved trace it came from, event by event: each event the replay
 * emits is compared with the saved line of the same id, and the first difference is named by its
 * line. The end compares the count and hash of the whole run with the header's. Why it differs is
 * said only as far as the file tells: another version saved it, its event lines were edited, or
 * (lines intact) its header was.
 */
import type { TraceEvent } from './events.js';
import type { ReplayExpectation } from './saved-trace.js';
import { bigintToString } from './trace.js';

export interface ReplayVerdict {
  ok: boolean;
  message: string;
}

export class ReplayCheck {
  private first?: { line: number; id: number; saved: string; replayed: string };
  private seen = 0;

  constructor(
    private readonly saved: ReplayExpectation,
    /** This build's version, to say whether another one saved the trace. */
    private readonly version: string,
  ) {}

  /** Every event of the replay, in order (the same objects the trace records). */
  see(ev: TraceEvent): void {
    if (this.first !== undefined) return;
    const i = ev.id - this.saved.firstId;
    if (i < 0 || i >= this.saved.lines.length) return;
    this.seen = i + 1;
    const replayed = JSON.stringify(ev, bigintToString);
    if (replayed !== this.saved.lines[i]) this.first = { line: this.saved.firstLine + i, id: ev.id, saved: this.saved.lines[i], replayed };
  }

  /** The verdict once the replay reached the saved end, with its event count and hash. */
  verdict(events: number, hash: string): ReplayVerdict {
    const s = this.saved;
    const at = (line: number) => `${s.path}:${line}:1`;
    if (this.first !== undefined) {
      const f = this.first;
      return { ok: false, message: `Replay diverged from the saved trace at ${at(f.line)} (event ${f.id}): the file has ${clip(f.saved)} where the replay has ${clip(f.replayed)}. ${this.cause()}` };
    }
    if (this.seen < s.lines.length) {
      const line = s.firstLine + this.seen;
      return { ok: false, message: `Replay diverged from the saved trace at ${at(line)}: the replay ended after ${events} events, but the file goes on to event ${s.firstId + s.lines.length - 1}. ${this.cause()}` };
    }
    if (events !== s.events || hash !== s.traceHash) {
      return { ok: false, message: `Replay diverged from the saved run: every saved event line matches, but the run has ${events} events and hash ${hash.slice(0, 16)}… where the header (${at(1)}) says ${s.events} and ${s.traceHash.slice(0, 16)}…. ${this.cause()}` };
    }
    return { ok: true, message: `Replay reproduced the saved run exactly: ${events} events, trace hash ${hash.slice(0, 16)}…, and each of its ${s.lines.length} saved event lines` };
  }

  private cause(): string {
    const s = this.saved;
    if (s.savedBy !== undefined && s.savedBy !== this.version) return `It was saved by Gossip Scope ${s.savedBy}, this is ${this.version}: saved by another version?`;
    if (s.linesIntact === false) return 'Its event lines were changed after export: they no longer hash to what the header recorded.';
    if (s.linesIntact === true) return 'Its event lines are as exported, so its header (the scenario, the faults, the hash) was changed after export.';
    return 'The header does not record which version saved it or a hash of its lines, so whether it was edited cannot be told.';
  }
}

function clip(line: string, max = 160): string {
  return line.length <= max ? line : `${line.slice(0, max)}…`;
}
