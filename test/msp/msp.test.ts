import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import 'reflect-metadata';
import * as px from '@peculiar/x509';
import { p256 } from '@noble/curves/nist.js';
import { msp as mspProto } from '@hyperledger/fabric-protos';
import { OrgCA, type Validity } from '../../engine/msp/ca.js';
import { MSPRegistry } from '../../engine/msp/msp.js';
import { highS } from '../../engine/msp/signer.js';
import { identityString, type SigningIdentity } from '../../engine/msp/identity.js';
import { decodeSerializedIdentity, encodeSerializedIdentity } from '../../engine/msp/serialized.js';
import { SIGNATURE_INVALID } from '../../engine/msp/verify.js';

const EPOCH = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const validity: Validity = { notBefore: new Date(EPOCH - 5 * 60_000), notAfter: new Date(EPOCH + 3650 * DAY) };
const short: Validity = { notBefore: new Date(EPOCH), notAfter: new Date(EPOCH + DAY) };
const bytes = (s: string) => new Uint8Array(Buffer.from(s));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

let ca: OrgCA;
let peer0: SigningIdentity;
let peer1: SigningIdentity;
let reg: MSPRegistry;

before(async () => {
  ca = await OrgCA.create(42, 'Org1MSP', 'org1.example.com', validity);
  peer0 = await ca.issue('peer0', 'peer', validity);
  peer1 = await ca.issue('peer1', 'peer', validity);
  reg = new MSPRegistry();
  reg.addCA(ca);
});

test('same seed gives byte-identical certificates, PKI-IDs and signatures', async () => {
  const ca2 = await OrgCA.create(42, 'Org1MSP', 'org1.example.com', validity);
  const p2 = await ca2.issue('peer0', 'peer', validity);
  assert.equal(ca2.certPem, ca.certPem);
  assert.equal(p2.certPem, peer0.certPem);
  assert.equal(hex(p2.certDer), hex(peer0.certDer));
  assert.equal(hex(p2.serialized), hex(peer0.serialized));
  assert.equal(hex(p2.pkiId), hex(peer0.pkiId));
  assert.equal(hex(p2.sign(bytes('conn'))), hex(peer0.sign(bytes('conn'))));
});

test('golden values: the derivation has not changed (a change would alter every saved trace)', () => {
  assert.equal(createHash('sha256').update(ca.certPem).digest('hex'), '3e5e913e548303ceedae179e87e9fb6193b8ad7140587585d21c0223e797ec23');
  assert.equal(hex(peer0.pkiId), '9c06645bb8883b31fa02b7aa396828c291c63ab6cdd3aee6a7fe1306e803cc11');
  assert.equal(
    hex(peer0.sign(bytes('conn'))),
    '3044022047bcf6a14ad5477e0f4d2512d606be22565e373b04bcef81db84ff246cb850ef02200099556a4309cdd2fc32be95b392fe415889efd4de4157384380b819c87df380',
  );
});

test('a different seed gives different keys, certificates, PKI-IDs and signatures', async () => {
  const caB = await OrgCA.create(43, 'Org1MSP', 'org1.example.com', validity);
  const pB = await caB.issue('peer0', 'peer', validity);
  assert.notEqual(caB.certPem, ca.certPem);
  assert.notEqual(pB.certPem, peer0.certPem);
  assert.notEqual(hex(pB.pkiId), hex(peer0.pkiId));
  assert.notEqual(hex(pB.sign(bytes('conn'))), hex(peer0.sign(bytes('conn'))));
  assert.notEqual(hex(peer1.pkiId), hex(peer0.pkiId));
});

test('PKI-ID is SHA-256(mspid ‖ PEM), computed independently', () => {
  const expected = createHash('sha256').update('Org1MSP' + peer0.certPem).digest('hex');
  assert.equal(hex(peer0.pkiId), expected);
  assert.equal(hex(reg.pkiIdOf(peer0.serialized)!), expected);
  assert.equal(reg.pkiIdOf(new Uint8Array(0)), null);
  assert.equal(reg.pkiIdOf(Uint8Array.of(0x0a, 0x05, 0x41)), null); // truncated proto
});

