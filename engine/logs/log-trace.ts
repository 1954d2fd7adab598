/**
 * A log reading as the engine's trace: the JSON Lines header every trace starts with (marked
 * `source: 'fabric-logs'`, so it is read, never replayed) and the per-peer summary the CLI prints.
 */
import { TRACE_VERSION, type TraceHeader } from '../trace/events.js';
import { peerViews, publishedHeight } from './peer-view.js';
import type { LogReading } from './read-logs.js';

export interface LogTraceHeader extends TraceHeader {
  source: 'fabric-logs';
  files: string[];
  /** Wall-clock ms since the epoch of trace time 0. */
  start: number;
}

export function logTraceHeader(r: LogReading, files: string[]): LogTraceHeader {
  return { traceVersion: TRACE_VERSION, scenario: `Fabric logs: ${files.join(', ')}`, seed: 0, peers: r.peers.map((p) => p.name), source: 'fabric-logs', files, start: r.start };
}

export interface LoggedPeerSummary {
  name: string;
  endpoint: string;
  pkiId: string;
  /** Its own height as StateInfo from it told the others. */
  height: number;
  /** Highest block it handled (channel message store). */
  block: number;
  alive: number;
  dead: number;
  leader: boolean | null;
  warnings: number;
  received: Record<string, number>;
  sent: Record<string, number>;
}

export function summariseLogs(r: LogReading): LoggedPeerSummary[] {
  const views = peerViews(r.events, r.peers.length);
  return r.peers.map((p, i) => ({
    name: p.name,
    endpoint: p.endpoint,
    pkiId: p.pkiId,
    height: publishedHeight(views, i),
    block: views[i].block,
    alive: views[i].alive.size,
    dead: views[i].dead.size,
    leader: views[i].leader,
    warnings: views[i].warnings,
    received: views[i].received,
    sent: views[i].sent,
  }));
}
