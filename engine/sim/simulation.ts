/**
 * A whole Fabric network in one process: identities, peers, orderer, network and faults, on
 * one deterministic kernel. Everything random is drawn from streams seeded by the scenario's
 * seed, and every identity is derived from it, so the same scenario and seed give the same trace.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { Kernel } from '../kernel/kernel.js';
import { Rng } from '../kernel/rng.js';
import { Trace } from '../trace/trace.js';
import { PeerTracer, type PeerEnv } from '../fabric/env.js';
import { Comm } from '../fabric/comm.js';
import { GossipNode } from '../fabric/node.js';
import { Ledger } from '../fabric/ledger.js';
import { hex, type SignedMessage } from '../fabric/message.js';
import { MemberTable } from '../fabric/members.js';
import { MessageLog } from './message-log.js';
import type { MSPRegistry, SigningIdentity } from '../msp/index.js';
import type { FaultAction, OrgSpec, Scenario } from '../scenario/types.js';
import { BlockVerifier, peerCrypto } from './crypto.js';
import { SimNetwork } from './network.js';
import { Orderer, type DeliverTarget } from './orderer.js';
import { SimRuntime } from './runtime.js';
import { Counters } from './counters.js';
import { PushLatency } from './push-latency.js';
import { ReceiveQueue, chargedCrypto, dropWaiting, handleQueued, processingOf } from './processing.js';
import { Clients } from './client.js';
import { startByzantine } from './byzantine.js';
import { tamperNeverTakes } from './tamper.js';
import { ORDERER_MSP, scenarioIdentities } from './identities.js';
import { peerStartTimes } from './start-times.js';
import { handReason } from './by-hand.js';
import { peerConfig } from '../scenario/peer-config.js';
import { LIMITS, showMs } from '../scenario/bounds.js';

export { ORDERER_MSP };

export interface PeerSlot {
  idx: number;
  /** peer0.org1 */
  id: string;
  org: OrgSpec;
  identity: SigningIdentity;
  /** External endpoint, '' when the peer publishes none. */
  endpoint: string;
  internalEndpoint: string;
  channels: string[];
  rt: SimRuntime;
  node?: GossipNode;
  /** The node's comm over the simulated network (node.comm, with the simulator's own API). */
  comm?: Comm;
  /** Its receive queue: messages waiting to be handled (processing time). */
  queue?: ReceiveQueue;
  running: boolean;
  /** Ledgers survive a crash: a restarted peer resumes from its height. */
  ledgers: Map<string, Ledger>;
  /** Channels on which this peer pulls blocks from the orderer. */
  leaderOf: Set<string>;
  deliver: Map<string, DeliverTarget>;
  /** Simulated ms of its latest start (undefined: not started yet in this run). */
  startedAt?: number;
}

export interface SimulationOptions {
  /** Trace events kept in memory (the ring). */
  traceCapacity?: number;
  /** Messages kept in memory for inspection, most recent first to go. */
  messageCapacity?: number;
  /** Distinct strings the trace hash remembers (default REMEMBERED_STRINGS). */
  hashStringMemory?: number;
}

export class Simulation {
  readonly trace: Trace;
  readonly peers: PeerSlot[] = [];
  readonly counters: Counters;
  /** Push dissemination by first receipt (the summary's `push`). */
  readonly push: PushLatency;
  private readonly byId = new Map<string, PeerSlot>();
  private readonly byPki = new Map<string, number>();
  /** Member ids of every PKI-ID the peers meet, one table for the whole network. */
  readonly members = new MemberTable();
  /** Recent messages by trace id, for the inspector and tests. */
  readonly messages: MessageLog;
  private readonly nextMsgId = (sm: SignedMessage) => this.messages.add(sm);
  private started = false;
  /** Simulated ms of the latest peer start or restart (starts run in time order). */
  latestStartAt = -Infinity;
  /** Byzantine behaviours started, each on the process it runs in (a crash ends it). */
  readonly byzantine: { peer: number; behaviour: string; target: number | null; node?: GossipNode }[] = [];