test('SerializedIdentity bytes match fabric-protos (google-protobuf) both ways', () => {
  const theirs = new mspProto.SerializedIdentity();
  theirs.setMspid('Org1MSP');
  theirs.setIdBytes(bytes(peer0.certPem));
  assert.equal(hex(peer0.serialized), hex(theirs.serializeBinary()));
  const back = mspProto.SerializedIdentity.deserializeBinary(peer0.serialized);
  assert.equal(back.getMspid(), 'Org1MSP');
  assert.equal(Buffer.from(back.getIdBytes_asU8()).toString(), peer0.certPem);
  // proto3: empty fields are omitted; unknown fields are skipped; the last value wins
  assert.equal(hex(encodeSerializedIdentity({ mspid: '', idBytes: new Uint8Array(0) })), '');
  const odd = Uint8Array.of(0x18, 0x05, 0x0a, 0x01, 0x41, 0x0a, 0x01, 0x42, 0x12, 0x01, 0x43);
  assert.deepEqual(decodeSerializedIdentity(odd), { mspid: 'B', idBytes: Uint8Array.of(0x43) });
  assert.equal(decodeSerializedIdentity(Uint8Array.of(0x0a, 0x02, 0xff, 0xfe)), null); // not UTF-8
  assert.equal(decodeSerializedIdentity(Uint8Array.of(0x0b)), null); // group
});

test("Node's X509Certificate reads subjects, extensions and the chain", () => {
  const caX = new X509Certificate(ca.certPem);
  const pX = new X509Certificate(peer0.certPem);
  assert.equal(caX.subject, 'C=US\nST=California\nL=San Francisco\nO=org1.example.com\nCN=ca.org1.example.com');
  assert.equal(pX.subject, 'C=US\nST=California\nL=San Francisco\nOU=peer\nCN=peer0.org1.example.com');
  assert.equal(pX.issuer, caX.subject);
  assert.equal(peer0.subject, 'C=US, ST=California, L=San Francisco, OU=peer, CN=peer0.org1.example.com');
  assert.equal(caX.ca, true);
  assert.equal(pX.ca, false);
  assert.deepEqual(caX.keyUsage, ['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1']); // Node's keyUsage is the EKU list
  assert.ok(caX.verify(caX.publicKey)); // self-signed
  assert.ok(pX.verify(caX.publicKey));
  assert.ok(pX.checkIssued(caX)); // names and AKI/SKI agree
  assert.equal(pX.validFrom, 'Dec 31 23:55:00 2025 GMT');
  assert.deepEqual(peer0.notBefore, validity.notBefore);
  assert.deepEqual(peer0.notAfter, validity.notAfter);
});

test('extensions are those of cryptogen (read back with @peculiar/x509)', () => {
  const c = new px.X509Certificate(ca.certPem);
  const p = new px.X509Certificate(peer0.certPem);
  const ku = (x: px.X509Certificate) => x.getExtension(px.KeyUsagesExtension)!;
  const bc = (x: px.X509Certificate) => x.getExtension(px.BasicConstraintsExtension)!;
  const F = px.KeyUsageFlags;
  assert.equal(ku(c).usages, F.digitalSignature | F.keyEncipherment | F.keyCertSign | F.cRLSign);
  assert.equal(ku(c).critical, true);
  assert.equal(bc(c).ca, true);
  assert.equal(bc(c).critical, true);
  const ski = c.getExtension(px.SubjectKeyIdentifierExtension)!.keyId;
  const jwk = new X509Certificate(ca.certPem).publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  assert.equal(ski, createHash('sha256').update(point).digest('hex')); // cryptogen's computeSKI
  assert.equal(c.getExtension(px.AuthorityKeyIdentifierExtension), null); // Go omits AKI on self-signed
  assert.equal(ku(p).usages, F.digitalSignature);
  assert.equal(bc(p).ca, false);
  assert.equal(p.getExtension(px.AuthorityKeyIdentifierExtension)!.keyId, ski);
  assert.equal(p.getExtension(px.SubjectKeyIdentifierExtension), null); // Go adds SKI to CAs only
  assert.deepEqual(
    [...p.extensions].map((e) => e.type),
    ['2.5.29.15', '2.5.29.19', '2.5.29.35'], // keyUsage, basicConstraints, AKI: Go's order
  );
  assert.equal(p.signatureAlgorithm.name, 'ECDSA');
});

