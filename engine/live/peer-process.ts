/**
 * `gossip-scope peer --scenario S --id peer0.org1 [--listen host:port] [--bootstrap host:port]
 *  [--address id=host:port ...] [--orderer ws://…] [--control ws://… --secrets stdin]`
 * One peer of a scenario as its own process. Without --control it runs until SIGINT/SIGTERM;
 * with it, it reports to the controller and ends when the controller says so or goes away (so
 * a live run never leaves a peer behind). With `--secrets stdin` it reads its credential and
 * the run's key secret from stdin (credentials.ts), where no other user can see them.
 */
import { WebSocket } from 'ws';
import { loadScenarioFile } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { Counters } from '../sim/counters.js';
import type { TraceEvent } from '../trace/events.js';
import { jsonSafe } from '../ui/inspect.js';
import type { ControlCommand, PeerReport } from './control.js';
import { bearerHeaders, type PeerSecrets } from './credentials.js';
import { peerIds, startLivePeer, type LivePeer } from './peer.js';

/** How long a peer process takes at most to stop on SIGINT/SIGTERM. */
const STOP_LIMIT_MS = 2000;

export interface PeerArgs {
  scenario: string;
  id: string;
  listen: string;
  /** host:port to advertise instead of --listen (listening on 0.0.0.0, or behind NAT). */
  advertise?: string;
  addresses: Map<string, string>;
  bootstrap: string[];
  orderer?: string;
  control?: string;
  /** Read this process's credential and the run's key secret from stdin (a live run's launcher writes them). */
  secretsOnStdin?: boolean;
}

/** The secrets a launcher wrote on stdin: one JSON line, then the end of the stream. */
export async function readSecrets(input: NodeJS.ReadableStream): Promise<PeerSecrets> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.length > 4096) throw new Error('--secrets stdin: more than 4 KB on stdin');
  }
  let s: Partial<PeerSecrets>;
  try {
    s = JSON.parse(text) as Partial<PeerSecrets>;
  } catch {
    throw new Error('--secrets stdin: stdin does not hold a JSON object');
  }
  const hex64 = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
  if (s === null || typeof s !== 'object' || !hex64(s.credential) || !hex64(s.keys)) throw new Error('--secrets stdin: expected {"credential": 64 hex digits, "keys": 64 hex digits}');
  return { credential: s.credential!, keys: s.keys! };
}

/** A control command as sent (type named), or null: a peer does not act on what it cannot read. */
function commandOf(data: unknown): ControlCommand | null {
  try {
    const cmd = JSON.parse(String(data)) as unknown;
    return cmd !== null && typeof cmd === 'object' && typeof (cmd as { type?: unknown }).type === 'string' ? (cmd as ControlCommand) : null;
  } catch {
    return null;
  }
}

/** How often a peer process reports its state and its new trace events to the controller. */
const REPORT_EVERY_MS = 100;
/** Trace events one report carries at most (the rest are only counted). */
const MAX_BATCH = 5000;