  private constructor(
    readonly kernel: Kernel,
    readonly scenario: Scenario,
    readonly registry: MSPRegistry,
    readonly network: SimNetwork,
    readonly orderer: Orderer,
    private readonly blocks: BlockVerifier,
    opts: SimulationOptions,
    trace: Trace,
  ) {
    this.trace = trace;
    this.counters = new Counters(trace);
    this.messages = new MessageLog(opts.messageCapacity ?? 50_000);
    this.push = new PushLatency(trace, this.messages, (i) => this.peers[i]?.org.mspId ?? '', (org) => scenario.orgs.find((o) => o.mspId === org)?.peers ?? 0);
  }

  static async create(scenario: Scenario, opts: SimulationOptions = {}): Promise<Simulation> {
    const seed = scenario.seed;
    const { registry, ordererId, issuePeer } = await scenarioIdentities(scenario);

    const trace = new Trace(opts.traceCapacity ?? 100_000, opts.hashStringMemory);
    const ids: string[] = [];
    for (const org of scenario.orgs) for (let i = 0; i < org.peers; i++) ids.push(`peer${i}.${org.name}`);
    const indexOf = new Map(ids.map((id, i) => [id, i]));
    const kernel = new Kernel();
    const network = new SimNetwork(kernel, scenario.network, seed, (id) => indexOf.get(id) ?? -1);
    const channelNames = scenario.channels.map((c) => c.name);
    const blocks = new BlockVerifier(registry, ORDERER_MSP, () => kernel.now);
    const orderer = new Orderer(kernel, trace, scenario.orderer, ordererId, channelNames, seed, (peer) => network.route(-1, peer));
    network.trace = trace;
    // The backstop behind the estimate (run-cost.ts): a run that reaches the event bound stops there.
    const most = LIMITS.events.max;
    trace.atCount(most, () => kernel.halt(`the run stopped at ${most.toLocaleString('en-US')} events (simulated ${showMs(Math.floor(kernel.now))}), the most a run may have: its cost was underestimated; use fewer peers, a shorter run.until or a narrower push fanout`));
    const sim = new Simulation(kernel, scenario, registry, network, orderer, blocks, opts, trace);

    for (const org of scenario.orgs) {
      const channels = scenario.channels.filter((c) => c.orgs.includes(org.mspId)).map((c) => c.name);
      for (let i = 0; i < org.peers; i++) {
        const name = `peer${i}`;
        const identity = await issuePeer(org.mspId, name);
        const idx = sim.peers.length;
        const host = `${name}.${org.domain}:7051`;
        const slot: PeerSlot = {
          idx,
          id: `${name}.${org.name}`,
          org,
          identity,
          endpoint: org.externalEndpoints.includes(name) ? host : '',
          internalEndpoint: host,
          channels,
          rt: new SimRuntime(kernel, trace, idx, new Rng(seed, `peer/${name}.${org.name}`)),
          running: false,
          ledgers: new Map(),
          leaderOf: new Set(),
          deliver: new Map(),
        };
        for (const ch of channels) {
          const g = orderer.genesis(ch);
          slot.ledgers.set(ch, new Ledger(g.bytes));
        }
        sim.peers.push(slot);
        network.addEndpoint(idx, host);
        sim.byId.set(slot.id, slot);
        sim.byPki.set(hex(identity.pkiId), idx);
      }
    }
    return sim;
  }

  peer(id: string): PeerSlot {
    const p = this.byId.get(id);
    if (p === undefined) throw new Error(`unknown peer ${id}`);
    return p;
  }

