/**
 * The control channel of a live run: each peer process connects to the controller over a
 * WebSocket bound to 127.0.0.1, with the run's random token; a connection without it is refused
 * before it can say anything. Peers report their state; the controller pauses, resumes, stops.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
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
  /** ws://127.0.0.1:port/?token=… : what a peer process is given to connect. */
  url: string;
  token: string;
  send(id: string, cmd: ControlCommand): void;
  close(): Promise<void>;
}

export async function startControlServer(onReport: (r: PeerReport) => void, onGone: (id: string) => void): Promise<ControlServer> {
  const token = randomBytes(16).toString('hex');
  const peers = new Map<string, WebSocket>();
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    verifyClient: (info: { req: IncomingMessage }, cb: (ok: boolean, code?: number, message?: string) => void) => {
      const given = new URL(info.req.url ?? '/', 'ws://x').searchParams.get('token');
      if (given === token) cb(true);
      else cb(false, 401, 'missing or wrong token');
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  server.on('connection', (ws: WebSocket) => {
    let id: string | undefined;
    ws.on('message', (data) => {
      let r: PeerReport;
      try {
        r = JSON.parse(String(data)) as PeerReport;
      } catch {
        return ws.close(1003, 'not JSON');
      }
      if (r.type === 'hello') {
        id = r.id;
        peers.set(r.id, ws);
      }
      onReport(r);
    });
    ws.on('close', () => {
      if (id !== undefined && peers.get(id) === ws) {
        peers.delete(id);
        onGone(id);
      }
    });
  });
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/?token=${token}`,
    token,
    send: (id, cmd) => peers.get(id)?.send(JSON.stringify(cmd)),
    close: async () => {
      for (const c of server.clients) c.terminate();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
