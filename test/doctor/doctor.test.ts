/**
 * Fabric Doctor's rules 1–4 on fabric-samples' test network (compose file, two-org configtx.yaml,
 * sampleconfig core.yaml): the clean copy has no finding; each broken copy (a string edit of the
 * clean text) has its finding once, at the file:line:col where the mistake is written or where
 * the missing key belongs, and applying its edit (the Quick Fix) removes it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { diagnose } from '../../engine/doctor/index.js';
import type { Finding, RuleId } from '../../engine/doctor/finding.js';
import { COMPOSE, CONFIGTX, CORE, DIR, applyEdit, clean, edit, files, place, where, withPeer1Org1, type Texts } from './network.js';

const run = (t: Texts) => diagnose({ files: files(t) });
const only = (t: Texts, rule: RuleId): Finding => {
  const fs = run(t).findings.filter((f) => f.rule === rule);
  assert.equal(fs.length, 1, `one ${rule}: ${fs.map((f) => `${place(f)} ${f.what}`).join(' | ')}`);
  return fs[0];
};

test('the clean test network: no finding at all, and every peer sees every other', () => {
  const d = run(clean());
  assert.deepEqual(d.findings.map((f) => `${place(f)} ${f.what}`), []);
  assert.deepEqual(d.network.peers.map((p) => [p.id, p.mspId, p.listenPort, p.external?.text]), [
    ['peer0.org1.example.com', 'Org1MSP', 7051, 'peer0.org1.example.com:7051'],
    ['peer0.org2.example.com', 'Org2MSP', 9051, 'peer0.org2.example.com:9051'],
  ]);
  assert.deepEqual(d.visibility!.sees, [[true, true], [true, true]]);
});

test('Fabric v3 core.yaml (blockGossipEnabled false) on the clean network: still nothing, every peer is its own org leader', () => {
  const t = edit(clean(), CORE, 'blockGossipEnabled: true', 'blockGossipEnabled: false');
  assert.deepEqual(run(t).findings, []);
});

test('rule 1: an org without AnchorPeers, at its ID in configtx.yaml; the Quick Fix adds them back', () => {
  const broken = edit(clean(), CONFIGTX, 'AnchorPeers:\n            # AnchorPeers defines the location of peers which can be used\n            # for cross org gossip communication.  Note, this value is only\n            # encoded in the genesis block in the Application section context\n            - Host: peer0.org2.example.com\n              Port: 9051\n', '');
  const f = only(broken, 'anchor-missing');
  assert.equal(place(f), where(broken, CONFIGTX, 'Org2MSP', { after: 'ID: Org2MSP' }));
  // Org2's peer still dials Org1's anchor, so the two orgs meet: a warning, not an error.
  assert.equal(f.severity, 'warning');
  assert.match(f.fabric.log!, /No configured anchor peers of Org2MSP for channel/);
  assert.equal(f.fabric.source, 'gossip/gossip/gossip_impl.go');
  const fixed = applyEdit(broken, f.edit!);
  assert.deepEqual(run(fixed).findings, []);
  assert.match(fixed[CONFIGTX], /ID: Org2MSP\n {8}AnchorPeers:\n {12}- Host: peer0\.org2\.example\.com\n {14}Port: 9051\n/);
});

test('rule 1: no org has an anchor peer: a warning for each (a config update may have added them since), and nobody meets across orgs', () => {
  let t = clean();
  t = edit(t, CONFIGTX, '- Host: peer0.org1.example.com\n              Port: 7051', '');
  t = edit(t, CONFIGTX, '- Host: peer0.org2.example.com\n              Port: 9051', '');
  const d = run(t);
  assert.deepEqual(d.findings.map((f) => [f.rule, f.severity]), [['anchor-missing', 'warning'], ['anchor-missing', 'warning']]);
  assert.match(d.findings[0].what, /Org2MSP never dials its peers, and peer0\.org2\.example\.com never meets them, unless anchor peers were added/);
  assert.deepEqual(d.visibility!.sees, [[true, false], [false, true]]);
});

test('rule 1: an anchor peer that is no peer, at its Host', () => {
  const broken = edit(clean(), CONFIGTX, 'Host: peer0.org2.example.com', 'Host: peer9.org2.example.com');
  const f = only(broken, 'anchor-not-a-peer');
  assert.equal(place(f), where(broken, CONFIGTX, 'peer9.org2.example.com'));
  assert.match(f.fabric.log!, /^Deep probe of peer9\.org2\.example\.com:9051 for channel/);
});

test("rule 1: an anchor peer of another org, at its Host: an error", () => {
  const broken = edit(clean(), CONFIGTX, 'Host: peer0.org2.example.com\n              Port: 9051', 'Host: peer0.org1.example.com\n              Port: 7051');
  const f = only(broken, 'anchor-other-org');
  assert.equal(place(f), where(broken, CONFIGTX, 'peer0.org1.example.com', { after: 'ID: Org2MSP' }));
  assert.equal(f.severity, 'error');
  assert.match(f.fabric.log!, /Anchor peer peer0\.org1\.example\.com:7051 for channel <channel> isn't in our org, but is claimed to be/);
});

test("rule 2: a peer without CORE_PEER_GOSSIP_EXTERNALENDPOINT, at its service's environment:; the Quick Fix adds the line", () => {
  const broken = edit(clean(), COMPOSE, '      - CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org2.example.com:9051\n', '');
  const d = run(broken);
  const f = only(broken, 'external-endpoint-missing');
  assert.equal(place(f), where(broken, COMPOSE, 'environment:', { after: '  peer0.org2.example.com:\n    container_name' }));
  assert.equal(f.severity, 'error');
  assert.equal(f.fabric.log, 'External endpoint is empty, peer will not be accessible outside of its organization');
  assert.equal(f.fabric.source, 'gossip/gossip/gossip_impl.go');
  assert.match(f.what, /^peer0\.org2\.example\.com has no external endpoint \(peer\.gossip\.externalEndpoint is empty in .*core\.yaml and service peer0\.org2\.example\.com does not set CORE_PEER_GOSSIP_EXTERNALENDPOINT\): no peer tells Org1MSP of it$/);
  assert.deepEqual(f.affected, ['peer0.org2.example.com', 'Org1MSP']);
  assert.equal(f.edit!.title, 'Add CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org2.example.com:9051');
  // peer0.org1 still dials it as Org2's anchor, and each learns the other from the other's membership requests.
  assert.deepEqual(d.visibility!.sees, [[true, true], [true, true]]);
  const fixed = applyEdit(broken, f.edit!);
  assert.deepEqual(run(fixed).findings, []);
  assert.match(fixed[COMPOSE], /CORE_CHAINCODE_EXECUTETIMEOUT=300s\n {6}- CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0\.org2\.example\.com:9051\n {4}volumes:/);
});

test('rule 2: a second peer without an external endpoint is never told to the other org, nor told of it: the matrix', () => {
  const hidden = (b: string) => b.replace('      - CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer1.org1.example.com:8051\n', '').replace('CORE_PEER_GOSSIP_BOOTSTRAP=peer1.org1.example.com:8051', 'CORE_PEER_GOSSIP_BOOTSTRAP=peer0.org1.example.com:7051');
  const t = withPeer1Org1(clean(), hidden);
  const d = run(t);
  const f = only(t, 'external-endpoint-missing');
  assert.equal(place(f), where(t, COMPOSE, 'environment:', { after: '  peer1.org1.example.com:\n    container_name' }));
  assert.match(f.what, /no peer tells Org2MSP of it \(peer0\.org2\.example\.com never learns it\)$/);
  assert.deepEqual(f.affected, ['peer1.org1.example.com', 'peer0.org2.example.com']);
  assert.deepEqual(d.visibility!.peers, ['peer0.org1.example.com', 'peer1.org1.example.com', 'peer0.org2.example.com']);
  assert.deepEqual(d.visibility!.sees, [
    [true, true, true],
    [true, true, false],
    [true, false, true],
  ]);
  assert.equal(d.findings.length, 1, d.findings.map((x) => x.what).join('\n'));
});

test('rule 2: an external endpoint at a port the peer does not listen on, at the port', () => {
  const broken = edit(clean(), COMPOSE, 'CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org2.example.com:9051', 'CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org2.example.com:9052');
  const f = only(broken, 'endpoint-port-mismatch');
  assert.equal(place(f), where(broken, COMPOSE, '9052', { after: 'CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org2' }));
  assert.deepEqual(run(applyEdit(broken, f.edit!)).findings, []);
});

test('rule 3: a bootstrap entry of another org, at the entry; one nobody has; one at the wrong port', () => {
  const other = edit(clean(), COMPOSE, 'CORE_PEER_GOSSIP_BOOTSTRAP=peer0.org1.example.com:7051', 'CORE_PEER_GOSSIP_BOOTSTRAP=peer0.org2.example.com:9051');
  const f = only(other, 'bootstrap-other-org');
  assert.equal(place(f), where(other, COMPOSE, 'peer0.org2.example.com:9051', { after: 'CORE_PEER_GOSSIP_BOOTSTRAP=' }));
  assert.match(f.fabric.log!, /peer0\.org2\.example\.com:9051 isn't in our organization, cannot be a bootstrap peer/);

  const unknown = edit(clean(), COMPOSE, 'CORE_PEER_GOSSIP_BOOTSTRAP=peer0.org1.example.com:7051', 'CORE_PEER_GOSSIP_BOOTSTRAP=peer0.org1.example.com:7051 peer0.org3.example.com:11051');
  assert.equal(place(only(unknown, 'bootstrap-unknown')), where(unknown, COMPOSE, 'peer0.org3.example.com:11051'));

  const port = edit(clean(), COMPOSE, 'CORE_PEER_GOSSIP_BOOTSTRAP=peer0.org2.example.com:9051', 'CORE_PEER_GOSSIP_BOOTSTRAP=peer0.org2.example.com:7051');
  const p = only(port, 'endpoint-port-mismatch');
  assert.equal(place(p), where(port, COMPOSE, '7051', { after: 'CORE_PEER_GOSSIP_BOOTSTRAP=peer0.org2' }));
  assert.equal(p.edit!.text, '9051');
  assert.deepEqual(run(applyEdit(port, p.edit!)).findings, []);
});

test('rule 3: a bootstrap list of only itself is fine alone in its org, a warning once the org has a peer neither dials', () => {
  // fabric-samples' own peers name themselves: Fabric skips it, and they are alone in their org.
  assert.deepEqual(run(clean()).findings, []);
  const two = withPeer1Org1(clean());
  const d = run(two);
  const selfs = d.findings.filter((f) => f.rule === 'bootstrap-self');
  assert.deepEqual(selfs.map(place), [
    where(two, COMPOSE, 'peer0.org1.example.com:7051', { after: 'CORE_PEER_GOSSIP_BOOTSTRAP=' }),
    where(two, COMPOSE, 'peer1.org1.example.com:8051', { after: 'CORE_PEER_GOSSIP_BOOTSTRAP=peer1' }),
  ]);
  assert.ok(selfs.every((f) => f.severity === 'warning' && f.fabric.log === 'Skipping connecting to myself'));
  // peer1 bootstrapping from peer0 fixes both: peer0 is dialed by peer1.
  const fixed = applyEdit(two, selfs[1].edit!);
  assert.deepEqual(run(fixed).findings.filter((f) => f.rule === 'bootstrap-self'), []);
});

test('rule 4: useLeaderElection and orgLeader both true, at the variable; the Quick Fix sets it false', () => {
  const broken = edit(clean(), COMPOSE, '      - CORE_PEER_LOCALMSPID=Org1MSP\n', '      - CORE_PEER_LOCALMSPID=Org1MSP\n      - CORE_PEER_GOSSIP_USELEADERELECTION=true\n');
  const f = only(broken, 'leader-election-and-org-leader');
  assert.equal(place(f), where(broken, COMPOSE, 'true', { after: 'CORE_PEER_GOSSIP_USELEADERELECTION=' }));
  assert.equal(f.fabric.log, "Setting both orgLeader and useLeaderElection to true isn't supported, aborting execution");
  assert.equal(f.fabric.source, 'gossip/service/gossip_service.go');
  assert.deepEqual(run(applyEdit(broken, f.edit!)).findings, []);
});

test('rule 4: no leader in the org gets no block; a leader that gossips blocks, or state transfer, is a source', () => {
  // peer0.org1 alone in Org1 and no longer an org leader: nothing pulls from the orderer.
  const alone = edit(clean(), COMPOSE, '      - CORE_PEER_LOCALMSPID=Org1MSP\n', '      - CORE_PEER_LOCALMSPID=Org1MSP\n      - CORE_PEER_GOSSIP_ORGLEADER=false\n');
  const f = only(alone, 'no-block-source');
  assert.equal(place(f), where(alone, COMPOSE, 'false', { after: 'CORE_PEER_GOSSIP_ORGLEADER=' }));
  assert.equal(f.fabric.source, 'gossip/service/gossip_service.go');
  assert.deepEqual(run(applyEdit(alone, f.edit!)).findings, []);
  assert.deepEqual(run(edit(alone, CORE, 'enabled: false\n            # checkInterval interval', 'enabled: true\n            # checkInterval interval')).findings, [], 'state transfer on');

  // peer1.org1 is no leader; peer0.org1 leads and gossips blocks (v2.4.9's core.yaml): fine.
  const follower = (b: string) => b.replace('      - CORE_PEER_LOCALMSPID=Org1MSP\n', '      - CORE_PEER_LOCALMSPID=Org1MSP\n      - CORE_PEER_GOSSIP_ORGLEADER=false\n').replace('CORE_PEER_GOSSIP_BOOTSTRAP=peer1.org1.example.com:8051', 'CORE_PEER_GOSSIP_BOOTSTRAP=peer0.org1.example.com:7051');
  const two = withPeer1Org1(clean(), follower);
  assert.deepEqual(run(two).findings, []);
  // With Fabric v3's blockGossipEnabled: false, peer0 passes nothing on: peer1 never gets a block.
  const v3 = edit(two, CORE, 'blockGossipEnabled: true', 'blockGossipEnabled: false');
  const g = only(v3, 'no-block-source');
  assert.equal(place(g), where(v3, COMPOSE, 'false', { after: 'peer1.org1.example.com\n      - CORE_PEER_ADDRESS' }));
  assert.deepEqual(g.affected, ['peer1.org1.example.com']);
  assert.match(g.fabric.effect, /This peer will retrieve blocks from ordering service \(will not disseminate them to other peers in the organization\)/);
  assert.equal(run(v3).findings.length, 1);
});

test("a peer reads the core.yaml mounted at its FABRIC_CFG_PATH (fabric-samples' docker overlay); of several unmounted ones, none is guessed", () => {
  const docker = join(DIR, 'compose', 'docker', 'docker-compose-test-net.yaml');
  const podmanCore = join(DIR, 'compose', 'podman', 'peercfg', 'core.yaml');
  // As fabric-samples' compose/docker/docker-compose-test-net.yaml mounts it (relative to compose/, the project folder).
  const overlay = (folder: string) =>
    `services:\n  peer0.org1.example.com:\n    volumes:\n      - ./${folder}/peercfg:/etc/hyperledger/peercfg\n  peer0.org2.example.com:\n    volumes:\n      - ./${folder}/peercfg:/etc/hyperledger/peercfg\n`;
  const base = clean();
  const notLeader = base[CORE].replace('orgLeader: true', 'orgLeader: false');
  const both = { ...base, [podmanCore]: notLeader };
  // Mounted: the docker core.yaml (orgLeader true) is the one read; the podman one (false) is not.
  assert.deepEqual(run({ ...both, [docker]: overlay('docker') }).findings, []);
  // Mounted the other way round: both peers read orgLeader false and get no block.
  const podman = run({ ...both, [docker]: overlay('podman') });
  assert.deepEqual(podman.findings.map((f) => f.rule), ['no-block-source', 'no-block-source']);
  // Nothing says which: no finding from a guess, and a note says why.
  const unknown = run(both);
  assert.deepEqual(unknown.findings, []);
  assert.ok(unknown.notes.some((n) => /peer0\.org1\.example\.com: which of the 2 core\.yaml files it reads is unknown/.test(n)), unknown.notes.join('\n'));
});

test('a mistake in the core.yaml every peer shares is one finding there, naming every peer', () => {
  const broken = edit(clean(), CORE, 'useLeaderElection: false', 'useLeaderElection: true');
  const f = only(broken, 'leader-election-and-org-leader');
  assert.equal(place(f), where(broken, CORE, 'true', { after: 'useLeaderElection: ' }));
  assert.deepEqual(f.affected, ['peer0.org1.example.com', 'peer0.org2.example.com']);
  assert.match(f.what, /^peer0\.org1\.example\.com sets both .* \(the same for peer0\.org2\.example\.com\)$/);
  assert.deepEqual(run(applyEdit(broken, f.edit!)).findings, []);
});

test("an environment written as a mapping gets the Quick Fix's variable as a mapping entry", () => {
  const text = clean()[COMPOSE];
  const start = text.indexOf('  peer0.org2.example.com:\n    container_name');
  const block = text.slice(start).replace(/^ {6}- ([A-Z_]+)=(.*)$/gm, (_, k: string, v: string) => `      ${k}: "${v.replace(/"/g, '\\"')}"`);
  const mapped = edit({ ...clean(), [COMPOSE]: text.slice(0, start) + block }, COMPOSE, '      CORE_PEER_GOSSIP_EXTERNALENDPOINT: "peer0.org2.example.com:9051"\n', '');
  const f = only(mapped, 'external-endpoint-missing');
  const fixed = applyEdit(mapped, f.edit!);
  assert.match(fixed[COMPOSE], /CORE_CHAINCODE_EXECUTETIMEOUT: "300s"\n {6}CORE_PEER_GOSSIP_EXTERNALENDPOINT: peer0\.org2\.example\.com:9051\n {4}volumes:/);
  assert.deepEqual(run(fixed).findings, []);
});

test('rule 1: an anchor peer without an external endpoint hides the rest of its org: an error when there is a rest', () => {
  const t = edit(withPeer1Org1(clean()), COMPOSE, '      - CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org1.example.com:7051\n', '');
  const f = only(t, 'anchor-not-a-peer');
  assert.equal(place(f), where(t, CONFIGTX, 'peer0.org1.example.com'));
  assert.equal(f.severity, 'error');
  assert.match(f.what, /is peer0\.org1\.example\.com, which has no external endpoint: it tells other orgs of no peer of Org1MSP \(peer1\.org1\.example\.com\)$/);
  assert.match(f.fabric.log!, /^Got a membership request from a peer that shouldn't have sent one/);
  const alone = only(edit(clean(), COMPOSE, '      - CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org1.example.com:7051\n', ''), 'anchor-not-a-peer');
  assert.equal(alone.severity, 'warning');
});
