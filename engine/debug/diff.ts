/**
 * Comparing two runs: two scenarios (or one with two seeds) run side by side, or two saved
 * traces read back. The first event where they part, and every peer's state at a chosen
 * moment (membership, heights, leader, world state, private data) where the two differ.
 * `gossip-scope diff A B` prints it; VS Code's "Compare Two Runs" shows the same text.
 */
import { readCheckedTrace } from '../trace/read-trace.js';
import { LIMITS } from '../scenario/bounds.js';
import { hex } from '../fabric/message.js';
import { loadScenarioFile } from '../scenario/load.js';
import { Simulation } from '../sim/simulation.js';
import type { TraceEvent } from '../trace/events.js';
import { bigintToString } from '../trace/trace.js';

/** One side: a scenario file (with an optional seed), or a saved trace (JSON Lines). */
export type RunSide = { scenario: string; seed?: number; seedText?: string } | { trace: string };

/** What a peer's state is compared on. World state is absent for a saved trace (not in it). */
export interface PeerSnapshot {
  running: boolean;
  /** Peers it sees alive, sorted. */
  membership: string[];
  height: Record<string, number>;
  leader: Record<string, boolean>;
  worldState?: Record<string, Record<string, string>>;
  /** Private write sets held, by collection. */
  privateData: Record<string, number>;
}

export interface EventSummary {
  id: number;
  t: number;
  label: string;
}

export interface RunDiff {
  a: string;
  b: string;
  /** The first event that differs (by index), or null when one run's events are a prefix of the other's. */
  firstDivergence: { index: number; a: EventSummary | null; b: EventSummary | null } | null;
  /** Events compared (to the moment, or the shorter run). */
  compared: number;
  /** The moment states are compared at, in simulated ms. */
  at: number;
  /** Per peer, the fields that differ: [A's value, B's value]. */
  peers: { id: string; fields: { field: string; a: unknown; b: unknown }[] }[];
}

/** `file.yaml@7` is the scenario with seed 7; a `.jsonl` file is a saved trace. */
export function parseSide(text: string): RunSide {
  if (/\.jsonl$/i.test(text)) return { trace: text };
  const m = /^(.*)@(\d+)$/.exec(text);
  return m ? { scenario: m[1], seed: Number(m[2]), seedText: m[2] } : { scenario: text };
}

function sideName(s: RunSide): string {
  return 'trace' in s ? s.trace : `${s.scenario}${s.seed !== undefined ? `@${s.seed}` : ''}`;
}

/** An event as both runs can be compared on: everything but its id. */
function canonical(ev: TraceEvent): string {
  const { id: _id, ...rest } = ev;
  return JSON.stringify(rest, bigintToString);
}

function label(ev: TraceEvent, peers: string[]): string {
  const name = (i: number | undefined) => (i === undefined ? '' : i < 0 ? 'orderer' : peers[i] ?? `#${i}`);
  const dir = ev.kind === 'send' || ev.kind === 'drop' ? ` → ${name(ev.other)}` : ev.other !== undefined ? ` ← ${name(ev.other)}` : '';
  return `${ev.kind} ${ev.type ?? ''}${ev.reason ? ` (${ev.reason})` : ''} at ${name(ev.peer)}${dir} @${Number(ev.t.toFixed(3))}ms`.replace(/  +/g, ' ');
}

/** A run of one side as a stream of events, and its peers' state at the end. */
interface Runner {
  peers: string[];
  /** Produces at least one more event (or returns false at the end, or past `until`). */
  more(until: number): boolean;
  events: TraceEvent[];
  /** Runs to `until` without keeping events, then the state of every peer. */
  finish(until: number): PeerSnapshot[];
  until: number;
}

async function simRunner(side: { scenario: string; seed?: number; seedText?: string }): Promise<Runner> {
  const scenario = loadScenarioFile(side.scenario);
  // The CLI and the Compare command check this first; a seed a double cannot hold would run as another.
  if (side.seed !== undefined && !(Number.isSafeInteger(side.seed) && side.seed >= 0)) throw new Error(`${side.scenario}@${side.seedText ?? side.seed}: a seed is an integer between 0 and ${Number.MAX_SAFE_INTEGER}`);
  if (side.seed !== undefined) scenario.seed = side.seed;
  const sim = await Simulation.create(scenario, { traceCapacity: 1000 });
  sim.start();
  const r: Runner = {
    peers: sim.peers.map((p) => p.id),
    events: [],
    until: scenario.run.until,
    more(until) {
      const n = r.events.length;
      while (r.events.length === n) {
        if (sim.kernel.nextTime() > until || !sim.kernel.step()) return false;
      }
      return true;
    },
    finish(until) {
      unlisten();
      sim.runUntil(until);
      return sim.peers.map((_, i) => simSnapshot(sim, i));
    },
  };
  const unlisten = sim.trace.listen((ev) => r.events.push(ev));
  return r;
}

