/**
 * One peer of a scenario as a live process: the same GossipNode as the simulator, on a kernel
 * driven by the wall clock, talking to other processes over WebSockets (live-comm.ts). Every
 * process of a run derives every identity from the run's key secret (handed to it privately by
 * the launcher), as the simulator does from the seed, so processes agree on CAs, certificates
 * and PKI-IDs without exchanging files, and a process without the secret cannot join.
 */
import { HANDSHAKE_FRAME_BYTES } from './frame-limit.js';
import { peerConfig } from '../scenario/peer-config.js';
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { WebSocket, WebSocketServer } from 'ws';
import { PeerTracer, type PeerEnv } from '../fabric/env.js';
import { Ledger } from '../fabric/ledger.js';
import { hex, type SignedMessage } from '../fabric/message.js';
import { MemberTable } from '../fabric/members.js';
import { GossipNode } from '../fabric/node.js';
import { Kernel } from '../kernel/kernel.js';
import { Rng } from '../kernel/rng.js';
import type { MSPRegistry } from '../msp/index.js';
import type { MessageDetail, PeerDetail } from '../../extension/protocol.js';
import { messageDetailOf, peerDetailOf } from '../ui/inspect.js';
import type { ByzantineBehaviour, Scenario } from '../scenario/types.js';
import { startByzantine } from '../sim/byzantine.js';
import { BlockVerifier, peerCrypto } from '../sim/crypto.js';
import { Orderer } from '../sim/orderer.js';
import { ORDERER_MSP, scenarioIdentities } from '../sim/identities.js';
import { SimRuntime } from '../sim/runtime.js';
import type { TraceEvent } from '../trace/events.js';
import { Trace } from '../trace/trace.js';
import { bearerHeaders, guardUpgrade } from './credentials.js';
import { LiveComm } from './live-comm.js';
import { RealTimeKernel } from './realtime.js';

export interface LivePeerOptions {
  /** Awaited once it listens, before its protocol starts: a live run starts every peer at once. */
  beforeStart?: () => Promise<void>;
  scenario: Scenario;
  /** peer0.org1 */
  id: string;
  /** Where this peer listens (127.0.0.1 by default); it advertises this address as its endpoint. */
  host?: string;
  port: number;
  /** The host:port other machines reach it at, when it listens on 0.0.0.0 or behind NAT (default host:port). */
  advertise?: string;
  /** host:port of other peers of the scenario, by id: where its bootstrap and anchor peers are. */
  addresses: Map<string, string>;
  /** ws:// URL of the ordering service (orderer-service.ts); without one no blocks come. */
  orderer?: string;
  /** Every trace event this peer emits (to stream to a controller). */
  onTrace?: (ev: TraceEvent) => void;
  /**
   * What its keys and certificates derive from: the run's secret in a live run; without one, the
   * scenario's seed (peers started by hand, which have no launcher to share a secret).
   */
  keys?: string;
  /** Its credential for the orderer's Deliver streams. */
  credential?: string;
}

/** Every peer of the scenario by id, in the simulator's order (trace indexes agree across processes). */
export function peerIds(scenario: Scenario): { id: string; name: string; mspId: string; endpoint: string }[] {
  return scenario.orgs.flatMap((org) =>
    Array.from({ length: org.peers }, (_, i) => ({ id: `peer${i}.${org.name}`, name: `peer${i}`, mspId: org.mspId, endpoint: `peer${i}.${org.domain}:7051` })),
  );
}

/** How many recent messages a peer process keeps for the inspector. */
const RECENT_MESSAGES = 20_000;

/** Messages by id, oldest forgotten first. */
class RecentMessages {
  private readonly byId = new Map<number, SignedMessage>();

  add(id: number, sm: SignedMessage): void {
    if (this.byId.has(id)) return;
    this.byId.set(id, sm);
    if (this.byId.size > RECENT_MESSAGES) this.byId.delete(this.byId.keys().next().value!);
  }

  get(id: number): SignedMessage | undefined {
    return this.byId.get(id);
  }
}

/** 48 bits of SHA-256 over the envelope's payload and signature: a safe integer id. */
export function messageKey(sm: SignedMessage): number {
  const h = createHash('sha256').update(sm.envelope.payload).update(sm.envelope.signature).digest();
  return h.readUIntBE(0, 6);
}

export class LivePeer {
  constructor(
    readonly id: string,
    readonly idx: number,
    readonly node: GossipNode,
    readonly trace: Trace,
    readonly clock: RealTimeKernel,
    private readonly rt: SimRuntime,
    private readonly server: WebSocketServer,
    readonly comm: LiveComm,
    /** Every peer's id by trace index, and trace index by PKI-ID. */
    private readonly ids: string[],
    private readonly pkiToIdx: Map<string, number>,
    private readonly deliver: Map<string, WebSocket>,
    /** Ledgers by channel (heights, world state). */
    readonly ledgers: Map<string, Ledger>,
    /** Wall-clock ms of its time 0 (trace times are ms since then). */
    readonly startedAt: number,
    private readonly registry: MSPRegistry,
    /** The messages it sent or received lately, by id, for the inspector. */
    private readonly recent: RecentMessages,
    private readonly pkiHex: string,
    private readonly channels: string[],
    /** host:port of a peer, by id. */
    private readonly addressOf: (id: string) => string | undefined,
  ) {}

