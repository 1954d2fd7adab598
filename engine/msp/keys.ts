/**
 * Deterministic P-256 keys. Every private key is a pure function of (seed, label), so the same
 * scenario seed gives the same keys, certificates, PKI-IDs and signatures on every run.
 */
import { createECDH, createHmac, createPublicKey, type KeyObject } from 'node:crypto';

/** Order n of the P-256 group, and n/2 (Fabric's low-S bound, `curveHalfOrders`). */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
export const P256_HALF_N = P256_N >> 1n;

export interface KeyPair {
  /** Private scalar d, 32 bytes big-endian, 1 ≤ d ≤ n−1. */
  privateKey: Uint8Array;
  /** Uncompressed public point 0x04 ‖ X ‖ Y (65 bytes). */
  publicRaw: Uint8Array;
  /** For Node's crypto.verify, which is ~30× faster than pure-JS verification. */
  publicKey: KeyObject;
}

export function bytesToBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex'));
}

export function bigIntTo32(x: bigint): Buffer {
  return Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
}

/**
 * A valid P-256 private key from (seed, label): HMAC-SHA256 keyed by the seed over
 * label ‖ 0x00 ‖ counter, retrying with the next counter until the value is in [1, n−1]
 * (a retry happens with probability ≈ 2^-32).
 */
export function deriveScalar(seed: string | number, label: string): Uint8Array {
  for (let counter = 0; ; counter++) {
    const ctr = Buffer.alloc(4);
    ctr.writeUInt32BE(counter);
    const d = createHmac('sha256', `gossip-scope/msp/v1/${seed}`)
      .update(label)
      .update(Buffer.of(0))
      .update(ctr)
      .digest();
    const x = bytesToBigInt(d);
    if (x >= 1n && x < P256_N) return new Uint8Array(d);
  }
}

/** The public point of a scalar, computed by OpenSSL (ECDH public-key derivation is d·G). */
export function publicRawOf(privateKey: Uint8Array): Uint8Array {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(privateKey);
  return new Uint8Array(ecdh.getPublicKey());
}

/** Node KeyObject for an uncompressed P-256 point, via JWK. */
export function publicKeyObject(publicRaw: Uint8Array): KeyObject {
  const b = Buffer.from(publicRaw);
  return createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b.subarray(1, 33).toString('base64url'), y: b.subarray(33, 65).toString('base64url') },
    format: 'jwk',
  });
}

export function deriveKeyPair(seed: string | number, label: string): KeyPair {
  const privateKey = deriveScalar(seed, label);
  const publicRaw = publicRawOf(privateKey);
  return { privateKey, publicRaw, publicKey: publicKeyObject(publicRaw) };
}
