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
}

/** What every rule gets. */
export interface DoctorContext {
  inputs: DoctorInputs;
  network: DoctorNetwork;
  /** Undefined past MAX_MATRIX_PEERS peers. */
  visibility?: Visibility;
}

export type Rule = (ctx: DoctorContext) => Finding[];

export const RULES: Rule[] = [
  (c) => anchorFindings(c.network, c.visibility),
  (c) => endpointFindings(c.network, c.visibility),
  (c) => bootstrapFindings(c.network),
  (c) => deliveryFindings(c.network),
  // ── doctor-more: rule groups 5–7 go here ────────────────────────────────────────────────
  // import { identityFindings } from './identity-rules.js';     (certificates: cert-wrong-ca, tls-san-mismatch, cert-expired, cert-expiring)
  // import { privateDataFindings } from './privdata-rules.js';  (pdc-required-unreachable, pdc-max-below-required)
  // import { logFindings } from './log-rules.js';               (log-*: reads ctx.inputs.logs)
  // then add `identityFindings, privateDataFindings, logFindings,` (each a Rule: (ctx) => Finding[]).
  // ─────────────────────────────────────────────────────────────────────────────────────────
];

export interface Diagnosis {
  findings: Finding[];
  network: DoctorNetwork;
  visibility?: Visibility;
  /** What was read but not checked, in words. */
  notes: string[];
}

export function diagnose(inputs: DoctorInputs): Diagnosis {
  const network = buildNetwork(parseDoctorFiles(inputs.files, new Set(inputs.explicit ?? [])));
  const visibility = whoSeesWhom(network);
  const ctx: DoctorContext = { inputs, network, visibility };
  const findings = mergeSamePlace(RULES.flatMap((rule) => rule(ctx)));
  return { findings: sortFindings(findings), network, visibility, notes: [...new Set(network.notes)] };
}

/** Reads files and folders (as `gossip-scope import` does) and diagnoses them. */
export function diagnosePaths(paths: string[], logs: string[] = []): Diagnosis {
  const files = readDoctorPaths(paths);
  const explicit = files.map((f) => f.path).filter((p) => paths.includes(p));
  return diagnose({ files, paths, explicit, logs });
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
