/**
 * Import a real Fabric network: core.yaml (one, or one per peer), configtx.yaml and cryptogen's
 * crypto-config.yaml in, a scenario out whose every value names the file:line:col it came from.
 * The scenario is loaded before it is returned, so what is written is known to run; a problem
 * the scenario loader finds on a generated line is reported at the real file's position.
 */
import { formatDuration, DURATION_KEYS } from '../fabric/config.js';
import { defaultOrgName, loadScenario, ScenarioError, type Diagnostic } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { codeDefault, modelledKeys } from './code-defaults.js';
import { readConfigtx, type Configtx, type ConfigtxOrg } from './configtx.js';
import { isCompose, readCompose, type ComposePeer } from './compose.js';
import { parseSetting, readCoreYaml, type CoreYaml } from './core-yaml.js';
import { readCryptoConfig, type CryptoOrg } from './crypto-config.js';
import { oneLine, ScenarioText, yamlString } from './scenario-text.js';
import { ImportError, YamlSource, originText, type Origin } from './yaml-source.js';

export interface NetworkFile {
  path: string;
  text: string;
}

export interface ImportOptions {
  /** Scenario name; default 'imported-network'. */
  name?: string;
  /** Channel IDs by configtx profile name (a channel's ID is not in configtx.yaml). */
  channelNames?: Record<string, string>;
  /** Blocks the simulated orderer cuts (not in any of the files). Default 10. */
  blocks?: number;
  /** The `$schema` reference for the YAML language server (relative to where the scenario is saved); none: no modeline. */
  schema?: string;
}

export interface ImportResult {
  text: string;
  scenario: Scenario;
  /** What the import could not carry over, in words (also written as comments). */
  notes: string[];
}

export type Kind = 'core' | 'configtx' | 'crypto' | 'compose';

/** Which of the three files this is, by what it holds (names vary: crypto-config-org1.yaml). */
export function kindOf(src: YamlSource): Kind | undefined {
  const r = src.root;
  if (isCompose(src)) return 'compose';
  if (r.get('peer')?.get('gossip')) return 'core';
  if (r.get('PeerOrgs') || r.get('OrdererOrgs')) return 'crypto';
  if (r.get('Organizations') || r.get('Profiles')) return 'configtx';
  return undefined;
}

interface ImportedPeer {
  org: CryptoOrg;
  index: number;
  /** peer0.org1 in the scenario. */
  id: string;
  /** peer0.org1.example.com in the real network. */
  fqdn: string;
}

