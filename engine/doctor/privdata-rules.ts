/**
 * Fabric Doctor's private data rules (issue 30, rule 6), over a collections_config.json as
 * fabric-samples write it (`peer lifecycle chaincode approveformyorg --collections-config`):
 *   - maxPeerCount below requiredPeerCount: Fabric refuses the definition
 *     (core/chaincode/lifecycle/scc.go validateCollectionConfigs);
 *   - a requiredPeerCount that an endorsing peer cannot meet with the eligible peers it can see:
 *     every endorsement that writes the collection fails (gossip/privdata/distributor.go).
 * The JSON is checked strictly (as Go's json.Unmarshal would) and read with positions through
 * the project's YAML reader (JSON is YAML), so findings sit on the value itself.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Finding } from './finding.js';
import { ImportError, YamlSource, type Origin } from '../import/yaml-source.js';
import type { Diagnostic } from '../scenario/diagnostics.js';

export interface CollectionsFile {
  path: string;
  text: string;
}

export interface Collection {
  name: string;
  policy: string;
  requiredPeerCount: number;
  maxPeerCount: number;
  /** The collection object, its name, and each count's value (the key's place when absent). */
  at: { collection: Origin; name: Origin; policy: Origin; requiredPeerCount: Origin; maxPeerCount: Origin };
  /** Whether the counts were written (absent means 0 to Fabric). */
  written: { requiredPeerCount: boolean; maxPeerCount: boolean };
}

/** A peer of the channel, as the endorsement-time dissemination sees it. */
export interface PdcPeer {
  peerId: string;
  mspId: string;
  /** CORE_PEER_GOSSIP_EXTERNALENDPOINT; empty or absent: invisible to other orgs. */
  externalEndpoint?: string;
}

export interface PrivateDataInput {
  collections: CollectionsFile;
  /** The peers joined to the chaincode's channel. */
  peers: PdcPeer[];
  /**
   * Whether `from` has `to` in its membership view. Default: Fabric's disclosure policy
   * (gossip/gossip/gossip_impl.go disclosurePolicy): same org, or both have an external endpoint.
   */
  canSee?: (from: PdcPeer, to: PdcPeer) => boolean;
}

/** A peer as written (the doctor's DoctorPeer has these fields) as the dissemination sees it. */
export function pdcPeersOf(peers: { id: string; mspId?: string; external?: { host: string; port: number } }[]): PdcPeer[] {
  return peers.filter((p) => p.mspId).map((p) => ({ peerId: p.id, mspId: p.mspId!, externalEndpoint: p.external ? `${p.external.host}:${p.external.port}` : undefined }));
}

/**
 * The collections configs below the given paths: files named like fabric-samples' (collections_config.json,
 * collection-config.json, …), at most 6 folders deep, node_modules and .git skipped.
 */
export function findCollectionsConfigs(paths: string[]): CollectionsFile[] {
  const out: CollectionsFile[] = [];
  const wanted = /^collections?[-_]?config.*\.json$/i;
  const walk = (p: string, depth: number) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isFile()) {
      if (!wanted.test(basename(p))) return;
      if (st.size > 1 << 24) throw new ImportError([{ file: p, line: 1, col: 1, message: `${st.size} bytes: too big for a collections config` }]);
      out.push({ path: p, text: readFileSync(p, 'utf8') });
      return;
    }
    if (!st.isDirectory() || depth > 6) return;
    for (const name of readdirSync(p).sort()) if (name !== 'node_modules' && !name.startsWith('.')) walk(join(p, name), depth + 1);
  };
  for (const p of paths) walk(p, 0);
  return out;
}

/** Fabric's own view rule: a peer of another org is seen only when both have an external endpoint. */
export function disclosed(from: PdcPeer, to: PdcPeer): boolean {
  return from.mspId === to.mspId || (!!from.externalEndpoint && !!to.externalEndpoint);
}

