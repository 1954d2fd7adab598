/**
 * Importing Fabric v2.4.9's sampleconfig core.yaml and the discovery test network's configtx.yaml
 * and crypto-config.yaml: the scenario's orgs, peers, anchors, channels and gossip keys are
 * checked against the files read here independently (the yaml library's plain toJS), every
 * source comment is checked to point at the value it names, and the scenario runs.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { main } from '../../engine/cli/main.js';
import { parseDuration } from '../../engine/fabric/config.js';
import { readNetworkFiles } from '../../engine/import/files.js';
import { importNetwork, type NetworkFile } from '../../engine/import/network.js';
import { ImportError } from '../../engine/import/yaml-source.js';
import { Simulation } from '../../engine/sim/simulation.js';

const DIR = join(__dirname, '..', '..', 'docs', 'reference', 'real-fabric');
const CORE = join(DIR, 'core.yaml');
const CONFIGTX = join(DIR, 'configtx.yaml');
const CRYPTO = join(DIR, 'crypto-config.yaml');

const files = (): NetworkFile[] => [CORE, CONFIGTX, CRYPTO].map((path) => ({ path, text: readFileSync(path, 'utf8') }));

/** The files as plain data, the yaml library resolving anchors and merge keys on its own. */
function plain(path: string): any {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'), { merge: true }) as any[];
  return docs.map((d) => d.toJS({ maxAliasCount: 1000 })).filter((d) => d != null).pop();
}

function leaves(o: any, prefix = ''): [string, unknown][] {
  return Object.entries(o).flatMap(([k, v]) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? leaves(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v] as [string, unknown]]));
}

test('orgs, peers, anchor peers and channels equal what configtx.yaml and crypto-config.yaml say', () => {
  const { scenario } = importNetwork(files(), { name: 'discovery' });
  const tx = plain(CONFIGTX);
  const crypto = plain(CRYPTO);
  const appProfiles = Object.entries(tx.Profiles as Record<string, any>).filter(([, p]) => p.Application);
  assert.deepEqual(
    scenario.channels.map((c) => ({ name: c.name, orgs: c.orgs })),
    appProfiles.map(([name, p]) => ({ name: name.toLowerCase(), orgs: p.Application.Organizations.map((o: any) => o.ID) })),
  );
  const members = new Set(appProfiles.flatMap(([, p]) => p.Application.Organizations.map((o: any) => o.ID)));
  const txOrgs = (tx.Organizations as any[]).filter((o) => members.has(o.ID));
  assert.deepEqual(scenario.orgs.map((o) => o.mspId), txOrgs.map((o) => o.ID));
  for (const org of scenario.orgs) {
    const t = txOrgs.find((o) => o.ID === org.mspId);
    const c = (crypto.PeerOrgs as any[]).find((p) => t.MSPDir.includes(p.Domain));
    assert.equal(org.domain, c.Domain);
    assert.equal(org.peers, c.Template.Count + (c.Specs?.length ?? 0));
    assert.deepEqual(org.anchorPeers, t.AnchorPeers.map((a: any) => a.Host.replace(`.${c.Domain}`, '')));
  }
  // The orderer org has no peers and is in no channel.
  assert.ok(!scenario.orgs.some((o) => o.mspId === 'OrdererMSP'));
});

