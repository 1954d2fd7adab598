/**
 * Reads Fabric peers' gossip debug logs (FABRIC_LOGGING_SPEC=gossip=debug) into the engine's
 * trace: each send matched with its receipt by the message's identity, membership, StateInfo
 * heights, leadership and warnings in Fabric's words, ordered by happened-before where the
 * hosts' clocks disagree. Nothing is dropped quietly: lines that are not Fabric log lines,
 * lines no peer can be named for, and sends or receipts without their other half are counted
 * (and listed, unparsed lines as a bounded sample). The reading itself is FabricLogReader's,
 * one line at a time; here are its shapes and the two ways in: files from paths, read as
 * streams, or texts already in memory.
 */
import type { TraceEvent } from '../trace/events.js';
import { checkLogPaths, streamLogFile } from './files.js';
import { FabricLogReader } from './log-reader.js';
import type { LogPeer } from './peers.js';

export interface LogFile {
  path: string;
  text: string;
}

/** Where a line is: `peer0.log:120`. */
export interface LineRef {
  file: string;
  line: number;
  text: string;
}

/** A line that is not one of Fabric's: where, why, and its start (`length`: the whole line's, when cut). */
export interface UnparsedLine extends LineRef {
  col: number;
  reason: string;
  length?: number;
}

export interface LoggedMessage {
  msg: number;
  type: string;
  text: string;
  fields: Record<string, string>;
  from: number;
  to: number;
  sent?: LineRef & { time: number };
  received?: LineRef & { time: number };
}

export interface LogReading {
  peers: LogPeer[];
  events: TraceEvent[];
  messages: Map<number, LoggedMessage>;
  /** Earliest timestamp (ms since the epoch): trace time 0. */
  start: number;
  stats: {
    lines: number;
    parsed: number;
    blank: number;
    /** Lines that are not Fabric log lines: how many, and the first few. */
    unparsed: number;
    unparsedSample: UnparsedLine[];
    /** Parsed lines no peer can be named for (a shared process's untagged comm logger). */
    unattributed: number;
    sends: number;
    receipts: number;
    matched: number;
    unmatchedSends: LineRef[];
    unmatchedReceipts: LineRef[];
    /** Receipts whose timestamp is earlier than their send's: clocks disagree. */
    reordered: number;
    /** Causal cycles that had to be broken by timestamp (should be 0). */
    conflicts: number;
    byType: Record<string, { sent: number; received: number; matched: number }>;
  };
}

/** Log texts already in memory (tests, small logs). */
export function readFabricLogs(files: LogFile[]): LogReading {
  const reader = new FabricLogReader(files.map((f) => f.path));
  for (const { path, text } of files) {
    let lineNo = 0;
    let from = 0;
    while (from < text.length) {
      let nl = text.indexOf('\n', from);
      if (nl < 0) nl = text.length;
      const line = text.slice(from, nl);
      reader.line(line.endsWith('\r') ? line.slice(0, -1) : line, path, ++lineNo);
      from = nl + 1;
    }
  }
  return reader.finish();
}

/** Log files, each read as a stream (gzip or not): memory holds what the reading keeps, not the files. */
export async function readFabricLogFiles(paths: string[]): Promise<LogReading> {
  checkLogPaths(paths);
  const reader = new FabricLogReader(paths);
  for (const path of paths) await streamLogFile(path, (text, lineNo, cut) => reader.line(text, path, lineNo, cut));
  return reader.finish();
}
