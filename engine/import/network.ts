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
import { readCoreYaml, type CoreYaml } from './core-yaml.js';
import { readCryptoConfig, type CryptoOrg } from './crypto-config.js';
import { ScenarioText, yamlString } from './scenario-text.js';
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
}

export interface ImportResult {
  text: string;
  scenario: Scenario;
  /** What the import could not carry over, in words (also written as comments). */
  notes: string[];
}

type Kind = 'core' | 'configtx' | 'crypto';

/** Which of the three files this is, by what it holds (names vary: crypto-config-org1.yaml). */
function kindOf(src: YamlSource): Kind | undefined {
  const r = src.root;
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
  let configtx: Configtx | undefined;
  let configtxFile = '';
  for (const f of files) {
    const src = YamlSource.parse(f.path, f.text);
    const kind = kindOf(src);
    if (kind === 'core') cores.push(readCoreYaml(src, problems));
    else if (kind === 'crypto') cryptoOrgs.push(...readCryptoConfig(src, problems));
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
  const perPeer = assignCoreFiles(cores, peers, problems);
  if (problems.length > 0) throw new ImportError(problems);

  out.raw('# yaml-language-server: $schema=scenario.schema.json');
  out.comment(`Imported by gossip-scope import from:\n  ${files.map((f) => f.path).join('\n  ')}\nEvery value names the file:line:col it came from; "Fabric default" marks what the files leave out.`);
  out.value('', 'name', yamlString(opts.name ?? 'imported-network'), 'the import');
  out.value('', 'seed', '1', 'not in the files: the simulator\'s seed');
  out.value('', 'profile', 'fabric-v3', 'the base configuration; every peer.gossip key below overrides it');

  out.open('', 'orgs');
  for (const { crypto, tx } of orgs) {
    writeOrg(out, crypto, tx, problems);
    writeExternalEndpoints(out, crypto, cores, perPeer);
  }

  out.open('', 'channels');
  const member = new Set(orgs.map((o) => o.tx.mspId));
  for (const ch of configtx!.channels) {
    const name = opts.channelNames?.[ch.profile] ?? channelIdOf(ch.profile);
    out.raw(`  - name: ${yamlString(name)}   # ${originText(ch.origin)}: configtx profile ${ch.profile} (the channel ID itself is configtxgen -channelID's, not in the file)`, ch.origin);
    const listed = ch.orgs.filter((o) => member.has(o.mspId));
    out.raw(`    orgs: [${listed.map((o) => o.mspId).join(', ')}]   # ${listed.map((o) => originText(o.origin)).join(', ')}`, listed[0]?.origin);
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
  out.raw(`    externalEndpoints: [${visible.sort().join(', ')}]   # peers whose core.yaml sets externalEndpoint${where.length ? `: ${where.join(', ')}` : ' (none: other orgs never see this org)'}`);
}

/** configtx profile name → a valid channel ID (lower case; Fabric's channel ID rule). */
function channelIdOf(profile: string): string {
  const id = profile.toLowerCase().replace(/[^a-z0-9.-]/g, '');
  return /^[a-z]/.test(id) ? id : `ch${id}`;
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

function writeGossip(out: ScenarioText, cores: CoreYaml[], perPeer: Map<CoreYaml, ImportedPeer> | undefined, notes: string[]): void {
  const read = new Map<string, number | boolean>();
  const gossipLines: { key: string; value: number | boolean; text?: string; why: string; origin?: Origin; differs?: string }[] = [];
  for (const key of modelledKeys()) {
    const found = cores.map((c) => ({ c, s: c.settings.find((s) => s.key === key), e: c.empty.find((e) => e.key === key) }));
    const set = found.filter((f) => f.s);
    if (set.length === 0) {
      const d = codeDefault(key, read);
      const empty = found.find((f) => f.e)?.e;
      const why = `${empty ? 'empty in core.yaml' : 'not in core.yaml'}: Fabric default (${d.source})`;
      gossipLines.push({ key, value: d.value, why, origin: empty?.origin });
      read.set(key, d.value);
      continue;
    }
    const first = set[0].s!;
    read.set(key, first.value);
    let differs: string | undefined;
    if (perPeer && new Set(set.map((f) => String(f.s!.value))).size > 1) {
      differs = set.map((f) => `${perPeer.get(f.c)!.id} ${f.s!.text} (${originText(f.s!.origin)})`).join(', ');
      notes.push(`peer.gossip.${key} differs per peer: ${differs}; the scenario has one value for every peer (the first file's)`);
    }
    const also = set.length > 1 ? ` and ${set.length - 1} more file(s)` : '';
    gossipLines.push({ key, value: first.value, text: first.text, why: `${also}`, origin: first.origin, differs });
  }

  const render = (key: string, v: number | boolean) => (DURATION_KEYS.has(key) ? formatDuration(v as number) : String(v));
  out.open('', 'gossip', 'peer.gossip.* with core.yaml\'s names');
  let openPath: string[] = [];
  for (const g of gossipLines.filter((g) => !g.key.startsWith('deliveryclient.'))) {
    const parts = g.key.split('.');
    const parents = parts.slice(0, -1);
    // Open the nested mappings this key lives in (election:, pvtData:, state: ...).
    let common = 0;
    while (common < parents.length && common < openPath.length && parents[common] === openPath[common]) common++;
    for (let i = common; i < parents.length; i++) out.open('  '.repeat(i + 1), parents[i]);
    openPath = parents;
    if (g.differs) out.comment(`differs per peer: ${g.differs}; one value for every peer here`, '  '.repeat(parts.length));
    // As the file writes it (1500ms stays 1500ms), so the two read alike side by side.
    out.value('  '.repeat(parts.length), parts[parts.length - 1], g.text ?? render(g.key, g.value), g.why, g.origin);
  }
  const bge = gossipLines.find((g) => g.key === 'deliveryclient.blockGossipEnabled')!;
  out.open('', 'deliveryclient');
  out.value('  ', 'blockGossipEnabled', String(bge.value), bge.why, bge.origin);

  // externalEndpoint is carried by the orgs' externalEndpoints above.
  const unmodelled = cores.flatMap((c) => c.unmodelled).filter((u) => u.key !== 'externalEndpoint');
  if (unmodelled.length > 0) {
    out.comment('peer.gossip keys in core.yaml that the simulator does not model (it places peers itself):');
    for (const u of unmodelled) out.comment(`  ${u.key}: ${u.text || '(empty)'}   ${originText(u.origin)}`);
    notes.push(`not modelled: ${[...new Set(unmodelled.map((u) => `peer.gossip.${u.key}`))].join(', ')}`);
  }
}
