/**
 * Live mode's core: peers of a scenario running the simulator's protocol code on the wall clock,
 * over real WebSockets on 127.0.0.1 — handshakes with signed ConnEstablish, alive messages,
 * membership, failure detection. (Several peers in this one test process; each has its own
 * kernel, sockets and identity, as separate processes would.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenario } from '../../engine/scenario/load.js';
import { peerIds, type LivePeer } from '../../engine/live/peer.js';
import { startLocalNetwork, until, LIMIT_MS } from './helpers.js';

const SCENARIO = `
name: live-four
seed: 3
profile: fabric-v3
orgs:
  - { mspId: Org1MSP, peers: 2, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 2, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
orderer: { batchTimeout: 200ms, blocks: 5, txPerBlock: 3 }
gossip: { aliveTimeInterval: 300ms, aliveExpirationTimeout: 1500ms, reconnectInterval: 1500ms, pullInterval: 1s, publishStateInfoInterval: 500ms, requestStateInfoInterval: 500ms }
run: { until: 30s }
`;

test('live peers find each other over WebSockets, and declare a stopped one dead', async (t) => {
  const scenario = loadScenario(SCENARIO, 'live.yaml');
  const all = peerIds(scenario);
  const verdicts: string[] = [];
  const net = await startLocalNetwork(scenario, (_, ev) => {
    if (ev.kind === 'verify' && ev.type === 'ConnEstablish') verdicts.push(ev.reason ?? '');
  });
  t.after(() => net.stop());
  const running = net.peers;
  const others = (p: LivePeer) => all.map((x) => x.id).filter((id) => id !== p.id).sort();
  // Everyone learns everyone: bootstrap within the org, anchors across (fabric-v3: all external).
  const took = await until(() => running.every((p) => JSON.stringify(p.membership().sort()) === JSON.stringify(others(p))), 'every peer sees the three others', LIMIT_MS);
  assert.ok(verdicts.length > 0 && verdicts.every((v) => v === 'valid'), `handshake verdicts: ${[...new Set(verdicts)].join(', ')}`);
  console.log(`# full membership after ${took} ms`);
  // fabric-v3: every peer is an org leader and takes the blocks from the orderer's Deliver stream.
  const blocks = await until(() => running.every((p) => p.ledgers.get('mychannel')!.height === 6), 'every peer has the 5 blocks', LIMIT_MS);
  console.log(`# every peer at height 6 after ${blocks} ms more`);
  const digests = new Set(running.map((p) => p.ledgers.get('mychannel')!.stateDigest()));
  assert.equal(digests.size, 1, 'one world state');

  // Stop peer1.org2 (its sockets close, it answers nothing more): the others drop it.
  const victim = running.find((p) => p.id === 'peer1.org2')!;
  await victim.stop();
  running.splice(running.indexOf(victim), 1);
  const dead = await until(() => running.every((p) => !p.membership().includes('peer1.org2')), 'peer1.org2 is dead to everyone', LIMIT_MS);
  console.log(`# peer1.org2 declared dead after ${dead} ms`);
  for (const p of running) assert.ok(p.node.disc.deadLastTS.size >= 1, `${p.id} holds no dead member`);

  // Pause peer1.org1: its sockets stay open, so nobody can tell until its alive messages stop
  // for aliveExpirationTimeout (1.5 s here); then it is declared dead by silence.
  const frozen = running.find((p) => p.id === 'peer1.org1')!;
  frozen.pause();
  const silent = await until(() => running.filter((p) => p !== frozen).every((p) => !p.membership().includes('peer1.org1')), 'peer1.org1 is dead by silence', LIMIT_MS);
  console.log(`# paused peer1.org1 declared dead after ${silent} ms`);
  assert.ok(silent >= 1000, `declared dead after ${silent} ms: too soon for a 1.5 s expiration`);
  frozen.resume();
  const back = await until(() => running.filter((p) => p !== frozen).every((p) => p.membership().includes('peer1.org1')), 'peer1.org1 is alive again', LIMIT_MS);
  console.log(`# resumed peer1.org1 alive again after ${back} ms`);
});
