/**
 * The network as written: each peer with the settings Fabric's viper would give it (a compose
 * service's CORE_PEER_* over its core.yaml, as `CORE_` + the key's path upper-cased with dots
 * as underscores), each value with the file:line:col it came from; the channel orgs of
 * configtx.yaml with their anchor peers. Rules read this, never the files.
 */
import { readConfigtx, type AnchorPeer } from '../import/configtx.js';
import { dirname, resolve } from 'node:path';
import type { Origin, YamlSource } from '../import/yaml-source.js';
import type { Diagnostic } from '../scenario/diagnostics.js';
import { readComposeServices, volumesOf, type ComposeService, type PortMapping } from './compose-services.js';
import { DoctorInputError, type DoctorFiles } from './inputs.js';

/** A setting's value as one place writes it. */
export interface Setting {
  /** core.yaml path: peer.gossip.externalEndpoint. */
  key: string;
  text: string;
  origin: Origin;
  /** The compose variable, or the core.yaml file it came from. */
  from: 'environment' | 'core.yaml';
}

export interface Endpoint {
  host: string;
  port: number;
  /** As written: peer0.org1.example.com:7051. */
  text: string;
  origin: Origin;
}

/** A bootstrap entry as written, which may not even be host:port. */
export interface BootstrapEntry {
  text: string;
  origin: Origin;
  endpoint?: Endpoint;
}

export interface DoctorPeer {
  /** CORE_PEER_ID / peer.id: peer0.org1.example.com. */
  id: string;
  /** Where the peer is defined: its compose service's key, or its core.yaml's peer.id. */
  at: Origin;
  compose?: ComposeService;
  /** The core.yaml its settings fall back to; undefined when that is not known (see coreKnown). */
  core?: YamlSource;
  /** false: which core.yaml the peer reads is unknown, so a key its environment leaves out is unknown too. */
  coreKnown: boolean;
  /** CORE_PEER_LOCALMSPID / peer.localMspId. */
  mspId?: string;
  /** Host names that reach this peer's container directly (compose service, container_name, hostname). */
  names: string[];
  ports: PortMapping[];
  /** The port the peer's gRPC server (and so gossip) listens on: peer.listenAddress's, else peer.address's. */
  listenPort?: number;
  listenFrom?: Setting;
  address?: Endpoint;
  /** peer.gossip.endpoint, else peer.address: what peers of its own org dial. */
  internal?: Endpoint;
  external?: Endpoint;
  bootstrap: BootstrapEntry[];
  settings: Map<string, Setting>;
}

export interface DoctorOrg {
  mspId: string;
  name: string;
  /** Where ID is written. */
  at: Origin;
  anchors: AnchorPeer[];
}

export interface DoctorChannel {
  profile: string;
  at: Origin;
  orgs: string[];
  /** OrdererType BFT: Fabric v3 never gossips blocks on it (deliveryclient.go: "Block gossip is deprecated since in v2.2 and is no longer supported in v3.x"). */
  bft: boolean;
}

export interface DoctorNetwork {
  peers: DoctorPeer[];
  orgs: DoctorOrg[];
  channels: DoctorChannel[];
  texts: Map<string, string>;
  notes: string[];
}

/** The keys rules read. */
export const KEYS = [
  'peer.id',
  'peer.localMspId',
  'peer.address',
  'peer.listenAddress',
  'peer.gossip.endpoint',
  'peer.gossip.externalEndpoint',
  'peer.gossip.bootstrap',
  'peer.gossip.useLeaderElection',
  'peer.gossip.orgLeader',
  'peer.gossip.state.enabled',
  'peer.deliveryclient.blockGossipEnabled',
] as const;

/** Fabric's environment variable for a core.yaml key (viper: prefix CORE, dots as underscores). */
export function envName(key: string): string {
  return `CORE_${key.replace(/\./g, '_').toUpperCase()}`;
}

export function parseEndpoint(text: string, origin: Origin): Endpoint | undefined {
  const m = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[2]);
  return port >= 1 && port <= 65535 ? { host: m[1], port, text: text.trim(), origin } : undefined;
}

