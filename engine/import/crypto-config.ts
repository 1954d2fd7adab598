/**
 * cryptogen's crypto-config.yaml: the peers of each org. Fabric's cryptogen makes a node for each
 * `Specs` entry (Hostname) and `Template.Count` more named `{{.Prefix}}{{.Index}}` (Prefix
 * "peer", Index from `Template.Start`, default 0), after the Specs: fabric/internal/cryptogen/main.go,
 * renderNodeSpec and the Template loop.
 */
import type { Diagnostic } from '../scenario/diagnostics.js';
import type { Origin, YamlSource } from './yaml-source.js';

export interface CryptoPeer {
  /** Hostname without the domain: peer0, foo. */
  hostname: string;
  origin: Origin;
}

export interface CryptoOrg {
  name: string;
  domain: string;
  peers: CryptoPeer[];
  nameOrigin: Origin;
  domainOrigin: Origin;
  /** Where the peer count comes from (Template.Count, or the Specs list). */
  countOrigin: Origin;
}

/** Bound on Template.Count: the simulator runs hundreds of peers, not tens of thousands. */
export const MAX_TEMPLATE_COUNT = 1000;

export function readCryptoConfig(src: YamlSource, problems: Diagnostic[]): CryptoOrg[] {
  const root = src.root;
  const peerOrgs = root.get('PeerOrgs');
  if (!peerOrgs) {
    problems.push(root.problem("crypto-config: no 'PeerOrgs:' list (cryptogen's peer organizations)"));
    return [];
  }
  if (!peerOrgs.isSeq()) {
    problems.push(peerOrgs.problem("crypto-config: 'PeerOrgs' must be a list of organizations"));
    return [];
  }
  const orgs: CryptoOrg[] = [];
  for (const o of peerOrgs.items()) {
    const name = o.get('Name');
    const domain = o.get('Domain');
    if (!name?.text() || !domain?.text()) {
      problems.push((name ?? o).problem(`crypto-config: a peer org needs Name and Domain`));
      continue;
    }
    const peers: CryptoPeer[] = [];
    const templated: CryptoPeer[] = [];
    let countOrigin = o.origin;
    const template = o.get('Template');
    if (template && !template.isEmpty()) {
      const count = template.get('Count');
      const start = template.get('Start');
      const hostname = template.get('Hostname');
      const n = count ? Number(count.scalar()) : 0;
      const first = start ? Number(start.scalar()) : 0;
      if (count && !(Number.isInteger(n) && n >= 0 && n <= MAX_TEMPLATE_COUNT)) {
        problems.push(count.problem(`crypto-config: Template.Count must be a whole number from 0 to ${MAX_TEMPLATE_COUNT}, got '${count.text()}'`));
      } else if (start && !(Number.isInteger(first) && first >= 0)) {
        problems.push(start.problem(`crypto-config: Template.Start must be a whole number, got '${start.text()}'`));
      } else if (hostname && hostname.text() !== '{{.Prefix}}{{.Index}}') {
        problems.push(hostname.problem(`crypto-config: Template.Hostname '${hostname.text()}' is not supported: only cryptogen's default {{.Prefix}}{{.Index}}`));
      } else {
        if (count) countOrigin = count.origin;
        for (let i = 0; i < n; i++) templated.push({ hostname: `peer${first + i}`, origin: count!.origin });
      }
    }
    const specs = o.get('Specs');
    for (const s of specs?.items() ?? []) {
      const h = s.get('Hostname');
      if (!h?.text()) {
        problems.push(s.problem('crypto-config: a Specs entry needs a Hostname'));
        continue;
      }
      peers.push({ hostname: h.text()!, origin: h.origin });
    }
    // cryptogen appends the templated nodes after the explicit Specs (renderOrgSpec).
    peers.push(...templated);
    if (peers.length === 0 && !specs) countOrigin = (template ?? o).origin;
    orgs.push({ name: name.text()!, domain: domain.text()!, peers, nameOrigin: name.origin, domainOrigin: domain.origin, countOrigin });
  }
  return orgs;
}