export async function runPeerProcess(a: PeerArgs, log: (s: string) => void): Promise<number> {
  const scenario = loadScenarioFile(a.scenario);
  const [host, portText] = a.listen.split(':');
  const port = Number(portText);
  const problem = peerArgsProblem(a, scenario);
  if (problem !== null) throw new Error(problem);
  const me = peerIds(scenario).find((p) => p.id === a.id)!;
  const secrets = a.secretsOnStdin ? await readSecrets(process.stdin) : undefined;
  // --bootstrap names addresses directly: they stand for the org's bootstrap peers.
  const org = scenario.orgs.find((o) => o.mspId === me.mspId)!;
  a.bootstrap.forEach((addr, i) => {
    const name = org.bootstrap[i] ?? org.bootstrap[0];
    if (name !== undefined) a.addresses.set(`${name}.${org.name}`, addr);
  });
  // With a controller, it connects first, says hello once it listens, and starts on `go`; the
  // commands that come before (partition, hold, links) wait for the peer to exist.
  let control: WebSocket | undefined;
  const early: ControlCommand[] = [];
  let onCommand = (cmd: ControlCommand) => void early.push(cmd);
  let go: Promise<void> | undefined;
  if (a.control !== undefined) {
    const ws = new WebSocket(a.control, { perMessageDeflate: false, headers: bearerHeaders(secrets?.credential) });
    control = ws;
    go = new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        const cmd = commandOf(data);
        if (cmd === null) log(`${a.id}: ignored a control message that is not a command`);
        else if (cmd.type === 'go') resolve();
        else onCommand(cmd);
      });
      ws.once('close', () => reject(new Error(`${a.id}: the controller went away before the run started`)));
      ws.once('error', (err) => reject(new Error(`${a.id}: cannot reach the controller: ${err.message}`)));
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }
  let events = 0;
  let batch: TraceEvent[] = [];
  const commits: Record<string, Record<string, number>> = {};
  const peer: LivePeer = await startLivePeer({
    scenario,
    id: a.id,
    host,
    port,
    advertise: a.advertise,
    addresses: a.addresses,
    orderer: a.orderer,
    keys: secrets?.keys,
    credential: secrets?.credential,
    beforeStart: async () => {
      if (control === undefined) return;
      control.send(JSON.stringify({ type: 'hello', id: a.id, pid: process.pid } satisfies PeerReport));
      await go;
    },
    onTrace: (ev) => {
      events++;
      if (a.control !== undefined && batch.length < MAX_BATCH) batch.push(ev.data === undefined ? ev : ({ ...ev, data: jsonSafe(ev.data) } as TraceEvent));
      // Dissemination latency is measured on the wall clock, against the orderer's cut time.
      if (ev.kind === 'state' && ev.reason === 'commit' && ev.data) (commits[String(ev.data.channel)] ??= {})[String(ev.data.block)] = Date.now();
    },
  });
  const counters = new Counters(peer.trace);
  log(`${a.id} listening on ${host}:${port}${a.advertise ? ` (advertised as ${a.advertise})` : ''}`);

  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<number>((resolve) => {
    const stop = async (code: number) => {
      clearInterval(timer);
      // A socket half-way through its upgrade can keep the server open: the process ends within
      // STOP_LIMIT_MS however its sockets close (the timer keeps nothing alive by itself).
      setTimeout(() => process.exit(code), STOP_LIMIT_MS).unref();
      await peer.stop().catch(() => {});
      control?.close();
      resolve(code);
    };
    process.once('SIGINT', () => void stop(130));
    process.once('SIGTERM', () => void stop(143));
    if (control === undefined) return;
    const send = (r: PeerReport) => control!.readyState === WebSocket.OPEN && control!.send(JSON.stringify(r));
    timer = setInterval(() => {
      if (batch.length > 0) send({ type: 'events', id: a.id, startedAt: peer.startedAt, events: batch });
      batch = [];
      send(status(peer, a.id, events, counters, commits));
    }, REPORT_EVERY_MS);
    onCommand = (cmd) => {
      if (cmd.type === 'go') return;
      if (cmd.type === 'partition') peer.clock.now(() => peer.comm.setPartition(cmd.groups));
      else if (cmd.type === 'hold') peer.clock.now(() => peer.comm.hold(cmd.on));
      else if (cmd.type === 'release') peer.clock.now(() => peer.comm.release());
      else if (cmd.type === 'links') peer.clock.now(() => peer.comm.setLinks(cmd.rules));
      else if (cmd.type === 'tamper') peer.clock.now(() => peer.comm.addTamper(cmd.rule));
      else if (cmd.type === 'byzantine') {
        try {
          peer.turnByzantine(cmd.behaviour, cmd.target, cmd.channel);
        } catch (err) {
          log(`${a.id}: cannot turn Byzantine: ${(err as Error).message}`);
        }
      }
      else if (cmd.type === 'inspect') {
        peer.clock.now(() =>
          send(
            cmd.msg === undefined
              ? { type: 'detail', id: a.id, requestId: cmd.requestId, peer: peer.describe() }
              : { type: 'detail', id: a.id, requestId: cmd.requestId, message: peer.describeMessage(cmd.msg) },
          ),
        );
      }
      else if (cmd.type === 'pause') peer.pause();
      else if (cmd.type === 'resume') peer.resume();
      else void stop(0);
    };
    for (const cmd of early.splice(0)) onCommand(cmd);
    // The controller is gone (ended, killed): so is this peer.
    control!.on('close', () => void stop(0));
    control!.on('error', () => void stop(1));
  });
  return done;
}

/** What is wrong with a peer's arguments (the CLI reports it as a usage error), or null. */
export function peerArgsProblem(a: PeerArgs, scenario: Scenario): string | null {
  const [host, portText] = a.listen.split(':');
  const port = Number(portText);
  if (!host || !Number.isInteger(port) || port < 0 || port > 65535) return `--listen ${a.listen}: expected host:port`;
  if (a.advertise !== undefined && !/^[^:\s]+:\d{1,5}$/.test(a.advertise)) return `--advertise ${a.advertise}: expected host:port`;
  if (a.advertise === undefined && (host === '0.0.0.0' || host === '::')) return `--listen ${a.listen}: other peers cannot dial ${host}; add --advertise host:port`;
  if (a.control !== undefined && !a.secretsOnStdin) return `--control needs --secrets stdin: a controller lets in only the processes it started, each with the credential it wrote on their stdin`;
  const ids = peerIds(scenario);
  if (!ids.some((p) => p.id === a.id)) return `--id ${a.id}: no such peer in ${a.scenario} (peers: ${ids.map((p) => p.id).join(', ')})`;
  return null;
}

function status(peer: LivePeer, id: string, events: number, c: Counters, commits: Record<string, Record<string, number>>): PeerReport {
  const height: Record<string, number> = {};
  const leader: Record<string, boolean> = {};
  const worldState: Record<string, string> = {};
  for (const [ch, ledger] of peer.ledgers) {
    height[ch] = ledger.height;
    leader[ch] = peer.leads(ch);
    worldState[ch] = ledger.stateDigest();
  }
  const messages = { sent: c.sent, delivered: c.delivered, dropped: c.dropped, dropReasons: c.dropReasons, rejected: c.rejected };
  return { type: 'status', id, height, leader, membership: peer.membership(), dead: peer.deadMembers(), events, worldState, messages, commits, oldestHeld: peer.comm.oldestHeld };
}
