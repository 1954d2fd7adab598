/**
 * Identities in live mode are the simulator's, scenario and all: a certificate that the scenario
 * lets expire expires in every process at that time, and each honest peer purges the identity,
 * the membership entry and the connection (fabric#5111), as the simulated peers do.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hex } from '../../engine/fabric/message.js';
import { loadScenario } from '../../engine/scenario/load.js';
import { scenarioIdentities } from '../../engine/sim/identities.js';
import { startLocalNetwork, until, LIMIT_MS } from './helpers.js';

const SCENARIO = `
name: live-expiry
seed: 6
profile: fabric-v3
orgs:
  - { mspId: Org1MSP, peers: 2, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 2, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
gossip: { aliveTimeInterval: 300ms, aliveExpirationTimeout: 1500ms, reconnectInterval: 1s }
peers: { certExpiry: [{ peer: peer1.org1, at: 4s }] }
run: { until: 30s }
`;

test('a certificate the scenario lets expire is purged by every live peer at that time', async (t) => {
  const scenario = loadScenario(SCENARIO, 'expiry.yaml');
  const purged: { peer: string; t: number }[] = [];
  let expiring = '';
  const net = await startLocalNetwork(scenario, (peer, ev) => {
    if (ev.kind === 'state' && ev.reason === 'identityPurged' && ev.data?.pkiId === expiring) purged.push({ peer, t: ev.t });
  });
  t.after(() => net.stop());
  expiring = hex((await (await scenarioIdentities(scenario, net.keys)).issuePeer('Org1MSP', 'peer1')).pkiId);
  const running = net.peers;
  const honest = running.filter((p) => p.id !== 'peer1.org1');
  await until(() => honest.every((p) => p.membership().includes('peer1.org1')), 'everyone sees peer1.org1', LIMIT_MS);
  await until(() => honest.every((p) => purged.some((x) => x.peer === p.id)), 'every honest peer purges the expired identity', LIMIT_MS);
  // At 4 s on each process's clock (the processes started within a second of each other).
  for (const x of purged) assert.ok(x.t >= 4000 && x.t < 4200, `${x.peer} purged it at ${x.t} ms`);
  await until(() => honest.every((p) => !p.membership().includes('peer1.org1')), 'nobody sees peer1.org1 any more', LIMIT_MS);
});
