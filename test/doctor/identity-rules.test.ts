/**
 * Fabric Doctor's identity rules on certificates made by the project's own CA code
 * (engine/msp/ca.ts), written into a temporary folder in cryptogen's layout for the test
 * network's two orgs; endpoints from the test network's compose file. Clean: no finding.
 * Broken copies: an enrollment certificate of the other org's CA, a TLS certificate whose SANs
 * miss the dialled host, an expired one, one expiring, binary and non-PEM files.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { collectCertificates, readCertBytes } from '../../engine/doctor/cert-files.js';
import { sortFindings } from '../../engine/doctor/finding.js';
import { certificateProblems, certificateTimeline, identityFindings, identityPeersOf, peerEndpointsFromCompose, verifyHostname } from '../../engine/doctor/identity-rules.js';
import { OrgCA, type Validity } from '../../engine/msp/ca.js';
import { COMPOSE_TEST_NET, composePeers } from './test-network-compose.js';

const NOW = Date.UTC(2026, 11, 8, 12, 0, 0);
const DAY = 86_400_000;
const WINDOW = 30 * DAY;
const valid: Validity = { notBefore: new Date(NOW - 30 * DAY), notAfter: new Date(NOW + 3650 * DAY) };
const temp = mkdtempSync(join(tmpdir(), 'gossip-scope-doctor-'));
after(() => rmSync(temp, { recursive: true, force: true }));

interface Breaks {
  /** peer0.org1's signcerts hold peer0.org2's certificate (issued by Org2's CA). */
  otherOrgsCert?: boolean;
  /** peer0.org2's TLS certificate names example.org instead of example.com. */
  wrongSan?: boolean;
  /** peer0.org2's enrollment certificate ended two days ago. */
  expired?: boolean;
  /** peer0.org1's TLS CA ends in ten days. */
  expiring?: boolean;
  /** peer0.org2's TLS certificate is issued by org1's TLS CA. */
  otherOrgsTlsCa?: boolean;
}

const orgs = [
  { n: 1, msp: 'Org1MSP', domain: 'org1.example.com' },
  { n: 2, msp: 'Org2MSP', domain: 'org2.example.com' },
];

/** cryptogen's output for the test network, with the given mistakes; returns the folder. */
async function network(name: string, breaks: Breaks = {}): Promise<string> {
  const root = join(temp, name);
  const cas = new Map<number, OrgCA>();
  const tlscas = new Map<number, OrgCA>();
  for (const o of orgs) {
    cas.set(o.n, await OrgCA.create('doctor-test', o.msp, o.domain, valid));
    const tlsValidity = breaks.expiring && o.n === 1 ? { ...valid, notAfter: new Date(NOW + 10 * DAY) } : valid;
    tlscas.set(o.n, await OrgCA.create('doctor-test-tls', o.msp, o.domain, tlsValidity));
  }
  for (const o of orgs) {
    const ca = cas.get(o.n)!;
    const tlsca = tlscas.get(o.n)!;
    const orgDir = join(root, 'organizations', 'peerOrganizations', o.domain);
    const write = (rel: string, text: string | Uint8Array) => {
      const p = join(orgDir, rel);
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, text);
    };
    write(`msp/cacerts/ca.${o.domain}-cert.pem`, ca.certPem);
    write(`msp/tlscacerts/tlsca.${o.domain}-cert.pem`, tlsca.certPem);
    const signValidity = breaks.expired && o.n === 2 ? { notBefore: new Date(NOW - 400 * DAY), notAfter: new Date(NOW - 2 * DAY) } : valid;
    const signer = breaks.otherOrgsCert && o.n === 1 ? cas.get(2)! : ca;
    const enrollment = await signer.issue('peer0', 'peer', signValidity);
    const sans = breaks.wrongSan && o.n === 2 ? ['peer0.org2.example.org', 'peer0'] : [`peer0.${o.domain}`, 'peer0'];
    const tls = await (breaks.otherOrgsTlsCa && o.n === 2 ? tlscas.get(1)! : tlsca).issue('peer0', 'peer', valid, { sans });
    write(`peers/peer0.${o.domain}/msp/signcerts/peer0.${o.domain}-cert.pem`, enrollment.certPem);
    write(`peers/peer0.${o.domain}/msp/cacerts/ca.${o.domain}-cert.pem`, ca.certPem);
    write(`peers/peer0.${o.domain}/tls/server.crt`, tls.certPem);
    write(`peers/peer0.${o.domain}/tls/ca.crt`, tlsca.certPem);
  }
  return root;
}