/** A peer's state from a live network. */
export function simSnapshot(sim: Simulation, idx: number): PeerSnapshot {
  const p = sim.peers[idx];
  const node = p.running ? p.node : undefined;
  const membership = node ? node.disc.getMembership().map((m) => sim.peers.find((q) => hex(q.identity.pkiId) === m.pkiHex)?.id ?? m.pkiHex.slice(0, 12)).sort() : [];
  const height: Record<string, number> = {};
  const leader: Record<string, boolean> = {};
  const worldState: Record<string, Record<string, string>> = {};
  for (const ch of p.channels) {
    const l = p.ledgers.get(ch);
    height[ch] = l?.height ?? 0;
    leader[ch] = p.running && p.leaderOf.has(ch);
    worldState[ch] = Object.fromEntries([...(l?.worldState ?? new Map<string, string>())].sort(([x], [y]) => (x < y ? -1 : 1)));
  }
  const privateData: Record<string, number> = {};
  for (const pvt of p.node?.privdata.values() ?? []) {
    for (const k of [...pvt.transient.keys(), ...pvt.committed.keys()]) {
      const col = k.slice(k.indexOf('/') + 1);
      privateData[col] = (privateData[col] ?? 0) + 1;
    }
  }
  return { running: p.running, membership, height, leader, worldState, privateData };
}

/**
 * A saved trace read back: events in order, and peers' state as the events tell it. Checked as
 * every reader checks a trace (read-trace.ts): each event's fields, its peers among the header's,
 * the lines numbered, counted and hashed, so nothing below meets a value it cannot use.
 */
function traceRunner(path: string): Runner {
  const all: TraceEvent[] = [];
  const trace = readCheckedTrace(path, { verifyHash: true, each: (ev) => all.push(ev) });
  const peers = trace.peers;
  let next = 0;
  const r: Runner = {
    peers,
    events: [],
    until: all.length > 0 ? all[all.length - 1].t : 0,
    more(until) {
      if (next >= all.length || all[next].t > until) return false;
      r.events.push(all[next++]);
      return true;
    },
    finish(until) {
      return traceSnapshots(all.filter((e) => e.t <= until), peers);
    },
  };
  return r;
}

/** Peers' state as a trace's events tell it (membership, heights, leaders, private data). */
export function traceSnapshots(events: readonly TraceEvent[], peers: string[]): PeerSnapshot[] {
  const out: PeerSnapshot[] = peers.map(() => ({ running: false, membership: [], height: {}, leader: {}, privateData: {} }));
  const alive = peers.map(() => new Set<string>());
  for (const ev of events) {
    if (ev.kind !== 'state' || ev.peer < 0) continue;
    const s = out[ev.peer];
    const d = ev.data ?? {};
    switch (ev.reason) {
      case 'started':
        s.running = true;
        break;
      case 'crashed':
        s.running = false;
        alive[ev.peer].clear();
        for (const ch of Object.keys(s.leader)) s.leader[ch] = false;
        break;
      case 'alive':
        alive[ev.peer].add(peers[Number(d.member)] ?? String(d.member));
        break;
      case 'dead':
      case 'removed':
        alive[ev.peer].delete(peers[Number(d.member)] ?? String(d.member));
        break;
      case 'commit':
        s.height[String(d.channel)] = Number(d.height);
        break;
      case 'deliver':
        s.leader[String(d.channel)] = d.started === true;
        break;
      case 'transientStore':
        s.privateData[String(d.collection)] = (s.privateData[String(d.collection)] ?? 0) + 1;
        break;
    }
  }
  out.forEach((s, i) => (s.membership = [...alive[i]].sort()));
  return out;
}

/** Compares two runs: events to the moment `at` (default: the end of the shorter run), then states there. */
export async function diffRuns(a: RunSide, b: RunSide, opts: { at?: number } = {}): Promise<RunDiff> {
  const ra = 'trace' in a ? traceRunner(a.trace) : await simRunner(a);
  const rb = 'trace' in b ? traceRunner(b.trace) : await simRunner(b);
  if (opts.at !== undefined && !(opts.at > 0 && opts.at <= LIMITS.duration.max)) throw new Error(`the moment to compare at must be between 0 and ${LIMITS.duration.max} ms, got ${opts.at}`);
  const at = opts.at ?? Math.min(ra.until, rb.until);
  let index = 0;
  let first: RunDiff['firstDivergence'] = null;
  for (;;) {
    const moreA = ra.events.length > 0 || ra.more(at);
    const moreB = rb.events.length > 0 || rb.more(at);
    if (!moreA && !moreB) break;
    const ea = ra.events.shift();
    const eb = rb.events.shift();
    index++;
    if (ea === undefined || eb === undefined || canonical(ea) !== canonical(eb)) {
      const sum = (e: TraceEvent | undefined, peers: string[]) => (e === undefined ? null : { id: e.id, t: e.t, label: label(e, peers) });
      first = { index, a: sum(ea, ra.peers), b: sum(eb, rb.peers) };
      break;
    }
  }
  const sa = ra.finish(at);
  const sb = rb.finish(at);
  const ids = [...new Set([...ra.peers, ...rb.peers])];
  const peers = ids.flatMap((id) => {
    const x = sa[ra.peers.indexOf(id)];
    const y = sb[rb.peers.indexOf(id)];
    const fields = compareSnapshots(x, y);
    return fields.length > 0 ? [{ id, fields }] : [];
  });
  return { a: sideName(a), b: sideName(b), firstDivergence: first, compared: first?.index ?? index, at, peers };
}

