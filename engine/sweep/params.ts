/**
 * A sweep's parameters: `--set NAME=VALUES`, where VALUES is a range (`1..5`, integers, both
 * ends in) or a list (`10,20,50`, `2s,4s`), and how each value is written into the scenario.
 * NAME is a path into the scenario (`orderer.blocks`, `network.loss`, `gossip.state.enabled`),
 * a bare `peer.gossip.*` name (`propagatePeerNum` means `gossip.propagatePeerNum`), or `peers`:
 * the number of peers of every org. Each combination's scenario goes through the ordinary
 * loader, so every bound the schema states holds for swept values too.
 */
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { scenarioSchema } from '../scenario/load.js';
import { didYouMean } from '../scenario/diagnostics.js';
import type { SweepParam } from '../figures/types.js';

/** Bounds of a sweep. */
export const MAX_VALUES_PER_PARAM = 1000;
export const MAX_RUNS = 10_000;
export const MAX_SEEDS = 1000;

export class SweepArgError extends Error {}

// peer.gossip.* keys live in the schema's one definition (the network's, an org's and a peer's gossip: use it).
const GOSSIP_KEYS = Object.keys((scenarioSchema as unknown as { definitions: { gossip: { properties: Record<string, unknown> } } }).definitions.gossip.properties);
const TOP_KEYS = Object.keys((scenarioSchema as { properties: Record<string, unknown> }).properties);

function scalar(text: string): number | string | boolean {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** `NAME=VALUES` → the parameter (values in the order given). */
export function parseSet(arg: string): SweepParam {
  const eq = arg.indexOf('=');
  if (eq <= 0 || eq === arg.length - 1) throw new SweepArgError(`--set ${arg}: expected NAME=VALUES, such as propagatePeerNum=1..5 or peers=10,20,50`);
  const name = arg.slice(0, eq).trim();
  const text = arg.slice(eq + 1).trim();
  pathOf(name); // a clear error now for a name that cannot be set
  const range = /^(-?\d+)\.\.(-?\d+)$/.exec(text);
  let values: (number | string)[];
  if (range !== null) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    if (b < a) throw new SweepArgError(`--set ${arg}: the range ${a}..${b} is empty (the first end must not be above the second)`);
    if (b - a + 1 > MAX_VALUES_PER_PARAM) throw new SweepArgError(`--set ${arg}: ${b - a + 1} values, at most ${MAX_VALUES_PER_PARAM}`);
    values = Array.from({ length: b - a + 1 }, (_, i) => a + i);
  } else {
    const parts = text.split(',').map((s) => s.trim());
    if (parts.some((p) => p === '')) throw new SweepArgError(`--set ${arg}: an empty value in the list`);
    if (parts.length > MAX_VALUES_PER_PARAM) throw new SweepArgError(`--set ${arg}: ${parts.length} values, at most ${MAX_VALUES_PER_PARAM}`);
    if (new Set(parts).size !== parts.length) throw new SweepArgError(`--set ${arg}: a value is given twice`);
    values = parts.map((p) => {
      const v = scalar(p);
      return typeof v === 'boolean' ? String(v) : v;
    });
  }
  return { name, values };
}

/** Where a parameter goes in the scenario document ('peers' is every org's peer count). */
export function pathOf(name: string): string[] | 'peers' {
  if (name === 'peers') return 'peers';
  if (name === 'seed') throw new SweepArgError(`--set seed: seeds are swept with --seeds N`);
  const parts = name.split('.');
  if (parts.some((p) => p === '')) throw new SweepArgError(`--set ${name}: not a path`);
  if (parts.length === 1 && GOSSIP_KEYS.includes(name)) return ['gossip', name];
  if (!TOP_KEYS.includes(parts[0])) {
    throw new SweepArgError(`--set ${name}: not a scenario key or peer.gossip name${didYouMean(parts[0], [...TOP_KEYS, ...GOSSIP_KEYS, 'peers'])}`);
  }
  if (parts.length === 1) throw new SweepArgError(`--set ${name}: a whole section cannot be swept; name a key inside it (${name}.KEY)`);
  return parts;
}

/** The scenario text of one combination: the user's document with each value written in. */
export function applyValues(text: string, file: string, values: Record<string, number | string>): string {
  const doc: Document = parseDocument(text);
  if (doc.errors.length > 0) throw new SweepArgError(`${file}: ${doc.errors[0].message}`);
  for (const [name, raw] of Object.entries(values)) {
    const v = typeof raw === 'string' ? scalar(raw) : raw;
    const path = pathOf(name);
    if (path === 'peers') {
      const orgs = doc.get('orgs');
      if (!isSeq(orgs)) throw new SweepArgError(`--set peers: ${file} has no orgs: list`);
      orgs.items.forEach((o, i) => {
        if (!isMap(o)) throw new SweepArgError(`--set peers: orgs[${i}] of ${file} is not a mapping`);
        o.set('peers', v);
      });
    } else doc.setIn(path, v);
  }
  return doc.toString();
}

/** Every combination, the first parameter varying slowest. */
export function combinations(params: SweepParam[]): Record<string, number | string>[] {
  let out: Record<string, number | string>[] = [{}];
  for (const p of params) out = out.flatMap((c) => p.values.map((v) => ({ ...c, [p.name]: v })));
  return out;
}
