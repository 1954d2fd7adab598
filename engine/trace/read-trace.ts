/**
 * Every reader of a saved trace (replay, `report`, `diff`, the extension) reads it through here,
 * so each refuses what the others refuse, at file:line:col: the file is a bounded regular file of
 * UTF-8 with LF line ends; its header has only the keys a trace header has (a flipped byte in one
 * is refused, not ignored); every event line is an event whose fields the readers can rely on (a
 * `null`, an array, a string `t`, a peer the header does not list are refused where they are);
 * and a simulated run's lines are numbered in order, counted against the header
 * and hashed against its `linesHash`, so a deleted, swapped, reversed or edited line is caught
 * (replay leaves the hash to its own check, which names the line).
 * Replay then checks more: it runs the scenario again and compares every line.
 */
import { createHash } from 'node:crypto';
import { didYouMean, ScenarioError } from '../scenario/diagnostics.js';
import { LIMITS, clip, showMs } from '../scenario/bounds.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../scenario/json-depth.js';
import { readBoundedText } from '../scenario/read-text.js';
import { TRACE_VERSION, type TraceEvent, type TraceKind } from './events.js';

/** Trace format versions this build reads. */
export const READABLE_TRACE_VERSIONS = [TRACE_VERSION];

/** Every key a trace header may have (the simulator's export, `run --trace`, live mode, `logs --trace`). */
export const HEADER_KEYS = [
  'gossipScope', 'linesHash', 'traceVersion', 'scenario', 'seed', 'peers', 'file', 'scenarioText', 'faults',
  'simTime', 'events', 'traceHash', 'live', 'source', 'files', 'start',
] as const;

const KINDS: readonly TraceKind[] = ['send', 'deliver', 'drop', 'reject', 'verify', 'timer', 'state', 'log', 'fault'];

/** Where the events came from: only a simulated run is numbered, ordered and hashed by construction. */
export type TraceOrigin = 'simulation' | 'live' | 'fabric-logs';

export interface CheckedTrace {
  path: string;
  header: Record<string, unknown>;
  peers: string[];
  origin: TraceOrigin;
  /** The event lines as saved (file line 2 onwards). */
  lines: string[];
  /** Whether the lines hash to the header's linesHash (undefined: the header records none). */
  linesIntact?: boolean;
}

export interface ReadOptions {
  /**
   * Refuse lines that do not hash to the header's linesHash (and a simulated run's header without
   * one). Replay leaves this off: it finds the edited line itself, by running the scenario again.
   */
  verifyHash: boolean;
  /** The header, once checked, before the first event. */
  onHeader?: (header: Record<string, unknown>, peers: string[], origin: TraceOrigin) => void;
  /** Each event as read, with its file line (after its line is checked). */
  each?: (ev: TraceEvent, line: number, text: string) => void;
}

/** SHA-256 over event lines as exported (each line, then a newline): recorded in the header at export. */
export function linesHash(lines: readonly string[]): string {
  const h = createHash('sha256');
  for (const l of lines) h.update(l).update('\n');
  return h.digest('hex');
}

/** Reads and checks a saved trace; throws ScenarioError (file:line:col) for anything wrong in it. */
export function readCheckedTrace(path: string, opts: ReadOptions): CheckedTrace {
  const fail = (line: number, message: string, col = 1): never => {
    throw new ScenarioError([{ file: path, line, col, message }]);
  };
  const text = readBoundedText(path, LIMITS.traceBytes.max, 'a saved trace');
  if (typeof text !== 'string') return fail(text.line, text.message, text.col);
  const cr = text.indexOf('\r');
  if (cr >= 0) {
    const line = lineAt(text, cr);
    if (text[cr + 1] === '\n') return fail(line, 'the file has CRLF (\\r\\n) line ends; a saved trace has LF line ends, as it was written (converted by an editor or by git\'s core.autocrlf?): convert it back to LF');
    return fail(line, 'a carriage return (\\r) in the file; a saved trace has none');
  }
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  if (all.length === 0) return fail(1, 'the file is empty: a trace starts with its header line');

  const header = parseLine(all[0], 1, fail, 'the first line is not a trace header (JSON)');
  if (header === null || typeof header !== 'object' || Array.isArray(header)) return fail(1, 'the first line is not a trace header (a JSON object)');
  const h = header as Record<string, unknown>;
  if (typeof h.traceVersion !== 'number') return fail(1, 'not a Gossip Scope trace (the header has no traceVersion)');
  if (!READABLE_TRACE_VERSIONS.includes(h.traceVersion)) {
    return fail(1, `traceVersion ${clipped(h.traceVersion)} is not one this version of Gossip Scope reads (it reads ${READABLE_TRACE_VERSIONS.join(', ')}): saved by another version?`);
  }
  for (const key of Object.keys(h)) {
    if (!(HEADER_KEYS as readonly string[]).includes(key)) {
      return fail(1, `the header has a key a trace header does not have, ${clipped(key)}${didYouMean(key, HEADER_KEYS)}: was the header edited?`, colOfKey(all[0], key));
    }
  }
  if (!Array.isArray(h.peers) || !h.peers.every((p) => typeof p === 'string')) return fail(1, 'the header\'s peers must be a list of peer ids');
  const peers = h.peers as string[];
  const origin: TraceOrigin = h.live === true ? 'live' : h.source === 'fabric-logs' ? 'fabric-logs' : 'simulation';
  const simulated = origin === 'simulation';
  let events: number | undefined;
  if (h.events !== undefined) {
    if (!Number.isInteger(h.events) || (h.events as number) < 0 || (h.events as number) > LIMITS.events.max) {
      return fail(1, `the header's events must be an integer between 0 and ${LIMITS.events.max.toLocaleString('en-US')}, got ${clipped(h.events)}`);
    }
    events = h.events as number;
  }
  const recorded = h.linesHash;
  if (recorded !== undefined && (typeof recorded !== 'string' || !/^[0-9a-f]{64}$/.test(recorded))) {
    return fail(1, `the header's linesHash must be 64 hex digits (SHA-256), got ${clipped(recorded)}`);
  }
  if (opts.verifyHash && simulated) {
    if (recorded === undefined) return fail(1, 'the header has no linesHash, so its event lines cannot be checked (written by an older version?): save the trace again with this version');
    if (events === undefined) return fail(1, 'the header has no events count, so a cut-short file cannot be told (written by an older version?): save the trace again with this version');
  }

  opts.onHeader?.(h, peers, origin);
  const lines = all.slice(1);
  let firstId = 0;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 2;
    const ev = checkEvent(lines[i], n, peers.length, simulated, fail);
    if (simulated) {
      if (i === 0) {
        firstId = ev.id;
        if (firstId < 1) return fail(n, `the first event's id must be at least 1, got ${firstId}`);
      } else if (ev.id !== firstId + i) return fail(n, `event ${ev.id} where event ${firstId + i} should be: a line before it was removed, added or moved`);
    }
    opts.each?.(ev, n, lines[i]);
  }
  if (simulated && events !== undefined) {
    const lastId = lines.length === 0 ? 0 : firstId + lines.length - 1;
    if (lastId !== events && !(lines.length === 0 && events === 0)) {
      if (lastId < events) return fail(Math.max(lines.length + 1, 1), `the trace ends at event ${lastId}, but its header says ${events} events: the file was cut short`);
      return fail(events - firstId + 2, `the trace goes on past event ${events}, the last its header counts: lines were added`);
    }
  }
  const linesIntact = typeof recorded === 'string' ? recorded === linesHash(lines) : undefined;
  if (opts.verifyHash && linesIntact === false) {
    return fail(1, 'the event lines do not hash to the header\'s linesHash: a line was edited, removed, added or moved after the trace was saved');
  }
  return { path, header: h, peers, origin, lines, linesIntact };
}

