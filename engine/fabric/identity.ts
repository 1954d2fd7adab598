/**
 * gossip/identity: the identity mapper, PKI-ID → certificate. Identities are validated when
 * put, and purged when their certificate expires (NotAfter + 1ms), which makes the node drop
 * the peer from membership and close its connection (fabric#5111).
 */
import type { PeerEnv } from './env.js';
import type { MemberId } from './members.js';
import { bytesEqual } from './message.js';

interface Entry {
  /** The PKI-ID's bytes as first seen (shared message bytes: their hex is cached). */
  pkiId: Uint8Array;
  identity: Uint8Array;
  org: string;
  expiresAt: number;
}

export class IdentityMapper {
  /** By member id; a Map, walked in insertion order when certificates expire. */
  private readonly byPki = new Map<MemberId, Entry>();
  private nextPurge = Infinity;
  onPurge: (id: MemberId) => void = () => {};

  constructor(private readonly env: PeerEnv) {}

  /** identityMapperImpl.Put: null when stored (or already known), else why not. */
  put(pkiId: Uint8Array, identity: Uint8Array): string | null {
    if (pkiId.length === 0) return 'PKIID is nil';
    if (identity.length === 0) return 'identity is nil';
    // Already stored, same bytes: it passed every check then, and it is purged when it expires,
    // so the answer is the same (and this runs for every alive message during publishCertPeriod).
    const key = this.env.members.idOf(pkiId);
    const known = this.byPki.get(key);
    if (known !== undefined && (known.identity === identity || bytesEqual(known.identity, identity))) return null;
    const mcs = this.env.mcs;
    const org = mcs.orgOf(identity);
    if (org === null) return 'failed classifying identity';
    const invalid = mcs.validateIdentity(identity);
    if (invalid !== null) return invalid;
    const computed = mcs.pkiIdOf(identity);
    if (computed === null || !bytesEqual(computed, pkiId)) return "identity doesn't match the computed pkiID";
    if (this.byPki.has(key)) return null;
    const expiresAt = mcs.expiresAt(identity);
    if (expiresAt <= this.env.rt.now()) return 'gossipping peer identity expired';
    this.byPki.set(key, { pkiId, identity, org, expiresAt });
    this.schedulePurge(expiresAt + 1);
    return null;
  }

  /** Our own identity: a peer always knows itself, whatever others make of its certificate. */
  putSelf(pkiId: Uint8Array, identity: Uint8Array, org: string): void {
    this.byPki.set(this.env.members.idOf(pkiId), { pkiId, identity, org, expiresAt: Infinity });
  }

  get(id: MemberId): Uint8Array | undefined {
    return this.byPki.get(id)?.identity;
  }

  orgOf(id: MemberId): string | undefined {
    return this.byPki.get(id)?.org;
  }

  size(): number {
    return this.byPki.size;
  }

  /** One timer for the earliest expiry, not one per identity: thousands of peers know thousands of certificates. */
  private schedulePurge(at: number): void {
    if (at >= this.nextPurge) return;
    this.nextPurge = at;
    this.env.rt.after(at - this.env.rt.now(), 'identity.expire', () => {
      if (this.nextPurge !== at) return;
      this.nextPurge = Infinity;
      this.purgeExpired();
    });
  }

  private purgeExpired(): void {
    const now = this.env.rt.now();
    let earliest = Infinity;
    for (const [k, e] of [...this.byPki]) {
      if (e.expiresAt < now) {
        this.byPki.delete(k);
        this.env.tr.state('identityPurged', { pkiId: this.env.members.hex(k) });
        this.onPurge(k);
      } else if (e.expiresAt + 1 < earliest) earliest = e.expiresAt + 1;
    }
    if (earliest !== Infinity) this.schedulePurge(earliest);
  }
}
