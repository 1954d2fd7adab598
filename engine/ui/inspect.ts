/**
 * What the UI shows of a running simulation, in the shapes of extension/protocol.ts: the
 * network, each peer's state, a message with its bytes and signature, a peer's views.
 * Engine-side and JSON-safe: the worker posts these objects as they are.
 */
import { effectiveEntries, type EffectiveEntry } from '../scenario/peer-config.js';
import type { MessageDetail, PeerDetail, UiNetwork, UiPeer, UiPeerState, UiTamperedCopy } from '../../extension/protocol.js';
import type { Ledger } from '../fabric/ledger.js';
import { hex, type SignedMessage } from '../fabric/message.js';
import type { GossipNode } from '../fabric/node.js';
import { decodeSerializedIdentity, type MSPRegistry } from '../msp/index.js';
import type { Simulation } from '../sim/simulation.js';
import type { TraceEvent } from '../trace/events.js';
import type { TamperRecord } from '../sim/network.js';
import { changedSpan } from '../sim/tamper.js';
import { deadDeclarationsOf } from './dead-declarations.js';

export function networkOf(sim: Simulation): UiNetwork {
  const s = sim.scenario;
  return {
    scenario: { name: s.name, file: s.file, description: s.description, seed: s.seed, profile: s.profile },
    orgs: s.orgs.map((o) => ({ mspId: o.mspId, name: o.name })),
    channels: s.channels.map((c) => ({ name: c.name, orgs: [...c.orgs] })),
    peers: sim.peers.map(
      (p): UiPeer => ({ idx: p.idx, id: p.id, mspId: p.org.mspId, org: p.org.name, endpoint: p.endpoint, internalEndpoint: p.internalEndpoint, channels: [...p.channels] }),
    ),
  };
}

/** A peer that can declare others dead now: running, and not paused. */
const judges_ = (p: Simulation['peers'][number]): boolean => p.running && !p.rt.isPaused();

export function peerStates(sim: Simulation): UiPeerState[] {
  const tops = new Map<string, number>();
  for (const [ch, chain] of sim.orderer.chains) tops.set(ch, chain.length);
  const deaths = deadDeclarationsOf(sim);
  // The judges: peers running and not paused (a frozen process declares nothing).
  const judges = sim.peers.reduce((n, p) => n + (judges_(p) ? 1 : 0), 0);
  return sim.peers.map((p) => {
    const height: Record<string, number> = {};
    const leader: Record<string, boolean> = {};
    let behind = false;
    for (const ch of p.channels) {
      const h = p.ledgers.get(ch)?.height ?? 0;
      height[ch] = h;
      leader[ch] = p.running && p.leaderOf.has(ch);
      if (h < (tops.get(ch) ?? 0)) behind = true;
    }
    const disc = p.running ? p.node?.disc : undefined;
    const state: UiPeerState = { idx: p.idx, running: p.running, height, leader, alive: disc?.getMembership().length ?? 0, dead: disc?.deadLastTS.size ?? 0, behind, paused: p.running && p.rt.isPaused(), started: p.startedAt !== undefined };
    const by = deaths?.declarers(p.idx);
    if (by !== undefined && by.length > 0) state.declaredDead = { by: by.length, of: judges - (judges_(p) ? 1 : 0), at: by[by.length - 1].at };
    return state;
  });
}

/** JSON-safe rendering: bigint → decimal string, bytes → hex (printable text kept as text). */
export function jsonSafe(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) {
    const text = Buffer.from(v).toString('utf8');
    return v.length > 0 && /^[\x20-\x7e\n\r\t]*$/.test(text) ? text : hex(v);
  }
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}

/** r and s of a DER ECDSA signature, or null when it is not one. */
function derRS(sig: Uint8Array): { r: string; s: string } | null {
  if (sig.length < 8 || sig[0] !== 0x30) return null;
  let i = 2;
  const out: string[] = [];
  for (let k = 0; k < 2; k++) {
    if (sig[i] !== 0x02) return null;
    const len = sig[i + 1];
    out.push(Buffer.from(sig.subarray(i + 2, i + 2 + len)).toString('hex').replace(/^00/, ''));
    i += 2 + len;
  }
  return { r: out[0], s: out[1] };
}

const HALF_N = 0x7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8n;

/** The PKI-ID a message names as its signer (for the types Fabric signs). */
function signerPki(sm: SignedMessage): Uint8Array | undefined {
  const m = sm.msg;
  switch (m.content) {
    case 'aliveMsg':
      return m.aliveMsg.membership?.pkiId;
    case 'stateInfo':
      return m.stateInfo.pkiId;
    case 'leadershipMsg':
      return m.leadershipMsg.pkiId;
    case 'peerIdentity':
      return m.peerIdentity.pkiId;
    case 'conn':
      return m.conn.pkiId;
    default:
      return undefined;
  }
}

/**
 * A message with its bytes, signature, signer and verdicts. `identityOf` finds the certificate
 * of a PKI-ID (the simulator knows every peer's; a live peer, those it has learnt); a
 * ConnEstablish carries its own.
 */
