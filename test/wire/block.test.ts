/**
 * Block hashing, orderer signing and MCS.VerifyBlock-style checks, with a real P-256 key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import * as asn1js from 'asn1js';
import {
  BLOCK_POLICY_FAILURE,
  blockDataHash,
  blockHeaderBytes,
  blockHeaderHash,
  blockSignedBytes,
  makeSignedBlock,
  verifyBlock,
} from '../../engine/fabric/block.js';
import {
  decodeBlock,
  decodeMetadata,
  decodeSerializedIdentity,
  encodeBlock,
  encodeMetadata,
  encodeSerializedIdentity,
  encodeSignatureHeader,
} from '../../engine/wire/codec.js';
import type { Block } from '../../engine/wire/messages.js';
import { text, u8 } from './samples.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const CH = 'mychannel';

// An orderer identity: real ECDSA key; the "certificate" is the SPKI PEM, enough for these tests.
const orderer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ordererIdentity = encodeSerializedIdentity({
  mspid: 'OrdererMSP',
  idBytes: text(orderer.publicKey.export({ type: 'spki', format: 'pem' }) as string),
});
const signWith = (key: typeof orderer.privateKey) => (bytes: Uint8Array) => new Uint8Array(sign('sha256', bytes, key));

/** Stand-in for the BlockValidation policy's per-signature check. */
function verifySig(identity: Uint8Array, sig: Uint8Array, data: Uint8Array): string | null {
  const id = decodeSerializedIdentity(identity);
  if (id.mspid !== 'OrdererMSP') return `identity is not an orderer (${id.mspid})`;
  return verify('sha256', data, Buffer.from(id.idBytes).toString(), sig) ? null : 'signature invalid';
}

const block5 = () =>
  makeSignedBlock({
    number: 5n,
    previousHash: new Uint8Array(32).fill(1),
    data: [text('tx-a'), text('tx-b')],
    sign: signWith(orderer.privateKey),
    signerIdentity: ordererIdentity,
    nonce: u8(1, 2, 3),
  });

/** Decode, change, re-encode (the signature is left as it was). */
function tamper(bytes: Uint8Array, f: (b: Block) => void): Uint8Array {
  const b = decodeBlock(bytes);
  f(b);
  return encodeBlock(b);
}

test('a signed block verifies, and chains through blockHeaderHash', () => {
  const b0 = makeSignedBlock({ number: 0n, previousHash: new Uint8Array(0), data: [text('genesis')], sign: signWith(orderer.privateKey), signerIdentity: ordererIdentity, nonce: u8(9) });
  const b1 = makeSignedBlock({ number: 1n, previousHash: blockHeaderHash(b0.block.header!), data: [text('tx')], sign: signWith(orderer.privateKey), signerIdentity: ordererIdentity, nonce: u8(8) });
  assert.equal(verifyBlock(CH, 0n, b0.bytes, verifySig), null);
  assert.equal(verifyBlock(CH, 1n, b1.bytes, verifySig), null);
  assert.deepStrictEqual(decodeBlock(b1.bytes), b1.block);
  assert.equal(b1.block.metadata!.metadata.length, 5);
  // The signed bytes are value ‖ signatureHeader ‖ headerBytes, as Fabric's BlockSignatureVerifier rebuilds them.
  const md = decodeMetadata(b1.block.metadata!.metadata[0]);
  const s = md.signatures[0];
  assert.equal(hex(s.signatureHeader), hex(encodeSignatureHeader({ creator: ordererIdentity, nonce: u8(8) })));
  assert.ok(verify('sha256', blockSignedBytes(md.value, s.signatureHeader, b1.block.header!), orderer.publicKey, s.signature));
  assert.equal(hex(md.value), '0a00'); // OrdererBlockMetadata{last_config: {index: 0}}
});

test('undecodable block', () => {
  assert.match(verifyBlock(CH, 5n, u8(0x0a, 0x05, 0x08), verifySig)!, /^error unmarshalling Block: cannot decode common\.Block: /);
});

test('missing header', () => {
  const bytes = tamper(block5().bytes, (b) => delete b.header);
  assert.equal(verifyBlock(CH, 5n, bytes, verifySig), 'Invalid Block on channel [mychannel]. Header must be different from nil.');
});

test('wrong sequence number', () => {
  assert.equal(verifyBlock(CH, 6n, block5().bytes, verifySig), 'Claimed seqNum is [6] but actual seqNum inside block is [5]');
});

test('empty block (the part of the channel-ID check we model)', () => {
  const bytes = tamper(block5().bytes, (b) => (b.data = { data: [] }));
  assert.equal(
    verifyBlock(CH, 5n, bytes, verifySig),
    'Failed getting channel id from block with id [5] on channel [mychannel]: [failed to retrieve channel id - block is empty]',
  );
});

test('missing metadata', () => {
  const want = 'Block with id [5] on channel [mychannel] does not have metadata. Block not valid.';
  assert.equal(verifyBlock(CH, 5n, tamper(block5().bytes, (b) => delete b.metadata), verifySig), want);
  assert.equal(verifyBlock(CH, 5n, tamper(block5().bytes, (b) => (b.metadata = { metadata: [] })), verifySig), want);
});

test('tampered data', () => {
  const bytes = tamper(block5().bytes, (b) => (b.data!.data[1] = text('tx-evil')));
  assert.equal(verifyBlock(CH, 5n, bytes, verifySig), 'Header.DataHash is different from Hash(block.Data) for block with id [5] on channel [mychannel]');
});

