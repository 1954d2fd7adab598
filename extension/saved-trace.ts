/**
 * Reading a saved trace for replay: its first line (the header exportTrace writes) says which
 * scenario ran, with which UI faults, to which end and hash. No `vscode` here, so tests can use it.
 */
import { open } from 'node:fs/promises';
import type { FaultRequest } from './protocol.js';
import type { ReplaySpec } from './worker-protocol.js';

export interface SavedTrace {
  file: string;
  scenarioText: string;
  replay: ReplaySpec;
}

/** The header of a JSON Lines trace, or why it cannot be replayed. */
export async function readSavedTrace(path: string): Promise<SavedTrace | string> {
  const fh = await open(path, 'r');
  let first = '';
  try {
    const buf = Buffer.alloc(1 << 20);
    let pos = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead).toString('utf8');
      const nl = chunk.indexOf('\n');
      first += nl >= 0 ? chunk.slice(0, nl) : chunk;
      if (nl >= 0) break;
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(first) as Record<string, unknown>;
  } catch {
    return `${path}:1:1: the first line is not a trace header (JSON)`;
  }
  if (typeof h.traceVersion !== 'number') return `${path}:1:1: not a Gossip Scope trace (no traceVersion)`;
  if (h.live === true) return `${path}:1:1: this trace was recorded from a live network (real processes on the wall clock): it can be read, not replayed`;
  if (typeof h.scenarioText !== 'string' || typeof h.traceHash !== 'string' || typeof h.simTime !== 'number' || typeof h.events !== 'number') {
    return `${path}:1:1: this trace was saved without its scenario (exported by the CLI or an older version): it can be read, not replayed`;
  }
  const faults = Array.isArray(h.faults) ? (h.faults as { at: number; afterEvents: number; fault: FaultRequest }[]) : [];
  return {
    file: typeof h.file === 'string' ? h.file : path,
    scenarioText: h.scenarioText,
    replay: { faults, until: h.simTime, events: h.events, traceHash: h.traceHash },
  };
}
