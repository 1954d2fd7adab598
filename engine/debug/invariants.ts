/**
 * Invariants: properties that must hold at every event of a run. Four are built in (Fabric's
 * safety properties as a gossip network must keep them); the scenario adds its own in the
 * query language (`invariants:`). A watch lives with one network from its first event, so
 * every rebuilt or spare network carries the same history and finds the same violations at
 * the same events; the debugger stops at one like at a breakpoint, `run --check` fails on one.
 */
import { createHash } from 'node:crypto';
import type { Invariant } from '../scenario/types.js';
import type { Simulation } from '../sim/simulation.js';
import type { TraceEvent } from '../trace/events.js';
import { ExprError, parseExpr, staticProblems, type Expr } from './expr.js';
import { eventLabel } from './frames.js';
import { evaluate, FUNCTIONS, truthy, VARIABLES } from './queries.js';

export interface Violation {
  /** The invariant's name: a built-in one's, or the scenario's `name:` (its query otherwise). */
  invariant: string;
  /** What broke it, in words. */
  detail: string;
  /** The event that broke it (the last event of the step, for a query). */
  event: TraceEvent;
}

/** The built-in invariants, with what each means (README, hover). */
export const BUILT_IN_INVARIANTS = {
  'private data stays in its collection': "no peer holds a private write set of a collection its org is not a member of",
  'same height, same ledger': 'peers at the same height on a channel hold the same block hashes and the same world-state digest',
  'no unverified commit': 'a peer commits only blocks it verified (or took from the orderer as a deliver client)',
  'one leader per org': 'with leader election, two leaders of an org that see each other alive and are not partitioned apart step down to one within leaderAliveThreshold + publishStateInfoInterval',
} as const;

/** State events after which the leaders of an org are looked at again. */
const LEADER_EVENTS = new Set(['leader', 'deliver', 'alive', 'dead', 'removed', 'crashed', 'started', 'paused', 'resumed']);

interface UserInvariant {
  name: string;
  expr: Expr;
  /** Whether it held after the previous step: a violation is reported when it stops holding. */
  held: boolean;
}

export class InvariantWatch {
  /** Violations found and not yet taken (by `take`). */
  private found: Violation[] = [];
  private readonly user: UserInvariant[];
  /** `channel/height` → the first ledger seen there. */
  private readonly ledgers = new Map<string, { peer: number; block: string; digest: string }>();
  /** `peer/block` verified as valid at that peer. */
  private readonly verified = new Set<string>();
  /** `org/channel` → since when two leaders of it could hear each other, and whether reported. */
  private readonly coLeaders = new Map<string, { since: number; pair: [number, number]; reported: boolean }>();
  private readonly leaderBound: number;
  private readonly unlisten: () => void;

  constructor(
    private readonly sim: Simulation,
    invariants: readonly Invariant[] = sim.scenario.invariants,
  ) {
    this.user = invariants.map((i) => ({ name: i.name, expr: parseExpr(i.holds), held: true }));
    const g = sim.scenario.config.gossip;
    this.leaderBound = g.election.leaderAliveThreshold + g.publishStateInfoInterval;
    const unlisten = sim.trace.listen((ev) => this.onEvent(ev));
    // A deliver client takes the orderer's blocks as its own (the orderer signed them).
    const fromOrderer = (peer: number, _channel: string, seq: number) => this.verified.add(`${peer}/${seq}`);
    sim.orderer.deliveries.push(fromOrderer);
    this.unlisten = () => {
      unlisten();
      const i = sim.orderer.deliveries.indexOf(fromOrderer);
      if (i >= 0) sim.orderer.deliveries.splice(i, 1);
    };
  }

  dispose(): void {
    this.unlisten();
  }

  /**
   * Adds a query invariant to a running watch (the panel's Add Invariant…). It breaks when it
   * goes from holding to not holding; one false now, or that cannot be evaluated yet (a field of
   * a peer not started), is watched from when it first holds. Throws what the query gets wrong
   * before any run (syntax, unknown names, as the loader checks a scenario's); returns whether it
   * holds now.
   */
  add(invariant: Invariant): { holdsNow: boolean } {
    const sim = this.sim;
    const known = {
      functions: Object.keys(FUNCTIONS),
      variables: Object.keys(VARIABLES),
      names: [...sim.peers.map((p) => p.id), ...sim.scenario.channels.map((c) => c.name), ...sim.scenario.orgs.flatMap((o) => [o.mspId, o.name])],
    };
    const problems = staticProblems(invariant.holds, known);
    if (problems.length > 0) throw new ExprError(problems.map((e) => e.message).join('; '), problems[0].offset);
    const expr = parseExpr(invariant.holds);
    let holdsNow = false;
    try {
      holdsNow = truthy(evaluate(expr, { sim, event: sim.trace.byId(sim.trace.count) }));
    } catch {
      // Not evaluable yet (no event so far, a peer not started): it holds once it evaluates true.
    }
    this.user.push({ name: invariant.name, expr, held: holdsNow });
    return { holdsNow };
  }

  /** The violations found since the last call, oldest first. */
  take(): Violation[] {
    const out = this.found;
    this.found = [];
    return out;
  }

  /** Whether a violation is waiting to be taken. */
  get broken(): boolean {
    return this.found.length > 0;
  }

  /** Looks at the scenario's invariants after an event: one that stopped holding broke there. */
  private checkQueries(ev: TraceEvent): void {
    for (const u of this.user) {
      let holds: boolean;
      let why = '';
      try {
        holds = truthy(evaluate(u.expr, { sim: this.sim, event: ev }));
      } catch (err) {
        holds = false;
        why = `: cannot be evaluated (${(err as Error).message})`;
      }
      if (!holds && u.held) this.found.push({ invariant: u.name, detail: `no longer holds${why}`, event: ev });
      u.held = holds;
    }
  }