export function importNetwork(files: NetworkFile[], opts: ImportOptions = {}): ImportResult {
  const problems: Diagnostic[] = [];
  const cores: CoreYaml[] = [];
  const cryptoOrgs: CryptoOrg[] = [];
  const compose: ComposePeer[] = [];
  let configtx: Configtx | undefined;
  let configtxFile = '';
  for (const f of files) {
    const src = YamlSource.parse(f.path, f.text);
    const kind = kindOf(src);
    if (kind === 'core') cores.push(readCoreYaml(src, problems));
    else if (kind === 'crypto') cryptoOrgs.push(...readCryptoConfig(src, problems));
    else if (kind === 'compose') compose.push(...readCompose(src, problems));
    else if (kind === 'configtx') {
      if (configtx) problems.push({ file: f.path, line: 1, col: 1, message: `a second configtx.yaml (the first is ${configtxFile}): give one` });
      configtx = readConfigtx(src, problems);
      configtxFile = f.path;
    } else problems.push({ file: f.path, line: 1, col: 1, message: "not a core.yaml (peer.gossip), configtx.yaml (Organizations, Profiles) or crypto-config.yaml (PeerOrgs)" });
  }
  const missing = [cores.length === 0 && 'a core.yaml', !configtx && 'a configtx.yaml', cryptoOrgs.length === 0 && problems.length === 0 && 'a crypto-config.yaml'].filter(Boolean);
  if (missing.length > 0) problems.push({ file: files[0]?.path ?? '<no files>', line: 1, col: 1, message: `an import needs ${missing.join(', ')} (given: ${files.map((f) => f.path).join(', ') || 'nothing'})` });
  if (problems.length > 0) throw new ImportError(problems);

  const notes: string[] = [];
  const out = new ScenarioText();
  const orgs = matchOrgs(configtx!, cryptoOrgs, problems);
  const peers = new Map<string, ImportedPeer>();
  for (const { crypto, tx } of orgs) {
    const name = defaultOrgName(tx.mspId);
    crypto.peers.forEach((p, i) => peers.set(`${p.hostname}.${crypto.domain}`, { org: crypto, index: i, id: `peer${i}.${name}`, fqdn: `${p.hostname}.${crypto.domain}` }));
  }
  if (compose.length > 0) {
    if (cores.length !== 1) problems.push({ file: cores[1]?.file ?? files[0].path, line: 1, col: 1, message: `compose files set each peer's CORE_PEER_* over one core.yaml; ${cores.length} core.yaml files are given` });
    else cores.splice(0, 1, ...withCompose(cores[0], peers, compose, problems));
  }
  const perPeer = assignCoreFiles(cores, peers, problems);
  if (problems.length > 0) throw new ImportError(problems);

  if (opts.schema !== undefined) out.raw(`# yaml-language-server: $schema=${opts.schema}`);
  out.comment(`Imported by gossip-scope import from:\n  ${files.map((f) => oneLine(f.path)).join('\n  ')}\nEvery value names the file:line:col it came from; "Fabric default" marks what the files leave out.`);
  out.value('', 'name', yamlString(opts.name ?? 'imported-network'), 'the import');
  out.value('', 'seed', '1', 'not in the files: the simulator\'s seed');
  out.value('', 'profile', 'fabric-v3', 'the base configuration; every peer.gossip key below overrides it');

  out.open('', 'orgs');
  for (const { crypto, tx } of orgs) {
    writeOrg(out, crypto, tx, problems);
    writeExternalEndpoints(out, crypto, cores, perPeer);
    writeBootstrap(out, crypto, cores, perPeer);
  }

  out.open('', 'channels');
  const member = new Set(orgs.map((o) => o.tx.mspId));
  for (const ch of configtx!.channels) {
    const name = opts.channelNames?.[ch.profile] ?? channelIdOf(ch.profile);
    out.raw(`  - name: ${yamlString(name)}   # ${originText(ch.origin)}: configtx profile ${ch.profile} (the channel ID itself is configtxgen -channelID's, not in the file)`, ch.origin);
    const listed = ch.orgs.filter((o) => member.has(o.mspId));
    out.raw(`    orgs: [${listed.map((o) => yamlString(o.mspId)).join(', ')}]   # ${listed.map((o) => originText(o.origin)).join(', ')}`, listed[0]?.origin);
  }

  const ord = configtx!.orderer;
  out.open('', 'orderer');
  if (ord?.batchTimeout) out.value('  ', 'batchTimeout', ord.batchTimeout.text, 'Orderer.BatchTimeout', ord.batchTimeout.origin);
  else out.value('  ', 'batchTimeout', '2s', 'not in configtx.yaml: configtxgen\'s default');
  if (ord?.maxMessageCount) out.value('  ', 'txPerBlock', String(ord.maxMessageCount.value), 'Orderer.BatchSize.MaxMessageCount (the simulated clients fill each block)', ord.maxMessageCount.origin);
  out.value('  ', 'blocks', String(opts.blocks ?? 10), 'not in the files: how many blocks the simulated orderer cuts');

  writeGossip(out, cores, perPeer, notes);
  out.raw('run: { until: 60s }   # not in the files: how long to simulate');
  if (problems.length > 0) throw new ImportError(problems);

  const text = out.toString();
  let scenario: Scenario;
  try {
    scenario = loadScenario(text, 'imported scenario');
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    // Point at the real file where the generated line came from one.
    throw new ImportError(e.diagnostics.map((d) => {
      const o = out.origins.get(d.line);
      return o ? { ...o, message: d.message } : d;
    }));
  }
  return { text, scenario, notes };
}

