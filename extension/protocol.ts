/**
 * The one typed protocol between the extension host and the Gossip Scope webview (and between
 * the host and the engine worker, which speaks the same messages). Both sides import only these
 * types; nothing here may import engine code or `vscode`.
 *
 * Versioned: a webview that receives an `init` with another protocolVersion reloads itself.
 */
import type { Figures } from '../engine/figures/types.js';

export const PROTOCOL_VERSION = 1;

/** One trace event as the UI receives it (the engine's TraceEvent, JSON-safe). */
export interface UiEvent {
  id: number;
  t: number;
  kind: 'send' | 'deliver' | 'drop' | 'reject' | 'verify' | 'timer' | 'state' | 'log' | 'fault';
  peer: number; // -1: the orderer / the network
  other?: number;
  type?: string; // Fabric message type name
  msg?: number; // message id (for inspectMessage)
  parent?: number;
  /** drop/reject: Fabric's reason; verify: 'valid' or why not; timer: its name; state: what changed. */
  reason?: string;
  data?: Record<string, unknown>;
  /**
   * reject: a rejection that real Fabric also logs while peers start up and learn each other's
   * identities (see reason-notes.ts); harmless then, so the UI explains it and can hide it.
   */
  benign?: true;
}

export interface UiPeer {
  idx: number;
  id: string; // peer0.org1
  mspId: string;
  org: string; // org1
  endpoint: string; // external endpoint, '' when none
  internalEndpoint: string;
  channels: string[];
}

/** The state of one peer that the graph colours and the tree view lists. */
export interface UiPeerState {
  idx: number;
  running: boolean;
  /** Ledger height per channel. */
  height: Record<string, number>;
  /** Leader (pulls from the orderer) per channel. */
  leader: Record<string, boolean>;
  /** Alive members it sees, and the dead ones it remembers. */
  alive: number;
  dead: number;
  /** Its height is below the highest cut block on some channel. */
  behind: boolean;
  /** Paused (the pause fault): up, connections open, answering nothing. */
  paused?: boolean;
  /** It has started in this run (a peer that is not running is crashed if so, else not started yet). */
  started?: boolean;
  /** How many of the other peers (running, not paused) hold it dead now, and when the last of them declared it (absent: none does). */
  declaredDead?: { by: number; of: number; at: number };
  /** Not running because it stopped cleanly (a Fabric log's "Stopping gossip"): not a crash. */
  stopped?: boolean;
  /** A live peer whose process ended outside the scenario: "exited (SIGTERM)". */
  exited?: string;
}

/** A fault in force now, as the graph marks it and the fault bar lists it. */
export interface UiActiveFault {
  /** Stable while the fault lasts (the bar and the graph update in place). */
  key: string;
  kind: 'crash' | 'pause' | 'partition' | 'link' | 'tamper' | 'byzantine';
  /** One line: what it is and whom it affects. */
  label: string;
  /** Peers it marks on the graph. */
  peers: number[];
  /** partition: the groups (peer indexes; -1 the orderer); links between groups are cut. */
  groups?: number[][];
  /** Simulated ms when it ends by itself, if it does. */
  until?: number;
}

export interface UiNetwork {
  scenario: { name: string; file: string; description?: string; seed: number; profile: string };
  /** Read from logs: a recording to replay (its files), not a run to change. */
  recording?: { files: string[] };
  orgs: { mspId: string; name: string }[];
  channels: { name: string; orgs: string[] }[];
  peers: UiPeer[];
}

export type RunState = 'paused' | 'running' | 'finished';

/** A lesson's expectation (scenario `expect:`), as it stands now. */
export interface UiExpectation {
  text: string;
  status: 'pending' | 'met' | 'failed';
  /** Simulated ms when it (last) became true. */
  at: number | null;
  detail?: string;
}

export interface UiStatus {
  simTime: number;
  events: number;
  state: RunState;
  speed: number; // simulated ms per real ms; 0 = as fast as possible
  until: number;
  /** The lesson's expectations, ticked off as they come true (absent when it has none). */
  expectations?: UiExpectation[];
  /** Faults in force now (absent: none). */
  faults?: UiActiveFault[];
  /** The invariants checked at every event, and those broken so far. */
  invariants?: UiInvariants;
  /** The engine's number for the frame carrying this status: the panel says when it has shown it (frameShown). */
  frame?: number;
  /** Running slower than `speed`: the simulated ms per real ms it has kept lately. */
  keptSpeed?: number;
}