  private onEvent(ev: TraceEvent): void {
    if (ev.kind === 'verify') {
      if (ev.reason === 'valid' && typeof ev.data?.block === 'number') this.verified.add(`${ev.peer}/${ev.data.block}`);
    } else if (ev.kind === 'state' && ev.peer >= 0) {
      if (ev.reason === 'commit') this.onCommit(ev);
      else if (ev.reason === 'transientStore') this.checkPrivate(ev, String(ev.data?.channel), String(ev.data?.collection));
      if (LEADER_EVENTS.has(ev.reason ?? '')) this.lookAtLeaders(ev.t);
    } else if (ev.kind === 'fault') this.lookAtLeaders(ev.t);
    if (this.coLeaders.size > 0) this.checkLeaderTime(ev);
    if (this.user.length > 0) this.checkQueries(ev);
  }

  private report(invariant: keyof typeof BUILT_IN_INVARIANTS, detail: string, event: TraceEvent): void {
    this.found.push({ invariant, detail, event });
  }

  private name(idx: number): string {
    return this.sim.peers[idx]?.id ?? `#${idx}`;
  }

  private checkPrivate(ev: TraceEvent, channel: string, collection: string): void {
    const p = this.sim.peers[ev.peer];
    const col = this.sim.scenario.channels.find((c) => c.name === channel)?.collections.find((c) => c.name === collection);
    if (col !== undefined && !col.memberOrgs.includes(p.org.mspId)) {
      this.report('private data stays in its collection', `${p.id} (${p.org.mspId}) holds private data of collection ${collection}, whose members are ${col.memberOrgs.join(', ')}`, ev);
    }
  }

  private onCommit(ev: TraceEvent): void {
    const p = this.sim.peers[ev.peer];
    const channel = String(ev.data?.channel);
    const block = Number(ev.data?.block);
    if (!this.verified.has(`${ev.peer}/${block}`)) {
      this.report('no unverified commit', `${p.id} committed block ${block} on ${channel} without verifying it`, ev);
    }
    // Private data it committed with the block.
    const pvt = p.node?.privdata.get(channel);
    if (pvt !== undefined) for (const k of pvt.committed.keys()) this.checkPrivate(ev, channel, k.slice(k.indexOf('/') + 1));
    const ledger = p.ledgers.get(channel);
    if (ledger === undefined) return;
    const bytes = ledger.blocks.get(block);
    const here = { peer: ev.peer, block: bytes === undefined ? '' : createHash('sha256').update(bytes).digest('hex'), digest: ledger.stateDigest() };
    const key = `${channel}/${ledger.height}`;
    const first = this.ledgers.get(key);
    if (first === undefined) this.ledgers.set(key, here);
    else if (first.block !== here.block || first.digest !== here.digest) {
      const what = first.block !== here.block ? `block ${block} (hash ${here.block.slice(0, 12)} vs ${first.block.slice(0, 12)})` : `world state (digest ${here.digest.slice(0, 12)} vs ${first.digest.slice(0, 12)})`;
      this.report('same height, same ledger', `${p.id} and ${this.name(first.peer)} are both at height ${ledger.height} on ${channel} with a different ${what}`, ev);
    }
  }

  /** Two leaders of one org that can hear each other: since when (Fabric's election resolves it). */
  private lookAtLeaders(now: number): void {
    const sim = this.sim;
    if (!sim.scenario.config.gossip.useLeaderElection) return;
    for (const ch of sim.scenario.channels) {
      for (const org of sim.scenario.orgs) {
        if (!ch.orgs.includes(org.mspId)) continue;
        const key = `${org.mspId}/${ch.name}`;
        const leaders = sim.peers.filter((p) => p.org === org && p.running && !p.rt.isPaused() && p.leaderOf.has(ch.name));
        let pair: [number, number] | undefined;
        for (let i = 0; i < leaders.length && pair === undefined; i++) {
          for (let j = i + 1; j < leaders.length; j++) {
            const a = leaders[i];
            const b = leaders[j];
            if (sim.network.partitioned(a.idx, b.idx)) continue;
            if (a.node?.disc.isAlive(sim.members.idOf(b.identity.pkiId)) && b.node?.disc.isAlive(sim.members.idOf(a.identity.pkiId))) {
              pair = [a.idx, b.idx];
              break;
            }
          }
        }
        if (pair === undefined) this.coLeaders.delete(key);
        else if (!this.coLeaders.has(key)) this.coLeaders.set(key, { since: now, pair, reported: false });
      }
    }
  }

  private checkLeaderTime(ev: TraceEvent): void {
    for (const [key, c] of this.coLeaders) {
      if (c.reported || ev.t - c.since <= this.leaderBound) continue;
      c.reported = true;
      const [org, channel] = key.split('/');
      this.report('one leader per org', `${this.name(c.pair[0])} and ${this.name(c.pair[1])} have both led ${org} on ${channel} for over ${this.leaderBound / 1000}s while seeing each other alive`, ev);
    }
  }
}

/** A kernel `shouldStop` that stops after the task in which an invariant broke. */
export function stopOnViolation(watch: InvariantWatch): () => boolean {
  return () => watch.broken;
}

/** A violation as the CLI prints it (JSON-safe). */
export function violationSummary(sim: Simulation, v: Violation): { invariant: string; detail: string; t: number; eventId: number; event: string } {
  return { invariant: v.invariant, detail: v.detail, t: v.event.t, eventId: v.event.id, event: eventLabel(sim, v.event) };
}