const endpoints = () => peerEndpointsFromCompose(composePeers(COMPOSE_TEST_NET));
const peerFile = (root: string, org: string, rel: string) => join(root, 'organizations', 'peerOrganizations', org, 'peers', `peer0.${org}`, rel);

test('the clean test network: every certificate valid, issued by its MSP\'s CA, SANs covering the dialled hosts: no finding', async () => {
  const root = await network('clean');
  const certs = collectCertificates([root]);
  assert.deepEqual(certificateProblems(certs), []);
  assert.equal(certs.peers.length, 2);
  assert.deepEqual(identityFindings({ certs, peers: endpoints(), now: NOW, windowMs: WINDOW }), []);
});

test('an enrollment certificate issued by the other org\'s CA: one error at its PEM block, naming who signed it', async () => {
  const root = await network('other-ca', { otherOrgsCert: true });
  const certs = collectCertificates([root]);
  const fs = identityFindings({ certs, peers: endpoints(), now: NOW, windowMs: WINDOW });
  assert.equal(fs.length, 1);
  const f = fs[0];
  assert.equal(f.rule, 'cert-wrong-ca');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.at, { file: peerFile(root, 'org1.example.com', 'msp/signcerts/peer0.org1.example.com-cert.pem'), line: 1, col: 1 });
  assert.match(f.what, /^The enrollment certificate of peer0\.org1\.example\.com \(issuer ca\.org2\.example\.com\) is not issued by a CA of Org1MSP \(peerOrganizations\/org1\.example\.com\/msp\/cacerts\): .*org2\.example\.com\/msp\/cacerts\/ca\.org2\.example\.com-cert\.pem signed it/);
  assert.match(f.fabric.log!, /^Could not validate identity: could not obtain certification chain: .*x509: certificate signed by unknown authority \(certificate subject=CN=peer0\.org2\.example\.com,OU=peer,/);
  assert.equal(f.fabric.source, 'msp/mspimplvalidate.go');
});

test('a TLS certificate issued by the other org\'s TLS CA: one error at server.crt', async () => {
  const root = await network('other-tls-ca', { otherOrgsTlsCa: true });
  const certs = collectCertificates([root]);
  const fs = identityFindings({ certs, peers: endpoints(), now: NOW, windowMs: WINDOW });
  assert.deepEqual(fs.map((f) => [f.rule, f.at.file, f.at.line]), [['cert-wrong-ca', peerFile(root, 'org2.example.com', 'tls/server.crt'), 1]]);
  assert.match(fs[0].what, /^The TLS certificate of peer0\.org2\.example\.com \(issuer ca\.org1\.example\.com\) is not issued by a TLS CA of its org \(peerOrganizations\/org2\.example\.com\/msp\/tlscacerts\): .*org1\.example\.com\/msp\/tlscacerts\/tlsca\.org1\.example\.com-cert\.pem signed it$/);
  assert.match(fs[0].fabric.log!, /x509: certificate signed by unknown authority$/);
});

