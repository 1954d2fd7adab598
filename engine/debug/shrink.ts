/**
 * The smallest failing schedule (`gossip-scope shrink`): from a scenario whose expectation or
 * invariant fails, remove faults and narrow their windows while it still fails the same way,
 * as property-based testers shrink an input. The engine is deterministic, so "still fails" is
 * a plain re-run; nothing is sampled.
 *
 * It works on the scenario's text (a YAML document), not on the parsed scenario: what it
 * writes is the user's file with fault entries taken out and times moved, comments and all.
 */
import { isMap, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseDuration } from '../fabric/config.js';
import { ScenarioError, loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { runChecked } from '../sim/expectations.js';
import { Simulation } from '../sim/simulation.js';
import { InvariantWatch, stopOnViolation } from './invariants.js';

/** What a failing run failed on: a candidate must fail on the same thing to count. */
export interface Failure {
  /** `invariant: <name>` or `expectation: <text>`: the first thing that broke. */
  key: string;
  /** Said to the user: when and why. */
  detail: string;
}

export interface ShrinkOptions {
  /** Re-runs allowed in all (each is a whole run of the scenario). */
  maxRuns?: number;
  /** Finest step a time is moved by, in ms. */
  resolutionMs?: number;
  /** Told after every run, e.g. for a progress line. */
  onRun?: (runs: number, kept: number) => void;
}

export interface ShrinkResult {
  text: string;
  failure: Failure;
  faultsBefore: number;
  faultsAfter: number;
  /** Faults whose time moved: `crash peer1.org1: at 20s → 41.5s`. */
  narrowed: string[];
  runs: number;
  /** True when maxRuns stopped it before it was done. */
  stoppedEarly: boolean;
}

export const MAX_RUNS_BOUND = 10_000;
const DEFAULT_MAX_RUNS = 400;

/** Runs a scenario as `run --check` does; the first failure, or null when it passes. */
export async function firstFailure(scenario: Scenario): Promise<Failure | null> {
  const sim = await Simulation.create(scenario, { traceCapacity: 1024 });
  const invariants = new InvariantWatch(sim);
  const results = runChecked(sim, scenario.run.until, undefined, stopOnViolation(invariants));
  const v = invariants.take()[0];
  if (v !== undefined) return { key: `invariant: ${v.invariant}`, detail: `at ${(v.event.t / 1000).toFixed(3)}s: ${v.detail}` };
  // A run stopped by nothing ends at run.until, so every expectation has its verdict.
  const failed = results.find((r) => r.status === 'failed');
  return failed === undefined ? null : { key: `expectation: ${failed.text}`, detail: failed.detail ?? 'not met' };
}

/** Time keys of one fault entry, and which way moving them makes its window narrower. */
interface TimeSlot {
  item: number;
  key: 'at' | 'until';
  /** +1: later is narrower (a fault that begins something); -1: earlier is (one that ends it). */
  dir: 1 | -1;
}

const ENDS_SOMETHING = ['heal', 'restart', 'resume'];

export async function shrink(text: string, file: string, opts: ShrinkOptions = {}): Promise<ShrinkResult> {
  const maxRuns = opts.maxRuns ?? DEFAULT_MAX_RUNS;
  const resolution = opts.resolutionMs ?? 100;
  const original = loadScenario(text, file);
  const failure = await firstFailure(original);
  if (failure === null) throw new ScenarioError([{ file, line: 1, col: 1, message: 'nothing to shrink: every expectation is met and no invariant breaks (gossip-scope run --check passes)' }]);
  const doc = parseDocument(text);
  const seq = doc.get('faults', true);
  const items = isSeq(seq) ? (seq as YAMLSeq).items : [];
  const until = original.run.until;

  // The state being shrunk: which entries are kept, and each entry's times.
  let kept = items.map((_, i) => i);
  const times = items.map((it) => ({ at: timeOf(it, 'at'), until: timeOf(it, 'until') }));
  let runs = 1;
  const stopped = () => runs >= maxRuns;

  const fails = async (keep: number[], t = times): Promise<boolean> => {
    if (stopped()) return false;
    runs++;
    let candidate: Scenario;
    try {
      candidate = loadScenario(render(text, doc, keep, t), file);
    } catch (e) {
      // A fault that only made sense with another (a restart without its crash may be refused).
      if (e instanceof ScenarioError) return false;
      throw e;
    }
    const f = await firstFailure(candidate);
    opts.onRun?.(runs, keep.length);
    return f !== null && f.key === failure.key;
  };

  kept = await ddmin(kept, fails);

  // Narrow each kept fault's times: later for what begins, earlier for what ends.
  const narrowed: string[] = [];
  const slots: TimeSlot[] = kept.flatMap((i) => {
    const key = faultKind(items[i]);
    const s: TimeSlot[] = [{ item: i, key: 'at', dir: ENDS_SOMETHING.includes(key) ? -1 : 1 }];
    if (times[i].until !== null) s.push({ item: i, key: 'until', dir: -1 });
    return s;
  });
  // An ending fault moves no earlier than what it ends (the latest beginning before it).
  const latestStartBefore = (t: number) =>
    Math.max(-resolution, ...kept.filter((i) => !ENDS_SOMETHING.includes(faultKind(items[i])) && (times[i].at ?? Infinity) <= t).map((i) => times[i].at!));
  for (const slot of slots) {
    const from = times[slot.item][slot.key];
    if (from === null) continue;
    // The far end a time may move to: its own other end for a window, else the run's ends.
    const own = times[slot.item];
    const limit = slot.dir === 1 ? (own.until !== null ? own.until - resolution : until) : slot.key === 'until' ? (own.at ?? 0) + resolution : latestStartBefore(from) + resolution;
    const best = await furthest(from, limit, resolution, async (t) => {
      const trial = times.map((x, i) => (i === slot.item ? { ...x, [slot.key]: t } : x));
      return fails(kept, trial);
    });
    if (best !== from) {
      times[slot.item] = { ...times[slot.item], [slot.key]: best };
      narrowed.push(`${describe(items[slot.item])}: ${slot.key} ${fmt(from)} → ${fmt(best)}`);
    }
  }

  const out = render(text, doc, kept, times);
  return { text: out, failure, faultsBefore: items.length, faultsAfter: kept.length, narrowed, runs, stoppedEarly: stopped() };
}

/**
 * Zeller's delta debugging: the smallest subset (1-minimal: removing any one entry makes the
 * failure go) of `all` for which `fails` still holds, trying large removals first.
 */
export async function ddmin<T>(all: T[], test: (subset: T[]) => Promise<boolean>): Promise<T[]> {
  // Delta debugging asks about some subsets more than once: each is run once.
  const seen = new Map<string, boolean>();
  const fails = async (subset: T[]): Promise<boolean> => {
    const key = subset.map((x) => all.indexOf(x)).join(',');
    if (!seen.has(key)) seen.set(key, await test(subset));
    return seen.get(key)!;
  };
  let current = all;
  let n = 2;
  while (current.length >= 1) {
    if (current.length === 1) {
      if (await fails([])) return [];
      return current;
    }
    const size = Math.ceil(current.length / n);
    const chunks: T[][] = [];
    for (let i = 0; i < current.length; i += size) chunks.push(current.slice(i, i + size));
    let reduced = false;
    for (const chunk of chunks) {
      if (await fails(chunk)) {
        current = chunk;
        n = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      for (const chunk of chunks) {
        const complement = current.filter((x) => !chunk.includes(x));
        if (await fails(complement)) {
          current = complement;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (n >= current.length) return current;
      n = Math.min(current.length, 2 * n);
    }
  }
  return current;
}

/**
 * The furthest time from `from` toward `limit` (in steps of at least `resolution`) at which the
 * run still fails, by bisection. Failure need not be monotonic in time: every answer is one
 * that was run and failed, so the result is correct, if perhaps not the furthest possible.
 */
async function furthest(from: number, limit: number, resolution: number, fails: (t: number) => Promise<boolean>): Promise<number> {
  const dir = Math.sign(limit - from);
  if (dir === 0 || Math.abs(limit - from) < resolution) return from;
  if (await fails(limit)) return limit;
  let good = from;
  let bad = limit;
  while (Math.abs(bad - good) > resolution) {
    const mid = Math.round((good + bad) / 2 / resolution) * resolution;
    if (mid === good || mid === bad) break;
    if (await fails(mid)) good = mid;
    else bad = mid;
  }
  return good;
}

function timeOf(item: unknown, key: 'at' | 'until'): number | null {
  if (!isMap(item)) return null;
  const v = (item as YAMLMap).get(key);
  return typeof v === 'string' ? parseDuration(v) : null;
}

function faultKind(item: unknown): string {
  if (!isMap(item)) return '?';
  const keys = (item as YAMLMap).items.map((p) => String((p.key as { value?: unknown })?.value ?? p.key));
  return keys.find((k) => k !== 'at' && k !== 'until') ?? '?';
}

function describe(item: unknown): string {
  const kind = faultKind(item);
  const v = isMap(item) ? (item as YAMLMap).get(kind) : undefined;
  return typeof v === 'string' ? `${kind} ${v}` : kind;
}

/** A duration as a scenario writes it: 41.5s, 250ms. */
export function fmt(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(3))}s`;
  return `${Number(ms.toFixed(3))}ms`;
}

/**
 * The scenario with only the `keep` fault entries, their times as in `times`: edits of the
 * user's own text (whole lines taken out, time values replaced), so the diff shows only what
 * shrinking changed. A flow-style `faults: [...]`, or none kept, goes through the YAML printer.
 */
function render(text: string, doc: Document, keep: number[], times: { at: number | null; until: number | null }[]): string {
  const seq = doc.get('faults', true) as YAMLSeq | undefined;
  if (!seq || !isSeq(seq)) return text;
  if (seq.flow === true || keep.length === 0) return reprint(doc, keep, times);
  const edits: { from: number; to: number; put: string }[] = [];
  const lineStart = (at: number) => text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = (at: number) => {
    const n = text.indexOf('\n', at);
    return n < 0 ? text.length : n + 1;
  };
  seq.items.forEach((item, i) => {
    const range = (item as { range?: [number, number, number] }).range;
    if (!range) return;
    if (!keep.includes(i)) {
      edits.push({ from: lineStart(range[0]), to: lineEnd(Math.max(range[0], range[1] - 1)), put: '' });
      return;
    }
    if (!isMap(item)) return;
    for (const key of ['at', 'until'] as const) {
      const t = times[i][key];
      const node = (item as YAMLMap).get(key, true) as { range?: [number, number, number] } | undefined;
      if (t !== null && timeOf(item, key) !== t && node?.range) edits.push({ from: node.range[0], to: node.range[1], put: fmt(t) });
    }
  });
  let out = text;
  for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.put + out.slice(e.to);
  return out;
}

function reprint(doc: Document, keep: number[], times: { at: number | null; until: number | null }[]): string {
  const copy = doc.clone();
  const seq = copy.get('faults', true) as YAMLSeq | undefined;
  if (seq && isSeq(seq)) {
    const all = seq.items;
    seq.items = keep.map((i) => {
      const item = all[i];
      if (isMap(item)) {
        for (const key of ['at', 'until'] as const) {
          const t = times[i][key];
          if (t !== null && timeOf(item, key) !== t) (item as YAMLMap).set(key, fmt(t));
        }
      }
      return item;
    });
  }
  return copy.toString();
}
