/**
 * What changed: at every stop, the fields of each peer's state (the Variables tree of
 * peer-state.ts) that differ from the previous stop, as DSLabs marks a step's changes.
 *
 * Only peers that had an event since the last stop can have changed (a peer's state changes
 * only in its own tasks), so only those are looked at again; after a step back the network is
 * a rebuilt one and every peer is compared. Either way the comparison is with what the user
 * saw at the previous stop, whichever way the step went.
 */
import type { Simulation } from '../sim/simulation.js';
import type { Value } from './queries.js';
import { peerStateTree } from './peer-state.js';
import { preview } from './variables.js';

export interface FieldChange {
  /** Dotted path in the peer's Variables tree: `channels.mychannel.height`. */
  path: string;
  /** Previews as Variables shows them; null where the field did not exist. */
  before: string | null;
  after: string | null;
}

/** Leaves of a state tree by dotted path, each as its one-line preview. */
export function flatten(v: Value, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix === '' ? k : `${prefix}.${k}`, out);
  } else out.set(prefix, preview(v));
  return out;
}

export function diffFlat(before: Map<string, string>, after: Map<string, string>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [path, a] of after) {
    const b = before.get(path) ?? null;
    if (b !== a) changes.push({ path, before: b, after: a });
  }
  for (const [path, b] of before) if (!after.has(path)) changes.push({ path, before: b, after: null });
  return changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

export class ChangeTracker {
  private sim: Simulation | undefined;
  private unlisten: (() => void) | undefined;
  private readonly seen = new Map<number, Map<string, string>>();
  private readonly touched = new Set<number>();
  /** The changes found at the latest stop, by peer index. */
  changes = new Map<number, FieldChange[]>();

  /** Called at every stop: compares the peers that may have changed with the previous stop. */
  stopped(sim: Simulation): void {
    const all = sim !== this.sim;
    if (all) this.follow(sim);
    const first = this.seen.size === 0;
    this.changes = new Map();
    const peers = all ? sim.peers.map((p) => p.idx) : [...this.touched];
    this.touched.clear();
    for (const idx of peers) {
      const now = flatten(peerStateTree(sim, idx));
      const before = this.seen.get(idx);
      this.seen.set(idx, now);
      if (first || before === undefined) continue;
      const d = diffFlat(before, now);
      if (d.length > 0) this.changes.set(idx, d);
    }
  }

  /** Changes as a Variables tree: peer › path › "before → after". */
  view(sim: Simulation): { [peer: string]: Value } {
    const out: { [peer: string]: Value } = {};
    for (const [idx, list] of [...this.changes].sort((a, b) => a[0] - b[0])) {
      out[sim.peers[idx].id] = Object.fromEntries(list.map((c) => [c.path, `${c.before ?? '(none)'} → ${c.after ?? '(gone)'}`]));
    }
    return out;
  }

  dispose(): void {
    this.unlisten?.();
    this.unlisten = undefined;
  }

  private follow(sim: Simulation): void {
    this.unlisten?.();
    this.sim = sim;
    this.touched.clear();
    this.unlisten = sim.trace.listen((ev) => {
      if (ev.peer >= 0) this.touched.add(ev.peer);
      // A fault is the network's event (peer -1) but changes the peers it names: look at all.
      else if (ev.kind === 'fault') for (const p of sim.peers) this.touched.add(p.idx);
    });
  }
}
