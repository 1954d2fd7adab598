/**
 * Every identity of a scenario, as a function of its seed: a CA per org, the orderer's, and each
 * peer's certificate with the NotAfter the scenario gives it (peers.certExpiry or an `expire`
 * fault) or from a CA no channel trusts (an untrusted-ca Byzantine peer). The simulator and
 * every live peer process issue them the same way, so they agree without exchanging files.
 */
import { MSPRegistry, OrgCA, type SigningIdentity } from '../msp/index.js';
import type { Scenario } from '../scenario/types.js';
import { EPOCH_MS } from './runtime.js';

export const ORDERER_MSP = 'OrdererMSP';

export interface ScenarioIdentities {
  registry: MSPRegistry;
  ordererId: SigningIdentity;
  /** Issues a peer's certificate (peer `name` of org `mspId`); the same inputs give the same certificate. */
  issuePeer(mspId: string, name: string): Promise<SigningIdentity>;
}

/**
 * `keys` is what the keys derive from: the scenario's seed in the simulator (the same run every
 * time), a live run's own secret in live mode (the seed is public: anyone could issue its certificates).
 */
export async function scenarioIdentities(scenario: Scenario, keys: string | number = scenario.seed): Promise<ScenarioIdentities> {
  const seed = keys;
  const validity = { notBefore: new Date(EPOCH_MS - 86_400_000), notAfter: new Date(EPOCH_MS + 365 * 86_400_000) };
  const registry = new MSPRegistry();
  const cas = new Map<string, OrgCA>();
  for (const org of scenario.orgs) {
    const ca = await OrgCA.create(seed, org.mspId, org.domain, validity);
    registry.addCA(ca);
    cas.set(org.mspId, ca);
  }
  const ordererCA = await OrgCA.create(seed, ORDERER_MSP, 'example.com', validity);
  registry.addCA(ordererCA);
  const ordererId = await ordererCA.issue('orderer', 'orderer', validity);
  const issuePeer = async (mspId: string, name: string): Promise<SigningIdentity> => {
    const org = scenario.orgs.find((o) => o.mspId === mspId)!;
    const id = `${name}.${org.name}`;
    // A certificate's NotAfter: from peers.certExpiry, or an `expire` fault at that time.
    const expireFault = scenario.faults.find((f) => f.action.kind === 'expire' && f.action.peer === id);
    const expiry = scenario.certExpiry.find((c) => c.peer === id) ?? (expireFault ? { peer: id, at: expireFault.at } : undefined);
    // An untrusted-ca Byzantine peer holds a certificate from a CA that no channel trusts.
    const rogue = scenario.faults.some((f) => f.action.kind === 'byzantine' && f.action.behaviour === 'untrusted-ca' && f.action.peer === id);
    const issuer = rogue ? await OrgCA.create(`${seed}/rogue`, mspId, org.domain, validity) : cas.get(mspId)!;
    return issuer.issue(name, 'peer', expiry ? { notBefore: validity.notBefore, notAfter: new Date(EPOCH_MS + expiry.at) } : validity);
  };
  return { registry, ordererId, issuePeer };
}