export function messageDetailOf(
  msgId: number,
  sm: SignedMessage,
  registry: MSPRegistry,
  identityOf: (pkiHex: string) => Uint8Array | undefined,
  verdicts: MessageDetail['verdicts'],
): MessageDetail {
  const env = sm.envelope;
  const rs = env.signature.length > 0 ? derRS(env.signature) : null;
  let signer: MessageDetail['signer'] = null;
  const pki = signerPki(sm);
  if (pki !== undefined && env.signature.length > 0) {
    const identity = identityOf(hex(pki)) ?? (sm.msg.content === 'conn' ? sm.msg.conn.identity : undefined);
    const info = identity ? registry.deserialize(identity) : undefined;
    if (info !== undefined && typeof info !== 'string') {
      signer = {
        mspId: info.mspId,
        subject: info.subject,
        issuer: info.issuer,
        notBefore: info.notBefore.toISOString(),
        notAfter: info.notAfter.toISOString(),
        pkiId: hex(info.pkiId),
      };
    } else if (identity) {
      const sid = decodeSerializedIdentity(identity);
      signer = sid ? { mspId: sid.mspid, subject: '', issuer: '', notBefore: '', notAfter: '', pkiId: hex(pki) } : null;
    }
  }
  return {
    msg: msgId,
    type: sm.typeName,
    fields: jsonSafe(sm.msg),
    payloadHex: Buffer.from(env.payload).toString('hex'),
    size: env.payload.length + env.signature.length,
    signature: rs === null ? null : { derHex: Buffer.from(env.signature).toString('hex'), r: rs.r, s: rs.s, lowS: BigInt('0x' + rs.s) <= HALF_N },
    signer,
    verdicts,
    secretEnvelope: env.secretEnvelope !== undefined,
  };
}

/** Every receiver's verdict on a message, from trace events. */
export function verdictsOf(events: readonly Pick<TraceEvent, 'kind' | 'msg' | 'peer' | 'reason'>[], msgId: number): MessageDetail['verdicts'] {
  return events.filter((e) => e.kind === 'verify' && e.msg === msgId).map((e) => ({ peer: e.peer, ok: e.reason === 'valid', reason: e.reason ?? '' }));
}

export function describeMessage(sim: Simulation, msgId: number, recent: readonly TraceEvent[] = []): MessageDetail | null {
  const sm = sim.messages.get(msgId);
  if (sm === undefined) return null;
  const identityOf = (k: string) => sim.peers.find((p) => hex(p.identity.pkiId) === k)?.identity.serialized;
  const detail = messageDetailOf(msgId, sm, sim.registry, identityOf, verdictsOf(recent, msgId));
  const copies = sim.network.tamperedCopies(msgId);
  return copies.length === 0 ? detail : { ...detail, tampered: copies.map(tamperedCopyOf) };
}

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A tampered copy as the inspector shows it: both envelopes and the stretch that differs. */
export function tamperedCopyOf(r: TamperRecord): UiTamperedCopy {
  const c = changedSpan(r.sent, r.received);
  return { from: r.from, to: r.to, t: r.t, what: r.what, sentHex: toHex(r.sent), receivedHex: toHex(r.received), changed: { at: c.at, sentHex: toHex(c.sent), receivedHex: toHex(c.received) }, decodes: r.decodes };
}

/** What a peer knows, as the inspector shows it: from its node (when it runs) and its ledgers. */
export interface PeerView {
  idx: number;
  id: string;
  running: boolean;
  pkiHex: string;
  node: GossipNode | undefined;
  channels: string[];
  ledgers: Map<string, Ledger>;
  leads(channel: string): boolean;
  /** A peer's id from its trace index. */
  idOf(idx: number): string;
  startedAt?: number;
  config?: EffectiveEntry[];
}

export function peerDetailOf(p: PeerView, more: { paused?: boolean; started?: boolean } = {}): PeerDetail {
  const node = p.running ? p.node : undefined;
  const snap = node ? node.disc.snapshot() : { alive: [], dead: [] };
  return {
    idx: p.idx,
    id: p.id,
    running: p.running,
    ...(more.paused ? { paused: true } : {}),
    ...(more.started === false ? { started: false } : {}),
    pkiId: p.pkiHex,
    ...(p.startedAt === undefined ? {} : { startedAt: p.startedAt }),
    ...(p.config === undefined ? {} : { config: p.config }),
    membership: {
      alive: snap.alive.map((a) => ({ id: p.idOf(a.member.idx), lastSeen: a.lastSeen })),
      dead: snap.dead.map((a) => ({ id: p.idOf(a.member.idx), lastSeen: a.lastSeen })),
    },
    channels: p.channels.map((name) => {
      const ledger = p.ledgers.get(name);
      const ch = node?.channels.get(name);
      return {
        name,
        height: ledger?.height ?? 0,
        leader: p.running && p.leads(name),
        stateInfo: (ch?.peersOfChannel() ?? []).map((x) => ({ id: p.idOf(x.member.idx), height: Number(x.height) })),
        worldState: [...(ledger?.worldState ?? new Map<string, string>())].sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, 200).map(([key, value]) => ({ key, value })),
      };
    }),
  };
}

export function describePeer(sim: Simulation, idx: number): PeerDetail | null {
  const p = sim.peers[idx];
  if (p === undefined) return null;
  const deaths = deadDeclarationsOf(sim);
  const detail = peerDetailOf({
    idx,
    id: p.id,
    running: p.running,
    pkiHex: hex(p.identity.pkiId),
    node: p.node,
    channels: p.channels,
    ledgers: p.ledgers,
    leads: (ch) => p.leaderOf.has(ch),
    idOf: (i) => sim.peers[i]?.id ?? `#${i}`,
    ...(p.startedAt === undefined ? {} : { startedAt: p.startedAt }),
    config: effectiveEntries(sim.scenario, p.id),
  }, { paused: p.running && p.rt.isPaused(), started: p.startedAt !== undefined });
  if (deaths === undefined) return detail;
  const of = sim.peers.filter((q) => judges_(q) && q.idx !== idx).length;
  return { ...detail, declaredDead: { of, by: deaths.declarers(idx).map((d) => ({ id: sim.peers[d.peer]?.id ?? `#${d.peer}`, at: d.at })) } };
}