  /** Schedules everything the scenario says: peer starts, the orderer, the faults. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const starts = peerStartTimes(this.scenario, this.peers.map((p) => p.id));
    for (const p of this.peers) this.kernel.at(starts[p.idx], () => this.startPeer(p));
    this.orderer.start();
    new Clients(this.kernel, this.scenario, this.peers, this.orderer).start();
    for (const f of this.scenario.faults) {
      this.kernel.at(f.at, () => {
        this.inject(f.action);
      });
    }
  }

  runUntil(t: number): void {
    this.start();
    this.kernel.runUntil(t);
  }

  private startPeer(p: PeerSlot): void {
    const cfg = peerConfig(this.scenario, p.id);
    const endpointOf = (org: OrgSpec, name: string) => `${name}.${org.domain}:7051`;
    const env: PeerEnv = {
      idx: p.idx,
      name: p.id,
      mspId: p.org.mspId,
      pkiId: p.identity.pkiId,
      pkiHex: hex(p.identity.pkiId),
      members: this.members,
      self: this.members.idOf(p.identity.pkiId),
      identity: p.identity.serialized,
      tlsCertHash: createHash('sha256').update(p.identity.certDer).digest(),
      endpoint: p.endpoint,
      internalEndpoint: p.internalEndpoint,
      config: cfg.gossip,
      rt: p.rt,
      mcs: peerCrypto(this.registry, this.blocks, (d) => p.identity.sign(d), () => this.kernel.now),
      tr: new PeerTracer(this.trace, p.rt, p.idx),
    };
    let comm!: Comm;
    const queue = new ReceiveQueue(this.kernel, processingOf(this.scenario, p.id), this.scenario.seed, p.id, (w, timing) => handleQueued(comm, w, timing), (fn) => p.rt.gate(fn));
    env.mcs = chargedCrypto(env.mcs, queue);
    const bootstrap = p.org.bootstrap.map((n) => endpointOf(p.org, n));
    const net = this.network.forPeer(p.idx, () => cfg.gossip.dialTimeout);
    const node = new GossipNode(env, (e, nextMsgId) => (comm = new Comm(e, net, nextMsgId)), {
      bootstrap,
      peerIndex: (k) => this.byPki.get(k) ?? -1,
      nextMsgId: this.nextMsgId,
      onLeadershipChange: (channel, isLeader) => (isLeader ? this.becomeLeader(p, channel) : this.stopLeading(p, channel)),
    }, p.ledgers);
    p.node = node;
    comm.queue = queue;
    p.queue = queue;
    p.comm = comm;
    p.running = true;
    p.startedAt = this.kernel.now;
    this.latestStartAt = this.kernel.now;
    this.network.register(p.idx, p.internalEndpoint, comm);
    env.tr.state('started', { endpoint: p.endpoint, internalEndpoint: p.internalEndpoint });
    node.start();
    for (const ch of p.channels) {
      const spec = this.scenario.channels.find((c) => c.name === ch)!;
      const anchors = this.scenario.orgs
        .filter((o) => spec.orgs.includes(o.mspId))
        .flatMap((o) => o.anchorPeers.map((a) => ({ org: o.mspId, endpoint: endpointOf(o, a) })));
      node.joinChannel({ name: ch, orgs: spec.orgs, collections: spec.collections, anchors });
      if (cfg.gossip.orgLeader) this.becomeLeader(p, ch);
    }
  }

  /** Starts the deliver client of a peer for a channel (a static org leader, or an elected one). */
  becomeLeader(p: PeerSlot, channel: string): void {
    if (p.leaderOf.has(channel)) return;
    p.leaderOf.add(channel);
    this.trace.emit(this.kernel.now, 'state', p.idx, undefined, undefined, undefined, 'deliver', { channel, started: true });
    const node = p.node!;
    const target: DeliverTarget = {
      peer: p.idx,
      channel,
      height: () => p.ledgers.get(channel)?.height ?? 0,
      active: () => p.running && p.leaderOf.has(channel) && p.node === node,
      deliver: (seq, bytes) => p.rt.gate(() => {
        const prev = this.trace.cause;
        this.trace.cause = 0;
        try {
          node.deliverFromOrderer(channel, BigInt(seq), bytes, this.scenario.config.deliveryclient.blockGossipEnabled);
        } finally {
          this.trace.cause = prev;
        }
      }),
    };
    p.deliver.set(channel, target);
    this.orderer.subscribe(target);
  }

  stopLeading(p: PeerSlot, channel: string): void {
    if (!p.leaderOf.delete(channel)) return;
    const t = p.deliver.get(channel);
    if (t !== undefined) this.orderer.unsubscribe(t);
    p.deliver.delete(channel);
    this.trace.emit(this.kernel.now, 'state', p.idx, undefined, undefined, undefined, 'deliver', { channel, started: false });
  }

  // ---- faults ----------------------------------------------------------------------------

  /** A fault as the scenario, the UI or the debugger makes it: traced as a fault event, then done. */
  inject(a: FaultAction): void {
    if (a.kind !== 'hand') this.trace.emit(this.kernel.now, 'fault', -1, undefined, undefined, undefined, a.kind, a as unknown as Record<string, unknown>);
    this.applyFault(a);
  }

