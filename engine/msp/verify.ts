/**
 * Signature verification in the order and words of Fabric: msp identity.Verify → bccsp
 * CSP.Verify → sw verifyECDSA (fabric-lib-go bccsp/sw/ecdsa.go, bccsp/utils/ecdsa.go):
 * non-empty, DER-unmarshal with r, s > 0, reject high-S, then the ECDSA check itself
 * (here Node's OpenSSL, ~15k/s on one core).
 */
import { createHash, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { bytesToBigInt, P256_HALF_N, P256_N } from './keys.js';
import { parseECDSASignature } from './der.js';

/** identity.Verify wraps every BCCSP error with this (errors.WithMessage). */
const COULD_NOT = 'could not determine the validity of the signature: ';
/** CSP.Verify wraps verifier errors with this; opts is nil in identity.Verify. */
const FAILED_VERIFYING = 'Failed verifing with opts [<nil>]: ';
export const SIGNATURE_INVALID = 'The signature is invalid';

function pad32(x: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  out.set(x, 32 - x.length);
  return out;
}

/**
 * null when `sig` is a valid Fabric signature by `publicKey` over SHA-256(data); otherwise the
 * error text msp identity.Verify would return, e.g.
 * "could not determine the validity of the signature: Failed verifing with opts [<nil>]:
 *  Invalid S. Must be smaller than half the order [s][n/2]." or "The signature is invalid".
 */
export function verifySignature(publicKey: KeyObject, sig: Uint8Array, data: Uint8Array): string | null {
  if (sig.length === 0) return COULD_NOT + 'Invalid signature. Cannot be empty.';
  const p = parseECDSASignature(sig);
  if (typeof p === 'string') return `${COULD_NOT}${FAILED_VERIFYING}Failed unmashalling signature [${p}]`;
  const s = bytesToBigInt(p.s);
  if (s > P256_HALF_N) {
    return `${COULD_NOT}${FAILED_VERIFYING}Invalid S. Must be smaller than half the order [${s}][${P256_HALF_N}].`;
  }
  // Go's ecdsa.Verify answers false for r ≥ n; such r may not even fit in 32 bytes.
  if (p.r.length > 32 || bytesToBigInt(p.r) >= P256_N) return SIGNATURE_INVALID;
  // Re-encode as r ‖ s: Go accepted trailing bytes that OpenSSL's DER parser would refuse.
  const rs = Buffer.concat([pad32(p.r), pad32(p.s)]);
  const ok = nodeVerify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, rs);
  return ok ? null : SIGNATURE_INVALID;
}

interface Seen {
  identity: Uint8Array;
  data: Uint8Array;
  result: string | null;
}

/**
 * (identity bytes, payload, signature) → verifySignature's answer. Exact, because the answer for
 * the same bytes never changes. The fast path is object identity: the simulator hands the same
 * immutable envelope objects to every receiver, so a WeakMap keyed by the signature object hits
 * without hashing. Different objects with the same content fall back to a Map keyed by SHA-256 of
 * the length-prefixed concatenation. Inputs must not be mutated after they have been verified.
 */
export class VerifyCache {
  private readonly byObject = new WeakMap<Uint8Array, Seen[]>();
  private readonly byContent = new Map<string, string | null>();
  hits = 0;
  misses = 0;

  constructor(private readonly maxEntries = 200_000) {}

  get size(): number {
    return this.byContent.size;
  }

  /** `publicKey` must be the key of `identity`; it is only used on a miss. */
  verify(identity: Uint8Array, publicKey: KeyObject, sig: Uint8Array, data: Uint8Array): string | null {
    const seen = this.byObject.get(sig);
    if (seen) {
      for (const e of seen) {
        // Peers hold different copies of the same certificate: compare bytes when objects differ.
        if (e.data === data && (e.identity === identity || sameBytes(e.identity, identity))) {
          this.hits++;
          return e.result;
        }
      }
    }
    const key = contentKey(identity, sig, data);
    let result = this.byContent.get(key);
    if (result !== undefined) {
      this.hits++;
    } else {
      this.misses++;
      result = verifySignature(publicKey, sig, data);
      if (this.byContent.size >= this.maxEntries) this.byContent.delete(this.byContent.keys().next().value!);
      this.byContent.set(key, result);
    }
    const entry = { identity, data, result };
    if (!seen) this.byObject.set(sig, [entry]);
    else if (seen.length < 4) seen.push(entry); // the same signature object reused on other payloads: rare
    return result;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

function contentKey(identity: Uint8Array, sig: Uint8Array, data: Uint8Array): string {
  const lens = Buffer.alloc(12);
  lens.writeUInt32BE(identity.length, 0);
  lens.writeUInt32BE(data.length, 4);
  lens.writeUInt32BE(sig.length, 8);
  return createHash('sha256').update(lens).update(identity).update(data).update(sig).digest().toString('latin1');
}
