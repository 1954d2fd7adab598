/**
 * Host <-> engine worker messages. The worker speaks the webview protocol (protocol.ts) for
 * everything the webview also sees, and adds what only the host asks for: opening a scenario,
 * exporting the trace, the metrics. Replies to host-only requests carry the request's id.
 */
import type { Diagnostic } from '../engine/scenario/load.js';
import type { RunSummary } from '../engine/sim/summary.js';
import type { ReplayExpectation } from '../engine/trace/saved-trace.js';
import type { FaultRequest, FromWebview, ToWebview, UiEvent, UiNetwork, UiPeerState, UiStatus, UiViolation } from './protocol.js';

export interface OpenRequest {
  type: 'open';
  /** Shown in messages and in the network's scenario.file. */
  file: string;
  /** The scenario's YAML (the editor's text, saved or not). */
  text: string;
  /** Simulated ms per real ms; 0 = as fast as possible. */
  speed: number;
  /** Trace events kept in memory, for inspection and export. */
  maxTraceEvents: number;
  /** Echoed in the answer; a reset's reopening has none. */
  openId?: number;
  /** Re-running a saved trace: its faults from the UI, and what the run must reproduce. */
  replay?: ReplaySpec;
  /** Live mode: every peer its own process on 127.0.0.1, real sockets and timers. */
  live?: boolean;
}

/** What a saved trace says of its run, checked when read (engine/trace/saved-trace.ts): its UI faults, end, count, hash and event lines. */
export type ReplaySpec = ReplayExpectation;

export type ToWorker =
  | OpenRequest
  | Exclude<FromWebview, { type: 'ready' | 'addInvariant' }>
  /** Runs until the next send of a message of this Fabric type (or the end of the run). */
  | { type: 'stepTo'; messageType: string }
  | { type: 'exportTrace'; requestId: number; path: string }
  /** A query invariant checked at every event from now on (and again after a reset). */
  | { type: 'addInvariantQuery'; requestId: number; name: string; holds: string }
  | { type: 'metrics'; requestId: number }
  /** The most recent trace events (at most `limit`), for a webview that starts over. */
  | { type: 'history'; requestId: number; limit: number }
  /** Closes the network: a live one's peer processes are stopped before the answer. */
  | { type: 'close'; requestId: number };

export type FromWorker =
  | Extract<ToWebview, { type: 'frame' | 'messageDetail' | 'peerDetail' | 'error' | 'figures' }>
  | { type: 'opened'; openId?: number; network: UiNetwork; status: UiStatus; states: UiPeerState[] }
  /** The network open before (if any) is still open. */
  | { type: 'openFailed'; openId?: number; message: string; diagnostics: Diagnostic[] }
  /** `events` written; `lost`: earlier events no longer in memory (maxTraceEvents). */
  | { type: 'exported'; requestId: number; path: string; events: number; lost: number }
  | { type: 'metrics'; requestId: number; summary: RunSummary }
  | { type: 'history'; requestId: number; events: UiEvent[] }
  | { type: 'closed'; requestId: number }
  | { type: 'requestFailed'; requestId: number; message: string }
  /** Added; one false now breaks only once it has held. */
  | { type: 'invariantAdded'; requestId: number; holdsNow: boolean }
  /** Not added: what is wrong with the query (`inQuery`: mending it helps), or with the network. */
  | { type: 'invariantRefused'; requestId: number; problem: string; inQuery: boolean }
  /** The run stopped where an invariant broke. */
  | { type: 'invariantBroken'; violation: UiViolation }
  /** A replay reached the recorded end: the same events and trace hash, or where it went apart. */
  | { type: 'replayChecked'; ok: boolean; message: string }
  /** A line for the "Gossip Scope" output channel: what a live run refused or dropped, and why. */
  | { type: 'log'; line: string }
  /** A live peer's process ended when the scenario did not end it: "peer1.org1 exited (SIGTERM) at 3.2 s". */
  | { type: 'peerExited'; message: string };

export type WorkerRequest = Extract<ToWorker, { requestId: number }>;
export type WorkerReply = Extract<FromWorker, { requestId: number }>;
