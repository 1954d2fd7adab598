/**
 * Rule group 1: the channel orgs' anchor peers (configtx.yaml AnchorPeers). They are how peers
 * of one org first meet another org's (gossip_impl.go learnAnchorPeers). An org's anchors are
 * checked only when the files configure at least one of its peers: otherwise who it is is unknown.
 */
import type { AnchorPeer } from '../import/configtx.js';
import type { Finding, Severity } from './finding.js';
import { reach } from './endpoints.js';
import { replaceEdit } from './edits.js';
import { parseEndpoint, type DoctorNetwork, type DoctorOrg, type DoctorPeer } from './network-model.js';
import { portPlace } from './places.js';
import { suggestedExternal } from './endpoint-rules.js';
import { orgOf, type Visibility } from './visibility.js';

const SOURCE = 'gossip/gossip/gossip_impl.go';

export function anchorFindings(net: DoctorNetwork, vis: Visibility | undefined): Finding[] {
  const out: Finding[] = [];
  for (const org of net.orgs) {
    const channels = net.channels.filter((c) => c.orgs.includes(org.mspId));
    if (channels.length === 0) continue;
    const peers = net.peers.filter((p) => p.mspId === org.mspId);
    if (peers.length === 0) {
      net.notes.push(`${org.mspId}: no peer of this org is configured in these files, so its anchor peers are not checked`);
      continue;
    }
    const others = [...new Set(channels.flatMap((c) => c.orgs))].filter((o) => o !== org.mspId);
    const severity = unseen(net, vis, org, others).length > 0 ? 'error' : 'warning';
    const names = channels.map((c) => c.profile).join(', ');
    // configtx.yaml's AnchorPeers only seed a new channel; fabric-samples' test network adds them
    // later by a channel config update (setAnchorPeer.sh) that no file here shows: a warning.
    if (org.anchors.length === 0) out.push(missing(net, org, peers, others, names, 'warning', vis));
    for (const a of org.anchors) {
      const f = checkAnchor(net, org, a, names, severity, others);
      if (f) out.push(f);
    }
  }
  return out;
}

/** Peers of the other orgs that never see any peer of this org that has an external endpoint. */
function unseen(net: DoctorNetwork, vis: Visibility | undefined, org: DoctorOrg, others: string[]): string[] {
  if (!vis) return [];
  const mine = net.peers.map((p, i) => (p.mspId === org.mspId && p.external ? i : -1)).filter((i) => i >= 0);
  if (mine.length === 0) return [];
  return vis.peers.filter((_, r) => others.includes(vis.orgs[r]) && mine.some((x) => !vis.sees[r][x]));
}

function missing(net: DoctorNetwork, org: DoctorOrg, peers: DoctorPeer[], others: string[], channels: string, severity: Severity, vis: Visibility | undefined): Finding {
  const blind = unseen(net, vis, org, others);
  const anchor = peers.find((p) => p.external) ?? peers[0];
  const ep = anchor.external?.text ?? suggestedExternal(anchor);
  const [host, port] = [ep.slice(0, ep.lastIndexOf(':')), ep.slice(ep.lastIndexOf(':') + 1)];
  return {
    rule: 'anchor-missing',
    severity,
    at: org.at,
    what: `${org.mspId} has no anchor peer (configtx.yaml AnchorPeers) in ${channels}: ${others.length > 0 ? `${others.join(', ')} never dial${others.length === 1 ? 's' : ''} its peers, ${blind.length > 0 ? `and ${blind.join(', ')} never meet${blind.length === 1 ? 's' : ''} them` : `and meet them only when ${org.mspId}'s peers dial their anchors`}` : 'no other org would find it'}, unless anchor peers were added to the channel since by a config update`,
    fabric: {
      log: `No configured anchor peers of ${org.mspId} for channel <channel> to learn about`,
      effect: `peers of the other orgs have no endpoint of ${org.mspId} to dial; they learn its peers only if those dial them first (through their anchor peers)`,
      source: SOURCE,
    },
    affected: blind.length > 0 ? blind : [org.mspId],
    fix: `add AnchorPeers (Host: ${host}, Port: ${port}) under ${org.name} in configtx.yaml; on a channel that exists already, add it with a channel config update (as fabric-samples' setAnchorPeer.sh does)`,
    edit: anchorsEdit(net, org, host, port),
  };
}

/** AnchorPeers inserted right after the org's ID line, at ID's indentation. */
function anchorsEdit(net: DoctorNetwork, org: DoctorOrg, host: string, port: string): Finding['edit'] {
  const line = net.texts.get(org.at.file)?.split('\n')[org.at.line - 1];
  const m = line === undefined ? null : /^(\s*)ID\s*:/.exec(line);
  if (!m) return undefined;
  const ind = m[1];
  return { title: `Add ${host}:${port} as ${org.mspId}'s anchor peer`, file: org.at.file, line: org.at.line + 1, col: 1, length: 0, text: `${ind}AnchorPeers:\n${ind}    - Host: ${host}\n${ind}      Port: ${port}\n` };
}