  /** A message it sent or received lately, as the inspector shows it (verdicts: none, the controller has them). */
  describeMessage(msg: number): MessageDetail | null {
    const sm = this.recent.get(msg);
    if (sm === undefined) return null;
    const identityOf = (k: string) => this.node.idMapper.get(this.node.env.members.idOfHex(k));
    return messageDetailOf(msg, sm, this.registry, identityOf, []);
  }

  /** What it knows: membership with last-seen times, StateInfo, ledgers and world state. */
  describe(): PeerDetail {
    return peerDetailOf({
      idx: this.idx,
      id: this.id,
      running: true,
      pkiHex: this.pkiHex,
      node: this.node,
      channels: this.channels,
      ledgers: this.ledgers,
      leads: (ch) => this.leads(ch),
      idOf: (i) => this.ids[i] ?? `#${i}`,
    });
  }

  /** The peer's alive view: ids of the peers it sees alive. */
  membership(): string[] {
    return this.node.disc.getMembership().map((m) => this.ids[this.pkiToIdx.get(hex(m.pkiId)) ?? -1] ?? hex(m.pkiId).slice(0, 16));
  }

  /** Ids of the peers it holds dead. */
  deadMembers(): string[] {
    const members = this.node.env.members;
    return [...this.node.disc.deadLastTS.keys()].map((m) => {
      const k = members.hex(m);
      return this.ids[this.pkiToIdx.get(k) ?? -1] ?? k.slice(0, 16);
    });
  }

