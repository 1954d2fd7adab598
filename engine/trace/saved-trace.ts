/**
 * A saved trace read back for replay, checked before anything runs: the file is bounded like a
 * scenario (size, encoding), its header by the same limits as a scenario (its scenario text is
 * loaded as one, its end and event count by the run bounds), its UI faults one by one, and every
 * event line parsed, numbered in order and counted against the header. What the replay must then
 * reproduce is every one of those lines (ReplayCheck), so a change anywhere is named by its line.
 */
import type { FaultRequest } from '../../extension/protocol.js';
import { LIMITS, showMs } from '../scenario/bounds.js';
import { ScenarioError, loadScenario } from '../scenario/load.js';
import { readCheckedTrace } from './read-trace.js';
import { runCostProblem } from '../scenario/run-cost.js';
import { BYZANTINE_BEHAVIOURS } from '../scenario/types.js';
import { MESSAGE_TYPES } from '../fabric/message-types.js';

export { READABLE_TRACE_VERSIONS, linesHash } from './read-trace.js';

export interface SavedFault {
  at: number;
  afterEvents: number;
  fault: FaultRequest;
}

/** What a replay must reproduce: the recorded end, count and hash, and the saved event lines. */
export interface ReplayExpectation {
  faults: SavedFault[];
  until: number;
  events: number;
  traceHash: string;
  /** The event lines as saved, and the id of the first (earlier ones were no longer in memory at export). */
  lines: string[];
  firstId: number;
  /** File line number of lines[0]. */
  firstLine: number;
  /** The file's name, for messages. */
  path: string;
  /** The Gossip Scope version that saved it, when the header says. */
  savedBy?: string;
  /** Whether the event lines still hash to what the header recorded at export (undefined: not recorded). */
  linesIntact?: boolean;
}

export interface SavedTrace {
  file: string;
  scenarioText: string;
  replay: ReplayExpectation;
}

/** Reads and checks a saved trace; throws ScenarioError (file:line:col) for anything it cannot replay. */
export function readSavedTrace(path: string): SavedTrace {
  const fail = (line: number, message: string, col = 1): never => {
    throw new ScenarioError([{ file: path, line, col, message }]);
  };
  // The checks every reader makes (read-trace.ts); the event lines' hash is left to the replay,
  // which names the first line that differs.
  // What cannot be replayed at all is said from the header, before the event lines are read.
  const replayable = (h: Record<string, unknown>) => {
    if (h.live === true) return fail(1, 'this trace was recorded from a live network (real processes on the wall clock): it can be read, not replayed');
    if (typeof h.scenarioText !== 'string' || typeof h.traceHash !== 'string' || typeof h.simTime !== 'number' || typeof h.events !== 'number') {
      return fail(1, 'this trace was saved without its scenario (exported by the CLI or an older version): it can be read, not replayed');
    }
  };
  const checked = readCheckedTrace(path, { verifyHash: false, onHeader: replayable });
  const h = checked.header as Record<string, unknown> & { scenarioText: string; traceHash: string; simTime: number; events: number };
  const lines = checked.lines;
  const peers = new Set(checked.peers);
  // The header is bounded like a scenario: its end, its count, its hash, and its scenario itself.
  const simTime = h.simTime;
  if (!Number.isFinite(simTime) || simTime < 0 || simTime > LIMITS.duration.max) {
    return fail(1, `the header's simTime must be between 0 and ${LIMITS.duration.max} ms (${showMs(LIMITS.duration.max)}: ${LIMITS.duration.why}), got ${clipped(simTime)}`);
  }
  if (!Number.isInteger(h.events) || h.events < 0 || h.events > LIMITS.events.max) {
    return fail(1, `the header's events must be an integer between 0 and ${LIMITS.events.max.toLocaleString('en-US')}, got ${clipped(h.events)}`);
  }
  const events = h.events;
  if (!/^[0-9a-f]{64}$/.test(h.traceHash)) return fail(1, `the header's traceHash must be 64 hex digits (SHA-256), got ${clipped(h.traceHash)}`);
  const file = typeof h.file === 'string' && h.file.length <= 4096 ? h.file : path;
  let scenario;
  try {
    scenario = loadScenario(h.scenarioText, file);
  } catch (e) {
    const d = (e as ScenarioError).diagnostics?.[0];
    return fail(1, `the scenario saved in the header is refused: ${d ? `${d.file}:${d.line}:${d.col}: ${d.message}` : (e as Error).message}`);
  }
  const cost = runCostProblem(scenario, simTime);
  if (cost !== undefined) return fail(1, `the header's simTime ${simTime} ms is refused: ${cost}`);
  const faults = checkFaults(h.faults, peers, simTime, events, (m) => fail(1, m));

  const firstId = lines.length === 0 ? events + 1 : (JSON.parse(lines[0]) as { id: number }).id;
  return {
    file,
    scenarioText: h.scenarioText,
    replay: {
      faults,
      until: simTime,
      events,
      traceHash: h.traceHash,
      lines,
      firstId,
      firstLine: 2,
      path,
      savedBy: typeof h.gossipScope === 'string' ? h.gossipScope : undefined,
      linesIntact: checked.linesIntact,
    },
  };
}

