import { readFileSync } from 'node:fs';

/** The private-data lesson with Org3 put into the collection by mistake, and an invariant that says it must not be. */
export function leakyCollection(memberOrgs = '[Org1MSP, Org3MSP]'): string {
  return readFileSync('samples/private-data.yaml', 'utf8')
    .replace('memberOrgs: [Org1MSP, Org2MSP]', `memberOrgs: ${memberOrgs}`)
    .replace(/expect:[\s\S]*$/, 'invariants:\n  - { name: "Org3 never holds secrets", holds: "privateData(peer0.org3) + privateData(peer1.org3) + privateData(peer2.org3) == 0" }\n');
}
