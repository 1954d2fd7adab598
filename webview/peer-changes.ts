/**
 * What changed in a peer between two views of it in the inspector (a step, or a refresh while
 * running): its condition, each channel's height and leadership, who it counts alive or dead,
 * the heights its StateInfo reports, its world state. Last-heard times move with every alive
 * message and are left out: marking them would mark everything.
 */
import type { PeerDetail } from '../extension/protocol.js';

export interface PeerChanges {
  /** Keys of the changed fields, as the inspector tags them (see `key`). */
  keys: Set<string>;
  /** One short phrase per change, in the inspector's order. */
  said: string[];
}

/** A field's key: `height:mychannel`, `alive:peer1.org2`, `stateinfo:mychannel:peer1.org2`, … */
export const key = (...parts: string[]) => parts.join(':');

const condition = (d: PeerDetail) => (d.paused ? 'paused' : d.running ? 'running' : d.started === false ? 'not started' : 'crashed');

export function peerChanges(before: PeerDetail, after: PeerDetail): PeerChanges {
  const keys = new Set<string>();
  const said: string[] = [];
  const add = (k: string, text: string) => {
    keys.add(k);
    said.push(text);
  };
  if (condition(before) !== condition(after)) add('condition', `${condition(before)} → ${condition(after)}`);
  for (const c of after.channels) {
    const b = before.channels.find((x) => x.name === c.name);
    if (b === undefined) {
      add(key('height', c.name), `joined ${c.name}`);
      continue;
    }
    if (b.height !== c.height) add(key('height', c.name), `${c.name} height ${b.height} → ${c.height}`);
    if (b.leader !== c.leader) add(key('leader', c.name), c.leader ? `leads ${c.name}` : `no longer leads ${c.name}`);
    const heights = new Map(b.stateInfo.map((s) => [s.id, s.height]));
    const moved = c.stateInfo.filter((s) => heights.get(s.id) !== s.height);
    for (const s of moved) keys.add(key('stateinfo', c.name, s.id));
    if (moved.length > 0) said.push(`StateInfo on ${c.name}: ${moved.length === 1 ? `${moved[0].id} at ${moved[0].height}` : `${moved.length} peers`}`);
    const values = new Map(b.worldState.map((w) => [w.key, w.value]));
    const written = c.worldState.filter((w) => values.get(w.key) !== w.value);
    for (const w of written) keys.add(key('world', c.name, w.key));
    if (written.length > 0) said.push(`${written.length} world-state key${written.length === 1 ? '' : 's'} written on ${c.name}`);
  }
  for (const list of ['alive', 'dead'] as const) {
    const was = new Set(before.membership[list].map((m) => m.id));
    const now = after.membership[list].filter((m) => !was.has(m.id));
    for (const m of now) keys.add(key(list, m.id));
    if (now.length > 0) said.push(`${now.length === 1 ? now[0].id : `${now.length} peers`} now ${list}`);
    const gone = [...was].filter((id) => !after.membership.alive.some((m) => m.id === id) && !after.membership.dead.some((m) => m.id === id));
    if (gone.length > 0) said.push(`${gone.length === 1 ? gone[0] : `${gone.length} peers`} forgotten (no longer ${list})`);
  }
  return { keys, said };
}
