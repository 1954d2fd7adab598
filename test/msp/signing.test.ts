import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, verify as nodeVerify } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { deriveKeyPair, deriveScalar, P256_HALF_N, P256_N } from '../../engine/msp/keys.js';
import { highS, Signer, signDigest } from '../../engine/msp/signer.js';
import { SIGNATURE_INVALID, VerifyCache, verifySignature } from '../../engine/msp/verify.js';
import { parseECDSASignature, sigToBigInts } from '../../engine/msp/der.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();
const bytes = (s: string) => new Uint8Array(Buffer.from(s));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('deriveScalar is deterministic, seed- and label-dependent, and in [1, n-1]', () => {
  assert.equal(hex(deriveScalar(7, 'a')), hex(deriveScalar(7, 'a')));
  assert.equal(hex(deriveScalar(7, 'a')), hex(deriveScalar('7', 'a'))); // the seed is used as text
  assert.notEqual(hex(deriveScalar(7, 'a')), hex(deriveScalar(8, 'a')));
  assert.notEqual(hex(deriveScalar(7, 'a')), hex(deriveScalar(7, 'b')));
  for (let i = 0; i < 50; i++) {
    const d = BigInt('0x' + hex(deriveScalar(i, 'k')));
    assert.ok(d >= 1n && d < P256_N);
  }
});

test('public key matches noble', () => {
  const kp = deriveKeyPair(1, 'x');
  assert.equal(hex(kp.publicRaw), hex(p256.getPublicKey(kp.privateKey, false)));
  const jwk = kp.publicKey.export({ format: 'jwk' });
  assert.equal(Buffer.from(jwk.x!, 'base64url').toString('hex'), hex(kp.publicRaw.subarray(1, 33)));
});

test('signatures are byte-identical to noble RFC 6979 low-S DER', () => {
  const kp = deriveKeyPair('seed', 'signer');
  for (let i = 0; i < 300; i++) {
    const digest = sha256(bytes(`message ${i}`));
    const ours = signDigest(kp.privateKey, digest);
    const theirs = p256.sign(digest, kp.privateKey, { prehash: false, lowS: true, format: 'der' });
    assert.equal(hex(ours), hex(theirs), `message ${i}`);
  }
});

test('signatures verify with Node crypto and noble, and are low-S', () => {
  const kp = deriveKeyPair('seed', 'signer');
  const signer = new Signer(kp.privateKey);
  for (let i = 0; i < 50; i++) {
    const data = bytes(`payload ${i}`);
    const sig = signer.sign(data);
    assert.ok(nodeVerify('sha256', data, { key: kp.publicKey, dsaEncoding: 'der' }, sig));
    assert.ok(p256.verify(sig, sha256(data), kp.publicRaw, { prehash: false, format: 'der', lowS: true }));
    const p = parseECDSASignature(sig);
    assert.ok(typeof p !== 'string');
    assert.ok(sigToBigInts(p).s <= P256_HALF_N);
    assert.equal(verifySignature(kp.publicKey, sig, data), null);
  }
});

test('same seed, same signature; other seed, other signature', () => {
  const data = bytes('ConnEstablish');
  const a = new Signer(deriveScalar(1, 'p')).sign(data);
  const b = new Signer(deriveScalar(1, 'p')).sign(data);
  const c = new Signer(deriveScalar(2, 'p')).sign(data);
  assert.equal(hex(a), hex(b));
  assert.notEqual(hex(a), hex(c));
});

test('the signer memo returns the same signature object for the same bytes', () => {
  const signer = new Signer(deriveScalar(1, 'memo'), 2);
  const s1 = signer.sign(bytes('a'));
  assert.equal(signer.sign(bytes('a')), s1); // a different array with the same content hits
  assert.equal(signer.hits, 1);
  signer.sign(bytes('b'));
  signer.sign(bytes('c')); // evicts 'a' (bound 2)
  const s1again = signer.sign(bytes('a'));
  assert.notEqual(s1again, s1);
  assert.equal(hex(s1again), hex(s1));
});

