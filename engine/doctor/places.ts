/** Where a peer's setting is written, or where it belongs when it is missing. */
import type { Origin } from '../import/yaml-source.js';
import { envName, type DoctorPeer, type Endpoint } from './network-model.js';

/**
 * The setting's value; missing: the compose service's `environment:` key, else the core.yaml
 * section it goes in. `perPeer`: a compose peer whose value comes from the core.yaml all peers
 * share is pointed at its own environment, where the fix for that one peer goes.
 */
export function settingPlace(p: DoctorPeer, key: string, perPeer = false): Origin {
  const s = p.settings.get(key);
  if (s && !(perPeer && p.compose && s.from !== 'environment')) return s.origin;
  if (p.compose) return p.compose.environment.at;
  const parent = p.core?.root.path(key.split('.').slice(0, -1).join('.'));
  return parent ? parent.keyOrigin : p.at;
}

/** How to say the fix for one peer: the compose variable, or the core.yaml key. */
export function keyName(p: DoctorPeer, key: string): string {
  return p.compose ? `${envName(key)} in service ${p.compose.service}'s environment` : `${key} in ${p.core?.file ?? 'core.yaml'}`;
}

export function keyAssignment(p: DoctorPeer, key: string, value: string): string {
  return p.compose ? `${envName(key)}=${value} in service ${p.compose.service}'s environment` : `${key.split('.').pop()}: ${value} (${key}) in ${p.core?.file ?? 'core.yaml'}`;
}

/** The column of an endpoint's port, where it is written. */
export function portPlace(ep: Endpoint): Origin {
  return { ...ep.origin, col: ep.origin.col + ep.text.lastIndexOf(':') + 1 };
}
