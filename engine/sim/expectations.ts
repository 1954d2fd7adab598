/**
 * A lesson's `expect:` entries, checked as the run goes: each becomes met the first time it
 * holds at or before its `by` time, or failed once that time has passed. `gossip-scope run
 * --check` exits 1 when one failed; the panel ticks them off live.
 */
import type { Expectation } from '../scenario/types.js';
import { convergenceProblems } from './summary.js';
import type { Simulation } from './simulation.js';

export interface ExpectationResult {
  text: string;
  by: number;
  /** 'pending' until it is met or its time has passed. */
  status: 'pending' | 'met' | 'failed';
  /** Simulated time it was first seen to hold. */
  at: number | null;
  /**
   * Why it failed, when it did: its deadline and what was seen then ("not met by 2s; at 2s no peer
   * of Org2MSP leads (...)"), so it does not read as false at the end of the run.
   */
  detail?: string;
}

/** Seconds as a lesson writes them: 2s, 2.25s. */
const secs = (ms: number) => `${Number((ms / 1000).toFixed(3))}s`;

/** How often state-based expectations are looked at, in simulated ms. */
export const CHECK_EVERY_MS = 250;

export class ExpectationWatch {
  readonly results: ExpectationResult[];
  private readonly rejections: string[] = [];
  private readonly privateAt = new Set<string>();
  /** The last check time each state expectation held, to say so when it no longer does. */
  private readonly lastHeld: (number | null)[];

  constructor(
    private readonly sim: Simulation,
    private readonly expectations: Expectation[] = sim.scenario.expect,
  ) {
    this.results = expectations.map((e) => ({ text: e.text, by: e.by, status: 'pending', at: null }));
    this.lastHeld = expectations.map(() => null);
    sim.trace.listen((ev) => {
      if (ev.kind === 'reject' && ev.reason) this.rejections.push(ev.reason);
      if (ev.kind === 'deliver' && (ev.type === 'PrivateDataMessage' || ev.type === 'RemotePvtDataResponse') && ev.peer >= 0) {
        this.privateAt.add(sim.peers[ev.peer].org.mspId);
      }
    });
  }

  /**
   * Looks at every pending expectation now; call it at least every CHECK_EVERY_MS. A state
   * (height, dead, alive, leaderIn, converged, behind) must hold at its `by` time, and `at` is
   * when it last became true; an event (rejected) must have happened by then; noPrivateDataAt
   * must never be broken.
   */
  evaluate(): void {
    const now = this.sim.kernel.now;
    this.expectations.forEach((e, i) => {
      const r = this.results[i];
      if (r.status !== 'pending') return;
      const problem = this.problem(e);
      const kind = e.check.kind;
      if (kind === 'noPrivateDataAt') {
        if (problem !== null) {
          r.status = 'failed';
          r.detail = `at ${secs(now)} ${problem}`;
        } else r.at ??= now;
        return;
      }
      if (problem === null) {
        r.at ??= now;
        this.lastHeld[i] = now;
      } else if (kind !== 'rejected') r.at = null;
      if (now < e.by) return;
      if (problem === null) r.status = 'met';
      else {
        r.status = 'failed';
        r.detail = kind === 'rejected' ? `not met by ${secs(e.by)}; ${problem}` : `not met by ${secs(e.by)}; ${this.seenAt(i, now, problem)}`;
      }
    });
  }

  /** At the end of the run: a kept "never" is met; anything else still pending failed. */
  finish(): ExpectationResult[] {
    this.evaluate();
    this.expectations.forEach((e, i) => {
      const r = this.results[i];
      if (r.status !== 'pending') return;
      if (e.check.kind === 'noPrivateDataAt') r.status = 'met';
      else {
        const now = this.sim.kernel.now;
        const problem = this.problem(e);
        r.status = 'failed';
        r.detail = `the run ended at ${secs(now)}, before its deadline ${secs(e.by)}${problem === null ? '' : `; then ${this.seenAt(i, now, problem).replace(/^at \S+ /, '')}`}`;
      }
    });
    return this.results;
  }

  get allMet(): boolean {
    return this.results.every((r) => r.status === 'met');
  }

  /** What was seen at `now`, and when it last held if it did before. */
  private seenAt(i: number, now: number, problem: string): string {
    const held = this.lastHeld[i];
    return `at ${secs(now)} ${problem}${held !== null ? `; it last held at ${secs(held)}` : ''}`;
  }

  /** null when the expectation holds now, else what is missing. */
  private problem(e: Expectation): string | null {
    const sim = this.sim;
    // Observers: running and not paused (a frozen peer's view stands still).
    const live = sim.peers.filter((p) => p.running && !p.rt.isPaused());
    const c = e.check;
    switch (c.kind) {
      case 'height': {
        for (const p of live) {
          for (const ch of c.channel ? [c.channel] : p.channels) {
            if (!p.channels.includes(ch)) continue;
            const h = p.ledgers.get(ch)?.height ?? 0;
            if (h < c.height) return `${p.id} is at height ${h} on ${ch}`;
          }
        }
        return null;
      }
      case 'dead':
      case 'alive': {
        const target = sim.peer(c.peer);
        const k = sim.members.idOf(target.identity.pkiId);
        for (const p of live) {
          if (p === target) continue;
          const alive = p.node!.disc.isAlive(k);
          if (c.kind === 'dead' && alive) return `${p.id} still sees ${c.peer} alive`;
          if (c.kind === 'alive' && !alive) return `${p.id} does not see ${c.peer} alive`;
        }
        return null;
      }
      case 'leaderIn': {
        const leads = (p: (typeof live)[number]) => [...p.leaderOf].some((ch) => c.channel === null || ch === c.channel);
        if (live.some((p) => p.org.mspId === c.org && leads(p))) return null;
        const leaders = live.filter(leads).map((p) => `${p.id} of ${p.org.mspId}`);
        const on = c.channel ? ` on ${c.channel}` : '';
        return `no peer of ${c.org} leads${on} (${leaders.length > 0 ? `leaders${on}: ${leaders.join(', ')}` : `no live peer leads${on}`})`;
      }
      case 'converged': {
        const problems = convergenceProblems(sim);
        return problems.length === 0 ? null : problems[0];
      }
      case 'rejected':
        return this.rejections.some((r) => r.includes(c.text)) ? null : `no rejection mentions "${c.text}"`;
      case 'noPrivateDataAt':
        return this.privateAt.has(c.org) ? `private data reached a peer of ${c.org}` : null;
      case 'behind': {
        const p = sim.peer(c.peer);
        const lags = p.channels.some((ch) => (p.ledgers.get(ch)?.height ?? 0) < sim.orderer.chains.get(ch)!.length);
        return lags ? null : `${c.peer} has every block`;
      }
    }
  }
}

/**
 * Runs a simulation to `until`, looking at the expectations as it goes. `stop`, asked after
 * every kernel task, ends the run early (an invariant broke): what is pending then failed.
 */
export function runChecked(sim: Simulation, until: number, watch = new ExpectationWatch(sim), stop?: () => boolean): ExpectationResult[] {
  sim.start();
  for (let t = Math.min(until, sim.kernel.now + CHECK_EVERY_MS); ; t = Math.min(until, t + CHECK_EVERY_MS)) {
    sim.kernel.runUntil(t, stop);
    if (stop?.() === true || sim.kernel.halted !== undefined) break;
    watch.evaluate();
    if (t >= until) break;
  }
  return watch.finish();
}