function clipped(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 28)}…(${s.length} characters)` : s;
}

const BEHAVIOURS: readonly string[] = BYZANTINE_BEHAVIOURS;

/** The header's UI faults, each checked now rather than found wrong at the end of the replay. */
function checkFaults(raw: unknown, peers: Set<string>, simTime: number, events: number, fail: (m: string) => never): SavedFault[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return fail(`the header's faults must be a list, got ${clipped(raw)}`);
  if (raw.length > LIMITS.listItems.max) return fail(`the header has ${raw.length} faults; at most ${LIMITS.listItems.max}`);
  let prev = 0;
  return raw.map((entry, i) => {
    const bad = (why: string): never => fail(`the header's faults[${i}] ${why}`);
    if (entry === null || typeof entry !== 'object') return bad('must be {at, afterEvents, fault}');
    const { at, afterEvents, fault } = entry as Record<string, unknown>;
    if (typeof at !== 'number' || !(at >= 0 && at <= simTime)) return bad(`at must be a time between 0 and the trace's end (${simTime} ms), got ${clipped(at)}`);
    if (typeof afterEvents !== 'number' || !Number.isInteger(afterEvents) || afterEvents < prev || afterEvents > events) {
      return bad(`afterEvents must be an integer between ${prev} and ${events} (in order), got ${clipped(afterEvents)}`);
    }
    prev = afterEvents;
    const problem = faultProblem(fault, peers);
    if (problem !== undefined) return bad(`fault ${problem}`);
    return { at, afterEvents, fault: fault as FaultRequest };
  });
}

/** What is wrong with a UI fault request (of extension/protocol.ts), or undefined. */
export function faultProblem(f: unknown, peers: Set<string>): string | undefined {
  if (f === null || typeof f !== 'object') return 'must be a mapping with a kind';
  const r = f as Record<string, unknown>;
  const peer = (v: unknown, what = 'peer') => (typeof v === 'string' && peers.has(v) ? undefined : `${what} ${clipped(v)} is not a peer of this trace`);
  const peerOrNull = (v: unknown, what: string) => (v === null ? undefined : peer(v, what));
  const share = (v: unknown, what: string) => (typeof v === 'number' && v >= 0 && v <= 1 ? undefined : `${what} must be a number between 0 and 1, got ${clipped(v)}`);
  const time = (v: unknown, what: string) => (typeof v === 'number' && v >= 0 && v <= LIMITS.duration.max ? undefined : `${what} must be between 0 and ${LIMITS.duration.max} ms, got ${clipped(v)}`);
  switch (r.kind) {
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
      return peer(r.peer);
    case 'heal':
      return undefined;
    case 'partition': {
      if (!Array.isArray(r.groups) || r.groups.length > LIMITS.peers.max || !r.groups.every((g) => Array.isArray(g))) return 'groups must be a list of lists of peers';
      for (const g of r.groups as unknown[][]) for (const p of g) if (typeof p !== 'string' || p.length > 200) return `groups: ${clipped(p)} is not a peer, an MSP ID or 'orderer'`;
      return undefined;
    }
    case 'link': {
      const b = r.between;
      if (!Array.isArray(b) || b.length !== 2) return 'between must name two peers';
      return peer(b[0], 'between') ?? peer(b[1], 'between') ?? share(r.loss, 'loss') ?? time(r.delay, 'delay') ?? time(r.forMs, 'forMs');
    }
    case 'tamper': {
      const t = r.rule as Record<string, unknown> | null;
      if (t === null || typeof t !== 'object') return 'rule must be a mapping';
      if (t.mode !== 'flip' && t.mode !== 'strip-signature') return `rule.mode must be 'flip' or 'strip-signature', got ${clipped(t.mode)}`;
      if (!Number.isInteger(t.count) || (t.count as number) < 1 || (t.count as number) > LIMITS.tamperCount.max) return `rule.count must be an integer between 1 and ${LIMITS.tamperCount.max}, got ${clipped(t.count)}`;
      if (t.type !== null && !MESSAGE_TYPES.includes(t.type as string)) return `rule.type ${clipped(t.type)} is not a Fabric message type`;
      return peer(t.from, 'rule.from') ?? peerOrNull(t.to, 'rule.to');
    }
    case 'hand':
      if (!['next', 'drop', 'duplicate', 'delay'].includes(r.op as string)) return `op ${clipped(r.op)} is not one of next, drop, duplicate, delay`;
      if (!Number.isSafeInteger(r.event)) return `event must be an integer (a waiting event's number), got ${clipped(r.event)}`;
      return time(r.ms, 'ms');
    case 'byzantine':
      if (!BEHAVIOURS.includes(r.behaviour as string)) return `behaviour ${clipped(r.behaviour)} is not one of ${BEHAVIOURS.join(', ')}`;
      if (r.channel !== null && typeof r.channel !== 'string') return `channel must be a channel name or null, got ${clipped(r.channel)}`;
      return peer(r.peer) ?? peerOrNull(r.target, 'target');
    default:
      return `kind ${clipped(r.kind)} is not a fault Gossip Scope knows`;
  }
}