  /**
   * Turns Byzantine with its own valid credentials, as a simulated peer does (engine/sim/byzantine.ts);
   * `target` is a trace index. untrusted-ca needs another certificate from the start: not here.
   */
  turnByzantine(behaviour: ByzantineBehaviour, target: number | null, channel: string | null): void {
    if (behaviour === 'untrusted-ca') throw new Error('untrusted-ca is set up when a peer starts, not while it runs');
    const pki = target === null ? undefined : [...this.pkiToIdx].find(([, i]) => i === target)?.[0];
    const address = target === null ? undefined : this.addressOf(this.ids[target]);
    const victim = pki === undefined || address === undefined ? null : { pkiId: Uint8Array.from(Buffer.from(pki, 'hex')), endpoint: address, internalEndpoint: address };
    if (target !== null && victim === null) throw new Error(`no address for ${this.ids[target] ?? `peer #${target}`}`);
    this.clock.now(() => startByzantine(behaviour, { node: this.node, target: victim, channel }));
  }

  /** Whether it runs a deliver client on the channel (a static or elected leader). */
  leads(channel: string): boolean {
    return this.deliver.has(channel);
  }

  /** SIGSTOP / SIGCONT: the process stays up with its sockets open, and does nothing meanwhile. */
  pause(): void {
    this.clock.now(() => this.rt.pause());
  }

  resume(): void {
    this.clock.now(() => this.rt.resume());
  }

  async stop(): Promise<void> {
    this.node.stop();
    for (const ws of this.deliver.values()) ws.terminate();
    this.clock.stop();
    for (const ws of this.server.clients) ws.terminate();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

export async function startLivePeer(o: LivePeerOptions): Promise<LivePeer> {
  const { scenario } = o;
  const seed = scenario.seed;
  const all = peerIds(scenario);
  const idx = all.findIndex((p) => p.id === o.id);
  if (idx < 0) throw new Error(`no peer ${o.id} in scenario ${scenario.name} (peers: ${all.map((p) => p.id).join(', ')})`);
  const me = all[idx];
  const org = scenario.orgs.find((x) => x.mspId === me.mspId)!;

  // The same identities as the simulator's, from the run's secret: CAs and certificates are
  // functions of it (with the scenario's certificate expiries and rogue CAs).
  const { registry, ordererId, issuePeer } = await scenarioIdentities(scenario, o.keys ?? seed);
  const identity = await issuePeer(me.mspId, me.name);
  const pkiToIdx = new Map<string, number>();
  for (const [i, p] of all.entries()) {
    const x = p.id === me.id ? identity : await issuePeer(p.mspId, p.name);
    pkiToIdx.set(hex(x.pkiId), i);
  }

  const kernel = new Kernel();
  const clock = new RealTimeKernel(kernel);
  const trace = new Trace(100_000);
  if (o.onTrace) trace.listen(o.onTrace);
  const rt = new SimRuntime(kernel, trace, idx, new Rng(seed, `peer/${me.id}`), Date.now());
  const channels = scenario.channels.filter((c) => c.orgs.includes(me.mspId)).map((c) => c.name);
  // Genesis blocks are the orderer's, identical everywhere (deterministic signatures).
  const genesisOf = new Orderer(kernel, trace, scenario.orderer, ordererId, channels, seed, () => 0);
  const ledgers = new Map(channels.map((ch) => [ch, new Ledger(genesisOf.genesis(ch).bytes)]));
  // The endpoint it advertises is where it really listens: others dial what they learn.
  const host = o.advertise ?? `${o.host ?? '127.0.0.1'}:${o.port}`;
  const addressOf = (id: string) => o.addresses.get(id) ?? (id === me.id ? host : undefined);
  const blocks = new BlockVerifier(registry, ORDERER_MSP, () => kernel.now);
  const members = new MemberTable();
  const env: PeerEnv = {
    idx,
    name: me.id,
    mspId: me.mspId,
    pkiId: identity.pkiId,
    pkiHex: hex(identity.pkiId),
    members,
    self: members.idOf(identity.pkiId),
    identity: identity.serialized,
    tlsCertHash: createHash('sha256').update(identity.certDer).digest(),
    endpoint: org.externalEndpoints.includes(me.name) ? host : '',
    internalEndpoint: host,
    config: peerConfig(scenario, me.id).gossip,
    rt,
    mcs: peerCrypto(registry, blocks, (d) => identity.sign(d), () => kernel.now),
    tr: new PeerTracer(trace, rt, idx),
  };
  // A message's id is a hash of its bytes, so the same message has the same id in every process
  // (a send here and its delivery there pair up in a merged trace).
  const recent = new RecentMessages();
  const nextMsgId = (sm: SignedMessage) => {
    const id = messageKey(sm);
    recent.add(id, sm);
    return id;
  };
  let comm!: LiveComm;
  const peerIndex = (k: string) => pkiToIdx.get(k) ?? -1;
  const deliver = new Map<string, WebSocket>();
  const lead = (channel: string, isLeader: boolean) => {
    if (!isLeader || o.orderer === undefined) {
      deliver.get(channel)?.close();
      deliver.delete(channel);
      return;
    }
    if (deliver.has(channel)) return;
    // A Deliver stream from the ledger's height on, as a leader's deliver client opens it.
    const ws = new WebSocket(`${o.orderer}/deliver?channel=${encodeURIComponent(channel)}&height=${ledgers.get(channel)?.height ?? 0}`, { perMessageDeflate: false, headers: bearerHeaders(o.credential) });
    deliver.set(channel, ws);
    ws.on('message', (data: Buffer) =>
      clock.now(() => rt.gate(() => node.deliverFromOrderer(channel, data.readBigUInt64BE(0), new Uint8Array(data.subarray(8)), scenario.config.deliveryclient.blockGossipEnabled))),
    );
    ws.on('error', () => deliver.delete(channel));
    ws.on('close', () => deliver.get(channel) === ws && deliver.delete(channel));
  };
  const endpointIdx = new Map(all.map((p, i) => [addressOf(p.id) ?? '', i]));
  const node = new GossipNode(env, (e, next) => (comm = new LiveComm(e, clock, next, { resolve: (ep) => `ws://${ep}`, peerIndex, endpointIndex: (ep) => endpointIdx.get(ep) ?? -1 })), {
    bootstrap: org.bootstrap.map((n) => addressOf(`${n}.${org.name}`)).filter((a): a is string => a !== undefined && a !== host),
    peerIndex,
    nextMsgId,
    onLeadershipChange: (channel, isLeader) => lead(channel, isLeader),
  }, ledgers);

  // Any peer may dial (the signed handshake says who it is), but no browser page.
  const server = new WebSocketServer({ host: o.host ?? '127.0.0.1', port: o.port, perMessageDeflate: false, maxPayload: HANDSHAKE_FRAME_BYTES, verifyClient: guardUpgrade({}) });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  // A dial that comes while it waits to start is held (paused) until its protocol runs.
  let early: WebSocket[] | null = [];
  server.on('connection', (ws) => {
    // A frame ws refuses (over the limit, bad framing) closes the socket after this event.
    ws.on('error', () => {});
    if (early === null) return comm.accept(ws);
    ws.pause();
    early.push(ws);
  });
  await o.beforeStart?.();

  const startedAt = Date.now();
  clock.start();
  clock.now(() => {
    env.tr.state('started', { endpoint: env.endpoint, internalEndpoint: env.internalEndpoint });
    node.start();
    for (const ch of channels) {
      const spec = scenario.channels.find((c) => c.name === ch)!;
      const anchors = scenario.orgs
        .filter((x) => spec.orgs.includes(x.mspId))
        .flatMap((x) => x.anchorPeers.map((a) => ({ org: x.mspId, endpoint: addressOf(`${a}.${x.name}`) ?? '' })))
        .filter((a) => a.endpoint !== '');
      node.joinChannel({ name: ch, orgs: spec.orgs, collections: spec.collections, anchors });
      if (env.config.orgLeader) lead(ch, true);
    }
    const held = early ?? [];
    early = null;
    for (const ws of held) {
      comm.accept(ws);
      ws.resume();
    }
  });
  return new LivePeer(me.id, idx, node, trace, clock, rt, server, comm, all.map((p) => p.id), pkiToIdx, deliver, ledgers, startedAt, registry, recent, env.pkiHex, channels, addressOf);
}