/** A configtx org with its cryptogen org: by MSPDir (…/peerOrganizations/<domain>/msp), else by anchor host. */
function matchOrgs(tx: Configtx, crypto: CryptoOrg[], problems: Diagnostic[]): { crypto: CryptoOrg; tx: ConfigtxOrg }[] {
  const inChannels = new Set(tx.channels.flatMap((c) => c.orgs.map((o) => o.mspId)));
  const out: { crypto: CryptoOrg; tx: ConfigtxOrg }[] = [];
  for (const o of tx.orgs) {
    if (!inChannels.has(o.mspId)) continue; // the orderer org, or an org in no channel
    const c =
      crypto.find((c) => o.mspDir !== undefined && o.mspDir.split('/').includes(c.domain)) ??
      crypto.find((c) => o.anchorPeers.some((a) => a.host.endsWith(`.${c.domain}`))) ??
      crypto.find((c) => c.name.toLowerCase() === o.name.toLowerCase() || `${c.name}MSP`.toLowerCase() === o.mspId.toLowerCase());
    if (!c) {
      problems.push({ ...o.mspIdOrigin, message: `configtx: ${o.mspId} is in a channel but no PeerOrgs entry of crypto-config.yaml matches it (by MSPDir '${o.mspDir ?? ''}', anchor host or name)` });
      continue;
    }
    if (c.peers.length === 0) {
      problems.push({ ...c.countOrigin, message: `crypto-config: org ${c.name} has no peers (Template.Count 0 and no Specs), but ${o.mspId} is in a channel` });
      continue;
    }
    out.push({ crypto: c, tx: o });
  }
  return out;
}

function writeOrg(out: ScenarioText, c: CryptoOrg, o: ConfigtxOrg, problems: Diagnostic[]): void {
  out.raw(`  - mspId: ${yamlString(o.mspId)}   # ${originText(o.mspIdOrigin)}: ID of ${o.name}`, o.mspIdOrigin);
  out.value('    ', 'domain', yamlString(c.domain), `Domain of ${c.name}`, c.domainOrigin);
  const hosts = c.peers.map((p) => p.hostname);
  const named = hosts.every((h, i) => h === `peer${i}`) ? '' : ` (peer0..peer${hosts.length - 1} here are ${hosts.join(', ')})`;
  out.value('    ', 'peers', String(c.peers.length), `cryptogen's peers of ${c.name}${named}`, c.countOrigin);
  const anchors: string[] = [];
  const where: string[] = [];
  for (const a of o.anchorPeers) {
    const host = a.host.endsWith(`.${c.domain}`) ? a.host.slice(0, -c.domain.length - 1) : undefined;
    const i = host === undefined ? -1 : hosts.indexOf(host);
    if (i < 0) {
      problems.push({ ...a.origin, message: `configtx: anchor peer ${a.host} of ${o.mspId} is not a peer of ${c.name} in crypto-config.yaml (${hosts.map((h) => `${h}.${c.domain}`).join(', ')})` });
      continue;
    }
    anchors.push(`peer${i}`);
    where.push(`${originText(a.origin)} ${a.host}:${a.port}`);
  }
  if (anchors.length > 0) out.raw(`    anchorPeers: [${anchors.join(', ')}]   # ${where.join(', ')}`, o.anchorPeers[0].origin);
  else out.raw(`    anchorPeers: []   # configtx.yaml lists no AnchorPeers for ${o.mspId}: other orgs never learn of it`);
}

/**
 * peer.gossip.externalEndpoint decides whether other orgs ever see a peer (the disclosure
 * policy): empty, as in sampleconfig/core.yaml, hides it. fabric-samples set it per peer with
 * CORE_PEER_GOSSIP_EXTERNALENDPOINT in the compose files, which the import does not read.
 */