/** Invariants of the run: four built in, the scenario's and the panel's queries, what broke. */
export interface UiInvariants {
  builtIn: string[];
  /** The built-in ones that have broken in this run. */
  builtInBroken: string[];
  /** `hasBroken`: at least once in this run (the list below keeps only the latest). */
  queries: { name: string; holds: string; fromPanel: boolean; hasBroken: boolean }[];
  /** The latest violations, oldest first; the run stops at each (like a breakpoint). */
  broken: UiViolation[];
}

export interface UiViolation {
  invariant: string;
  detail: string;
  /** Simulated ms and trace event id of the event that broke it. */
  t: number;
  eventId: number;
  peer?: string;
}

/**
 * The speeds offered everywhere (the panel's list and the palette's Set Speed…): simulated
 * milliseconds per real millisecond, 0 = as fast as possible.
 */
export const SPEED_CHOICES: readonly { speed: number; label: string }[] = [
  { speed: 0.1, label: '0.1× (slow motion)' },
  { speed: 0.25, label: '¼×' },
  { speed: 1, label: '1× (real time)' },
  { speed: 5, label: '5×' },
  { speed: 20, label: '20×' },
  { speed: 100, label: '100×' },
  { speed: 0, label: 'As fast as possible' },
];

/**
 * The move the user just made, when the source knows it (a debug stop): the step note describes
 * it at its own time, however many events the frame carries (a continue to a breakpoint carries
 * thousands; a step back carries none).
 */
export interface UiStep {
  /** One step forward; a run that stopped (at a breakpoint, a pause, …); or back in time. */
  how: 'step' | 'stop' | 'back';
  /** Why a run stopped ('breakpoint', 'pause', 'exception', …). */
  reason?: string;
  /** The events of the step that led to this moment (empty at the start of the run). */
  events: UiEvent[];
}

/** Every field of a message, decoded, with its bytes and its signature examined. */
export interface MessageDetail {
  msg: number;
  type: string;
  /** The decoded GossipMessage; 64-bit numbers and bytes rendered as strings (decimal, hex). */
  fields: unknown;
  /** Envelope bytes as hex (the payload exactly as signed). */
  payloadHex: string;
  size: number;
  signature: null | {
    derHex: string;
    r: string; // hex
    s: string; // hex
    lowS: boolean;
  };
  /** Who signed it: the identity the verifier used. */
  signer: null | {
    mspId: string;
    subject: string;
    issuer: string;
    notBefore: string;
    notAfter: string;
    pkiId: string;
  };
  /** Verification verdicts at receivers, from the trace (recent events only). */
  verdicts: { peer: number; ok: boolean; reason: string }[];
  secretEnvelope: boolean;
  /** Read from a Fabric log, which prints sizes and fields but no bytes: what it showed. */
  logged?: { signatureBytes: number | null; sent: boolean; received: boolean };
  /** Copies of it a tamper fault altered in flight (absent: none). */
  tampered?: UiTamperedCopy[];
}

/** One copy of a message a tamper fault altered on its way: the envelope as sent and as received. */
export interface UiTamperedCopy {
  from: number;
  to: number;
  /** Simulated ms when it left. */
  t: number;
  /** "signature stripped", "payload byte 12 flipped". */
  what: string;
  /** The whole envelope, hex, as the sender wrote it and as the receiver got it. */
  sentHex: string;
  receivedHex: string;
  /** The one stretch that differs: its envelope offset and its bytes before and after (hex). */
  changed: { at: number; sentHex: string; receivedHex: string };
  /** Whether the received bytes still decode as a GossipMessage (if not, the receiver's decoder refused them). */
  decodes: boolean;
}