test('bad signature, foreign signer, tampered header, no signatures', () => {
  const { bytes } = block5();
  const badSig = tamper(bytes, (b) => {
    const md = decodeMetadata(b.metadata!.metadata[0]);
    md.signatures[0].signature[10] ^= 0xff;
    b.metadata!.metadata[0] = encodeMetadata(md);
  });
  assert.equal(verifyBlock(CH, 5n, badSig, verifySig), BLOCK_POLICY_FAILURE);

  const peerKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const peerId = encodeSerializedIdentity({ mspid: 'Org1MSP', idBytes: text(peerKey.publicKey.export({ type: 'spki', format: 'pem' }) as string) });
  const foreign = makeSignedBlock({ number: 5n, previousHash: u8(1), data: [text('tx')], sign: signWith(peerKey.privateKey), signerIdentity: peerId, nonce: u8(1) });
  assert.equal(verifyBlock(CH, 5n, foreign.bytes, verifySig), BLOCK_POLICY_FAILURE);

  const otherPrev = tamper(bytes, (b) => (b.header!.previousHash = new Uint8Array(32)));
  assert.equal(verifyBlock(CH, 5n, otherPrev, verifySig), BLOCK_POLICY_FAILURE);

  const noSigs = tamper(bytes, (b) => (b.metadata!.metadata[0] = encodeMetadata({ value: u8(0x0a, 0x00), signatures: [] })));
  assert.equal(verifyBlock(CH, 5n, noSigs, verifySig), BLOCK_POLICY_FAILURE);
});

test('one valid signature among several satisfies the policy (ANY)', () => {
  const { bytes } = block5();
  const twoSigs = tamper(bytes, (b) => {
    const md = decodeMetadata(b.metadata!.metadata[0]);
    const good = md.signatures[0];
    md.signatures = [{ ...good, signature: u8(0x30, 0x00) }, good];
    b.metadata!.metadata[0] = encodeMetadata(md);
  });
  assert.equal(verifyBlock(CH, 5n, twoSigs, verifySig), null);
});

test('malformed signature metadata and signature header', () => {
  const badMd = tamper(block5().bytes, (b) => (b.metadata!.metadata[0] = u8(0x0a, 0x09)));
  assert.match(verifyBlock(CH, 5n, badMd, verifySig)!, /^error unmarshalling signatures from metadata: (.+): \1$/);
  const badHdr = tamper(block5().bytes, (b) => {
    const md = decodeMetadata(b.metadata!.metadata[0]);
    md.signatures[0].signatureHeader = u8(0x0a, 0x09);
    b.metadata!.metadata[0] = encodeMetadata(md);
  });
  assert.match(verifyBlock(CH, 5n, badHdr, verifySig)!, /^failed unmarshalling signature header for block 5: error unmarshalling SignatureHeader: /);
});

test('blockDataHash is SHA-256 of the concatenated entries', () => {
  assert.equal(hex(blockDataHash({ data: [] })), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(hex(blockDataHash({ data: [text('ab'), text(''), text('c')] })), createHash('sha256').update('abc').digest('hex'));
});

test('blockHeaderBytes is the DER Go asn1.Marshal produces', () => {
  const h32 = new Uint8Array(32).fill(0xab);
  // Hand-checked vectors: INTEGER minimal two's complement (00 prefix when the top bit is set).
  const cases: [bigint, string][] = [
    [0n, '020100'],
    [127n, '02017f'],
    [128n, '02020080'],
    [256n, '02020100'],
    [0xffffffffffffffffn, '020900ffffffffffffffff'],
  ];
  for (const [n, int] of cases) {
    const der = hex(blockHeaderBytes({ number: n, previousHash: new Uint8Array(0), dataHash: h32 }));
    const body = int + '0400' + '0420' + 'ab'.repeat(32);
    assert.equal(der, '30' + (body.length / 2).toString(16).padStart(2, '0') + body, `number ${n}`);
  }
  // Long-form lengths: a 300-byte previousHash (04 82 01 2c) in a 348-byte SEQUENCE (30 82 01 5c).
  const prev = new Uint8Array(300).fill(7);
  const der = blockHeaderBytes({ number: 1732000000123456789n, previousHash: prev, dataHash: h32 });
  assert.equal(hex(der.subarray(0, 14)), '3082015c' + '02081809' + hex(der.subarray(8, 14)));
  assert.equal(hex(der.subarray(14, 18)), '0482012c');
  assert.equal(der.length, 4 + 0x15c);
  // ... and asn1js reads back the same values.
  const parsed = asn1js.fromBER(der);
  assert.equal(parsed.offset, der.length);
  const [int, p, d] = (parsed.result as asn1js.Sequence).valueBlock.value as [asn1js.Integer, asn1js.OctetString, asn1js.OctetString];
  assert.equal(int.toBigInt(), 1732000000123456789n);
  assert.equal(hex(p.valueBlock.valueHexView), hex(prev));
  assert.equal(hex(d.valueBlock.valueHexView), hex(h32));
  assert.equal(hex(blockHeaderHash({ number: 1n, previousHash: prev, dataHash: h32 })), createHash('sha256').update(blockHeaderBytes({ number: 1n, previousHash: prev, dataHash: h32 })).digest('hex'));
});