export function buildNetwork(files: DoctorFiles): DoctorNetwork {
  const notes = [...files.notes];
  const problems: Diagnostic[] = [];
  const cores = files.sources.filter((s) => s.kind === 'core').map((s) => s.src);
  const services = files.sources.filter((s) => s.kind === 'compose').flatMap((s) => readComposeServices(s.src));
  // Not every service of a compose file is checked: one without CORE_PEER_ID is no peer.

  const peers: DoctorPeer[] = [];
  const add = (p: DoctorPeer) => {
    const seen = peers.find((q) => q.id === p.id);
    if (!seen) return void peers.push(p);
    notes.push(`${p.id} is configured twice (${seen.at.file}:${seen.at.line} and ${p.at.file}:${p.at.line}): the first is checked; give the files of the network you run`);
  };
  if (services.length > 0) {
    for (const c of services) {
      const id = c.env.find((e) => e.name === 'CORE_PEER_ID')!;
      const { core, why } = coreFor(c, id.value, cores, files.overlays);
      if (why) notes.push(why);
      add(makePeer(id.value, c.at, files.texts, core, c));
    }
  } else {
    for (const core of cores) {
      const idNode = core.root.path('peer.id');
      add(makePeer(idNode?.text() || core.file, idNode?.origin ?? { file: core.file, line: 1, col: 1 }, files.texts, core, undefined));
    }
  }
  if (files.sources.some((s) => s.kind === 'crypto')) notes.push("crypto-config.yaml names the peers cryptogen makes certificates for; the doctor checks the peers that compose services (CORE_PEER_ID) or core.yaml files (peer.id) configure");

  const orgs: DoctorOrg[] = [];
  const channels: DoctorChannel[] = [];
  for (const s of files.sources.filter((x) => x.kind === 'configtx')) {
    const tx = readConfigtx(s.src, []);
    for (const o of tx.orgs) {
      if (orgs.some((x) => x.mspId === o.mspId)) continue;
      orgs.push({ mspId: o.mspId, name: o.name, at: o.mspIdOrigin, anchors: o.anchorPeers });
    }
    for (const ch of tx.channels) {
      const type = s.src.root.path(`Profiles.${ch.profile}.Orderer.OrdererType`)?.text();
      channels.push({ profile: ch.profile, at: ch.origin, orgs: [...new Set(ch.orgs.map((o) => o.mspId))], bft: type === 'BFT' });
    }
  }

  if (peers.length === 0) {
    const given = [...files.sources.map((s) => `${s.src.file} (${s.kind})`), ...files.overlays.map((o) => `${o.file} (a compose file without CORE_PEER_ID services)`)];
    const skipped = files.notes.length > 0 ? `; ${files.notes.join('; ')}` : '';
    problems.push({
      file: files.read[0] ?? '<no files>',
      line: 1,
      col: 1,
      message: `no peer to check in ${files.read.join(', ')}: give the compose file whose services set CORE_PEER_ID, or one core.yaml per peer with peer.id (read: ${given.join(', ') || 'no Fabric configuration'}${skipped})`,
    });
  }
  if (problems.length > 0) throw new DoctorInputError(problems);
  return { peers, orgs, channels, texts: files.texts, notes };
}

function makePeer(id: string, at: Origin, texts: Map<string, string>, core: YamlSource | undefined, compose: ComposeService | undefined): DoctorPeer {
  const settings = new Map<string, Setting>();
  for (const key of KEYS) {
    const env = compose?.env.find((e) => e.name === envName(key));
    if (env) {
      settings.set(key, { key, text: env.value.trim(), origin: env.origin, from: 'environment' });
      continue;
    }
    const node = core?.root.path(key);
    if (!node) continue;
    const text = node.isSeq() ? node.items().map((i) => i.text() ?? '').join(' ') : (node.text() ?? '');
    settings.set(key, { key, text, origin: node.isEmpty() ? node.keyOrigin : node.origin, from: 'core.yaml' });
  }
  const endpoint = (key: string): Endpoint | undefined => {
    const s = settings.get(key);
    return s && s.text !== '' ? parseEndpoint(s.text, s.origin) : undefined;
  };
  const address = endpoint('peer.address');
  const listen = settings.get('peer.listenAddress');
  const listenPort = parseEndpoint(listen?.text ?? '', at)?.port ?? address?.port;
  const names = compose ? [...compose.names] : [];
  if (compose && !names.includes(id)) names.push(id);
  return {
    id,
    at,
    compose,
    core,
    coreKnown: core !== undefined,
    mspId: settings.get('peer.localMspId')?.text || undefined,
    names,
    ports: compose?.ports ?? [],
    listenPort,
    listenFrom: listen?.text ? listen : settings.get('peer.address'),
    address,
    internal: endpoint('peer.gossip.endpoint') ?? address,
    external: endpoint('peer.gossip.externalEndpoint'),
    bootstrap: bootstrapEntries(settings.get('peer.gossip.bootstrap'), core, texts),
    settings,
  };
}