test('a TLS certificate whose SANs miss the host the compose file dials: one error at server.crt, with the compose position', async () => {
  const root = await network('wrong-san', { wrongSan: true });
  const certs = collectCertificates([root]);
  const fs = identityFindings({ certs, peers: endpoints(), now: NOW, windowMs: WINDOW });
  assert.equal(fs.length, 1);
  const f = fs[0];
  assert.equal(f.rule, 'tls-san-mismatch');
  assert.deepEqual(f.at, { file: peerFile(root, 'org2.example.com', 'tls/server.crt'), line: 1, col: 1 });
  // CORE_PEER_GOSSIP_EXTERNALENDPOINT and CORE_PEER_ADDRESS both name peer0.org2.example.com:9051; the first is listed.
  const line = COMPOSE_TEST_NET.split('\n').findIndex((l) => l.includes('CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org2')) + 1;
  assert.equal(f.what, `The TLS certificate of peer0.org2.example.com is valid for peer0.org2.example.org, peer0, but it is dialled at peer0.org2.example.com:9051 (compose/compose-test-net.yaml:${line}:43)`);
  assert.match(f.fabric.log!, /x509: certificate is valid for peer0\.org2\.example\.org, peer0, not peer0\.org2\.example\.com$/);
  // Without TLS the SANs are never checked.
  const noTls = endpoints().map((p) => ({ ...p, tls: false }));
  assert.deepEqual(identityFindings({ certs, peers: noTls, now: NOW, windowMs: WINDOW }), []);
});

test('an expired enrollment certificate is an error, a TLS CA expiring inside the window a warning; the timeline shows both', async () => {
  const root = await network('expiry', { expired: true, expiring: true });
  const certs = collectCertificates([root]);
  const fs = identityFindings({ certs, peers: endpoints(), now: NOW, windowMs: WINDOW });
  assert.deepEqual(
    sortFindings(fs).map((f) => [f.rule, f.severity, f.at.file, f.at.line]),
    [
      ['cert-expiring', 'warning', join(root, 'organizations/peerOrganizations/org1.example.com/msp/tlscacerts/tlsca.org1.example.com-cert.pem'), 1],
      ['cert-expiring', 'warning', peerFile(root, 'org1.example.com', 'tls/ca.crt'), 1],
      ['cert-expired', 'error', peerFile(root, 'org2.example.com', 'msp/signcerts/peer0.org2.example.com-cert.pem'), 1],
    ],
  );
  const expired = fs.find((f) => f.rule === 'cert-expired')!;
  assert.match(expired.what, /^The enrollment certificate \(msp\/signcerts\) of peer0\.org2\.example\.com \(peer0\.org2\.example\.com\) expired 2 days ago, at 2026-12-06T12:00:00Z$/);
  assert.equal(expired.fabric.log, 'signing identity expired 2 days ago');
  const expiring = fs.find((f) => f.rule === 'cert-expiring' && f.at.file.endsWith('ca.crt'))!;
  assert.match(expiring.what, /TLS CA certificate of peer0\.org1\.example\.com \(ca\.org1\.example\.com\) expires in 10 days/);
  // A shorter window: the TLS CA is no longer "expiring".
  assert.deepEqual(identityFindings({ certs, peers: endpoints(), now: NOW, windowMs: 5 * DAY }).map((f) => f.rule), ['cert-expired']);

  const tl = certificateTimeline(certs);
  const org2 = tl.find((t) => t.peer === 'peer0.org2.example.com')!;
  assert.equal(org2.certs[0].role, 'enrollment'); // soonest first
  assert.equal(org2.certs[0].notAfter.getTime(), NOW - 2 * DAY);
  const org1 = tl.find((t) => t.peer === 'peer0.org1.example.com')!;
  assert.deepEqual(org1.certs.map((c) => c.role), ['tls-ca', 'msp-ca', 'enrollment', 'tls-server']); // same notAfter: by file
  assert.deepEqual(tl.find((t) => t.peer === 'org1.example.com (MSP)')!.certs.map((c) => c.role), ['org-tls-ca', 'org-msp-ca']);
});