function compareSnapshots(x: PeerSnapshot | undefined, y: PeerSnapshot | undefined): { field: string; a: unknown; b: unknown }[] {
  if (x === undefined || y === undefined) return [{ field: 'peer', a: x === undefined ? '(absent)' : 'present', b: y === undefined ? '(absent)' : 'present' }];
  const out: { field: string; a: unknown; b: unknown }[] = [];
  const same = (u: unknown, v: unknown) => JSON.stringify(u) === JSON.stringify(v);
  if (x.running !== y.running) out.push({ field: 'running', a: x.running, b: y.running });
  if (!same(x.membership, y.membership)) {
    const onlyA = x.membership.filter((m) => !y.membership.includes(m));
    const onlyB = y.membership.filter((m) => !x.membership.includes(m));
    out.push({ field: 'membership', a: `${x.membership.length} alive${onlyA.length ? ` (+${onlyA.join(', ')})` : ''}`, b: `${y.membership.length} alive${onlyB.length ? ` (+${onlyB.join(', ')})` : ''}` });
  }
  for (const ch of new Set([...Object.keys(x.height), ...Object.keys(y.height)])) {
    if (x.height[ch] !== y.height[ch]) out.push({ field: `height ${ch}`, a: x.height[ch] ?? 0, b: y.height[ch] ?? 0 });
  }
  for (const ch of new Set([...Object.keys(x.leader), ...Object.keys(y.leader)])) {
    if ((x.leader[ch] ?? false) !== (y.leader[ch] ?? false)) out.push({ field: `leader ${ch}`, a: x.leader[ch] ?? false, b: y.leader[ch] ?? false });
  }
  if (x.worldState !== undefined && y.worldState !== undefined) {
    for (const ch of new Set([...Object.keys(x.worldState), ...Object.keys(y.worldState)])) {
      const wa = x.worldState[ch] ?? {};
      const wb = y.worldState[ch] ?? {};
      const keys = [...new Set([...Object.keys(wa), ...Object.keys(wb)])].filter((k) => wa[k] !== wb[k]).sort();
      for (const k of keys.slice(0, 3)) out.push({ field: `world ${ch} ${k}`, a: wa[k] ?? '(unset)', b: wb[k] ?? '(unset)' });
      if (keys.length > 3) out.push({ field: `world ${ch}`, a: `${keys.length - 3} more keys differ`, b: '' });
    }
  }
  for (const col of new Set([...Object.keys(x.privateData), ...Object.keys(y.privateData)])) {
    if ((x.privateData[col] ?? 0) !== (y.privateData[col] ?? 0)) out.push({ field: `private ${col}`, a: x.privateData[col] ?? 0, b: y.privateData[col] ?? 0 });
  }
  return out;
}

/** The diff as text: the first divergent event, then per peer the fields that differ, side by side. */
export function formatDiff(d: RunDiff): string {
  const lines = [`A: ${d.a}`, `B: ${d.b}`, ''];
  if (d.firstDivergence === null) lines.push(`The runs agree on all ${d.compared} events up to ${d.at / 1000}s.`);
  else {
    const f = d.firstDivergence;
    lines.push(`First divergent event: #${f.index}`, `  A: ${f.a?.label ?? '(the run has ended)'}`, `  B: ${f.b?.label ?? '(the run has ended)'}`);
  }
  lines.push('', `Peer state at ${d.at / 1000}s:`);
  if (d.peers.length === 0) lines.push('  every peer is the same in both runs');
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const w = Math.max(12, ...d.peers.flatMap((p) => p.fields.map((f) => show(f.a).length)));
  if (d.peers.length > 0) lines.push(`    ${''.padEnd(24)} ${'A'.padEnd(w)}  |  B`);
  for (const p of d.peers) {
    lines.push(`  ${p.id}`);
    for (const f of p.fields) lines.push(`    ${f.field.padEnd(24)} ${show(f.a).padEnd(w)}  |  ${show(f.b)}`);
  }
  return lines.join('\n');
}
