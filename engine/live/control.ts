/**
 * The control channel of a live run: each peer process connects to the controller over a
 * WebSocket bound to 127.0.0.1 with its own credential (credentials.ts); a connection without
 * one, from a browser, or for a peer already connected is refused before it can say anything.
 * The credential says which peer the connection is: a report for another peer, a second hello
 * or a message that is not a report is dropped, with the reason logged. Peers report their
 * state; the controller pauses, resumes, stops.
 */
import type { IncomingMessage } from 'node:http';
import Ajv from 'ajv';
import { WebSocketServer, type WebSocket } from 'ws';
import { guardUpgrade, holderOfRequest, type Credentials } from './credentials.js';
import type { MessageDetail, PeerDetail } from '../../extension/protocol.js';
import type { ByzantineBehaviour } from '../scenario/types.js';
import type { TraceEvent } from '../trace/events.js';

/** Peer process → controller. */
export type PeerReport =
  /** Sent once it listens for peers; it starts its protocol only on `go`. */
  | { type: 'hello'; id: string; pid: number }
  /** Trace events since the last batch; times are ms since `startedAt` (wall clock). */
  | { type: 'events'; id: string; startedAt: number; events: TraceEvent[] }
  | {
      type: 'status';
      id: string;
      height: Record<string, number>;
      leader: Record<string, boolean>;
      membership: string[];
      dead: string[];
      events: number;
      /** Wall-clock ms at which its oldest held message arrived (stepping), when it holds one. */
      oldestHeld: number | null;
      /** World-state digest per channel. */
      worldState: Record<string, string>;
      /** Messages by type and fate, rejections by reason (the trace's counters). */
      messages: { sent: Record<string, number>; delivered: Record<string, number>; dropped: Record<string, number>; dropReasons: Record<string, number>; rejected: Record<string, number> };
      /** channel → block → wall-clock ms of its commit here. */
      commits: Record<string, Record<string, number>>;
    }
  /** The answer to an `inspect` command. */
  | { type: 'detail'; id: string; requestId: number; message?: MessageDetail | null; peer?: PeerDetail };

