/**
 * The two peers of fabric-samples' test network as its compose file (compose/compose-test-net.yaml)
 * configures them, read with the project's compose reader: the doctor's rules take peers as plain
 * data, and this is where a real network's data comes from.
 */
import { readCompose, type ComposePeer } from '../../engine/import/compose.js';
import { YamlSource } from '../../engine/import/yaml-source.js';
import type { Diagnostic } from '../../engine/scenario/diagnostics.js';

const peer = (n: string, org: string, msp: string, port: number) => [
  `  peer${n}.${org}.example.com:`,
  `    container_name: peer${n}.${org}.example.com`,
  '    image: hyperledger/fabric-peer:latest',
  '    environment:',
  '      - FABRIC_CFG_PATH=/etc/hyperledger/peercfg',
  '      - FABRIC_LOGGING_SPEC=INFO',
  '      - CORE_PEER_TLS_ENABLED=true',
  '      - CORE_PEER_TLS_CERT_FILE=/etc/hyperledger/fabric/tls/server.crt',
  '      - CORE_PEER_TLS_KEY_FILE=/etc/hyperledger/fabric/tls/server.key',
  '      - CORE_PEER_TLS_ROOTCERT_FILE=/etc/hyperledger/fabric/tls/ca.crt',
  `      - CORE_PEER_ID=peer${n}.${org}.example.com`,
  `      - CORE_PEER_ADDRESS=peer${n}.${org}.example.com:${port}`,
  `      - CORE_PEER_LISTENADDRESS=0.0.0.0:${port}`,
  `      - CORE_PEER_CHAINCODEADDRESS=peer${n}.${org}.example.com:${port + 1}`,
  `      - CORE_PEER_CHAINCODELISTENADDRESS=0.0.0.0:${port + 1}`,
  `      - CORE_PEER_GOSSIP_BOOTSTRAP=peer${n}.${org}.example.com:${port}`,
  `      - CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer${n}.${org}.example.com:${port}`,
  `      - CORE_PEER_LOCALMSPID=${msp}`,
  '      - CORE_PEER_MSPCONFIGPATH=/etc/hyperledger/fabric/msp',
  `    volumes:`,
  `      - ../organizations/peerOrganizations/${org}.example.com/peers/peer${n}.${org}.example.com:/etc/hyperledger/fabric`,
  '    ports:',
  `      - ${port}:${port}`,
];

/** compose-test-net.yaml's peers section, two orgs with one peer each. */
export const COMPOSE_TEST_NET = ['services:', '', ...peer('0', 'org1', 'Org1MSP', 7051), '', ...peer('0', 'org2', 'Org2MSP', 9051), ''].join('\n');

export function composePeers(text = COMPOSE_TEST_NET, path = 'compose/compose-test-net.yaml'): ComposePeer[] {
  const problems: Diagnostic[] = [];
  const peers = readCompose(YamlSource.parse(path, text), problems);
  if (problems.length > 0) throw new Error(problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`).join('\n'));
  return peers;
}

/** A value of one peer's environment. */
export function env(p: ComposePeer, name: string): string | undefined {
  return p.env.find((e) => e.name === name)?.value;
}