export function privateDataFindings(input: PrivateDataInput): Finding[] {
  const collections = readCollectionsConfig(input.collections);
  const canSee = input.canSee ?? disclosed;
  const out: Finding[] = [];
  for (const c of collections) {
    if (c.maxPeerCount < c.requiredPeerCount) {
      out.push({
        rule: 'pdc-max-below-required',
        severity: 'error',
        at: c.at.maxPeerCount,
        what: `Collection ${c.name}: maxPeerCount ${c.maxPeerCount}${c.written.maxPeerCount ? '' : ' (not written, so 0)'} is below requiredPeerCount ${c.requiredPeerCount}`,
        fabric: {
          log: `collection-name: ${c.name} -- maximum peer count (${c.maxPeerCount}) cannot be less than the required peer count (${c.requiredPeerCount})`,
          effect: 'approveformyorg and commit refuse the chaincode definition: the chaincode is never defined with this collection',
          source: 'core/chaincode/lifecycle/scc.go',
        },
        affected: [c.name],
        fix: `Set "maxPeerCount" to at least ${c.requiredPeerCount} (or lower "requiredPeerCount") in ${c.at.collection.file}`,
      });
      continue; // the definition never takes effect: nothing is disseminated under it
    }
    if (c.requiredPeerCount <= 0) continue;
    const eligible = eligibleOrgs(c);
    const endorsers = input.peers.filter((p) => eligible.has(p.mspId));
    const short: { peer: PdcPeer; seen: number; hidden: PdcPeer[] }[] = [];
    for (const e of endorsers) {
      const others = input.peers.filter((p) => p !== e && eligible.has(p.mspId));
      const seen = others.filter((p) => canSee(e, p));
      if (seen.length < c.requiredPeerCount) short.push({ peer: e, seen: seen.length, hidden: others.filter((p) => !canSee(e, p)) });
    }
    if (short.length === 0) continue;
    const hidden = [...new Set(short.flatMap((s) => s.hidden))];
    const noExternal = hidden.filter((p) => !p.externalEndpoint);
    const worst = Math.min(...short.map((s) => s.seen));
    // Both ends need an external endpoint for a cross-org view: the hidden peers and the endorsers that miss them.
    const toFix = noExternal.length > 0 ? [...new Set([...noExternal, ...short.filter((s) => s.hidden.length > 0).map((s) => s.peer)])].filter((p) => !p.externalEndpoint) : [];
    const listed = short.map((s) => `${s.peer.peerId} knows of ${s.seen}`).join(', ');
    const why =
      hidden.length === 0
        ? `the policy ${c.policy} makes only ${endorsers.length} peer${endorsers.length === 1 ? '' : 's'} of the network eligible`
        : `${hidden.map((p) => p.peerId).join(', ')} ${hidden.length === 1 ? 'is' : 'are'} eligible but missing from ${short.length === 1 ? 'its' : 'their'} membership view${short.length === 1 ? '' : 's'}${noExternal.length ? ` (${noExternal.map((p) => p.peerId).join(', ')} ${noExternal.length === 1 ? 'has' : 'have'} no external endpoint)` : ''}`;
    out.push({
      rule: 'pdc-required-unreachable',
      severity: 'error',
      at: c.at.requiredPeerCount,
      what: `Collection ${c.name}: requiredPeerCount ${c.requiredPeerCount} cannot be met: ${listed} eligible peer${short.length === 1 && short[0].seen === 1 ? '' : 's'} besides itself; ${why}`,
      fabric: {
        log: `required to disseminate to at least ${c.requiredPeerCount} peers, but know of only ${worst} eligible peers`,
        effect: `every endorsement by ${short.map((s) => s.peer.peerId).join(', ')} that writes ${c.name} fails ("failed to distribute private collection"), so no transaction writing it can be endorsed there`,
        source: 'gossip/privdata/distributor.go',
      },
      affected: short.map((s) => s.peer.peerId),
      fix:
        toFix.length > 0
          ? `Set CORE_PEER_GOSSIP_EXTERNALENDPOINT (peer.gossip.externalEndpoint) on ${toFix.map((p) => p.peerId).join(', ')}, or lower "requiredPeerCount" to ${worst}`
          : `Lower "requiredPeerCount" to ${worst}, or add eligible peers the endorsers can reach`,
    });
  }
  return out;
}

/** The collections of a collections_config.json, with positions; bad input is an ImportError at its place. */
export function readCollectionsConfig(file: CollectionsFile): Collection[] {
  const strict = strictJsonError(file);
  if (strict) throw new ImportError([strict]);
  const src = YamlSource.parse(file.path, file.text);
  const root = src.root;
  if (!root.isSeq()) throw new ImportError([root.problem('a collections config is a JSON array of collections ([{"name": …, "policy": …}])')]);
  const problems: Diagnostic[] = [];
  const out: Collection[] = [];
  for (const item of root.items()) {
    if (!item.isMap()) {
      problems.push(item.problem('a collection is an object with "name", "policy", "requiredPeerCount", "maxPeerCount"'));
      continue;
    }
    const name = item.get('name');
    const policy = item.get('policy');
    if (typeof name?.scalar() !== 'string' || name.text() === '') problems.push((name ?? item).problem('a collection needs a "name" (a string)'));
    if (typeof policy?.scalar() !== 'string') problems.push((policy ?? item).problem('a collection needs a "policy" (a string such as "OR(\'Org1MSP.member\', \'Org2MSP.member\')")'));
    const count = (key: string): number | undefined => {
      const n = item.get(key);
      if (!n) return 0;
      const v = n.scalar();
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        problems.push(n.problem(`"${key}" must be a whole number, not ${JSON.stringify(v)}`));
        return undefined;
      }
      return v;
    };
    const required = count('requiredPeerCount');
    const max = count('maxPeerCount');
    if (typeof name?.scalar() !== 'string' || typeof policy?.scalar() !== 'string' || required === undefined || max === undefined) continue;
    const c: Collection = {
      name: name.text()!,
      policy: policy.text()!,
      requiredPeerCount: required,
      maxPeerCount: max,
      at: {
        collection: item.origin,
        name: name.origin,
        policy: policy.origin,
        requiredPeerCount: item.get('requiredPeerCount')?.origin ?? name.origin,
        maxPeerCount: item.get('maxPeerCount')?.origin ?? name.origin,
      },
      written: { requiredPeerCount: !!item.get('requiredPeerCount'), maxPeerCount: !!item.get('maxPeerCount') },
    };
    try {
      eligibleOrgs(c);
    } catch (e) {
      problems.push(policy.problem(`cannot read the policy: ${(e as Error).message}`));
      continue;
    }
    out.push(c);
  }
  if (problems.length > 0) throw new ImportError(problems);
  return out;
}