/**
 * viper.GetStringSlice: a YAML list item by item, a string split on white space (not on commas:
 * `a:7051,b:7051` is one entry, which is no endpoint). Each entry keeps its own column.
 */
function bootstrapEntries(s: Setting | undefined, core: YamlSource | undefined, texts: Map<string, string>): BootstrapEntry[] {
  if (!s || s.text === '') return [];
  const node = s.from === 'core.yaml' ? core?.root.path('peer.gossip.bootstrap') : undefined;
  if (node?.isSeq()) {
    return node.items().map((i) => ({ text: i.text() ?? '', origin: i.origin, endpoint: parseEndpoint(i.text() ?? '', i.origin) }));
  }
  const line = texts.get(s.origin.file)?.split('\n')[s.origin.line - 1] ?? '';
  const out: BootstrapEntry[] = [];
  let from = s.origin.col - 1;
  for (const text of s.text.split(/\s+/).filter(Boolean)) {
    const at = line.indexOf(text, from);
    const origin = at >= 0 ? { ...s.origin, col: at + 1 } : s.origin;
    if (at >= 0) from = at + text.length;
    out.push({ text, origin, endpoint: parseEndpoint(text, origin) });
  }
  return out;
}

/** A boolean setting as Fabric reads it (viper.GetBool: true, 1, t, TRUE ...), with Fabric's code default. */
export function boolSetting(p: DoctorPeer, key: string, codeDefault: boolean): { value: boolean; setting?: Setting } {
  const s = p.settings.get(key);
  if (!s || s.text === '') return { value: codeDefault, setting: s };
  return { value: /^(1|t|true)$/i.test(s.text), setting: s };
}

/** Whether a peer's value of `key` is known: written in its environment, or its core.yaml is known. */
export function isKnown(p: DoctorPeer, key: string): boolean {
  return p.settings.has(key) || p.coreKnown;
}

/**
 * The core.yaml a compose peer reads: the one mounted at its FABRIC_CFG_PATH (default
 * /etc/hyperledger/fabric, the image's) by this compose file or an overlay of the same service
 * (fabric-samples mount ./docker/peercfg there from docker-compose-test-net.yaml; compose resolves
 * it from the project folder, the first file's); else the only core.yaml given, or the one whose
 * peer.id is the peer's, or any of several that agree on every key the rules read.
 */
function coreFor(c: ComposeService, id: string, cores: YamlSource[], overlays: YamlSource[]): { core?: YamlSource; why?: string } {
  const cfg = c.env.find((e) => e.name === 'FABRIC_CFG_PATH')?.value ?? '/etc/hyperledger/fabric';
  const project = dirname(c.at.file);
  for (const v of [...c.volumes, ...overlays.flatMap((o) => volumesOf(o, c.service))]) {
    const target = v.container.replace(/\/$/, '');
    if (cfg !== target && !cfg.startsWith(`${target}/`)) continue;
    const path = resolve(project, v.host, `.${cfg.slice(target.length)}`, 'core.yaml');
    const core = cores.find((s) => resolve(s.file) === path);
    if (core) return { core };
  }
  if (cores.length === 1) return { core: cores[0] };
  const byId = cores.find((s) => s.root.path('peer.id')?.text() === id);
  if (byId) return { core: byId };
  if (cores.length === 0) return { why: `${id}: no core.yaml is given, so only its compose environment is read and what it leaves out is not checked` };
  const values = (s: YamlSource) => KEYS.map((k) => s.root.path(k)?.text() ?? '').join('|');
  if (cores.every((s) => values(s) === values(cores[0]))) return { core: cores[0] };
  return { why: `${id}: which of the ${cores.length} core.yaml files it reads is unknown (none is mounted at its FABRIC_CFG_PATH ${cfg}, none has its peer.id, and they differ), so what its environment leaves out is not checked` };
}