function writeExternalEndpoints(out: ScenarioText, c: CryptoOrg, cores: CoreYaml[], perPeer: Map<CoreYaml, ImportedPeer> | undefined): void {
  const ext = (core: CoreYaml) => core.unmodelled.find((u) => u.key === 'externalEndpoint');
  if (!perPeer) {
    const e = ext(cores[0]);
    const set = e !== undefined && e.text !== '';
    const why = set ? `externalEndpoint ${e!.text}: every peer visible to other orgs` : `externalEndpoint ${e ? 'empty' : 'not in core.yaml'}: Fabric hides every peer from other orgs (set CORE_PEER_GOSSIP_EXTERNALENDPOINT per peer, or use one core.yaml per peer)`;
    out.raw(`    externalEndpoints: ${set ? 'all' : 'none'}   # ${e ? `${originText(e.origin)}: ` : ''}${why}`, e?.origin);
    return;
  }
  const visible: string[] = [];
  const where: string[] = [];
  for (const [core, p] of perPeer) {
    if (p.org !== c) continue;
    const e = ext(core);
    if (e && e.text !== '') {
      visible.push(`peer${p.index}`);
      where.push(`${p.fqdn} ${originText(e.origin)}`);
    }
  }
  out.raw(`    externalEndpoints: [${visible.sort().join(', ')}]   # peers whose configuration sets externalEndpoint${where.length ? `: ${where.join(', ')}` : ' (none: other orgs never see this org)'}`);
}

/**
 * peer.gossip.bootstrap names addresses (`peer0.org1.example.com:7051`, space-separated as viper
 * splits it); the scenario names peers of the org. An address that is one of the org's peers
 * becomes that peer; when the org's peers do not all resolve to the same list, the scenario keeps
 * its default and says why.
 */
function writeBootstrap(out: ScenarioText, c: CryptoOrg, cores: CoreYaml[], perPeer: Map<CoreYaml, ImportedPeer> | undefined): void {
  const own = perPeer ? [...perPeer].filter(([, p]) => p.org === c).map(([core]) => core) : [cores[0]];
  const hosts = c.peers.map((p) => p.hostname);
  const lists = own.map((core) => {
    const b = core.unmodelled.find((u) => u.key === 'bootstrap');
    const names = (b?.text ?? '').split(/[\s,\[\]]+/).filter(Boolean).map((addr) => {
      const host = addr.replace(/:\d+$/, '');
      const i = host.endsWith(`.${c.domain}`) ? hosts.indexOf(host.slice(0, -c.domain.length - 1)) : -1;
      return i < 0 ? undefined : `peer${i}`;
    });
    return { b, names };
  });
  const first = lists[0];
  const resolved = first && first.b && first.names.length > 0 && first.names.every(Boolean) && lists.every((l) => l.names.join() === first.names.join());
  if (resolved) out.raw(`    bootstrap: [${first.names.join(', ')}]   # ${lists.map((l) => originText(l.b!.origin)).join(', ')}: peer.gossip.bootstrap ${first.b!.text}`, first.b!.origin);
  else {
    const why = first?.b ? `peer.gossip.bootstrap ${first.b.text} (${originText(first.b.origin)}${lists.length > 1 ? ' and the other peers\' files' : ''}) names no peer of ${c.name}, or not the same one for every peer` : 'no peer.gossip.bootstrap';
    out.raw(`    bootstrap: [peer0]   # ${why}: the scenario's default, each peer contacts peer0 at start as in fabric-samples' test network`);
  }
}

/** configtx profile name → a valid channel ID (lower case; Fabric's channel ID rule). */
function channelIdOf(profile: string): string {
  const id = profile.toLowerCase().replace(/[^a-z0-9.-]/g, '');
  return /^[a-z]/.test(id) ? id : `ch${id}`;
}

/**
 * One core.yaml per peer: the shared one with each peer's CORE_PEER_GOSSIP_* (and
 * CORE_PEER_DELIVERYCLIENT_BLOCKGOSSIPENABLED) from its compose service laid over it.
 */
