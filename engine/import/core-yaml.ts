/**
 * A peer's core.yaml: every `peer.gossip.*` key, and `peer.deliveryclient.blockGossipEnabled`
 * (which decides whether blocks are gossiped at all). Each key the simulator has is typed by
 * its default (a duration, a whole number or a boolean) and checked; an empty value means Fabric
 * uses its default; keys the simulator does not model are kept to be shown, not dropped.
 */
import { DURATION_KEYS, coreYamlDefaults, parseDuration } from '../fabric/config.js';
import type { Diagnostic } from '../scenario/diagnostics.js';
import type { Origin, YamlNode, YamlSource } from './yaml-source.js';

export interface CoreSetting {
  /** Path below peer.gossip (`election.startupGracePeriod`), or `deliveryclient.blockGossipEnabled`. */
  key: string;
  /** The value in the scenario's terms: ms for durations. */
  value: number | boolean;
  /** As written in the file (`5s`). */
  text: string;
  origin: Origin;
}

export interface CoreYaml {
  file: string;
  /** peer.id: which peer this file configures, when there is one per peer. */
  peerId?: string;
  settings: CoreSetting[];
  /** Keys written empty: Fabric uses its default. */
  empty: { key: string; origin: Origin }[];
  /** peer.gossip keys the simulator does not model (bootstrap, endpoint, ...). */
  unmodelled: { key: string; text: string; origin: Origin }[];
}

/** Largest whole-number setting accepted (buffer sizes, counts): larger is a typo, not a network. */
const MAX_COUNT = 1_000_000;
/** Longest duration accepted: a day. */
const MAX_DURATION_MS = 86_400_000;

export function readCoreYaml(src: YamlSource, problems: Diagnostic[]): CoreYaml {
  const out: CoreYaml = { file: src.file, settings: [], empty: [], unmodelled: [] };
  const peer = src.root.get('peer');
  const gossip = peer?.get('gossip');
  if (!gossip?.isMap()) {
    problems.push((gossip ?? peer ?? src.root).problem("core.yaml: no 'peer.gossip' section"));
    return out;
  }
  const id = peer!.get('id')?.text();
  if (id) out.peerId = id;
  walk(gossip, '', coreYamlDefaults().gossip as unknown as Record<string, unknown>, out, problems);
  const bge = peer!.path('deliveryclient.blockGossipEnabled');
  if (bge) leaf(bge, 'deliveryclient.blockGossipEnabled', false, false, out, problems);
  return out;
}

function walk(node: YamlNode, prefix: string, defaults: Record<string, unknown> | undefined, out: CoreYaml, problems: Diagnostic[]): void {
  for (const [k, v] of node.entries()) {
    const key = prefix ? `${prefix}.${k}` : k;
    const def = defaults?.[k];
    if (v.isMap()) {
      walk(v, key, def !== null && typeof def === 'object' ? (def as Record<string, unknown>) : undefined, out, problems);
    } else if (def === undefined || (def !== null && typeof def === 'object')) {
      out.unmodelled.push({ key, text: v.isSeq() ? `[${v.items().map((i) => i.text()).join(', ')}]` : (v.text() ?? ''), origin: v.origin });
    } else {
      leaf(v, key, def, DURATION_KEYS.has(key), out, problems);
    }
  }
}

function leaf(v: YamlNode, key: string, def: unknown, isDuration: boolean, out: CoreYaml, problems: Diagnostic[]): void {
  if (v.isEmpty()) return void out.empty.push({ key, origin: v.origin });
  const raw = v.scalar();
  const text = v.text() ?? '';
  if (isDuration) {
    const ms = parseDuration(text);
    if (ms === null || ms > MAX_DURATION_MS) {
      problems.push(v.problem(`core.yaml: peer.gossip.${key} must be a duration from 0s to 24h such as 5s or 1500ms, got '${text}'`));
      return;
    }
    out.settings.push({ key, value: ms, text, origin: v.origin });
  } else if (typeof def === 'boolean') {
    if (typeof raw !== 'boolean') return void problems.push(v.problem(`core.yaml: peer.${qualified(key)} must be true or false, got '${text}'`));
    out.settings.push({ key, value: raw, text, origin: v.origin });
  } else {
    const n = Number(raw);
    if (typeof raw !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_COUNT) {
      return void problems.push(v.problem(`core.yaml: peer.gossip.${key} must be a whole number from 0 to ${MAX_COUNT}, got '${text}'`));
    }
    out.settings.push({ key, value: n, text, origin: v.origin });
  }
}

function qualified(key: string): string {
  return key.startsWith('deliveryclient.') ? key : `gossip.${key}`;
}