/** Go's json.Unmarshal refuses what YAML would accept ({"name": }, trailing commas, comments). */
function strictJsonError(file: CollectionsFile): Diagnostic | undefined {
  try {
    JSON.parse(file.text);
    return undefined;
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const offset = pos ? Number(pos[1]) : 0;
    const before = file.text.slice(0, offset).split('\n');
    return { file: file.path, line: before.length, col: before[before.length - 1].length + 1, message: `not valid JSON: ${msg}` };
  }
}

// --- the collection's member policy -------------------------------------------------------

type Policy = { principal: { mspId: string; role: string } } | { outOf: number; of: Policy[] };

/**
 * The MSP IDs one peer's identity can satisfy the policy with, alone: a principal of its MSP with
 * role member or peer; NOutOf(n) needs n distinct principals, and one identity is used only once
 * (common/cauthdsl/cauthdsl.go marks each signature used), so n ≥ 2 can never be met by one peer.
 */
export function eligibleOrgs(c: Pick<Collection, 'policy'>): Set<string> {
  const p = parsePolicy(c.policy);
  const msps = new Set<string>();
  collectMsps(p, msps);
  return new Set([...msps].filter((m) => satisfiedBy(p, m)));
}

function collectMsps(p: Policy, out: Set<string>): void {
  if ('principal' in p) out.add(p.principal.mspId);
  else for (const q of p.of) collectMsps(q, out);
}

function satisfiedBy(p: Policy, mspId: string): boolean {
  if ('principal' in p) return p.principal.mspId === mspId && (p.principal.role === 'member' || p.principal.role === 'peer');
  if (p.outOf <= 0) return true;
  if (p.outOf >= 2) return false;
  return p.of.some((q) => satisfiedBy(q, mspId));
}

/** Fabric's policydsl: AND(...), OR(...), OutOf(n, ...) in any case, principals 'MSPID.role'. */
export function parsePolicy(text: string): Policy {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${i + 1} of ${JSON.stringify(text)}`);
  };
  const expr = (): Policy => {
    ws();
    const q = text[i];
    if (q === "'" || q === '"') {
      const end = text.indexOf(q, i + 1);
      if (end < 0) fail('an unclosed quote');
      const body = text.slice(i + 1, end);
      const m = /^([A-Za-z0-9.-]+)\.(member|admin|client|peer|orderer)$/.exec(body);
      if (!m) fail(`'${body}' is not 'MSPID.role' (role member, admin, client, peer or orderer)`);
      i = end + 1;
      return { principal: { mspId: m![1], role: m![2] } };
    }
    const fn = /^(and|or|outof)\s*\(/i.exec(text.slice(i));
    if (!fn) fail('expected AND(, OR(, OutOf( or a quoted principal');
    i += fn![0].length;
    const gate = fn![1].toLowerCase();
    let n: number | undefined;
    if (gate === 'outof') {
      ws();
      const num = /^\d+/.exec(text.slice(i));
      if (!num) fail('OutOf needs a count first');
      n = Number(num![0]);
      i += num![0].length;
      ws();
      if (text[i] !== ',') fail('expected a comma after the count');
      i++;
    }
    const of: Policy[] = [expr()];
    ws();
    while (text[i] === ',') {
      i++;
      of.push(expr());
      ws();
    }
    if (text[i] !== ')') fail('expected a closing parenthesis');
    i++;
    return { outOf: gate === 'and' ? of.length : gate === 'or' ? 1 : n!, of };
  };
  const p = expr();
  ws();
  if (i !== text.length) fail('unexpected text after the policy');
  return p;
}

