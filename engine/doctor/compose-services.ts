/**
 * The peers of a docker compose file as the doctor needs them: beyond what the import reads
 * (CORE_PEER_* with their positions), the names that reach the container on the compose network
 * (service, container_name, hostname), its published ports, and where its `environment:` is
 * written, so a missing variable's finding sits there and a Quick Fix can add the line.
 */
import { environment, type ComposeSetting } from '../import/compose.js';
import type { Origin, YamlSource } from '../import/yaml-source.js';

export interface PortMapping {
  /** The host's port (`7051` of `7051:7051`); undefined when docker picks one. */
  host?: number;
  container: number;
  origin: Origin;
}

export interface Volume {
  host: string;
  container: string;
}

export interface ComposeService {
  service: string;
  /** Where the service's key is written. */
  at: Origin;
  env: ComposeSetting[];
  /** Names other containers on the compose network reach this one by. */
  names: string[];
  ports: PortMapping[];
  /** Bind mounts (HOST:CONTAINER) as written; HOST is relative to the compose project's folder. */
  volumes: Volume[];
  /** The `environment:` key, and how its entries are written (for inserting one more). */
  environment: { at: Origin; style: 'list' | 'map'; lastLine: number };
}

export function readComposeServices(src: YamlSource): ComposeService[] {
  const out: ComposeService[] = [];
  for (const [service, s] of src.root.get('services')?.entries() ?? []) {
    const env = environment(s);
    if (!env.some((e) => e.name === 'CORE_PEER_ID')) continue;
    const envNode = s.get('environment')!;
    const items = envNode.isMap() ? envNode.entries().map(([, v]) => v) : envNode.items();
    const lastLine = Math.max(envNode.keyOrigin.line, ...items.map((i) => i.origin.line));
    const names = [service, s.get('container_name')?.text(), s.get('hostname')?.text()].filter((n): n is string => !!n);
    out.push({
      service,
      at: s.keyOrigin,
      env,
      names: [...new Set(names)],
      ports: ports(s.get('ports')),
      volumes: volumesOf(src, service),
      environment: { at: envNode.keyOrigin, style: envNode.isMap() ? 'map' : 'list', lastLine },
    });
  }
  return out;
}

/** `ports:` short syntax (`7051:7051`, `127.0.0.1:7051:7051/tcp`, `7051`) and long syntax (target, published). */
function ports(node: ReturnType<YamlSource['root']['get']>): PortMapping[] {
  const out: PortMapping[] = [];
  for (const item of node?.items() ?? []) {
    if (item.isMap()) {
      const container = Number(item.get('target')?.text());
      const published = item.get('published')?.text();
      if (Number.isInteger(container)) out.push({ container, host: published && /^\d+$/.test(published) ? Number(published) : undefined, origin: item.origin });
      continue;
    }
    const text = (item.text() ?? '').replace(/\/(tcp|udp)$/, '');
    const parts = text.split(':');
    const container = Number(parts[parts.length - 1]);
    const host = parts.length >= 2 ? Number(parts[parts.length - 2]) : undefined;
    // A range (7051-7053:7051-7053) is left out: peers publish single ports.
    if (Number.isInteger(container)) out.push({ container, host: host !== undefined && Number.isInteger(host) ? host : undefined, origin: item.origin });
  }
  return out;
}

/** A service's bind mounts in a compose file (short syntax `./docker/peercfg:/etc/hyperledger/peercfg[:ro]`, or long syntax). */
export function volumesOf(src: YamlSource, service: string): Volume[] {
  const out: Volume[] = [];
  for (const v of src.root.get('services')?.get(service)?.get('volumes')?.items() ?? []) {
    if (v.isMap()) {
      const host = v.get('source')?.text();
      const container = v.get('target')?.text();
      if (host && container) out.push({ host, container });
      continue;
    }
    const [host, container] = (v.text() ?? '').split(':');
    // A named volume (peer0.org1.example.com:/var/hyperledger/production) is no folder of these files.
    if (host && container && /^(\.|\/|~|\$)/.test(host)) out.push({ host, container });
  }
  return out;
}