test('identity signatures verify through the registry, with noble, and fail when tampered', () => {
  const data = bytes('AliveMessage payload');
  const sig = peer0.sign(data);
  assert.equal(reg.verify(peer0.serialized, sig, data), null);
  const jwk = peer0.publicKey.export({ format: 'jwk' });
  const raw = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  const digest = createHash('sha256').update(data).digest();
  assert.ok(p256.verify(sig, digest, raw, { prehash: false, format: 'der' }));
  assert.equal(reg.verify(peer0.serialized, sig, bytes('AliveMessage paylaod')), SIGNATURE_INVALID);
  assert.equal(reg.verify(peer1.serialized, sig, data), SIGNATURE_INVALID); // someone else's signature
  assert.match(reg.verify(peer0.serialized, highS(sig), data)!, /Invalid S\. Must be smaller than half the order \[\d+\]\[\d+\]\.$/);
});

test('validate: good, CA-as-identity, unknown MSP, rogue CA with the same MSP ID', async () => {
  assert.equal(reg.validate(peer0.serialized), null);
  assert.equal(reg.validate(new Uint8Array(0)), 'Invalid Peer Identity. It must be different from nil.');
  assert.equal(
    reg.validate(ca.identity.serialized),
    'could not obtain certification chain: An X509 certificate with Basic Constraint: Certificate Authority equals true cannot be used as an identity',
  );

  const org2 = await OrgCA.create(42, 'Org2MSP', 'org2.example.com', validity);
  const stranger = await org2.issue('peer0', 'peer', validity);
  const why = reg.validate(stranger.serialized)!;
  assert.match(why, /^Peer Identity \{.*\} cannot be validated\. No MSP found able to do that\.$/);
  assert.equal(reg.orgOf(stranger.serialized), null);
  assert.equal(reg.deserialize(stranger.serialized), 'MSP Org2MSP is not defined on channel');

  const rogueCA = await OrgCA.create('evil', 'Org1MSP', 'org1.example.com', validity);
  const rogue = await rogueCA.issue('peer0', 'peer', validity);
  assert.equal(reg.orgOf(rogue.serialized), 'Org1MSP'); // deserialises: sa.go does not validate
  assert.equal(
    reg.validate(rogue.serialized),
    'could not obtain certification chain: failed getting validation chain: the supplied identity is not valid: ' +
      'x509: certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" ' +
      'while trying to verify candidate authority certificate "ca.org1.example.com")',
  );
  const data = bytes('hello');
  assert.equal(reg.verify(rogue.serialized, rogue.sign(data), data), reg.validate(rogue.serialized));

  // Registering the second root later makes the rogue valid: cached verdicts follow the CA set.
  const reg2 = new MSPRegistry();
  reg2.addCA(ca);
  assert.notEqual(reg2.validate(rogue.serialized), null);
  reg2.addCA(rogueCA);
  assert.equal(reg2.validate(rogue.serialized), null);
  assert.equal(reg2.validate(peer0.serialized), null);
});

test('expiry: Fabric MSP ignores the clock; with nowMs the window is enforced', async () => {
  const p = await ca.issue('peer9', 'peer', short);
  assert.equal(reg.validate(p.serialized), null); // as Fabric's MSP (FAB-3678)
  assert.equal(reg.validate(p.serialized, EPOCH + DAY), null); // NotAfter itself is still valid
  assert.equal(
    reg.validate(p.serialized, EPOCH + DAY + 1000),
    'x509: certificate has expired or is not yet valid: current time 2026-01-02T00:00:01Z is after 2026-01-02T00:00:00Z',
  );
  assert.match(reg.validate(p.serialized, EPOCH - 1000)!, /current time 2025-12-31T23:59:59Z is before 2026-01-01T00:00:00Z$/);
  assert.equal(reg.expiresAt(p.serialized), EPOCH + DAY);
  assert.equal(reg.expiresAt(bytes('junk')), null);
});

