/**
 * The run summary that `gossip-scope run --json` prints (DESIGN.md, "The headless CLI").
 */
import type { Simulation } from './simulation.js';
import type { ExpectationResult } from './expectations.js';
import type { PushStats } from './push-latency.js';

export interface PeerSummary {
  id: string;
  org: string;
  alive: boolean;
  height: Record<string, number>;
  leader: Record<string, boolean>;
  /** SHA-256 of the world state per channel. */
  worldState: Record<string, string>;
  membership: number;
  deadMembers: number;
}

export interface BlockSummary {
  channel: string;
  seq: number;
  cutAtMs: number;
  latencyMs: { min: number; median: number; max: number } | null;
  committedBy: number;
}

export interface RunSummary {
  scenario: string;
  seed: number;
  profile: string;
  simTimeMs: number;
  events: number;
  traceHash: string;
  peers: PeerSummary[];
  messages: {
    sent: Record<string, number>;
    delivered: Record<string, number>;
    dropped: Record<string, number>;
    dropReasons: Record<string, number>;
    rejected: Record<string, number>;
  };
  blocks: BlockSummary[];
  /** Push dissemination by first receipt: latency over every block and peer reached by push, and the fraction reached (simulator runs). */
  push?: PushStats;
  /** Messages sent per peer per simulated second, by type (and in total). */
  ratePerPeerPerSecond?: Record<string, number>;
  converged: boolean;
  /** Why not, when converged is false. */
  notConverged: string[];
  /** The scenario's expectations, when it has any (run with --check, or always when present). */
  expectations?: ExpectationResult[];
  /** With --check: the first invariant broken (the run stopped there), or null. */
  violation?: { invariant: string; detail: string; t: number; eventId: number; event: string } | null;
}

const sorted = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));

export function summarise(sim: Simulation): RunSummary {
  const peers: PeerSummary[] = sim.peers.map((p) => {
    const height: Record<string, number> = {};
    const leader: Record<string, boolean> = {};
    const worldState: Record<string, string> = {};
    for (const ch of p.channels) {
      height[ch] = p.ledgers.get(ch)?.height ?? 0;
      worldState[ch] = p.ledgers.get(ch)?.stateDigest() ?? '';
      leader[ch] = p.running && p.leaderOf.has(ch);
    }
    return {
      id: p.id,
      org: p.org.mspId,
      alive: p.running,
      height,
      leader,
      worldState,
      membership: p.running && p.node ? p.node.disc.getMembership().length : 0,
      deadMembers: p.running && p.node ? p.node.disc.deadLastTS.size : 0,
    };
  });

  const blocks: BlockSummary[] = [];
  for (const [channel, chain] of sim.orderer.chains) {
    const commits = sim.counters.commits.get(channel);
    for (const b of chain) {
      if (b.seq === 0) continue;
      const times = (commits?.get(b.seq) ?? []).map(([, t]) => t - b.cutAt).sort((x, y) => x - y);
      const r3 = (x: number) => Math.round(x * 1000) / 1000;
      blocks.push({
        channel,
        seq: b.seq,
        cutAtMs: b.cutAt,
        latencyMs: times.length === 0 ? null : { min: r3(times[0]), median: r3(times[Math.floor((times.length - 1) / 2)]), max: r3(times[times.length - 1]) },
        committedBy: times.length,
      });
    }
  }

  const notConverged = convergenceProblems(sim);
  const c = sim.counters;
  return {
    scenario: sim.scenario.name,
    seed: sim.scenario.seed,
    profile: sim.scenario.profile,
    simTimeMs: sim.kernel.now,
    events: sim.trace.count,
    traceHash: sim.trace.hash(),
    peers,
    messages: {
      sent: sorted(c.sent),
      delivered: sorted(c.delivered),
      dropped: sorted(c.dropped),
      dropReasons: sorted(c.dropReasons),
      rejected: sorted(c.rejected),
    },
    blocks,
    push: sim.push.stats(),
    ratePerPeerPerSecond: rates(c.sent, sim.peers.length, sim.kernel.now),
    converged: notConverged.length === 0,
    notConverged,
  };
}

function rates(sent: Record<string, number>, peers: number, simMs: number): Record<string, number> {
  const per = (n: number) => (peers === 0 || simMs === 0 ? 0 : Math.round((n / peers / (simMs / 1000)) * 1000) / 1000);
  const out: Record<string, number> = {};
  let total = 0;
  for (const [type, n] of Object.entries(sorted(sent))) {
    out[type] = per(n);
    total += n;
  }
  out.total = per(total);
  return out;
}

/**
 * Converged: every live peer has every block cut on each of its channels, and sees as alive
 * exactly the live peers the disclosure policy lets it see: its own org, and the peers of other
 * orgs it shares a channel with, when both publish an external endpoint and one of the two orgs
 * has anchor peers (without them, orgs never meet).
 */
export function convergenceProblems(sim: Simulation): string[] {
  const problems: string[] = [];
  const live = sim.peers.filter((p) => p.running);
  for (const p of live) {
    for (const ch of p.channels) {
      const want = sim.orderer.chains.get(ch)!.length;
      const have = p.ledgers.get(ch)?.height ?? 0;
      if (have < want) problems.push(`${p.id} is at height ${have} of ${want} on ${ch}`);
    }
    const sees = new Set(p.node!.disc.getMembership().map((m) => m.idx));
    for (const q of live) {
      if (q === p) continue;
      const sameOrg = q.org.mspId === p.org.mspId;
      // Orgs find each other only through anchor peers of a channel they share.
      const meet = q.channels.some((c) => p.channels.includes(c)) && (p.org.anchorPeers.length > 0 || q.org.anchorPeers.length > 0);
      const visible = sameOrg || (meet && q.endpoint !== '' && p.endpoint !== '');
      if (visible && !sees.has(q.idx)) problems.push(`${p.id} does not see ${q.id} alive`);
      if (!visible && sees.has(q.idx)) problems.push(`${p.id} sees ${q.id}, which the disclosure policy hides`);
    }
    for (const i of sees) if (!sim.peers[i]?.running) problems.push(`${p.id} still sees ${sim.peers[i]?.id ?? i} alive`);
  }
  return problems;
}