/** Controller → peer process. */
export type ControlCommand =
  /** Every peer listens now: start the protocol (its first dials find the others up). */
  | { type: 'go' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Peers (by trace index) in groups that cannot reach each other; null heals. */
  | { type: 'partition'; groups: number[][] | null }
  /** Stepping: hold every received message in a gate (on), or let them all through (off). */
  | { type: 'hold'; on: boolean }
  /** Stepping: take in the oldest held message. */
  | { type: 'release' }
  /** Link rules in force: between two peers (trace indexes; -1 = any), loss, delay, jitter, duplication, reordering, until a wall-clock time. */
  | { type: 'links'; rules: LiveLinkRule[] }
  /** This peer turns Byzantine (the target by trace index, when the behaviour has one). */
  | { type: 'byzantine'; behaviour: ByzantineBehaviour; target: number | null; channel: string | null }
  /** Tamper with the next messages this peer sends. */
  | { type: 'tamper'; rule: LiveTamperRule }
  /** For the inspector: a message it sent or received (by id), or, without one, the peer itself. */
  | { type: 'inspect'; requestId: number; msg?: number };

export interface LiveLinkRule {
  a: number;
  b: number;
  loss: number;
  delay: number;
  /** Up to this many ms more, at random, per message. */
  jitter: number;
  /** Share of messages sent twice. */
  duplicate: number;
  /** Share of messages that may overtake earlier ones. */
  reorder: number;
  /** Wall-clock ms when the rule ends. */
  until: number;
}

export interface LiveTamperRule {
  /** Receiver (trace index), -1 for any. */
  to: number;
  /** Fabric type name, null for any. */
  type: string | null;
  mode: 'flip' | 'strip-signature';
  count: number;
}

export interface ControlServer {
  /** ws://127.0.0.1:port/ : where a peer process connects (with its credential as a bearer token). */
  url: string;
  send(id: string, cmd: ControlCommand): void;
  close(): Promise<void>;
}

/** The largest report taken (bytes): a batch of 5,000 trace events is about 2 MB. */
const MAX_REPORT_BYTES = 32 * 1024 * 1024;

const counts = { type: 'object', additionalProperties: { type: 'number' } };
const byChannel = (values: object) => ({ type: 'object', additionalProperties: values });
const messages = { type: 'object', required: ['sent', 'delivered', 'dropped', 'dropReasons', 'rejected'], properties: { sent: counts, delivered: counts, dropped: counts, dropReasons: counts, rejected: counts } };
const event = { type: 'object', required: ['id', 't', 'kind', 'peer'], properties: { id: { type: 'number' }, t: { type: 'number' }, kind: { type: 'string' }, peer: { type: 'integer' }, other: { type: 'integer' }, type: { type: 'string' }, msg: { type: 'number' }, reason: { type: 'string' }, data: { type: 'object' } } };
const strings = { type: 'array', items: { type: 'string' }, maxItems: 100_000 };
/** A PeerReport, by type (the shapes above). */
const REPORT_SCHEMA = {
  type: 'object',
  discriminator: { propertyName: 'type' },
  required: ['type'],
  oneOf: [
    { properties: { type: { const: 'hello' }, id: { type: 'string' }, pid: { type: 'integer', minimum: 1 } }, required: ['id', 'pid'] },
    { properties: { type: { const: 'events' }, id: { type: 'string' }, startedAt: { type: 'number' }, events: { type: 'array', items: event, maxItems: 5000 } }, required: ['id', 'startedAt', 'events'] },
    {
      properties: {
        type: { const: 'status' }, id: { type: 'string' }, height: counts, leader: byChannel({ type: 'boolean' }), membership: strings, dead: strings, events: { type: 'integer', minimum: 0 },
        oldestHeld: { type: ['number', 'null'] }, worldState: byChannel({ type: 'string' }), messages, commits: byChannel(counts),
      },
      required: ['id', 'height', 'leader', 'membership', 'dead', 'events', 'oldestHeld', 'worldState', 'messages', 'commits'],
    },
    { properties: { type: { const: 'detail' }, id: { type: 'string' }, requestId: { type: 'integer' }, message: { type: ['object', 'null'] }, peer: { type: 'object' } }, required: ['id', 'requestId'] },
  ],
};

const validReport = new Ajv({ discriminator: true, allErrors: false, strictTypes: false }).compile(REPORT_SCHEMA);

/** Why a control message is not a report from peer `id`, or null when it is one. */
export function reportProblem(data: unknown, id: string): string | null {
  if (!validReport(data)) {
    const e = validReport.errors![0];
    return `not a report: ${e.instancePath || 'the message'} ${e.message ?? 'is not valid'}`;
  }
  const r = data as PeerReport;
  if (r.id !== id) return `a ${r.type} report for ${JSON.stringify(r.id).slice(0, 60)} on ${id}'s connection`;
  return null;
}

/**
 * The control channel: `onReport` gets every valid report of a connected peer (the id is the
 * one its credential names), `onGone` a peer whose connection closed, `log` what was refused.
 */
export async function startControlServer(credentials: Credentials, onReport: (r: PeerReport) => void, onGone: (id: string) => void, log: (s: string) => void): Promise<ControlServer> {
  const peers = new Map<string, WebSocket>();
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    maxPayload: MAX_REPORT_BYTES,
    // One connection per peer: a second one with the same credential is refused while the first is open.
    verifyClient: guardUpgrade({ credentials, admit: (id) => (peers.has(id) ? `${id} is already connected` : null), log: (s) => log(`control channel: ${s}`) }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  server.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const id = holderOfRequest(req)!;
    if (peers.has(id)) return ws.close(1008, `${id} is already connected`);
    peers.set(id, ws);
    let greeted = false;
    const drop = (why: string) => log(`control channel: dropped a message from ${id}: ${why}`);
    ws.on('message', (data) => {
      let r: unknown;
      try {
        r = JSON.parse(String(data));
      } catch {
        return drop('not JSON');
      }
      const problem = reportProblem(r, id);
      if (problem !== null) return drop(problem);
      const report = r as PeerReport;
      if (report.type === 'hello') {
        if (greeted) return drop('a second hello');
        greeted = true;
      } else if (!greeted) return drop(`a ${report.type} report before its hello`);
      try {
        onReport(report);
      } catch (err) {
        drop(`the controller could not take it: ${(err as Error).message}`);
      }
    });
    ws.on('close', () => {
      if (peers.get(id) === ws) {
        peers.delete(id);
        onGone(id);
      }
    });
  });
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/`,
    send: (id, cmd) => peers.get(id)?.send(JSON.stringify(cmd)),
    close: async () => {
      for (const c of server.clients) c.terminate();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
