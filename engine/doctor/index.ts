/**
 * Fabric Doctor: a real network's files in, what is wrong with its gossip out (Finding), each at
 * the file:line:col where it is written. `diagnose` is the one entry the CLI and VS Code call.
 * Rules are functions of the network as written (network-model.ts) and who sees whom
 * (visibility.ts); each group lives in its own file.
 */
import type { NetworkFile } from '../import/network.js';
import { anchorFindings } from './anchor-rules.js';
import { bootstrapFindings } from './bootstrap-rules.js';
import { deliveryFindings } from './delivery-rules.js';
import { endpointFindings } from './endpoint-rules.js';
import { collectCertificates } from './cert-files.js';
import { certificateProblems, identityFindings, identityPeersOf } from './identity-rules.js';
import { findCollectionsConfigs, pdcPeersOf, privateDataFindings } from './privdata-rules.js';
import { logFindingsFromPaths } from './log-rules.js';
import type { Diagnostic } from '../scenario/diagnostics.js';
import { sortFindings, type Finding } from './finding.js';
import { parseDoctorFiles, readDoctorPaths } from './inputs.js';
import { buildNetwork, type DoctorNetwork } from './network-model.js';
import { whoSeesWhom, type Visibility } from './visibility.js';

export { DoctorInputError } from './inputs.js';

export interface DoctorInputs {
  /** The configuration files' texts (readDoctorPaths reads them from files and folders). */
  files: NetworkFile[];
  /** The paths the user gave (files and folders), for rules that read more than YAML (certificates). */
  paths?: string[];
  /** Files named one by one: one that is no Fabric configuration is bad input, not skipped. */
  explicit?: string[];
  /** Peer log files (--logs). */
  logs?: string[];
  /** Now, in ms since the epoch, for certificate expiry (the caller's clock: rules read none). Default: no expiry check against a clock is skipped; the CLI and VS Code pass Date.now(). */
  now?: number;
  /** A certificate expiring within this many ms of `now` is a warning. Default 30 days. */
  expiringWithinMs?: number;
}

export const DEFAULT_EXPIRING_WITHIN_MS = 30 * 86_400_000;

/** What every rule gets. */
export interface DoctorContext {
  inputs: DoctorInputs;
  network: DoctorNetwork;
  /** Undefined past MAX_MATRIX_PEERS peers. */
  visibility?: Visibility;
  /** The peers' certificates found under the paths (cryptogen or Fabric CA layout). */
  certificates: ReturnType<typeof collectCertificates>;
}

export type Rule = (ctx: DoctorContext) => Finding[];

export const RULES: Rule[] = [
  (c) => anchorFindings(c.network, c.visibility),
  (c) => endpointFindings(c.network, c.visibility),
  (c) => bootstrapFindings(c.network),
  (c) => deliveryFindings(c.network),
  (c) =>
    identityFindings({
      certs: c.certificates,
      peers: identityPeersOf(c.network.peers, c.network.orgs.flatMap((o) => o.anchors)),
      now: c.inputs.now ?? 0,
      windowMs: c.inputs.now === undefined ? 0 : (c.inputs.expiringWithinMs ?? DEFAULT_EXPIRING_WITHIN_MS),
    }),
  (c) => findCollectionsConfigs(c.inputs.paths ?? []).flatMap((collections) => privateDataFindings({ collections, peers: pdcPeersOf(c.network.peers), canSee: c.visibility && seesBy(c.visibility) })),
  (c) => logFindingsFromPaths(c.inputs.logs ?? []),
];

/** The who-sees-whom matrix as the private-data rules ask it. */
function seesBy(v: Visibility): (a: { peerId: string }, b: { peerId: string }) => boolean {
  const at = new Map(v.peers.map((p, i) => [p, i]));
  return (a, b) => {
    const i = at.get(a.peerId);
    const j = at.get(b.peerId);
    return i !== undefined && j !== undefined && v.sees[i][j];
  };
}

export interface Diagnosis {
  findings: Finding[];
  network: DoctorNetwork;
  visibility?: Visibility;
  /** What was read but not checked, in words. */
  notes: string[];
  /** Files that could not be read as certificates (binary, DER, damaged), at file:line:col. */
  unreadable: Diagnostic[];
}

export function diagnose(inputs: DoctorInputs): Diagnosis {
  const network = buildNetwork(parseDoctorFiles(inputs.files, new Set(inputs.explicit ?? [])));
  const visibility = whoSeesWhom(network);
  const certificates = collectCertificates(inputs.paths ?? []);
  const ctx: DoctorContext = { inputs, network, visibility, certificates };
  const findings = mergeSamePlace(RULES.flatMap((rule) => rule(ctx)));
  const notes = [...new Set(network.notes)];
  if (inputs.now === undefined && certificates.peers.length > 0) notes.push('certificates were not checked for expiry: no clock was given');
  return { findings: sortFindings(findings), network, visibility, notes, unreadable: certificateProblems(certificates) };
}

/** Reads files and folders (as `gossip-scope import` does) and diagnoses them. */
export function diagnosePaths(paths: string[], logs: string[] = [], clock: { now?: number; expiringWithinMs?: number } = {}): Diagnosis {
  const files = readDoctorPaths(paths);
  const explicit = files.map((f) => f.path).filter((p) => paths.includes(p));
  return diagnose({ files, paths, explicit, logs, ...clock });
}

/** A key written once (a shared core.yaml) gives one finding there, naming every peer it affects. */
function mergeSamePlace(fs: Finding[]): Finding[] {
  const byPlace = new Map<string, { f: Finding; also: string[] }>();
  for (const f of fs) {
    const k = `${f.rule}|${f.at.file}|${f.at.line}|${f.at.col}`;
    const seen = byPlace.get(k);
    if (!seen) {
      byPlace.set(k, { f: { ...f, affected: [...f.affected] }, also: [] });
      continue;
    }
    const fresh = f.affected.filter((a) => !seen.f.affected.includes(a));
    seen.f.affected.push(...fresh);
    if (f.what !== seen.f.what) seen.also.push(...fresh);
  }
  return [...byPlace.values()].map(({ f, also }) => (also.length > 0 ? { ...f, what: `${f.what} (the same for ${also.join(', ')})` } : f));
}
