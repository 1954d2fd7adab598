/** The engine worker tests' own scenario, so that edits to the samples do not move them. */
export const WORKER_FIXTURE = `
name: worker-fixture
seed: 1
profile: fabric-v3
orgs:
  - { mspId: Org1MSP, peers: 4, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 4, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
orderer: { batchTimeout: 2s, blocks: 10, txPerBlock: 10 }
network: { latency: { min: 5ms, max: 50ms }, loss: 0 }
# Started together: every peer publishes its first StateInfo on the same beat, before identities
# are learned, so the start-up rejections the panel tests look for are there.
peers: { startWindow: 0s }
faults:
  - { at: 20s, crash: peer2.org1 }
run: { until: 60s }
`;
