/**
 * What every module of one peer shares: who the peer is, its configuration, its runtime
 * (clock, timers, randomness), its crypto service and its trace. Fabric passes the same things
 * around as constructor arguments of each package; one object keeps the wiring short.
 */
import type { Runtime } from '../kernel/runtime.js';
import type { Trace } from '../trace/trace.js';
import type { TraceKind } from '../trace/events.js';
import type { GossipConfig } from './config.js';
import type { SignedMessage } from './message.js';
import type { MemberId, MemberTable } from './members.js';

/** internal/peer/gossip/mcs.go MessageCryptoService plus the SecurityAdvisor's OrgByPeerIdentity. */
export interface CryptoService {
  /** Signs with the peer's own key (ECDSA P-256, SHA-256, low-S, DER). */
  sign(data: Uint8Array): Uint8Array;
  /** Verifies a signature by `identity` (serialised); null when valid, else the reason. */
  verify(identity: Uint8Array, signature: Uint8Array, data: Uint8Array): string | null;
  /** SHA-256(mspid ‖ PEM). Null when the bytes are not an identity. */
  pkiIdOf(identity: Uint8Array): Uint8Array | null;
  /** The MSP ID of an identity, or null when no MSP can deserialise it. */
  orgOf(identity: Uint8Array): string | null;
  /** Chains to a known CA and is within its validity window now; null when valid. */
  validateIdentity(identity: Uint8Array): string | null;
  /** The certificate's NotAfter, in simulated ms since start. */
  expiresAt(identity: Uint8Array): number;
  /** MCS.VerifyBlock; null when valid. */
  verifyBlock(channel: string, seq: bigint, block: Uint8Array): string | null;
}

/** A peer's window on the trace: stamps time and peer index, and keeps causality. */
export class PeerTracer {
  constructor(
    private readonly trace: Trace,
    private readonly rt: Runtime,
    readonly peer: number,
  ) {}

  emit(kind: TraceKind, other?: number, type?: string, msg?: number, reason?: string, data?: Record<string, unknown>): number {
    return this.trace.emit(this.rt.now(), kind, this.peer, other, type, msg, reason, data).id;
  }

  /** Runs fn with the given event as the cause of everything it emits. */
  within<T>(cause: number, fn: () => T): T {
    const prev = this.trace.cause;
    this.trace.cause = cause;
    try {
      return fn();
    } finally {
      this.trace.cause = prev;
    }
  }

  /** Sets the current cause and returns the previous one (the hot path's closure-free within). */
  swapCause(cause: number): number {
    const prev = this.trace.cause;
    this.trace.cause = cause;
    return prev;
  }

  get cause(): number {
    return this.trace.cause;
  }

  state(what: string, data: Record<string, unknown>): void {
    this.emit('state', undefined, undefined, undefined, what, data);
  }

  /** A line Fabric logs, with its logger name (gossip.discovery, ...). */
  log(level: 'debug' | 'info' | 'warn' | 'error', logger: string, text: string): void {
    this.emit('log', undefined, undefined, undefined, text, { level, logger });
  }

  reject(from: number, sm: SignedMessage, reason: string): void {
    this.emit('reject', from, sm.typeName, sm.id || undefined, reason);
  }
}

export interface PeerEnv {
  /** Index in the trace's peer table. */
  idx: number;
  /** peer0.org1 */
  name: string;
  mspId: string;
  pkiId: Uint8Array;
  pkiHex: string;
  /** The engine's member ids (one table for every peer it runs), and this peer's own. */
  members: MemberTable;
  self: MemberId;
  /** Serialised SerializedIdentity. */
  identity: Uint8Array;
  /** SHA-256 of this peer's TLS certificate DER (ConnEstablish.tls_cert_hash). */
  tlsCertHash: Uint8Array;
  /** peer.gossip.externalEndpoint; '' when the peer publishes none. */
  endpoint: string;
  /** peer.gossip.endpoint (or peer.address). */
  internalEndpoint: string;
  config: GossipConfig;
  rt: Runtime;
  mcs: CryptoService;
  tr: PeerTracer;
}
