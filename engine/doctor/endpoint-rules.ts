/**
 * Rule group 2: a peer's own endpoints. Without peer.gossip.externalEndpoint Fabric's disclosure
 * policy never tells another org about the peer (gossip/gossip/gossip_impl.go), so it is invisible
 * to other orgs and to what service discovery answers them. An endpoint whose host is the peer's
 * own container but whose port is not the one it listens on reaches nothing.
 */
import type { Finding } from './finding.js';
import { isWildcard } from './endpoints.js';
import { setKeyEdit, replaceEdit } from './edits.js';
import { isKnown, type DoctorNetwork, type DoctorPeer, type Endpoint } from './network-model.js';
import { keyAssignment, portPlace, settingPlace } from './places.js';
import { orgOf, type Visibility } from './visibility.js';

const EXTERNAL = 'peer.gossip.externalEndpoint';

/** What the external endpoint should most likely be: the peer's address, as fabric-samples set it. */
export function suggestedExternal(p: DoctorPeer): string {
  const loopback = (h: string) => isWildcard(h) || h === '127.0.0.1' || h === 'localhost';
  if (p.address && !loopback(p.address.host)) return p.address.text;
  return `${p.names[0] ?? p.id}:${p.listenPort ?? 7051}`;
}

export function endpointFindings(net: DoctorNetwork, vis: Visibility | undefined): Finding[] {
  const out: Finding[] = [];
  net.peers.forEach((p, i) => {
    if (!p.external && isKnown(p, EXTERNAL)) out.push(externalMissing(net, vis, p, i));
    out.push(...ownPortMismatches(net, p));
  });
  return out;
}

function externalMissing(net: DoctorNetwork, vis: Visibility | undefined, p: DoctorPeer, i: number): Finding {
  const org = orgOf(p);
  const partners = [...new Set(net.channels.filter((c) => c.orgs.includes(org)).flatMap((c) => c.orgs))].filter((o) => o !== org);
  const blind = vis ? vis.peers.filter((_, r) => vis.orgs[r] !== org && !vis.sees[r][i]) : [];
  const value = suggestedExternal(p);
  const set = p.settings.get(EXTERNAL);
  const written =
    set?.from === 'environment'
      ? 'CORE_PEER_GOSSIP_EXTERNALENDPOINT is empty'
      : set
        ? `peer.gossip.externalEndpoint is empty in ${set.origin.file}${p.compose ? ` and service ${p.compose.service} does not set CORE_PEER_GOSSIP_EXTERNALENDPOINT` : ''}`
        : `peer.gossip.externalEndpoint is not set${p.compose ? ` (no CORE_PEER_GOSSIP_EXTERNALENDPOINT in service ${p.compose.service})` : ''}`;
  return {
    rule: 'external-endpoint-missing',
    severity: partners.length > 0 ? 'error' : 'warning',
    at: settingPlace(p, EXTERNAL, true),
    what: `${p.id} has no external endpoint (${written}): ${partners.length > 0 ? `no peer tells ${partners.join(', ')} of it` : 'no other org shares a channel with it now, but none would be told of it'}${blind.length > 0 ? ` (${blind.join(', ')} never learn${blind.length === 1 ? 's' : ''} it)` : ''}`,
    fabric: {
      log: 'External endpoint is empty, peer will not be accessible outside of its organization',
      effect: `Fabric's disclosure policy passes a peer's alive messages to another org only when the peer has an external endpoint, so peers of other orgs learn ${p.id} only from its own membership requests, with no endpoint to give their clients; it also skips other orgs' anchor peers ("isn't in our org(...) and we have no external endpoint, skipping")`,
      source: 'gossip/gossip/gossip_impl.go',
    },
    affected: [p.id, ...(blind.length > 0 ? blind : partners)],
    fix: `set ${keyAssignment(p, EXTERNAL, value)} (host:port that peers of other orgs can dial)`,
    edit: setKeyEdit(net, p, EXTERNAL, value),
  };
}

/** peer.address, peer.gossip.endpoint and externalEndpoint naming the peer's own container at another port than it listens on. */
function ownPortMismatches(net: DoctorNetwork, p: DoctorPeer): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const own: [string, Endpoint | undefined][] = [
    ['peer.address', p.address],
    ['peer.gossip.endpoint', p.settings.get('peer.gossip.endpoint')?.text ? p.internal : undefined],
    [EXTERNAL, p.external],
  ];
  for (const [key, ep] of own) {
    if (!ep || p.listenPort === undefined || seen.has(`${ep.origin.file}:${ep.origin.line}:${ep.origin.col}`)) continue;
    seen.add(`${ep.origin.file}:${ep.origin.line}:${ep.origin.col}`);
    if (!p.names.some((n) => n.toLowerCase() === ep.host.toLowerCase()) || ep.port === p.listenPort) continue;
    const listen = p.listenFrom;
    const port = portPlace(ep);
    out.push({
      rule: 'endpoint-port-mismatch',
      severity: 'error',
      at: port,
      what: `${key} of ${p.id} is ${ep.text}, but ${p.id} listens on port ${p.listenPort}${listen ? ` (${listen.key} ${listen.text})` : ''}: nothing answers at ${ep.host}:${ep.port} on the compose network`,
      fabric: {
        log: 'Could not connect to {...} : ... (repeated every reconnectInterval, up to maxConnectionAttempts)',
        effect: `peers that dial ${ep.text} (${key === EXTERNAL ? 'other orgs' : 'its own org'}) fail to connect and keep retrying`,
        source: 'gossip/discovery/discovery_impl.go',
      },
      affected: [p.id],
      fix: `write port ${p.listenPort} in ${key} (${ep.host}:${p.listenPort}), or change ${listen?.key ?? 'peer.listenAddress'} to listen on ${ep.port}`,
      edit: replaceEdit(net, { origin: port, text: String(ep.port) }, String(p.listenPort), `Use port ${p.listenPort} (the one ${p.id} listens on)`),
    });
  }
  return out;
}
