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
faults:
  - { at: 20s, crash: peer2.org1 }
run: { until: 60s }
`;