test('the high-S twin verifies mathematically but Fabric rejects it with its message', () => {
  const kp = deriveKeyPair(3, 'h');
  const data = bytes('alive');
  const sig = new Signer(kp.privateKey).sign(data);
  const twin = highS(sig);
  assert.notEqual(hex(twin), hex(sig));
  assert.equal(hex(highS(twin)), hex(sig));
  // OpenSSL accepts either half; that is why the check must be explicit.
  assert.ok(nodeVerify('sha256', data, { key: kp.publicKey, dsaEncoding: 'der' }, twin));
  const { s } = sigToBigInts(parseECDSASignature(twin) as { r: Uint8Array; s: Uint8Array });
  assert.equal(
    verifySignature(kp.publicKey, twin, data),
    'could not determine the validity of the signature: Failed verifing with opts [<nil>]: ' +
      `Invalid S. Must be smaller than half the order [${s}][${P256_HALF_N}].`,
  );
  assert.equal(P256_N, p256.Point.Fn.ORDER); // the constant is the real group order
});

test('tampered data, wrong key and malformed signatures are rejected with Fabric words', () => {
  const kp = deriveKeyPair(4, 't');
  const other = deriveKeyPair(4, 'other');
  const data = bytes('state info');
  const sig = new Signer(kp.privateKey).sign(data);
  assert.equal(verifySignature(kp.publicKey, sig, bytes('state inf0')), SIGNATURE_INVALID);
  assert.equal(verifySignature(other.publicKey, sig, data), SIGNATURE_INVALID);
  const prefix = 'could not determine the validity of the signature: ';
  assert.equal(verifySignature(kp.publicKey, new Uint8Array(0), data), prefix + 'Invalid signature. Cannot be empty.');
  const unm = prefix + 'Failed verifing with opts [<nil>]: Failed unmashalling signature [';
  assert.equal(
    verifySignature(kp.publicKey, Uint8Array.of(0x30, 0x10, 0x02), data),
    unm + 'failed unmashalling signature [asn1: syntax error: data truncated]]',
  );
  assert.equal(
    verifySignature(kp.publicKey, Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01), data),
    unm + 'invalid signature, R must be larger than zero]',
  );
  assert.equal(
    verifySignature(kp.publicKey, Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0xff), data),
    unm + 'invalid signature, S must be larger than zero]',
  );
  assert.equal(
    verifySignature(kp.publicKey, Uint8Array.of(0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01), data),
    unm + 'failed unmashalling signature [asn1: structure error: integer not minimally-encoded]]',
  );
  assert.match(verifySignature(kp.publicKey, Uint8Array.of(0x04, 0x00), data)!, /tags don't match \(16 vs \{class:0 tag:4 length:0 isCompound:false\}\)/);
  assert.match(verifySignature(kp.publicKey, Uint8Array.of(0x30, 0x00), data)!, /asn1: syntax error: sequence truncated/);
});

test('Go accepts bytes after the DER signature, so this verifier does too', () => {
  const kp = deriveKeyPair(5, 'g');
  const data = bytes('x');
  const sig = new Signer(kp.privateKey).sign(data);
  const padded = new Uint8Array([...sig, 0xde, 0xad]);
  assert.equal(nodeVerify('sha256', data, { key: kp.publicKey, dsaEncoding: 'der' }, padded), false); // OpenSSL refuses
  assert.equal(verifySignature(kp.publicKey, padded, data), null); // Fabric (Go asn1) accepts
});

test('VerifyCache answers from object identity and from content, and stays exact', () => {
  const kp = deriveKeyPair(6, 'c');
  const id = bytes('identity bytes');
  const data = bytes('payload');
  const sig = new Signer(kp.privateKey).sign(data);
  const cache = new VerifyCache(10);
  assert.equal(cache.verify(id, kp.publicKey, sig, data), null);
  assert.equal(cache.misses, 1);
  assert.equal(cache.verify(id, kp.publicKey, sig, data), null); // same objects
  assert.equal(cache.verify(bytes('identity bytes'), kp.publicKey, new Uint8Array(sig), bytes('payload')), null); // copies
  assert.equal(cache.hits, 2);
  assert.equal(cache.verify(id, kp.publicKey, sig, bytes('other')), SIGNATURE_INVALID); // same sig object, other payload
  assert.equal(cache.verify(id, kp.publicKey, highS(sig), data)?.includes('Invalid S'), true);
  assert.equal(cache.misses, 3);
});
