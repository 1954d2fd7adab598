/**
 * Who has declared whom dead, and when: read from discovery's traced membership transitions (a
 * peer's `dead` state event names the member it moved to its dead list; `alive` and `removed`
 * take it out again; a crash or a restart wipes the declarer's memory). The panel shows it per
 * peer ("declared dead by 7 of 7 at 29.4 s"), so a lesson can ask which peer the others gave up
 * on first. Watched from the network's start; reading it costs nothing on the run's hot path
 * but one listener call per event.
 */
import type { Simulation } from '../sim/simulation.js';
import type { TraceEvent } from '../trace/events.js';

export class DeadDeclarations {
  /** member → (declarer → simulated ms it declared the member dead). */
  private readonly byMember = new Map<number, Map<number, number>>();

  see(ev: TraceEvent): void {
    if (ev.kind !== 'state') return;
    switch (ev.reason) {
      case 'dead': {
        const member = memberOf(ev);
        if (member === undefined) return;
        let by = this.byMember.get(member);
        if (by === undefined) this.byMember.set(member, (by = new Map()));
        // Declared once until it is heard alive again: a later "learned dead" does not move the time.
        if (!by.has(ev.peer)) by.set(ev.peer, ev.t);
        return;
      }
      case 'alive':
      case 'removed': {
        const member = memberOf(ev);
        if (member !== undefined) this.byMember.get(member)?.delete(ev.peer);
        return;
      }
      case 'crashed':
      case 'started':
        // The declarer's memberships are gone with its process (a restart starts them afresh).
        for (const by of this.byMember.values()) by.delete(ev.peer);
        return;
    }
  }

  /** The peers that hold `member` dead now, earliest first, with when each declared it. */
  declarers(member: number): { peer: number; at: number }[] {
    const by = this.byMember.get(member);
    if (by === undefined || by.size === 0) return [];
    return [...by].map(([peer, at]) => ({ peer, at })).sort((a, b) => a.at - b.at || a.peer - b.peer);
  }
}

function memberOf(ev: TraceEvent): number | undefined {
  const m = ev.data?.member;
  return typeof m === 'number' && m >= 0 ? m : undefined;
}

const watched = new WeakMap<Simulation, DeadDeclarations>();

/** Starts watching a network's declarations (call before it runs); the same watcher if already watched. */
export function watchDeadDeclarations(sim: Simulation): DeadDeclarations {
  let d = watched.get(sim);
  if (d === undefined) {
    const fresh = new DeadDeclarations();
    sim.trace.listen((ev) => fresh.see(ev));
    watched.set(sim, (d = fresh));
  }
  return d;
}

/** The watcher of a network, if one was started. */
export function deadDeclarationsOf(sim: Simulation): DeadDeclarations | undefined {
  return watched.get(sim);
}
