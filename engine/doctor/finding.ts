/**
 * Fabric Doctor's unit of output: one thing wrong with a real network's gossip, said where it is
 * written (file:line:col), what Fabric does because of it (the log line it writes and where in
 * Fabric's source), who it touches, and the fix as the exact key or environment variable.
 * Every rule returns these; the CLI prints them, VS Code turns them into diagnostics.
 */
import type { Origin } from '../import/yaml-source.js';

export type Severity = 'error' | 'warning' | 'info';

/** A mechanical edit that fixes a finding (VS Code offers it as a Quick Fix). */
export interface FindingEdit {
  /** In words, for the Quick Fix menu: "Add CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org1.example.com:7051". */
  title: string;
  file: string;
  /** 1-based position where `text` is inserted, replacing `length` characters there. */
  line: number;
  col: number;
  length: number;
  text: string;
}

/** What Fabric itself writes or does because of the mistake, with the Go source that does it. */
export interface FabricConsequence {
  /** The log line, verbatim where Fabric logs one ("External endpoint is empty, peer will not be accessible outside of its organization"). */
  log?: string;
  /** What happens, in words, when there is no single log line (a panic, a silence). */
  effect: string;
  /** Path in hyperledger/fabric: gossip/gossip/gossip_impl.go. */
  source: string;
}

/** Which mistake this is, stable for tests, `--json` and the "Show me" replays. */
export type RuleId =
  | 'anchor-missing'
  | 'anchor-not-a-peer'
  | 'anchor-other-org'
  | 'external-endpoint-missing'
  | 'bootstrap-self'
  | 'bootstrap-other-org'
  | 'bootstrap-unknown'
  | 'endpoint-port-mismatch'
  | 'leader-election-and-org-leader'
  | 'no-block-source'
  | 'cert-wrong-ca'
  | 'tls-san-mismatch'
  | 'cert-expired'
  | 'cert-expiring'
  | 'pdc-required-unreachable'
  | 'pdc-max-below-required'
  | 'log-connect-failures'
  | 'log-identity-rejected'
  | 'log-pkiid-not-found'
  | 'log-pkiid-changed'
  | 'log-membership-flapping';

export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** Where the mistake is written (or, for a missing key, the place it belongs). */
  at: Origin;
  /** What is wrong, one sentence. */
  what: string;
  fabric: FabricConsequence;
  /** Peers (peer0.org1.example.com) or orgs (Org2MSP) affected. */
  affected: string[];
  /** The fix: the exact key or variable and value, in words. */
  fix: string;
  /** Present when the fix is a mechanical edit. */
  edit?: FindingEdit;
}

/** `file:line:col: severity: what` (the CLI's line; the rest follows indented). */
export function findingLine(f: Finding): string {
  return `${f.at.file}:${f.at.line}:${f.at.col}: ${f.severity}: ${f.what}`;
}

/** Findings in a stable order: by file, then position, then rule. */
export function sortFindings(fs: Finding[]): Finding[] {
  return [...fs].sort(
    (a, b) => a.at.file.localeCompare(b.at.file) || a.at.line - b.at.line || a.at.col - b.at.col || a.rule.localeCompare(b.rule),
  );
}