/** One event line, checked for every field a reader uses. */
function checkEvent(line: string, n: number, peerCount: number, simulated: boolean, fail: (line: number, message: string, col?: number) => never): TraceEvent {
  const v = parseLine(line, n, fail, 'not a trace event (JSON)');
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return fail(n, `not a trace event (a JSON object with id, t, kind and peer), got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
  const ev = v as Record<string, unknown>;
  const at = (key: string) => colOfValue(line, key);
  if (!Number.isSafeInteger(ev.id)) return fail(n, `"id" must be an integer, got ${clipped(ev.id)}`, at('id'));
  // A simulated run lasts at most a day; Fabric's logs may span longer, but never a time before their start.
  if (typeof ev.t !== 'number' || !Number.isFinite(ev.t)) return fail(n, `"t" must be a time in ms, got ${clipped(ev.t)}`, at('t'));
  if (simulated && !(ev.t >= 0 && ev.t <= LIMITS.duration.max)) return fail(n, `"t" must be from 0 to ${LIMITS.duration.max} ms (${showMs(LIMITS.duration.max)}: ${LIMITS.duration.why}), got ${clip(String(ev.t))}`, at('t'));
  if (ev.t < 0) return fail(n, `"t" must be from 0 (the trace's start), got ${clip(String(ev.t))}`, at('t'));
  if (typeof ev.kind !== 'string' || !KINDS.includes(ev.kind as TraceKind)) return fail(n, `"kind" must be one of ${KINDS.join(', ')}, got ${clipped(ev.kind)}`, at('kind'));
  const peerIndex = (key: string, v: unknown) => {
    if (!Number.isInteger(v) || (v as number) < -1 || (v as number) >= peerCount) {
      fail(n, `"${key}" must be -1 (the orderer) or the index of one of the header's ${peerCount} peers, got ${clipped(v)}`, at(key));
    }
  };
  peerIndex('peer', ev.peer);
  if (ev.other !== undefined) peerIndex('other', ev.other);
  for (const key of ['msg', 'parent'] as const) if (ev[key] !== undefined && !Number.isSafeInteger(ev[key])) fail(n, `"${key}" must be an integer, got ${clipped(ev[key])}`, at(key));
  for (const key of ['type', 'reason'] as const) if (ev[key] !== undefined && typeof ev[key] !== 'string') fail(n, `"${key}" must be a string, got ${clipped(ev[key])}`, at(key));
  if (ev.data !== undefined && (ev.data === null || typeof ev.data !== 'object' || Array.isArray(ev.data))) fail(n, `"data" must be an object, got ${clipped(ev.data)}`, at('data'));
  return ev as unknown as TraceEvent;
}

function parseLine(line: string, n: number, fail: (line: number, message: string) => never, what: string): unknown {
  if (jsonDepth(line) > MAX_JSON_DEPTH) return fail(n, `${what}: it nests more than ${MAX_JSON_DEPTH} deep`);
  try {
    return JSON.parse(line);
  } catch (e) {
    return fail(n, `${what}: ${(e as Error).message}`);
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** 1-based column of a key's value in a JSON line (1 when the key is not found as written). */
export function colOfValue(line: string, key: string): number {
  const m = new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:\\s*`).exec(line);
  return m === null ? 1 : m.index + m[0].length + 1;
}

/** 1-based column of a key in a JSON line (1 when the key is not found as written). */
export function colOfKey(line: string, key: string): number {
  const i = line.indexOf(JSON.stringify(key));
  return i < 0 ? 1 : i + 1;
}

export function clipped(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 28)}…(${s.length} characters)` : s;
}
