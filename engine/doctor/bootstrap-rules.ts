/**
 * Rule group 3: peer.gossip.bootstrap. Fabric dials each entry at start (gossip_impl.go
 * connect2BootstrapPeers): its own endpoint is skipped ("Skipping connecting to myself",
 * discovery_impl.go), a peer of another org is refused ("%s isn't in our organization, cannot be a
 * bootstrap peer"), and an endpoint where nothing answers is retried and logged ("Could not connect to").
 */
import type { Finding } from './finding.js';
import { reach, isOwnEndpoint } from './endpoints.js';
import { replaceEdit } from './edits.js';
import { isKnown, type BootstrapEntry, type DoctorNetwork, type DoctorPeer } from './network-model.js';
import { keyAssignment, keyName, portPlace } from './places.js';
import { orgOf } from './visibility.js';

const KEY = 'peer.gossip.bootstrap';
const SOURCE = 'gossip/gossip/gossip_impl.go';

export function bootstrapFindings(net: DoctorNetwork): Finding[] {
  return net.peers.flatMap((p) => peerFindings(net, p));
}

function peerFindings(net: DoctorNetwork, p: DoctorPeer): Finding[] {
  const out: Finding[] = [];
  const org = orgOf(p);
  const orgPeers = net.peers.filter((q) => q !== p && orgOf(q) === org);
  const selfEntries: BootstrapEntry[] = [];
  let reachesOrg = false;
  for (const b of p.bootstrap) {
    const ep = b.endpoint;
    if (!ep) {
      out.push(unknown(p, b, `'${b.text}' is not host:port${b.text.includes(',') ? ' (viper splits peer.gossip.bootstrap on spaces, not commas)' : ''}`));
      continue;
    }
    const r = isOwnEndpoint(p, ep.text) ? { peer: p, portOk: true } : reach(net, ep);
    if (!r) {
      out.push(unknown(p, b, `${ep.text} is no peer of these files (hosts: ${net.peers.flatMap((q) => q.names.length > 0 ? q.names.slice(0, 1) : [q.internal?.host ?? q.id]).join(', ')})`));
      continue;
    }
    if (!r.portOk) {
      const at = portPlace(ep);
      out.push({
        rule: 'endpoint-port-mismatch',
        severity: 'error',
        at,
        what: `bootstrap entry ${ep.text} of ${p.id} names ${r.peer.id}, which listens on port ${r.expectedPort}${r.peer.listenFrom ? ` (${r.peer.listenFrom.key} ${r.peer.listenFrom.text})` : ''}, not ${ep.port}`,
        fabric: { log: 'Could not connect to {...} : ... context deadline exceeded', effect: `${p.id} never reaches ${r.peer.id} through this entry and retries it every reconnectInterval`, source: 'gossip/discovery/discovery_impl.go' },
        affected: [p.id],
        fix: `write ${ep.host}:${r.expectedPort} in ${keyName(p, KEY)}`,
        edit: replaceEdit(net, { origin: at, text: String(ep.port) }, String(r.expectedPort), `Use port ${r.expectedPort} (the one ${r.peer.id} listens on)`),
      });
      continue;
    }
    if (r.peer === p) {
      selfEntries.push(b);
      continue;
    }
    if (orgOf(r.peer) !== org) {
      out.push({
        rule: 'bootstrap-other-org',
        severity: 'error',
        at: b.origin,
        what: `bootstrap entry ${ep.text} of ${p.id} (${org}) is ${r.peer.id} of ${orgOf(r.peer)}: a bootstrap peer must be of the peer's own org`,
        fabric: {
          log: `Could not connect to {...} : ${ep.text} isn't in our organization, cannot be a bootstrap peer`,
          effect: `${p.id} refuses the peer after the handshake and retries it every reconnectInterval, up to maxConnectionAttempts times; it learns nothing through this entry`,
          source: SOURCE,
        },
        affected: [p.id],
        fix: orgPeers.length > 0 ? `name a peer of ${org} instead, e.g. ${keyAssignment(p, KEY, orgPeers[0].internal?.text ?? orgPeers[0].id)}; other orgs are met through the channel's anchor peers` : `remove it: ${p.id} is the only peer of ${org} here, and other orgs are met through the channel's anchor peers`,
        edit: orgPeers[0]?.internal ? replaceEdit(net, { origin: b.origin, text: b.text }, orgPeers[0].internal.text, `Bootstrap from ${orgPeers[0].id} (${org})`) : undefined,
      });
      continue;
    }
    reachesOrg = true;
  }
  // Naming itself is harmless (Fabric skips it) unless the org has peers it then never meets:
  // none it dials, and none that dials it.
  const dialedBy = orgPeers.some((q) => q.bootstrap.some((b) => b.endpoint && !isOwnEndpoint(q, b.text) && reach(net, b.endpoint)?.peer === p));
  const othersKnown = orgPeers.every((q) => isKnown(q, KEY));
  if (selfEntries.length > 0 && !reachesOrg && !dialedBy && othersKnown && orgPeers.length > 0) {
    const other = orgPeers[0];
    const target = other.internal?.text ?? other.id;
    const b = selfEntries[0];
    out.push({
      rule: 'bootstrap-self',
      severity: 'warning',
      at: b.origin,
      what: `bootstrap entry ${b.text} of ${p.id} is ${p.id} itself, and it names no other peer of ${org} (${orgPeers.map((q) => q.id).join(', ')}), and none of them names it`,
      fabric: {
        log: 'Skipping connecting to myself',
        effect: `${p.id} dials no peer at start: it learns its org only when another peer dials it, or when it joins a channel and dials the anchor peers`,
        source: 'gossip/discovery/discovery_impl.go',
      },
      affected: [p.id],
      fix: `bootstrap from another peer of ${org}: ${keyAssignment(p, KEY, target)}`,
      edit: p.bootstrap.length === 1 ? replaceEdit(net, { origin: b.origin, text: b.text }, target, `Bootstrap from ${other.id}`) : undefined,
    });
  }
  return out;
}

function unknown(p: DoctorPeer, b: BootstrapEntry, why: string): Finding {
  return {
    rule: 'bootstrap-unknown',
    severity: 'warning',
    at: b.origin,
    what: `bootstrap entry of ${p.id}: ${why}`,
    fabric: { log: 'Could not connect to {...} : ...', effect: `${p.id} retries the entry every reconnectInterval, up to maxConnectionAttempts (120) times, and learns nothing through it`, source: 'gossip/discovery/discovery_impl.go' },
    affected: [p.id],
    fix: `name a peer of ${orgOf(p)} by its peer.address (host:port) in ${keyName(p, KEY)}`,
  };
}
