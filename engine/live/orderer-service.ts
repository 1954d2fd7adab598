/**
 * The ordering service of a live network: the simulator's Orderer on the wall clock, with a
 * Deliver stream per leader peer over a WebSocket (`/deliver?channel=C&height=H`). Each
 * block goes as one binary frame: 8 bytes of sequence number, then the block's bytes. Only a
 * peer process of the run gets blocks: a stream opens with that process's credential (as the
 * control channel does; credentials.ts), which also says which peer it is.
 */
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { Kernel } from '../kernel/kernel.js';
import { OrgCA } from '../msp/index.js';
import type { Scenario } from '../scenario/types.js';
import { Orderer, type DeliverTarget } from '../sim/orderer.js';
import { EPOCH_MS } from '../sim/runtime.js';
import { ORDERER_MSP } from '../sim/simulation.js';
import { Trace } from '../trace/trace.js';
import { guardUpgrade, holderOfRequest, type Credentials } from './credentials.js';
import { peerIds } from './peer.js';
import { RealTimeKernel } from './realtime.js';

export interface OrdererService {
  url: string;
  orderer: Orderer;
  /** channel → block → wall-clock ms when it was cut. */
  cutAt: Map<string, Map<number, number>>;
  /**
   * Starts cutting blocks: called when the run's clock starts (every peer listening), so a
   * slow start-up on a loaded machine does not cut blocks before anyone can take them.
   */
  go(): void;
  close(): Promise<void>;
}

export function blockFrame(seq: number, bytes: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(8 + bytes.length);
  out.writeBigUInt64BE(BigInt(seq), 0);
  out.set(bytes, 8);
  return out;
}

export interface OrdererServiceOptions {
  /** Who may open a Deliver stream (each peer process's credential). */
  credentials: Credentials;
  /** The run's key secret: the orderer's CA and key derive from it, as every peer's do. */
  keys: string;
  /** Where it listens (127.0.0.1 and any free port by default). */
  host?: string;
  port?: number;
  log?: (s: string) => void;
}

export async function startOrdererService(scenario: Scenario, o: OrdererServiceOptions): Promise<OrdererService> {
  const host = o.host ?? '127.0.0.1';
  const validity = { notBefore: new Date(EPOCH_MS - 86_400_000), notAfter: new Date(EPOCH_MS + 365 * 86_400_000) };
  const ca = await OrgCA.create(o.keys, ORDERER_MSP, 'example.com', validity);
  const identity = await ca.issue('orderer', 'orderer', validity);
  const kernel = new Kernel();
  const clock = new RealTimeKernel(kernel);
  const trace = new Trace(10_000);
  const cutAt = new Map<string, Map<number, number>>();
  trace.listen((ev) => {
    if (ev.reason !== 'block cut' || !ev.data) return;
    const ch = String(ev.data.channel);
    if (!cutAt.has(ch)) cutAt.set(ch, new Map());
    cutAt.get(ch)!.set(Number(ev.data.block), Date.now());
  });
  const orderer = new Orderer(kernel, trace, scenario.orderer, identity, scenario.channels.map((c) => c.name), scenario.seed, () => 0);
  const index = new Map(peerIds(scenario).map((p, i) => [p.id, i]));
  const server = new WebSocketServer({ host, port: o.port ?? 0, perMessageDeflate: false, maxPayload: 4096, verifyClient: guardUpgrade({ credentials: o.credentials, log: (s) => o.log?.(`orderer: ${s}`) }) });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  server.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const q = new URL(req.url ?? '/', 'ws://x').searchParams;
    const channel = q.get('channel') ?? '';
    if (!orderer.chains.has(channel)) return ws.close(1008, `no channel ${channel}`);
    const height = Number(q.get('height') ?? '0');
    if (!Number.isSafeInteger(height) || height < 0) return ws.close(1008, 'height must be a whole number');
    let open = true;
    const target: DeliverTarget = {
      // The peer its credential names, whatever the URL says.
      peer: index.get(holderOfRequest(req) ?? '') ?? -1,
      channel,
      height: () => height,
      active: () => open,
      deliver: (seq, bytes) => ws.send(blockFrame(seq, bytes)),
    };
    ws.on('close', () =>
      soon(() => {
        open = false;
        orderer.unsubscribe(target);
      }),
    );
    soon(() => orderer.subscribe(target));
  });
  // Until the run's clock starts the kernel has no time: what arrives waits for it.
  let going = false;
  const waiting: (() => void)[] = [];
  const soon = (task: () => void) => (going ? clock.now(task) : waiting.push(task));
  const go = () => {
    if (going) return;
    going = true;
    clock.start();
    clock.now(() => orderer.start());
    for (const task of waiting.splice(0)) clock.now(task);
  };
  const addr = server.address() as { port: number };
  return {
    url: `ws://${host}:${addr.port}`,
    orderer,
    cutAt,
    go,
    close: async () => {
      clock.stop();
      for (const c of server.clients) c.terminate();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
