/**
 * A docker compose file's peers and their CORE_PEER_* environment, as fabric-samples' test
 * network configures each peer (CORE_PEER_ID, CORE_PEER_GOSSIP_BOOTSTRAP,
 * CORE_PEER_GOSSIP_EXTERNALENDPOINT, ...). Fabric's viper reads CORE_<PATH> with the dots of
 * a core.yaml key as underscores, case-insensitively, and prefers it to core.yaml's value.
 */
import { isScalar } from 'yaml';
import type { Diagnostic } from '../scenario/diagnostics.js';
import type { Origin, YamlNode, YamlSource } from './yaml-source.js';

export interface ComposeSetting {
  /** The variable: CORE_PEER_GOSSIP_ALIVETIMEINTERVAL. */
  name: string;
  value: string;
  origin: Origin;
}

export interface ComposePeer {
  service: string;
  /** CORE_PEER_ID: peer0.org1.example.com. */
  peerId: string;
  env: ComposeSetting[];
}

/** True when the file has a service with CORE_PEER_ variables: a peer's compose file. */
export function isCompose(src: YamlSource): boolean {
  return src.root.get('services')?.entries().some(([, s]) => environment(s).some((e) => e.name.startsWith('CORE_PEER_'))) ?? false;
}

export function readCompose(src: YamlSource, problems: Diagnostic[]): ComposePeer[] {
  const out: ComposePeer[] = [];
  for (const [service, s] of src.root.get('services')?.entries() ?? []) {
    const env = environment(s);
    const id = env.find((e) => e.name === 'CORE_PEER_ID');
    if (!env.some((e) => e.name.startsWith('CORE_PEER_'))) continue;
    if (!id) {
      problems.push(s.problem(`compose: service ${service} sets CORE_PEER_ variables but no CORE_PEER_ID, so it cannot be matched with a peer of crypto-config.yaml`));
      continue;
    }
    out.push({ service, peerId: id.value, env: env.filter((e) => e.name.startsWith('CORE_PEER_')) });
  }
  return out;
}

/** `environment:` as a list of `NAME=value` or a mapping of NAME: value. */
export function environment(service: YamlNode): ComposeSetting[] {
  const env = service.get('environment');
  if (!env) return [];
  if (env.isMap()) return env.entries().map(([name, v]) => ({ name, value: v.text() ?? '', origin: v.origin }));
  const out: ComposeSetting[] = [];
  for (const item of env.items()) {
    const text = item.text();
    if (text === undefined || !isScalar(item.src.deref(item.node))) continue;
    const eq = text.indexOf('=');
    if (eq <= 0) continue;
    const o = item.origin;
    // The value's own column: after `NAME=` (plain list items start at the name).
    out.push({ name: text.slice(0, eq), value: text.slice(eq + 1), origin: { ...o, col: o.col + eq + 1 } });
  }
  return out;
}