export interface PeerDetail {
  idx: number;
  id: string;
  running: boolean;
  /** Up but paused: answers nothing (others will declare it dead by its silence). */
  paused?: boolean;
  /** false: not started yet in this run (not running, but not crashed either). */
  started?: boolean;
  pkiId: string;
  /** When its process (last) started, simulated ms; absent when unknown. */
  startedAt?: number;
  /** Its effective peer.gossip.* values and where each came from (profile, network, org, peer). */
  config?: { key: string; value: string; from: string }[];
  membership: { alive: { id: string; lastSeen: number }[]; dead: { id: string; lastSeen: number }[] };
  /** The other peers that hold this one dead now, earliest first, and how many others run unpaused (absent: not watched). */
  declaredDead?: { of: number; by: { id: string; at: number }[] };
  channels: {
    name: string;
    height: number;
    leader: boolean;
    /** Peers of the channel as this peer knows them from StateInfo. */
    stateInfo: { id: string; height: number }[];
    worldState: { key: string; value: string }[];
  }[];
}

export type ByzantineKind = 'forge-alive' | 'replay-alive' | 'high-s' | 'wrong-channel' | 'withhold' | 'flood';

/** Faults the UI can inject (the engine's FaultAction shapes, as JSON). */
export type FaultRequest =
  | { kind: 'crash'; peer: string }
  | { kind: 'restart'; peer: string }
  | { kind: 'pause'; peer: string }
  | { kind: 'resume'; peer: string }
  | { kind: 'partition'; groups: string[][] }
  | { kind: 'heal' }
  /** Tamper with the next `count` messages from a peer (optionally to one peer, of one type). */
  | { kind: 'tamper'; rule: { from: string; to: string | null; type: string | null; mode: 'flip' | 'strip-signature'; count: number } }
  /** For the next `forMs`: lose a share of the messages on a link (both ways), and/or delay them. */
  | { kind: 'link'; between: [string, string]; loss: number; delay: number; forMs: number }
  | { kind: 'byzantine'; peer: string; behaviour: ByzantineKind; target: string | null; channel: string | null }
  /** Deliver by hand: waiting event `event` (PeerDetail.pending) runs next, is dropped, arrives twice, or waits `ms` more. */
  | { kind: 'hand'; op: 'next' | 'drop' | 'duplicate' | 'delay'; event: number; ms: number };

/** The user's settings that change how the webview draws (gossipScope.* in VS Code). */
export interface UiSettings {
  /** Animate messages as dots along the edges (gossipScope.animation). */
  animation: boolean;
}

/** Host → webview. */
export type ToWebview =
  | {
      type: 'init';
      protocolVersion: number;
      network: UiNetwork;
      status: UiStatus;
      states: UiPeerState[];
      settings?: UiSettings;
      /** The most recent events, oldest first: a panel shown again (or reloaded) starts from them. */
      history?: UiEvent[];
    }
  /** A batch of everything that happened since the last frame (sent at most ~30 times a second). */
  | { type: 'frame'; status: UiStatus; events: UiEvent[]; states: UiPeerState[]; skipped: number; step?: UiStep }
  | { type: 'messageDetail'; detail: MessageDetail | null; msg: number }
  | { type: 'peerDetail'; detail: PeerDetail | null; idx: number }
  | { type: 'select'; what: 'peer'; idx: number }
  /** Open a message in the inspector (chosen in the tree view's recent messages). */
  | { type: 'select'; what: 'message'; msg: number }
  | { type: 'error'; message: string }
  /** The run's charts (engine/figures), answering a `figures` request; null when there is none. */
  | { type: 'figures'; figures: Figures | null }
  /** A pause was asked for elsewhere (the palette, a key): show it at once, frames on their way still say running. */
  | { type: 'pausing' }
  /** The user changed a setting while the panel was open. */
  | ({ type: 'settings' } & UiSettings);

/** Webview → host. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'control'; action: 'run' | 'pause' | 'step' | 'stepBack' | 'reset'; until?: number }
  | { type: 'speed'; speed: number }
  | { type: 'inspectMessage'; msg: number }
  | { type: 'inspectPeer'; idx: number }
  /** The figures of the run so far (the charts pane asks while it is open). */
  | { type: 'figures' }
  | { type: 'fault'; fault: FaultRequest }
  /** Asks the host for Add Invariant… (its input box); the host answers through the status. */
  | { type: 'addInvariant' }
  /** The panel has drawn the frame whose status.frame is `seq`: the run may get a frame further. */
  | { type: 'frameShown'; seq: number };