test('renewal keeps the key by default; keyLabel re-keys', async () => {
  const renewed = await ca.issue('peer9', 'peer', { notBefore: new Date(EPOCH + DAY), notAfter: new Date(EPOCH + 400 * DAY) });
  const first = await ca.issue('peer9', 'peer', short);
  assert.notEqual(renewed.certPem, first.certPem);
  assert.notEqual(hex(renewed.pkiId), hex(first.pkiId)); // new cert, new PKI-ID (fabric#5111)
  assert.equal(hex(renewed.sign(bytes('m'))), hex(first.sign(bytes('m'))));
  const rekeyed = await ca.issue('peer9', 'peer', short, { keyLabel: 'peer9-rekey' });
  assert.notEqual(hex(rekeyed.sign(bytes('m'))), hex(first.sign(bytes('m'))));
});

test('deserialize is cached by object and by content, and agrees with issue()', () => {
  const d1 = reg.deserialize(peer0.serialized);
  const d2 = reg.deserialize(new Uint8Array(peer0.serialized)); // a copy: content hit
  assert.ok(typeof d1 !== 'string');
  assert.equal(d2, d1);
  assert.equal(d1.certPem, peer0.certPem);
  assert.equal(d1.subject, peer0.subject);
  assert.equal(d1.issuer, 'C=US, ST=California, L=San Francisco, O=org1.example.com, CN=ca.org1.example.com');
  assert.equal(hex(d1.pkiId), hex(peer0.pkiId));
  assert.equal(reg.orgOf(peer0.serialized), 'Org1MSP');
});

test('malformed identities are refused with Fabric words', () => {
  const enc = (mspid: string, id: string) => encodeSerializedIdentity({ mspid, idBytes: bytes(id) });
  assert.equal(reg.deserialize(bytes('\x0a\x09Org1')), 'error unmarshalling SerializedIdentity: proto: cannot parse invalid wire-format data');
  assert.equal(reg.deserialize(enc('Org1MSP', 'not a pem')), 'could not decode the PEM structure');
  assert.match(
    reg.deserialize(enc('Org1MSP', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')) as string,
    /^parseCertificate failed/,
  );
  const trailing = enc('Org1MSP', peer0.certPem + 'extra');
  assert.ok(typeof reg.deserialize(trailing) !== 'string'); // deserialising ignores the rest
  assert.match(reg.validate(trailing)!, /^identity is not well formed: identity -----BEGIN CERTIFICATE-----[\s\S]* for MSP Org1MSP has trailing bytes$/);
});

test('identityString renders as gossip/api PeerIdentityType.String()', () => {
  assert.equal(
    identityString(peer0.serialized),
    '{"CN":"peer0.org1.example.com","Issuer-CN":"ca.org1.example.com","Issuer-L-ST-C":"[San Francisco]-[]-[US]",' +
      '"Issuer-OU":null,"L-ST-C":"[San Francisco]-[]-[US]","MSP":"Org1MSP","OU":["peer"]}',
  );
  assert.match(identityString(bytes('\x0a\x09Org1')), /^non SerializedIdentity: /);
});

test('orderer identities come from an OrdererMSP CA', async () => {
  const oca = await OrgCA.create(42, 'OrdererMSP', 'example.com', validity);
  const o = await oca.issue('orderer', 'orderer', validity);
  assert.equal(o.subject, 'C=US, ST=California, L=San Francisco, OU=orderer, CN=orderer.example.com');
  assert.equal(o.issuer, 'C=US, ST=California, L=San Francisco, O=example.com, CN=ca.example.com');
  const r = new MSPRegistry();
  r.addCA(oca);
  assert.equal(r.validate(o.serialized), null);
});