  /** The fault API: what scenario faults do, and what the UI and the debugger call. */
  applyFault(a: FaultAction): void {
    switch (a.kind) {
      case 'hand':
        return this.byHand(a);
      case 'crash':
        return this.crash(a.peer);
      case 'restart':
        return this.restart(a.peer);
      case 'pause':
        return this.pause(a.peer);
      case 'resume':
        return this.resume(a.peer);
      case 'partition':
        return this.partition(a.groups);
      case 'heal':
        return this.heal();
      case 'link': {
        const [x, y] = a.rule.between ? a.rule.between.map((id) => this.peer(id).idx) : [-1, -1];
        this.network.addLinkRule(a.rule, x, y, a.until);
        this.kernel.at(a.until, () => {
          this.network.removeLinkRule(a.rule);
          this.trace.emit(this.kernel.now, 'fault', -1, undefined, undefined, undefined, 'link rule ended', { between: a.rule.between });
        });
        return;
      }
      case 'tamper': {
        const never = tamperNeverTakes(a.rule.mode, a.rule.type);
        if (never !== null) throw new Error(never);
        return this.network.addTamper(a.rule, this.peer(a.rule.from).idx, a.rule.to === null ? -1 : this.peer(a.rule.to).idx);
      }
      case 'expire':
        // Nothing to do now: the certificate was issued with this NotAfter; identity mappers
        // everywhere purge it at that moment.
        return;
      case 'byzantine': {
        const p = this.peer(a.peer);
        const v = a.target === null ? null : this.peer(a.target);
        const target = v === null ? null : { pkiId: v.identity.pkiId, endpoint: v.endpoint, internalEndpoint: v.internalEndpoint };
        if (p.running) this.byzantine.push({ peer: p.idx, behaviour: a.behaviour, target: v?.idx ?? null, node: p.node });
        return startByzantine(a.behaviour, { node: p.running ? p.node : undefined, target, channel: a.channel });
      }
    }
  }

  /**
   * The user in the scheduler's place: a message in flight or a timer runs next, is dropped,
   * arrives twice or waits longer. Traced as a fault event at the receiver (or the timer's
   * peer) before it takes effect; throws, changing nothing, when it cannot be done.
   */
  private byHand(a: Extract<FaultAction, { kind: 'hand' }>): void {
    const what = this.kernel.check(a.op, a.event, a.ms);
    if (typeof what === 'string') throw new Error(what);
    const name = (i: number) => (i < 0 ? 'orderer' : (this.peers[i]?.id ?? `#${i}`));
    const [peer, other, type, msg] = what.kind === 'message' ? [what.to, what.from, what.type, what.msg || undefined] : [what.peer, undefined, undefined, undefined];
    this.trace.emit(this.kernel.now, 'fault', peer, other, type, msg, handReason(a.op, what, a.ms, name), a as unknown as Record<string, unknown>);
    this.kernel.choose(a.op, a.event, a.ms);
  }

  pause(id: string): void {
    const p = this.peer(id);
    if (!p.running) return;
    p.rt.pause();
    this.trace.emit(this.kernel.now, 'state', p.idx, undefined, undefined, undefined, 'paused', {});
  }

  resume(id: string): void {
    const p = this.peer(id);
    this.trace.emit(this.kernel.now, 'state', p.idx, undefined, undefined, undefined, 'resumed', {});
    p.rt.resume();
  }

  crash(id: string): void {
    const p = this.peer(id);
    if (!p.running) return;
    for (const ch of [...p.leaderOf]) this.stopLeading(p, ch);
    p.running = false;
    for (const w of p.queue?.clear() ?? []) dropWaiting(w, 'peer down');
    p.rt.stop();
    p.node?.stop();
    this.network.setUp(p.idx, false);
    this.trace.emit(this.kernel.now, 'state', p.idx, undefined, undefined, undefined, 'crashed', {});
  }

  /** A restarted peer is a new process: new inc_num, same ledger, same identity. */
  restart(id: string): void {
    const p = this.peer(id);
    if (p.running) return;
    this.startPeer(p);
  }

  partition(groups: string[][]): void {
    const idxs = groups.map((g) =>
      g.flatMap((name) => {
        if (name === 'orderer') return [-1];
        const byPeer = this.byId.get(name);
        if (byPeer !== undefined) return [byPeer.idx];
        return this.peers.filter((p) => p.org.mspId === name).map((p) => p.idx);
      }),
    );
    this.network.setPartition(idxs, this.peers.length);
  }

  heal(): void {
    this.network.setPartition(null, this.peers.length);
  }
}
