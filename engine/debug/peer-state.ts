/**
 * One peer's state as a tree of plain values: what the debugger's Variables view and the
 * `state(peer)` query show. Read-only; built on demand when the user looks.
 */
import { transactionsOf, type Ledger } from '../fabric/ledger.js';
import type { Simulation } from '../sim/simulation.js';
import { describePeer } from '../ui/inspect.js';
import type { Value } from './queries.js';
import { peerConfig } from '../scenario/peer-config.js';

export function peerStateTree(sim: Simulation, idx: number): { [k: string]: Value } {
  const p = sim.peers[idx];
  const detail = describePeer(sim, idx)!;
  const node = p.running ? p.node : undefined;
  const channels: { [k: string]: Value } = {};
  for (const ch of detail.channels) {
    const election = node?.elections.get(ch.name);
    const channel = node?.channels.get(ch.name);
    const pvt = node?.privdata.get(ch.name);
    const state = node?.states.get(ch.name);
    const ledger = p.ledgers.get(ch.name);
    channels[ch.name] = {
      height: ch.height,
      leader: ch.leader,
      ledger: ledger ? ledgerView(ledger) : null,
      election: election ? election.view() : peerConfig(sim.scenario, p.id).gossip.useLeaderElection ? null : p.leaderOf.has(ch.name) ? 'static leader (orgLeader)' : 'static follower',
      bufferedBlocks: state ? state.bufferedSeqs() : [],
      stateInfo: Object.fromEntries(ch.stateInfo.map((s) => [s.id, s.height])),
      blockPull: channel ? channel.puller.view() : null,
      privateData: pvt
        ? { transient: [...pvt.transient.keys()], committed: [...pvt.committed.keys()], missing: [...pvt.missing.keys()] }
        : null,
      worldState: Object.fromEntries(ch.worldState.map((w) => [w.key, w.value])),
    };
  }
  return {
    id: p.id,
    org: p.org.mspId,
    running: p.running,
    paused: p.rt.isPaused(),
    endpoint: p.endpoint || '(none: invisible to other orgs)',
    internalEndpoint: p.internalEndpoint,
    pkiId: detail.pkiId,
    membership: {
      alive: Object.fromEntries(detail.membership.alive.map((a) => [a.id, `last seen ${a.lastSeen} ms`])),
      dead: Object.fromEntries(detail.membership.dead.map((a) => [a.id, `last seen ${a.lastSeen} ms`])),
    },
    // Who holds this peer dead, and since when (the other side of `membership.dead`).
    ...(detail.declaredDead === undefined ? {} : { declaredDeadBy: Object.fromEntries(detail.declaredDead.by.map((b) => [b.id, `at ${b.at} ms`])) }),
    // Connections are kept by member id; the user sees the peer's name, or its PKI-ID.
    connections: node ? node.comm.connectedPeers().map((id) => node.env.members.hex(id)).map((k) => sim.peers.find((q) => q.identity && hexOf(q.identity.pkiId) === k)?.id ?? k.slice(0, 16)) : [],
    channels,
  };
}

/** The newest blocks of a ledger: number, transactions, the keys they wrote; and its state digest. */
function ledgerView(ledger: Ledger): { [k: string]: Value } {
  const newest = [...ledger.blocks.keys()].sort((a, b) => b - a).slice(0, 10);
  const blocks: { [k: string]: Value } = {};
  for (const seq of newest) {
    const txs = transactionsOf(ledger.blocks.get(seq)!);
    blocks[`block ${seq}`] = { transactions: txs.length, writes: txs.flatMap((t) => t.writes.map(([k]) => k)).slice(0, 20), private: txs.flatMap((t) => t.pvt.map((r) => r.collection)) };
  }
  return { height: ledger.height, stateDigest: ledger.stateDigest().slice(0, 16), newestBlocks: blocks };
}

function hexOf(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
