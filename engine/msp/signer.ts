/**
 * ECDSA P-256 / SHA-256 signing as Fabric does it (msp signingidentity.Sign → bccsp signECDSA):
 * low-S, ASN.1 DER. The nonce is RFC 6979's (deterministic), so a signature is a pure function
 * of (key, message): byte-identical to @noble/curves' p256.sign(sha256(m), d, {prehash: false,
 * lowS: true}), which the tests check, but ~10× faster because the one scalar multiplication,
 * k·G, is done by OpenSSL (ECDH public-key derivation) instead of in JavaScript.
 */
import { createECDH, createHash, createHmac } from 'node:crypto';
import { bigIntTo32, bytesToBigInt, P256_HALF_N, P256_N } from './keys.js';
import { encodeECDSASignature, parseECDSASignature, sigToBigInts } from './der.js';

const ecdh = createECDH('prime256v1'); // reused: the engine is single-threaded and this is sync
const ZERO = Buffer.of(0);
const ONE = Buffer.of(1);

/** Extended Euclid; a is in [1, n−1] and n is prime, so the inverse exists. */
function invMod(a: bigint, n: bigint): bigint {
  let [r0, r1, t0, t1] = [n, a, 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return t0 < 0n ? t0 + n : t0;
}

function hmac(key: Buffer, ...parts: Buffer[]): Buffer {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Signs a SHA-256 digest with RFC 6979 (HMAC-DRBG over SHA-256) and returns low-S DER. */
export function signDigest(privateKey: Uint8Array, digest: Uint8Array): Uint8Array {
  const d = bytesToBigInt(privateKey);
  const m = bytesToBigInt(digest) % P256_N; // bits2int_modN; a SHA-256 digest is exactly 256 bits
  const seed = Buffer.concat([bigIntTo32(d), bigIntTo32(m)]);
  // RFC 6979 3.2 steps b–g.
  let V: Buffer = Buffer.alloc(32, 1);
  let K: Buffer = Buffer.alloc(32, 0);
  K = hmac(K, V, ZERO, seed);
  V = hmac(K, V);
  K = hmac(K, V, ONE, seed);
  V = hmac(K, V);
  for (;;) {
    V = hmac(K, V); // step h: one 32-byte block is one candidate k
    const k = bytesToBigInt(V);
    if (k >= 1n && k < P256_N) {
      ecdh.setPrivateKey(V);
      const R = ecdh.getPublicKey(); // k·G, uncompressed
      const r = bytesToBigInt(R.subarray(1, 33)) % P256_N;
      if (r !== 0n) {
        let s = (invMod(k, P256_N) * ((m + r * d) % P256_N)) % P256_N;
        if (s !== 0n) {
          if (s > P256_HALF_N) s = P256_N - s; // bccsp ToLowS
          return encodeECDSASignature(r, s);
        }
      }
    }
    K = hmac(K, V, ZERO); // rejected candidate: reseed with no input and try again
    V = hmac(K, V);
  }
}

export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/**
 * One identity's signing key. sign() is memoised: with RFC 6979 the answer for the same bytes
 * never changes, so the cache is exact; a peer's ConnEstablish, for one, is the same bytes on
 * every connection. Returned signatures are shared objects: treat them as immutable.
 */
export class Signer {
  private readonly memo = new Map<string, Uint8Array>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly privateKey: Uint8Array,
    private readonly memoSize = 4096,
  ) {}

  sign(data: Uint8Array): Uint8Array {
    const digest = sha256(data);
    const key = digest.toString('latin1'); // 32 chars: cheaper than hex, exact
    const hit = this.memo.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const sig = signDigest(this.privateKey, digest);
    if (this.memo.size >= this.memoSize) this.memo.delete(this.memo.keys().next().value!); // oldest first
    this.memo.set(key, sig);
    return sig;
  }
}

/**
 * The high-S twin (r, n − s) of a DER signature: the same signature, mathematically valid,
 * that Fabric rejects ("Invalid S. Must be smaller than half the order"). For adversary tests.
 * Applied to a high-S signature it gives back the low-S one.
 */
export function highS(sig: Uint8Array): Uint8Array {
  const p = parseECDSASignature(sig);
  if (typeof p === 'string') throw new Error(`highS: ${p}`);
  const { r, s } = sigToBigInts(p);
  return encodeECDSASignature(r, P256_N - s);
}
