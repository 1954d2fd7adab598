/**
 * Fidelity facts 21 and 22 (shared/reference/fabric-gossip.md §6): the handshake binds the TLS
 * certificate, and private data is pushed to one peer per eligible org before any second one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signMessage } from '../../engine/fabric/message.js';
import { Tag, type GossipMessage } from '../../engine/wire/messages.js';
import { run, twoOrgs } from './helpers.js';

test('fact 21: a ConnEstablish whose tls_cert_hash is not the connection\u2019s TLS certificate is refused', async () => {
  const { sim } = await run(twoOrgs(), { until: 2000 });
  const dialer = sim.peer('peer1.org1').comm!;
  const listener = sim.peer('peer2.org1').comm!;
  const handshake = (tlsCertHash: Uint8Array) => {
    const e = dialer.env;
    const msg: GossipMessage = { nonce: 0n, channel: new Uint8Array(0), tag: Tag.EMPTY, content: 'conn', conn: { pkiId: e.pkiId, identity: e.identity, tlsCertHash, probe: false } };
    return signMessage(msg, (d) => e.mcs.sign(d));
  };
  // The real hash: accepted, and its signature verified.
  const ok = listener.authenticate(handshake(dialer.env.tlsCertHash), dialer);
  assert.equal(typeof ok, 'object');
  // Someone else's TLS certificate (a relayed handshake): refused with Fabric's words, although
  // the message is validly signed by the identity it names.
  const other = sim.peer('peer3.org1').comm!.env.tlsCertHash;
  const refused = listener.authenticate(handshake(other), dialer);
  assert.equal(typeof refused, 'string');
  assert.match(refused as string, new RegExp(`^Expected ${Buffer.from(dialer.env.tlsCertHash).toString('hex')} in remote hash of TLS cert, but got ${Buffer.from(other).toString('hex')}$`));
  const reject = sim.trace.recent().reverse().find((e) => e.kind === 'reject' && e.type === 'ConnEstablish');
  assert.ok(reject, 'the refusal is in the trace');
  assert.equal(reject.peer, sim.peer('peer2.org1').idx);
});

const THREE_ORGS = (maxPeerCount: number) => `
name: per-org-first
seed: 11
profile: fabric-v3
orgs:
  - { mspId: Org1MSP, peers: 4, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 4, anchorPeers: [peer0] }
  - { mspId: Org3MSP, peers: 4, anchorPeers: [peer0] }
channels:
  - name: mychannel
    orgs: [Org1MSP, Org2MSP, Org3MSP]
    collections:
      - { name: shared, memberOrgs: [Org1MSP, Org2MSP, Org3MSP], requiredPeerCount: 1, maxPeerCount: ${maxPeerCount}, txPerBlock: 2 }
orderer: { start: 15s, batchTimeout: 2s, blocks: 10, txPerBlock: 2 }
run: { until: 40s }
`;

for (const max of [2, 3]) {
  test(`fact 22: private data goes to one peer per eligible org first (maxPeerCount ${max}, 3 orgs)`, async () => {
    const { sim, events } = await run(THREE_ORGS(max));
    // The endorsement-time pushes of each transaction, by target org.
    const targets = new Map<string, string[]>();
    for (const e of events) {
      if (e.kind !== 'send' || e.type !== 'PrivateDataMessage') continue;
      const sm = sim.messages.get(e.msg!);
      const txId = sm?.msg.content === 'privateData' ? sm.msg.privateData.payload?.txId : undefined;
      if (txId === undefined) continue;
      targets.set(txId, [...(targets.get(txId) ?? []), sim.peers[e.other!].org.mspId]);
    }
    assert.ok(targets.size >= 15, `only ${targets.size} transactions pushed`);
    for (const [txId, orgs] of targets) {
      assert.equal(orgs.length, max, `${txId}: pushed to ${orgs.length} peers`);
      // With at most as many targets as orgs, no org gets a second peer: one per org first.
      assert.equal(new Set(orgs).size, max, `${txId}: pushed to ${orgs.join(', ')}`);
    }
  });
}