test('a binary, a DER and a non-PEM file are problems at the file with Fabric\'s words; the rest is still checked', async () => {
  const root = await network('bad-files');
  const org1 = (rel: string) => peerFile(root, 'org1.example.com', rel);
  writeFileSync(org1('msp/cacerts/random.bin'), Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x00]));
  writeFileSync(org1('msp/cacerts/ca.der'), Buffer.from([0x30, 0x82, 0x01, 0x00, 0x02]));
  writeFileSync(org1('msp/cacerts/notes.txt'), 'this is not a certificate\n');
  writeFileSync(org1('msp/cacerts/broken.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  const certs = collectCertificates([root]);
  const probs = certificateProblems(certs).map((d) => `${d.file.slice(root.length)}:${d.line}: ${d.message}`);
  assert.equal(probs.length, 4, probs.join('\n'));
  assert.match(probs.find((p) => p.includes('random.bin'))!, /:1: a binary file, not PEM: Fabric's MSP skips it \("Failed reading file .*random\.bin: no pem content for file/);
  assert.match(probs.find((p) => p.includes('ca.der'))!, /a binary file \(DER\?\), not PEM/);
  assert.match(probs.find((p) => p.includes('notes.txt'))!, /no -----BEGIN CERTIFICATE----- block/);
  assert.match(probs.find((p) => p.includes('broken.pem'))!, /:1: not a readable X\.509 certificate/);
  assert.deepEqual(identityFindings({ certs, peers: endpoints(), now: NOW, windowMs: WINDOW }), []);
  // A folder with no peerOrganizations has no org; a file among the paths is another input, skipped.
  const none = collectCertificates([join(root, 'organizations', 'peerOrganizations', 'org1.example.com', 'msp'), org1('tls/server.crt')]);
  assert.deepEqual([Object.keys(none.orgCacerts), none.peers, none.problems], [[], [], []]);
  assert.match(readCertBytes('x.pem', new Uint8Array()).problem!.message, /^empty file/);
});

test('a second PEM block is found at its own line', () => {
  const r = readCertBytes('bundle.pem', Buffer.from('# bundle\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'));
  assert.deepEqual(r.blocks.map((b) => b.line), [2, 5]);
});

test('hostname matching as Go\'s VerifyHostname: SANs only, one-label wildcards, IPs', () => {
  const sans = { dns: ['peer0.org1.example.com', '*.org1.example.com'], ip: [] };
  assert.equal(verifyHostname(sans, 'PEER0.org1.example.com'), null);
  assert.equal(verifyHostname(sans, 'peer1.org1.example.com'), null);
  assert.match(verifyHostname(sans, 'a.peer1.org1.example.com')!, /certificate is valid for peer0\.org1\.example\.com, \*\.org1\.example\.com, not a\.peer1/);
  assert.match(verifyHostname(sans, '127.0.0.1')!, /doesn't contain any IP SANs/);
  assert.equal(verifyHostname({ dns: [], ip: ['127.0.0.1'] }, '127.0.0.1'), null);
  assert.match(verifyHostname({ dns: [], ip: [] }, 'peer0')!, /legacy Common Name/);
});

test('peers as written: own endpoints and the anchor peers that name them are what is dialled; TLS off when peer.tls.enabled says so', () => {
  const at = (line: number) => ({ file: 'compose.yaml', line, col: 5 });
  const ep = (host: string, port: number, line: number) => ({ host, port, text: `${host}:${port}`, origin: at(line) });
  const peers = identityPeersOf(
    [
      { id: 'peer0.org1.example.com', mspId: 'Org1MSP', external: ep('peer0.org1.example.com', 7051, 3), internal: ep('peer0.org1.example.com', 7051, 4), address: ep('peer0.org1.example.com', 7051, 4) },
      { id: 'peer0.org2.example.com', mspId: 'Org2MSP', address: ep('peer0.org2.example.com', 9051, 9), settings: new Map([['peer.tls.enabled', { text: 'false' }]]) },
    ],
    [{ host: 'peer0.org2.example.com', port: '9052', origin: { file: 'configtx.yaml', line: 20, col: 17 } }],
  );
  assert.deepEqual(peers, [
    { peerId: 'peer0.org1.example.com', mspId: 'Org1MSP', endpoints: [{ host: 'peer0.org1.example.com', port: 7051, origin: at(3) }], tls: undefined },
    { peerId: 'peer0.org2.example.com', mspId: 'Org2MSP', endpoints: [{ host: 'peer0.org2.example.com', port: 9051, origin: at(9) }, { host: 'peer0.org2.example.com', port: 9052, origin: { file: 'configtx.yaml', line: 20, col: 17 } }], tls: false },
  ]);
});