test('every peer.gossip key of core.yaml that the simulator has is in the scenario with its value', () => {
  const { scenario, text } = importNetwork(files());
  const core = plain(CORE).peer;
  const cfg = scenario.config.gossip as any;
  let checked = 0;
  for (const [key, value] of leaves(core.gossip)) {
    const path = key.split('.');
    let have: any = cfg;
    for (const p of path) have = have?.[p];
    if (have === undefined || value === null) continue; // not modelled, or empty (Fabric's default)
    const want = typeof value === 'string' ? parseDuration(value) : value;
    assert.equal(have, want, `peer.gossip.${key}`);
    checked++;
  }
  assert.ok(checked >= 45, `only ${checked} keys compared`);
  assert.equal(scenario.config.deliveryclient.blockGossipEnabled, core.deliveryclient.blockGossipEnabled);
  // Fabric v2.4.9 writes 1000 here where the simulator's profile has 20000: the file wins.
  assert.equal(cfg.pvtData.transientstoreMaxBlockRetention, 1000);
  // Keys the file leaves out are marked as Fabric's defaults.
  assert.match(text, /channelSize: 100 +# not in core.yaml: Fabric default/);
  assert.match(text, /nonBlockingCommitMode: false +# not in core.yaml: Fabric default/);
  // sampleconfig's externalEndpoint is empty: Fabric hides every peer from other orgs.
  assert.deepEqual(scenario.orgs.map((o) => o.externalEndpoints), [[], []]);
  // bootstrap 127.0.0.1:7051 names no peer of the orgs: the scenario's default, said so.
  assert.match(text, /bootstrap: \[peer0\] +# peer\.gossip\.bootstrap 127\.0\.0\.1:7051 \(.*core\.yaml:104:20\) names no peer of Org1/);
});

test('each source comment names the file:line:col where the value is written', () => {
  const { text } = importNetwork(files());
  const sources = new Map(files().map((f) => [f.path, f.text.split('\n')]));
  let checked = 0;
  for (const line of text.split('\n')) {
    const m = /^\s*-?\s*(\w+): ([^#]+?)\s+# (\S+?):(\d+):(\d+)/.exec(line);
    if (!m) continue;
    const [, key, value, file, l, c] = m;
    const at = sources.get(file)![Number(l) - 1].slice(Number(c) - 1);
    if (['anchorPeers', 'orgs', 'name', 'externalEndpoints'].includes(key)) continue; // point at a host, a list entry, a profile, the (empty) key
    assert.ok(at.startsWith(value), `${line}\n  points at: ${at}`);
    checked++;
  }
  assert.ok(checked >= 50, `only ${checked} comments checked`);
});

test('the imported scenario loads and runs: every peer commits every block', async () => {
  const { scenario } = importNetwork(files());
  const sim = await Simulation.create(scenario, { traceCapacity: 10 });
  sim.runUntil(scenario.run.until);
  const peers = sim.peers;
  assert.equal(peers.length, 4);
  for (const p of peers) assert.equal(p.ledgers.get('twoorgschannel')?.height, scenario.orderer.blocks + 1, p.id);
});

test('gossip-scope import reads the folder and writes the scenario; gossip-scope run runs it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-'));
  const out = join(dir, 'net.yaml');
  let err = '';
  assert.equal(await main(['import', DIR, '--out', out, '--channel', 'TwoOrgsChannel=mychannel'], () => {}, (s) => (err += s)), 0, err);
  assert.match(readFileSync(out, 'utf8'), /name: mychannel/);
  assert.match(err, /2 orgs, 4 peers, channels mychannel/);
  // The modeline's $schema is a file that exists, from where the scenario was written.
  const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(readFileSync(out, 'utf8'))?.[1];
  assert.ok(schema !== undefined, 'no $schema modeline');
  assert.ok(existsSync(resolve(dir, schema)), `$schema=${schema} is not a file beside ${out}`);
  assert.equal(JSON.parse(readFileSync(resolve(dir, schema), 'utf8')).title, 'Gossip Scope scenario');
  assert.equal(await main(['run', out, '--until', '20s'], () => {}, () => {}), 0);
});

test('what cannot be read is a file:line:col error at the real file', () => {
  const bad = (path: string, edit: (t: string) => string): ImportError => {
    const fs = files().map((f) => (f.path === path ? { ...f, text: edit(f.text) } : f));
    try {
      importNetwork(fs);
    } catch (e) {
      assert.ok(e instanceof ImportError, String(e));
      return e;
    }
    assert.fail('import accepted it');
  };
  let e = bad(CORE, (t) => t.replace('aliveTimeInterval: 5s', 'aliveTimeInterval: fast'));
  assert.match(e.message, /core\.yaml:174:28: core\.yaml: peer\.gossip\.aliveTimeInterval must be a duration/);
  e = bad(CORE, (t) => t.replace('propagatePeerNum: 3', 'propagatePeerNum: -3'));
  assert.match(e.message, /core\.yaml:141:27: .*propagatePeerNum must be a whole number/);
  e = bad(CONFIGTX, (t) => t.replace('Host: peer0.org2.example.com', 'Host: peer7.org2.example.com'));
  assert.match(e.message, /configtx\.yaml:109:21: configtx: anchor peer peer7\.org2\.example\.com of Org2MSP is not a peer of Org2/);
  e = bad(CRYPTO, (t) => t.replace('Domain: org1.example.com', 'Domain: [org1'));
  assert.match(e.message, /crypto-config\.yaml:\d+:\d+: YAML: /);
  e = bad(CORE, (t) => t.replace('useLeaderElection: false', 'useLeaderElection: true'));
  assert.match(e.message, /core\.yaml:\d+:\d+: .*useLeaderElection and orgLeader are both true/);
  assert.throws(() => importNetwork(files().slice(1)), /an import needs a core\.yaml/);
});

test('one core.yaml per peer: per-peer differences are kept (as comments) and reported', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpeer-'));
  const base = readFileSync(CORE, 'utf8');
  for (const [host, alive, ext] of [['peer0.org1.example.com', '5s', 'peer0.org1.example.com:7051'], ['peer1.org1.example.com', '2s', ''], ['peer0.org2.example.com', '5s', 'peer0.org2.example.com:9051'], ['peer1.org2.example.com', '5s', '']]) {
    mkdirSync(join(dir, host));
    const text = base
      .replace('id: jdoe', `id: ${host}`)
      .replace('aliveTimeInterval: 5s', `aliveTimeInterval: ${alive}`)
      .replace(/externalEndpoint:\n/, `externalEndpoint: ${ext}\n`);
    writeFileSync(join(dir, host, 'core.yaml'), text);
  }
  writeFileSync(join(dir, 'configtx.yaml'), readFileSync(CONFIGTX));
  writeFileSync(join(dir, 'crypto-config.yaml'), readFileSync(CRYPTO));
  const r = importNetwork(readNetworkFiles([dir]));
  assert.deepEqual(r.scenario.orgs.map((o) => o.externalEndpoints), [['peer0'], ['peer0']]);
  const note = r.notes.find((n) => n.startsWith('peer.gossip.aliveTimeInterval differs per peer'));
  assert.ok(note, r.notes.join('\n'));
  assert.match(note!, /peer1\.org1 2s \(.*peer1\.org1\.example\.com\/core\.yaml:174:28\)/);
  // Written per peer (peers.config), so the simulated peer1.org1 heartbeats every 2 s and the others every 5 s.
  assert.match(r.text, /- peers: \[peer1\.org1\]\n +gossip:\n +aliveTimeInterval: 2s +# .*peer1\.org1\.example\.com\/core\.yaml:174:28/);
  assert.equal(r.scenario.peerConfigs['peer1.org1'].config.gossip.aliveTimeInterval, 2000);
  for (const id of ['peer0.org1', 'peer0.org2', 'peer1.org2']) assert.equal(r.scenario.peerConfigs[id]?.config.gossip.aliveTimeInterval ?? r.scenario.config.gossip.aliveTimeInterval, 5000, id);
  // Without peer.id, several core.yaml files cannot be told apart.
  writeFileSync(join(dir, 'peer1.org2.example.com', 'core.yaml'), base);
  assert.throws(() => importNetwork(readNetworkFiles([dir])), /peer1\.org2\.example\.com\/core\.yaml:1:1: several core\.yaml files are given, so each needs peer\.id/);
});

test('a compose file sets each peer\'s CORE_PEER_GOSSIP_* over core.yaml, as fabric-samples\' test network does', () => {
  const compose = [
    'services:',
    '  peer0.org1.example.com:',
    '    environment:',
    '      - CORE_PEER_ID=peer0.org1.example.com',
    '      - CORE_PEER_GOSSIP_BOOTSTRAP=peer0.org1.example.com:7051',
    '      - CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org1.example.com:7051',
    '      - CORE_PEER_GOSSIP_ALIVETIMEINTERVAL=2s',
    '  peer0.org2.example.com:',
    '    environment:',
    '      CORE_PEER_ID: peer0.org2.example.com',
    '      CORE_PEER_GOSSIP_EXTERNALENDPOINT: peer0.org2.example.com:9051',
    '      CORE_PEER_GOSSIP_USELEADERELECTION: "false"',
    '',
  ].join('\n');
  const r = importNetwork([...files(), { path: 'compose-test-net.yaml', text: compose }]);
  assert.deepEqual(r.scenario.orgs.map((o) => o.externalEndpoints), [['peer0'], ['peer0']]);
  assert.match(r.text, /externalEndpoints: \[peer0\] +# peers whose configuration sets externalEndpoint: peer0\.org1\.example\.com compose-test-net\.yaml:6:43/);
  const note = r.notes.find((n) => n.startsWith('peer.gossip.aliveTimeInterval differs per peer'));
  assert.match(note ?? r.notes.join('\n'), /peer0\.org1 2s \(compose-test-net\.yaml:7:44\)/);
  // peer0.org1's bootstrap names a peer, but peer1.org1 keeps core.yaml's 127.0.0.1:7051: no one list.
  assert.match(r.text, /bootstrap: \[peer0\] +# peer\.gossip\.bootstrap peer0\.org1\.example\.com:7051 .* names no peer of Org1, or not the same one/);
  const both = compose.replace('  peer0.org2.example.com:', '  peer1.org1.example.com:\n    environment:\n      - CORE_PEER_ID=peer1.org1.example.com\n      - CORE_PEER_GOSSIP_BOOTSTRAP=peer0.org1.example.com:7051\n  peer0.org2.example.com:');
  const r2 = importNetwork([...files(), { path: 'compose-test-net.yaml', text: both }]);
  assert.match(r2.text, /bootstrap: \[peer0\] +# compose-test-net\.yaml:5:36, compose-test-net\.yaml:11:36: peer\.gossip\.bootstrap peer0\.org1\.example\.com:7051/);
  // A bad value in the environment is an error at its place in the compose file.
  assert.throws(() => importNetwork([...files(), { path: 'c.yaml', text: compose.replace('=2s', '=soon') }]), /c\.yaml:7:44: core\.yaml: peer\.gossip\.aliveTimeInterval must be a duration/);
  assert.throws(() => importNetwork([...files(), { path: 'c.yaml', text: compose.replace('CORE_PEER_ID: peer0.org2', 'CORE_PEER_ID: peer9.org2') }]), /c\.yaml:10:\d+: compose: CORE_PEER_ID peer9\.org2\.example\.com of service peer0\.org2\.example\.com is not a peer/);
});