function withCompose(base: CoreYaml, peers: Map<string, ImportedPeer>, compose: ComposePeer[], problems: Diagnostic[]): CoreYaml[] {
  const envKey = (key: string) => `CORE_PEER_${key.startsWith('deliveryclient.') ? '' : 'GOSSIP_'}${key.replace(/\./g, '_').toUpperCase()}`;
  const modelled = new Map(modelledKeys().map((k) => [envKey(k), k]));
  const defaults = new Map(modelledKeys().map((k) => [k, codeDefault(k, new Map()).value]));
  for (const c of compose) {
    if (!peers.has(c.peerId)) problems.push({ ...c.env.find((e) => e.name === 'CORE_PEER_ID')!.origin, message: `compose: CORE_PEER_ID ${c.peerId} of service ${c.service} is not a peer of crypto-config.yaml (${[...peers.keys()].join(', ')})` });
  }
  return [...peers.keys()].map((fqdn) => {
    const core: CoreYaml = { ...base, peerId: fqdn, settings: [...base.settings], empty: [...base.empty], unmodelled: [...base.unmodelled] };
    for (const e of compose.find((c) => c.peerId === fqdn)?.env ?? []) {
      const key = modelled.get(e.name.toUpperCase());
      if (key) {
        const s = parseSetting(key, e.value, e.value, e.origin, defaults.get(key), DURATION_KEYS.has(key), problems);
        if (s) core.settings = [...core.settings.filter((x) => x.key !== key), s];
        core.empty = core.empty.filter((x) => x.key !== key);
      } else if (e.name.startsWith('CORE_PEER_GOSSIP_')) {
        const lower = e.name.slice('CORE_PEER_GOSSIP_'.length).toLowerCase().replace(/_/g, '.');
        const known = base.unmodelled.find((u) => u.key.toLowerCase() === lower)?.key ?? lower;
        core.unmodelled = [...core.unmodelled.filter((u) => u.key !== known), { key: known, text: e.value, origin: e.origin }];
      }
    }
    return core;
  });
}

/** With several core.yaml files, each must say (peer.id) which peer it configures. */
function assignCoreFiles(cores: CoreYaml[], peers: Map<string, ImportedPeer>, problems: Diagnostic[]): Map<CoreYaml, ImportedPeer> | undefined {
  if (cores.length === 1) return undefined;
  const out = new Map<CoreYaml, ImportedPeer>();
  for (const c of cores) {
    const p = c.peerId ? peers.get(c.peerId) : undefined;
    if (!p) {
      problems.push({ file: c.file, line: 1, col: 1, message: `several core.yaml files are given, so each needs peer.id set to one peer's name (${[...peers.keys()].slice(0, 4).join(', ')}, ...); this one has ${c.peerId ? `'${c.peerId}'` : 'none'}` });
      continue;
    }
    out.set(c, p);
  }
  return out;
}

interface KeyLine {
  key: string;
  text: string;
  why: string;
  origin?: Origin;
}

