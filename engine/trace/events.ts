/**
 * Trace events: every send, delivery, drop, rejection, verification, timer and state change,
 * each with the id of the event that caused it (`parent`), so a message's history can be
 * followed back. Peers are numbered (index into the trace header's `peers`); JSON Lines export
 * writes the same objects.
 */
export const TRACE_VERSION = 1;

export type TraceKind =
  | 'send' // a peer handed a message to its connection
  | 'deliver' // the message arrived and the receiver took it in
  | 'drop' // lost before it was handled: network loss, full send buffer, no connection, peer down
  | 'reject' // the receiver handled it and refused it, with Fabric's reason
  | 'verify' // a signature (or block) check at a receiver: reason is 'valid' or why it failed
  | 'timer' // a protocol timer fired
  | 'state' // a peer's state changed (membership, ledger, leadership, connections)
  | 'log' // a line Fabric would log that is not one of the above
  | 'fault'; // an injected fault

export interface TraceEvent {
  id: number;
  /** Simulated ms since start. */
  t: number;
  kind: TraceKind;
  /** The peer where it happened (sender for send/drop, receiver for the rest); -1 = the orderer/network. */
  peer: number;
  /** The other end of a message: receiver for send/drop, sender for deliver/reject/verify. */
  other?: number;
  /** Fabric message type name (AliveMessage, DataMessage, ...). */
  type?: string;
  /** Message id: every message object created gets one; sends of the same object share it. */
  msg?: number;
  /** Id of the event during which this one happened. */
  parent?: number;
  /** Reason in Fabric's words (drop/reject/verify) or the timer's name. */
  reason?: string;
  /** Kind-specific details: e.g. {what: 'dead', member: 3} for state events. */
  data?: Record<string, unknown>;
}

/** The first line of an exported trace. */
export interface TraceHeader {
  traceVersion: number;
  scenario: string;
  seed: number;
  peers: string[];
}
