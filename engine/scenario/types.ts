/**
 * A loaded, validated scenario: what the user wrote, with every default made explicit.
 * The YAML contract is in DESIGN.md ("The scenario file"); durations here are milliseconds.
 */
import type { HandOp } from '../kernel/kernel.js';
import type { EffectiveConfig, ProfileName } from '../fabric/config.js';
import type { ConfigSource, PeerConfig } from './peer-config.js';
import type { ProcessingSpec } from '../sim/processing.js';

/** A position in the scenario file, 1-based, for messages that point at what the user wrote. */
export interface SourcePos {
  line: number;
  col: number;
}

export interface OrgSpec {
  mspId: string;
  /** Short name used in peer ids: `Org1MSP` → `org1`. */
  name: string;
  /** DNS domain of the org's peers: `org1.example.com`. */
  domain: string;
  peers: number;
  /** Peer names (`peer0`) that are anchor peers for every channel the org joins. */
  anchorPeers: string[];
  /** Peer names each peer of the org contacts at start (core.yaml `peer.gossip.bootstrap`). */
  bootstrap: string[];
  /** Peer names that publish an external endpoint (visible to other orgs). */
  externalEndpoints: string[];
}

export interface CollectionSpec {
  name: string;
  /** MSP IDs whose peers may hold the private data. */
  memberOrgs: string[];
  requiredPeerCount: number;
  maxPeerCount: number;
  /** Private transactions for this collection in each block. */
  txPerBlock: number;
}

export interface ChannelSpec {
  name: string;
  orgs: string[]; // MSP IDs
  collections: CollectionSpec[];
}

export interface OrdererSpec {
  batchTimeout: number;
  blocks: number;
  txPerBlock: number;
  /** When the first block is cut (ms after start). */
  start: number;
}

export interface LatencySpec {
  min: number;
  max: number;
}

export interface LinkSpec {
  between: [string, string]; // peer ids
  latency?: LatencySpec;
  loss?: number;
}

export interface NetworkSpec {
  latency: LatencySpec;
  loss: number;
  links: LinkSpec[];
}

/** One peer that starts later than time 0 (a late joiner). */
export interface PeerStartSpec {
  peer: string;
  at: number;
}

export interface LinkRule {
  /** The two peers of the link (both directions); null: every link. */
  between: [string, string] | null;
  loss: number;
  delay: number;
  jitter: number;
  duplicate: number;
  reorder: number;
}

export interface TamperRule {
  from: string;
  to: string | null;
  /** Fabric type name, or null for any. */
  type: string | null;
  mode: 'flip' | 'strip-signature';
  count: number;
}

export type FaultAction =
  | { kind: 'crash'; peer: string }
  | { kind: 'restart'; peer: string }
  | { kind: 'pause'; peer: string }
  | { kind: 'resume'; peer: string }
  | { kind: 'partition'; groups: string[][] } // each group: MSP IDs, peer ids or 'orderer'
  | { kind: 'heal' }
  /** A link rule for the window [at, until). */
  | { kind: 'link'; rule: LinkRule; until: number }
  | { kind: 'tamper'; rule: TamperRule }
  /** The peer's certificate expires now (set as its NotAfter when the network is created). */
  | { kind: 'expire'; peer: string }
  | { kind: 'byzantine'; peer: string; behaviour: ByzantineBehaviour; target: string | null; channel: string | null }
  /**
   * The user's choice in the scheduler's place: waiting event `event` (a message in flight or
   * a timer, by its queue number) runs next, is dropped, arrives twice, or is delayed by `ms`.
   */
  | { kind: 'hand'; op: HandOp; event: number; ms: number };

export const BYZANTINE_BEHAVIOURS = ['forge-alive', 'replay-alive', 'high-s', 'untrusted-ca', 'wrong-channel', 'withhold', 'flood'] as const;
export type ByzantineBehaviour = (typeof BYZANTINE_BEHAVIOURS)[number];

export interface FaultSpec {
  at: number;
  action: FaultAction;
  pos?: SourcePos;
}

export type ExpectationCheck =
  | { kind: 'height'; height: number; channel: string | null }
  | { kind: 'dead'; peer: string }
  | { kind: 'alive'; peer: string }
  | { kind: 'leaderIn'; org: string; channel: string | null }
  | { kind: 'converged' }
  | { kind: 'rejected'; text: string }
  | { kind: 'noPrivateDataAt'; org: string }
  | { kind: 'behind'; peer: string };

export interface Expectation {
  check: ExpectationCheck;
  /** Simulated ms by which it must hold. */
  by: number;
  /** The lesson's words, or a generated description. */
  text: string;
  pos?: SourcePos;
}

/** A property the scenario says holds at every event (`invariants:`), in the query language. */
export interface Invariant {
  /** The query that must stay true (truthy). */
  holds: string;
  /** How it is named in reports: the scenario's `name:`, or the query itself. */
  name: string;
  pos?: SourcePos;
}

export interface Scenario {
  name: string;
  /** The file it came from, for messages; `<inline>` for strings. */
  file: string;
  seed: number;
  profile: ProfileName;
  orgs: OrgSpec[];
  channels: ChannelSpec[];
  orderer: OrdererSpec;
  /** The profile's configuration with the scenario's `gossip:` overrides applied. */
  config: EffectiveConfig;
  /** Which keys of `config` the scenario's `gossip:` set (the rest are the profile's). */
  configSources: Record<string, ConfigSource>;
  /** Peers with values of their own (an org's `gossip:`, `peers.config`); see peer-config.ts. */
  peerConfigs: Record<string, PeerConfig>;
  network: NetworkSpec;
  /** Peers pinned to a start time (`peers.start`); the others start within startWindow. */
  lateJoiners: PeerStartSpec[];
  /** ms over which the unpinned peers' start instants are spread (`peers.startWindow`); 0: all at 0. */
  startWindow: number;
  /** Every peer's processing time (`peers.processing`), and peers with their own (`peers.config`). */
  processing: ProcessingSpec;
  peerProcessing: Record<string, ProcessingSpec>;
  /** Certificates that expire during the run: `at` is the certificate's NotAfter. */
  certExpiry: PeerStartSpec[];
  faults: FaultSpec[];
  run: { until: number };
  /** What Fabric would run but the user should know (a 0 read as "unset", an expiry after the end): `file:line:col` each. */
  warnings?: { file: string; line: number; col: number; message: string }[];
  /** Lesson text: what the scenario shows and what to watch for. */
  description?: string;
  /** Lesson checks (`expect:`). */
  expect: Expectation[];
  /** Properties checked at every event besides the built-in ones (`invariants:`). */
  invariants: Invariant[];
}