function writeGossip(out: ScenarioText, cores: CoreYaml[], perPeer: Map<CoreYaml, ImportedPeer> | undefined, notes: string[]): void {
  const read = new Map<string, number | boolean>();
  const render = (key: string, v: number | boolean) => (DURATION_KEYS.has(key) ? formatDuration(v as number) : String(v));
  const network: (KeyLine & { value: number | boolean })[] = [];
  /** Per peer (scenario id), the keys whose value differs from the network's. */
  const overrides = new Map<string, KeyLine[]>();
  for (const key of modelledKeys()) {
    const found = cores.map((c) => ({ c, s: c.settings.find((s) => s.key === key), e: c.empty.find((e) => e.key === key) }));
    const set = found.filter((f) => f.s);
    const d = codeDefault(key, read);
    const defaultWhy = (empty: boolean) => `${empty ? 'empty in core.yaml' : 'not in core.yaml'}: Fabric default (${d.source})`;
    if (set.length === 0) {
      const empty = found.find((f) => f.e)?.e;
      network.push({ key, value: d.value, text: render(key, d.value), why: defaultWhy(empty !== undefined), origin: empty?.origin });
      read.set(key, d.value);
      continue;
    }
    // The network's value is the one most peers have (the first file's on a tie): fewer per-peer entries.
    const valueOf = (f: (typeof found)[number]) => String(f.s?.value ?? d.value);
    const counts = new Map<string, number>();
    for (const f of found) counts.set(valueOf(f), (counts.get(valueOf(f)) ?? 0) + 1);
    const top = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a), [valueOf(set[0]), -1] as [string, number])[0];
    const pick = found.find((f) => valueOf(f) === top)!;
    const first = pick.s ?? { key, value: d.value, text: render(key, d.value), origin: pick.e?.origin };
    read.set(key, first.value);
    const files = new Set(set.filter((f) => valueOf(f) === top).map((f) => f.s!.origin.file));
    const also = files.size > 1 ? `and ${files.size - 1} more file(s)` : '';
    // As the file writes it (1500ms stays 1500ms), so the two read alike side by side.
    network.push({ key, value: first.value, text: first.text, why: pick.s ? also : defaultWhy(pick.e !== undefined), origin: first.origin });
    if (!perPeer) continue;
    // A peer whose file leaves the key out has Fabric's default, which may differ too.
    const differing = found.filter((f) => String(f.s?.value ?? d.value) !== String(first.value));
    if (differing.length === 0) continue;
    const list = found.map((f) => `${perPeer.get(f.c)!.id} ${f.s ? `${f.s.text} (${originText(f.s.origin)})` : `${render(key, d.value)} (Fabric default)`}`);
    if (key.startsWith('deliveryclient.')) {
      notes.push(`peer.${key} differs per peer: ${list.join(', ')}; the scenario has one value for every peer (the most common)`);
      continue;
    }
    notes.push(`peer.gossip.${key} differs per peer: ${list.join(', ')}; the most common for the network, the others in peers.config`);
    for (const f of differing) {
      const id = perPeer.get(f.c)!.id;
      const line: KeyLine = f.s ? { key, text: f.s.text, why: '', origin: f.s.origin } : { key, text: render(key, d.value), why: defaultWhy(f.e !== undefined), origin: f.e?.origin };
      (overrides.get(id) ?? overrides.set(id, []).get(id)!).push(line);
    }
  }

  out.open('', 'gossip', "peer.gossip.* with core.yaml's names" + (overrides.size > 0 ? '; peers.config below holds what differs per peer' : ''));
  writeNested(out, 1, network.filter((g) => !g.key.startsWith('deliveryclient.')));
  const bge = network.find((g) => g.key === 'deliveryclient.blockGossipEnabled')!;
  out.open('', 'deliveryclient');
  out.value('  ', 'blockGossipEnabled', bge.text, bge.why, bge.origin);
  if (overrides.size > 0) {
    out.open('', 'peers', "per-peer peer.gossip.*: each peer's own core.yaml (or compose environment) where it differs");
    out.open('  ', 'config');
    for (const [id, lines] of overrides) {
      out.raw(`    - peers: [${id}]`);
      out.open('      ', 'gossip');
      writeNested(out, 4, lines);
    }
  }

  // externalEndpoint and bootstrap are carried by the orgs' externalEndpoints and bootstrap above.
  const seen = new Set<string>();
  const unmodelled = cores
    .flatMap((c) => c.unmodelled)
    .filter((u) => u.key !== 'externalEndpoint' && u.key !== 'bootstrap')
    .filter((u) => {
      const k = `${u.key}|${u.text}|${originText(u.origin)}`;
      return !seen.has(k) && seen.add(k) !== undefined;
    });
  if (unmodelled.length > 0) {
    out.comment('peer.gossip keys in core.yaml that the simulator does not model (it places peers itself):');
    for (const u of unmodelled) out.comment(`  ${u.key}: ${u.text || '(empty)'}   ${originText(u.origin)}`);
    notes.push(`not modelled: ${[...new Set(unmodelled.map((u) => `peer.gossip.${u.key}`))].join(', ')}`);
  }
}

/** Keys with dots as nested mappings (election:, pvtData:, state: ...), `depth` levels of two spaces in. */
function writeNested(out: ScenarioText, depth: number, lines: KeyLine[]): void {
  let openPath: string[] = [];
  for (const g of lines) {
    const parts = g.key.split('.');
    const parents = parts.slice(0, -1);
    let common = 0;
    while (common < parents.length && common < openPath.length && parents[common] === openPath[common]) common++;
    for (let i = common; i < parents.length; i++) out.open('  '.repeat(depth + i), parents[i]);
    openPath = parents;
    out.value('  '.repeat(depth + parents.length), parts[parts.length - 1], g.text, g.why, g.origin);
  }
}
