/**
 * `gossip-scope doctor` on fabric-samples' test network: the clean folder exits 0 with no
 * finding; a broken copy exits 1 with `file:line:col: severity: what` and the indented lines
 * (what Fabric does, with its log line and source; who it affects; the fix); --json and --matrix;
 * bad input (unrelated YAML, a binary file, a missing path or log) exits 2 with a message.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../cli/in-process-cli.js';
import { DIR } from './network.js';

/** A copy of the fixture folder with the compose file edited. */
function brokenCopy(from: string, to: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'doctor-'));
  cpSync(DIR, dir, { recursive: true });
  const compose = join(dir, 'compose', 'compose-test-net.yaml');
  const text = readFileSync(compose, 'utf8');
  assert.ok(text.includes(from));
  writeFileSync(compose, text.replace(from, to));
  return dir;
}

test('the clean test network folder: exit 0, no finding', async () => {
  const r = await cli('doctor', DIR);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, '0 error(s), 0 warning(s), 0 note(s): 2 peers, 3 orgs, 1 channel profile(s) checked\n');
});

test('a peer without an external endpoint: exit 1, the finding at the service environment, with what Fabric does, who and the fix', async () => {
  const dir = brokenCopy('      - CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org2.example.com:9051\n', '');
  const compose = join(dir, 'compose', 'compose-test-net.yaml');
  const r = await cli('doctor', dir, '--matrix');
  assert.equal(r.code, 1);
  const lines = r.out.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${compose}:189:5: error: peer0.org2.example.com has no external endpoint`));
  assert.ok(i >= 0, r.out);
  assert.match(lines[i + 1], /^ {4}Fabric does: "External endpoint is empty, peer will not be accessible outside of its organization" \(gossip\/gossip\/gossip_impl\.go\): /);
  assert.equal(lines[i + 2], '    affects: peer0.org2.example.com, Org1MSP');
  assert.equal(lines[i + 3], "    fix: set CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org2.example.com:9051 in service peer0.org2.example.com's environment (host:port that peers of other orgs can dial)");
  assert.ok(lines.includes(' 1 peer0.org1.example.com  -  x  Org1MSP'), r.out);
  assert.ok(lines.includes(' 2 peer0.org2.example.com  x  -  Org2MSP'), r.out);

  const j = await cli('doctor', dir, '--json');
  assert.equal(j.code, 1);
  const doc = JSON.parse(j.out);
  assert.deepEqual(doc.findings.map((f: any) => [f.rule, f.severity]), [['external-endpoint-missing', 'error'], ['anchor-not-a-peer', 'warning']]);
  assert.deepEqual(doc.findings[0].at, { file: compose, line: 189, col: 5 });
  assert.deepEqual(doc.findings[0].edit, { title: 'Add CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org2.example.com:9051', file: compose, line: 211, col: 1, length: 0, text: '      - CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org2.example.com:9051\n' });
  assert.deepEqual(doc.matrix.sees, [[true, true], [true, true]]);
});

test('a warning alone exits 0', async () => {
  const dir = brokenCopy('CORE_PEER_GOSSIP_BOOTSTRAP=peer0.org1.example.com:7051', 'CORE_PEER_GOSSIP_BOOTSTRAP=peer0.org1.example.com:7051 peer0.org3.example.com:11051');
  const r = await cli('doctor', dir);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /: warning: bootstrap entry of peer0\.org1\.example\.com: peer0\.org3\.example\.com:11051 is no peer of these files/);
});

test('bad input: a folder of unrelated YAML, a binary file, a missing path or log, no argument: exit 2 with where and why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'doctor-bad-'));
  mkdirSync(join(dir, 'charts'));
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n');
  writeFileSync(join(dir, 'charts', 'values.yaml'), 'replicaCount: 1\n');
  const unrelated = await cli('doctor', dir);
  assert.equal(unrelated.code, 2);
  assert.match(unrelated.err, new RegExp(`^${join(dir, 'compose.yaml')}:1:1: no peer to check in .*compose\\.yaml \\(a compose file without CORE_PEER_ID services\\)`));
  // A YAML file of another kind, named on the command line, is refused as such.
  const values = await cli('doctor', join(dir, 'charts', 'values.yaml'));
  assert.equal(values.code, 2);
  assert.match(values.err, /values\.yaml:1:1: not a core\.yaml \(peer\.gossip\), configtx\.yaml/);

  const empty = mkdtempSync(join(tmpdir(), 'doctor-empty-'));
  writeFileSync(join(empty, 'values.yaml'), 'a: 1\n');
  const none = await cli('doctor', empty);
  assert.equal(none.code, 2);
  assert.match(none.err, /no Fabric configuration here/);

  const bin = join(dir, 'server.crt');
  writeFileSync(bin, Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x00, 0x02, 0xff, 0xfe]));
  const binary = await cli('doctor', bin);
  assert.equal(binary.code, 2);
  assert.equal(binary.err, `${bin}:1:1: a binary file, not YAML: the doctor reads core.yaml, configtx.yaml and compose files (certificates are read from their msp/ and tls/ folders)\n`);

  assert.equal((await cli('doctor', join(dir, 'nope'))).code, 2);
  const log = await cli('doctor', DIR, '--logs', join(dir, 'peer0.log'));
  assert.equal(log.code, 2);
  assert.match(log.err, /peer0\.log:1:1: --logs: no such file/);
  const usage = await cli('doctor');
  assert.equal(usage.code, 2);
  assert.match(usage.err, /doctor needs the network's files or their folder/);
});

test('every rule group runs from the CLI: an expired certificate, a collection that cannot meet its required count, a binary certificate file; the real six-peer log adds nothing', async () => {
  const { OrgCA } = await import('../../engine/msp/ca.js');
  const dir = mkdtempSync(join(tmpdir(), 'doctor-all-'));
  cpSync(DIR, dir, { recursive: true });
  const DAY = 86_400_000;
  const now = Date.now();
  const ca = await OrgCA.create('doctor-cli', 'Org2MSP', 'org2.example.com', { notBefore: new Date(now - 400 * DAY), notAfter: new Date(now + 3650 * DAY) });
  const org = join(dir, 'organizations', 'peerOrganizations', 'org2.example.com');
  mkdirSync(join(org, 'msp', 'cacerts'), { recursive: true });
  writeFileSync(join(org, 'msp', 'cacerts', 'ca-cert.pem'), ca.certPem);
  const signcerts = join(org, 'peers', 'peer0.org2.example.com', 'msp', 'signcerts');
  mkdirSync(signcerts, { recursive: true });
  const expired = await ca.issue('peer0', 'peer', { notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 2 * DAY) });
  writeFileSync(join(signcerts, 'cert.pem'), expired.certPem);
  writeFileSync(join(org, 'msp', 'cacerts', 'broken.pem'), Buffer.from([0, 1, 2, 3, 255, 254]));
  mkdirSync(join(dir, 'chaincode'));
  const collections = join(dir, 'chaincode', 'collections_config.json');
  writeFileSync(collections, `[\n {\n   "name": "assetCollection",\n   "policy": "OR('Org1MSP.member', 'Org2MSP.member')",\n   "requiredPeerCount": 2,\n   "maxPeerCount": 1,\n   "blockToLive": 0\n }\n]\n`);
  const log = join(__dirname, '..', '..', 'docs', 'reference', 'real-fabric', 'gossip-debug-6peers.log.gz');
  const r = await cli('doctor', dir, '--logs', log, '--json');
  assert.equal(r.code, 1, r.err);
  const j = JSON.parse(r.out) as { findings: { rule: string; at: { file: string; line: number } }[]; unreadable: { file: string }[] };
  const rules = j.findings.map((f) => f.rule).sort();
  assert.ok(rules.includes('cert-expired'), rules.join(', '));
  assert.ok(rules.includes('pdc-max-below-required'), rules.join(', '));
  assert.ok(!rules.some((x) => x.startsWith('log-')), `the real log is healthy: ${rules.join(', ')}`);
  assert.equal(j.findings.find((f) => f.rule === 'cert-expired')!.at.file, join(signcerts, 'cert.pem'));
  assert.equal(j.findings.find((f) => f.rule === 'pdc-max-below-required')!.at.file, collections);
  assert.ok(j.unreadable.some((u) => u.file.endsWith('broken.pem')), JSON.stringify(j.unreadable));
});

test('--show RULE runs the network with each such finding (and with its fix) and prints when the mistake shows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'doctor-'));
  cpSync(DIR, dir, { recursive: true });
  const configtx = join(dir, 'configtx', 'configtx.yaml');
  let text = readFileSync(configtx, 'utf8');
  for (const org of ['Org1MSP', 'Org2MSP']) {
    const start = text.indexOf('        AnchorPeers:', text.indexOf(`ID: ${org}`));
    text = text.slice(0, start) + text.slice(text.indexOf('\n', text.indexOf('Port:', start)) + 1);
  }
  writeFileSync(configtx, text);
  const r = await cli('doctor', dir, '--show', 'anchor-missing');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.out.split('\n').filter((l) => l.startsWith('    show me: ')), [
    "    show me: at 2 s peer0.org1's membership lacks peer0.org2, which it holds by then with the fix, and at 60 s it still lacks it",
    "    show me: at 2 s peer0.org2's membership lacks peer0.org1, which it holds by then with the fix, and at 60 s it still lacks it",
  ]);
  const none = await cli('doctor', dir, '--show', 'cert-expired');
  assert.equal(none.code, 2);
  assert.match(none.err, /--show cert-expired: no finding of that rule here \(found: anchor-missing\)/);
});
