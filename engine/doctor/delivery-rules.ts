/**
 * Rule group 4: where a peer's blocks come from. At channel join (gossip/service/gossip_service.go
 * InitializeChannel) a peer with useLeaderElection runs an election, one with orgLeader pulls from
 * the orderer, both panics, neither only waits for gossip. A block from the orderer is gossiped on
 * only when the receiving peer's peer.deliveryclient.blockGossipEnabled is true (core/deliverservice
 * gossip_block_handler.go; never on a BFT channel in v3), and only to peers of its own org
 * (CHAN_AND_ORG). Without state transfer (peer.gossip.state.enabled, off by default since v2.2) a
 * peer that is no leader and has no same-org peer gossiping blocks never gets one past its join.
 */
import type { Finding } from './finding.js';
import { replaceEdit, setKeyEdit } from './edits.js';
import { boolSetting, isKnown, type DoctorNetwork, type DoctorPeer } from './network-model.js';
import { keyAssignment, settingPlace } from './places.js';
import { orgOf } from './visibility.js';

const ELECTION = 'peer.gossip.useLeaderElection';
const ORG_LEADER = 'peer.gossip.orgLeader';
const BLOCK_GOSSIP = 'peer.deliveryclient.blockGossipEnabled';
const STATE = 'peer.gossip.state.enabled';

/** Fabric's defaults when a key is absent: plain viper.GetBool, except blockGossipEnabled (true when unset, core/deliverservice/config.go). */
const election = (p: DoctorPeer) => boolSetting(p, ELECTION, false);
const orgLeader = (p: DoctorPeer) => boolSetting(p, ORG_LEADER, false);
const blockGossip = (p: DoctorPeer) => boolSetting(p, BLOCK_GOSSIP, true);
const stateTransfer = (p: DoctorPeer) => boolSetting(p, STATE, false);

export function deliveryFindings(net: DoctorNetwork): Finding[] {
  const out: Finding[] = [];
  for (const p of net.peers) {
    const e = election(p);
    const l = orgLeader(p);
    if (e.value && l.value) out.push(bothLeaders(net, p, e.setting, l.setting));
    else if (!e.value && !l.value) {
      const f = noBlockSource(net, p);
      if (f) out.push(f);
    }
  }
  return out;
}

function bothLeaders(net: DoctorNetwork, p: DoctorPeer, e: ReturnType<typeof election>['setting'], l: ReturnType<typeof orgLeader>['setting']): Finding {
  // Point at the one of the two the peer's own configuration sets (the compose variable over core.yaml).
  const at = e?.from === 'environment' || l?.from !== 'environment' ? e : l;
  return {
    rule: 'leader-election-and-org-leader',
    severity: 'error',
    at: at?.origin ?? settingPlace(p, ELECTION),
    what: `${p.id} sets both peer.gossip.useLeaderElection and peer.gossip.orgLeader to true`,
    fabric: {
      log: "Setting both orgLeader and useLeaderElection to true isn't supported, aborting execution",
      effect: `${p.id} panics when it joins a channel, and again at every start once it has joined one`,
      source: 'gossip/service/gossip_service.go',
    },
    affected: [p.id],
    fix: `keep one: ${keyAssignment(p, ELECTION, 'false')} (every peer pulls from the orderer, Fabric's default since v2.2), or ${keyAssignment(p, ORG_LEADER, 'false')} to elect one leader per org`,
    edit: e ? replaceEdit(net, e, 'false', `Set useLeaderElection to false (${p.id} stays a static org leader)`) : undefined,
  };
}

function noBlockSource(net: DoctorNetwork, p: DoctorPeer): Finding | undefined {
  if (stateTransfer(p).value) return undefined; // anti-entropy fetches missing blocks from peers of the channel
  const org = orgOf(p);
  const channels = net.channels.filter((c) => c.orgs.includes(org));
  if (channels.length === 0) return undefined;
  const orgPeers = net.peers.filter((q) => q !== p && orgOf(q) === org);
  // Only what is known is said: a value no file here gives could make any peer a source.
  if (![ELECTION, ORG_LEADER, STATE].every((k) => isKnown(p, k))) return undefined;
  if (!orgPeers.every((q) => [ELECTION, ORG_LEADER, BLOCK_GOSSIP].every((k) => isKnown(q, k)))) return undefined;
  const sources = orgPeers.filter((q) => election(q).value !== orgLeader(q).value);
  const starved = channels.filter((c) => c.bft || !sources.some((q) => blockGossip(q).value));
  if (starved.length === 0) return undefined;
  const why =
    sources.length === 0
      ? `no peer of ${org} in these files pulls blocks from the orderer (orgLeader or useLeaderElection)`
      : starved.every((c) => c.bft)
        ? `its channel${starved.length > 1 ? 's are' : ' is'} BFT, where Fabric v3 never gossips blocks`
        : `the peers of ${org} that pull from the orderer (${sources.map((q) => q.id).join(', ')}) have peer.deliveryclient.blockGossipEnabled false, so they pass no block on`;
  return {
    rule: 'no-block-source',
    severity: 'error',
    at: settingPlace(p, ORG_LEADER, true),
    what: `${p.id} never receives a block past its join in ${starved.map((c) => c.profile).join(', ')}: it is no leader (useLeaderElection and orgLeader both false), ${why}, and state transfer is off`,
    fabric: {
      log: 'This peer is not configured to connect to ordering service for blocks delivery, channel <channel>',
      effect:
        sources.length > 0
          ? `${sources[0].id} logs "This peer will retrieve blocks from ordering service (will not disseminate them to other peers in the organization)" (core/deliverservice/deliveryclient.go); ${p.id}'s height stays where it joined`
          : `nothing sends ${p.id} blocks; its height stays where it joined`,
      source: 'gossip/service/gossip_service.go',
    },
    affected: [p.id],
    fix: `make ${p.id} pull from the orderer itself: ${keyAssignment(p, ORG_LEADER, 'true')} (what Fabric's own straggler warning advises), or turn on block gossip on a leader of ${org}, or state transfer (${STATE})`,
    edit: setKeyEdit(net, p, ORG_LEADER, 'true'),
  };
}
