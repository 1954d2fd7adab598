/**
 * The MSPs a peer knows, seen through gossip's MessageCryptoService (internal/peer/gossip/mcs.go)
 * and SecurityAdvisor (sa.go). Everything here runs per message, so it is synchronous and
 * cached: parsing per identity bytes, chain validation per identity, signature checks per
 * (identity, payload, signature) in a VerifyCache.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { identityString, parseIdentity, type IdentityInfo, type Parsed } from './identity.js';
import { VerifyCache } from './verify.js';

/** What the registry needs from a CA; an OrgCA is one. */
export interface RootCA {
  mspId: string;
  identity: IdentityInfo;
}

interface Root {
  subject: string; // as the issuer of the certificates it signs is printed by Node
  cn: string;
  publicKey: KeyObject;
}

interface Entry extends Parsed {
  /** Chain verdict, valid while `gen` equals the registry's generation (CAs can be added). */
  chain?: string | null;
  gen?: number;
  /** identityString, for the "No MSP found" reason, computed once. */
  display?: string;
}

const NOT_NIL = 'Invalid Peer Identity. It must be different from nil.';

/** Go's time.RFC3339 for a UTC instant (whole seconds). */
const rfc3339 = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export class MSPRegistry {
  private readonly roots = new Map<string, Root[]>();
  private gen = 0;
  private readonly byObject = new WeakMap<Uint8Array, Entry>();
  private readonly byContent = new Map<string, Entry>();
  private readonly maxIdentities: number;
  readonly verifyCache: VerifyCache;

  constructor(opts: { maxIdentities?: number; verifyCache?: VerifyCache } = {}) {
    this.maxIdentities = opts.maxIdentities ?? 100_000;
    this.verifyCache = opts.verifyCache ?? new VerifyCache();
  }

  /** Registers a root CA for its MSP ID. Several roots per MSP are allowed, as in Fabric. */
  addCA(ca: RootCA): void {
    const p = parseIdentity(ca.identity.serialized);
    if (!p.cert || !p.info) throw new Error(`addCA: ${p.error}`);
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(p.cert.subject)?.[1] ?? '';
    const list = this.roots.get(ca.mspId) ?? [];
    list.push({ subject: p.cert.subject, cn, publicKey: p.info.publicKey });
    this.roots.set(ca.mspId, list);
    this.gen++; // cached chain verdicts may change
  }

  hasMSP(mspId: string): boolean {
    return this.roots.has(mspId);
  }

  /**
   * msp manager DeserializeIdentity: the identity, or why not ("MSP X is not defined on
   * channel", "could not decode the PEM structure", ...). Does not validate.
   */
  deserialize(serialized: Uint8Array): IdentityInfo | string {
    const e = this.entry(serialized);
    if (!e.sid) return e.error!;
    if (!this.roots.has(e.sid.mspid)) return `MSP ${e.sid.mspid} is not defined on channel`;
    return e.info ?? e.error!;
  }

  /** mcs GetPKIidOfCert: SHA-256(mspid ‖ id_bytes); null for empty or non-SerializedIdentity bytes. */
  pkiIdOf(serialized: Uint8Array): Uint8Array | null {
    return serialized.length === 0 ? null : this.entry(serialized).pkiId;
  }

  /** sa.go OrgByPeerIdentity: the MSP ID when some MSP can deserialise the identity, else null. */
  orgOf(serialized: Uint8Array): string | null {
    if (serialized.length === 0) return null;
    const d = this.deserialize(serialized);
    return typeof d === 'string' ? null : d.mspId;
  }

  /**
   * mcs ValidateIdentity: null when the identity is well formed and chains to a root CA of its
   * MSP. Fabric's MSP does not look at the clock here (it verifies "as of NotBefore + 1s",
   * FAB-3678); pass `nowMs` (ms since the Unix epoch, simulated) to also check the validity
   * window, with Go's x509 words.
   */
  validate(serialized: Uint8Array, nowMs?: number): string | null {
    if (serialized.length === 0) return NOT_NIL;
    const e = this.entry(serialized);
    if (!e.sid) return e.error;
    if (!e.info || !this.roots.has(e.sid.mspid)) {
      e.display ??= identityString(serialized);
      return `Peer Identity ${e.display} cannot be validated. No MSP found able to do that.`;
    }
    if (e.wellFormed) return `identity is not well formed: ${e.wellFormed}`;
    if (e.gen !== this.gen) {
      e.chain = this.checkChain(e);
      e.gen = this.gen;
    }
    if (e.chain) return e.chain;
    if (nowMs !== undefined) {
      const { notBefore, notAfter } = e.info;
      const why = 'x509: certificate has expired or is not yet valid: current time';
      if (nowMs < notBefore.getTime()) return `${why} ${rfc3339(nowMs)} is before ${rfc3339(notBefore.getTime())}`;
      if (nowMs > notAfter.getTime()) return `${why} ${rfc3339(nowMs)} is after ${rfc3339(notAfter.getTime())}`;
    }
    return null;
  }

  /** mcs Expiration: the certificate's NotAfter (ms since the Unix epoch); null when invalid. */
  expiresAt(serialized: Uint8Array): number | null {
    if (this.validate(serialized) !== null) return null;
    return this.entry(serialized).info!.notAfter.getTime();
  }

  /**
   * mcs Verify: validate the identity (no clock, as Fabric), then the signature over `data`.
   * null when valid; otherwise the reason, in Fabric's words.
   */
  verify(serialized: Uint8Array, sig: Uint8Array, data: Uint8Array): string | null {
    const bad = this.validate(serialized);
    if (bad) return bad;
    // The canonical copy of the identity: peers hold different copies of the same certificate,
    // and the cache's fast path compares identities by object.
    const info = this.entry(serialized).info!;
    return this.verifyCache.verify(info.serialized, info.publicKey, sig, data);
  }

  /** Go's x509 Verify against this MSP's roots, with Fabric's wrapping of its errors. */
  private checkChain(e: Entry): string | null {
    try {
      return this.checkChainOf(e);
    } catch (err) {
      // A damaged certificate can make OpenSSL throw on a field it parses lazily.
      return `could not obtain certification chain: x509: malformed certificate (${(err as Error).message})`;
    }
  }

  private checkChainOf(e: Entry): string | null {
    const cert = e.cert!;
    if (cert.ca) {
      return (
        'could not obtain certification chain: An X509 certificate with Basic Constraint: ' +
        'Certificate Authority equals true cannot be used as an identity'
      );
    }
    // Candidates are the roots whose subject is the certificate's issuer, as Go's CertPool finds them.
    const named = (this.roots.get(e.info!.mspId) ?? []).filter((r) => r.subject === cert.issuer);
    for (const r of named) if (cert.verify(r.publicKey)) return null;
    const x = named.length
      ? 'x509: certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" ' +
        `while trying to verify candidate authority certificate ${JSON.stringify(named[0].cn)})`
      : 'x509: certificate signed by unknown authority';
    return `could not obtain certification chain: failed getting validation chain: the supplied identity is not valid: ${x}`;
  }

  /** Parsed identity for these bytes: by object first (no hashing), then by content. */
  private entry(serialized: Uint8Array): Entry {
    let e = this.byObject.get(serialized);
    if (e) return e;
    const key = createHash('sha256').update(serialized).digest().toString('latin1');
    e = this.byContent.get(key);
    if (!e) {
      e = parseIdentity(serialized);
      if (this.byContent.size >= this.maxIdentities) this.byContent.delete(this.byContent.keys().next().value!);
      this.byContent.set(key, e);
    }
    this.byObject.set(serialized, e);
    return e;
  }
}