function checkAnchor(net: DoctorNetwork, org: DoctorOrg, a: AnchorPeer, channels: string, severity: Severity, others: string[]): Finding | undefined {
  const ep = parseEndpoint(`${a.host}:${a.port}`, a.origin);
  const base = { affected: others.length > 0 ? others : [org.mspId] };
  const deepProbe = { log: `Deep probe of ${a.host}:${a.port} for channel <channel> failed: ...`, source: SOURCE };
  if (!ep) {
    return { ...base, rule: 'anchor-not-a-peer', severity: 'error', at: a.portOrigin ?? a.origin, what: `anchor peer ${a.host}:${a.port} of ${org.mspId} has no valid port`, fabric: { log: `Got invalid port (0) for channel <channel>, skipping connecting to anchor peer`, effect: 'every peer skips it', source: SOURCE }, fix: `Port: the port ${a.host} listens on` };
  }
  const r = reach(net, ep);
  if (!r) {
    const known = net.peers.filter((p) => p.mspId === org.mspId).map((p) => p.external?.text ?? p.id);
    return {
      ...base,
      rule: 'anchor-not-a-peer',
      severity,
      at: a.origin,
      what: `anchor peer ${ep.text} of ${org.mspId} is no peer's endpoint in these files (${org.mspId}'s peers: ${known.join(', ')})`,
      fabric: { ...deepProbe, effect: `peers of the other orgs dial ${ep.text} in vain, log "Could not connect to", and retry it every reconnectInterval` },
      fix: `Host and Port of a peer of ${org.mspId} as its external endpoint says, e.g. ${known[0]}`,
    };
  }
  if (r.peer.mspId !== org.mspId) {
    return {
      ...base,
      affected: [org.mspId, ...others],
      rule: 'anchor-other-org',
      severity: 'error',
      at: a.origin,
      what: `anchor peer ${ep.text} is listed under ${org.mspId}, but it is ${r.peer.id} of ${orgOf(r.peer)}`,
      fabric: {
        log: `Anchor peer ${ep.text} for channel <channel> isn't in our org, but is claimed to be`,
        effect: `${org.mspId}'s own peers refuse it after the deep probe; other orgs dial it and meet ${orgOf(r.peer)}, not ${org.mspId}`,
        source: SOURCE,
      },
      fix: `list a peer of ${org.mspId} under ${org.name}'s AnchorPeers (and ${r.peer.id} under ${orgOf(r.peer)}'s, if it is meant as one)`,
    };
  }
  if (!r.portOk) {
    const at = a.portOrigin ?? portPlace(ep);
    return {
      ...base,
      rule: 'endpoint-port-mismatch',
      severity: 'error',
      at,
      what: `anchor peer ${ep.text} of ${org.mspId} names ${r.peer.id}, which listens on port ${r.expectedPort}, not ${ep.port}`,
      fabric: { ...deepProbe, effect: `peers of the other orgs never reach ${r.peer.id} through it` },
      fix: `Port: ${r.expectedPort}`,
      edit: a.portOrigin ? replaceEdit(net, { origin: a.portOrigin, text: a.port }, String(r.expectedPort), `Use port ${r.expectedPort} (the one ${r.peer.id} listens on)`) : undefined,
    };
  }
  if (!r.peer.external) {
    const rest = net.peers.filter((p) => p.mspId === org.mspId && p !== r.peer);
    return {
      ...base,
      rule: 'anchor-not-a-peer',
      // Alone in its org, there is no one else it could tell of (the peer's own finding is the error).
      severity: rest.length > 0 ? 'error' : 'warning',
      at: a.origin,
      what: `anchor peer ${ep.text} of ${org.mspId} is ${r.peer.id}, which has no external endpoint: it tells other orgs of no peer of ${org.mspId}${rest.length > 0 ? ` (${rest.map((p) => p.id).join(', ')})` : ''}`,
      fabric: {
        log: `Got a membership request from a peer that shouldn't have sent one: ..., closing connection to the peer as a result.`,
        effect: `peers of other orgs reach ${r.peer.id}, but its disclosure policy discloses no peer of ${org.mspId} to them, itself included`,
        source: 'gossip/discovery/discovery_impl.go',
      },
      fix: `set ${r.peer.id}'s external endpoint (CORE_PEER_GOSSIP_EXTERNALENDPOINT=${suggestedExternal(r.peer)}), or name a peer that has one`,
    };
  }
  return undefined;
}
