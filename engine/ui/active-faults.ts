/**
 * The faults in force at this moment, as the panel marks them: crashed and paused peers, the
 * partition, link rules, tamper rules with messages left to catch, Byzantine peers. Read from
 * the simulation's own state, so what is drawn is what the network does.
 */
import type { UiActiveFault } from '../../extension/protocol.js';
import type { Simulation } from '../sim/simulation.js';

export function activeFaults(sim: Simulation): UiActiveFault[] {
  const name = (i: number) => (i < 0 ? 'orderer' : (sim.peers[i]?.id ?? `#${i}`));
  const out: UiActiveFault[] = [];
  for (const p of sim.peers) {
    if (!p.running && p.startedAt !== undefined) out.push({ key: `crash:${p.idx}`, kind: 'crash', label: `${p.id} crashed`, peers: [p.idx] });
    else if (p.running && p.rt.isPaused()) out.push({ key: `pause:${p.idx}`, kind: 'pause', label: `${p.id} paused (answers nothing)`, peers: [p.idx] });
  }
  const groups = sim.network.partitionGroups();
  if (groups !== null) {
    const describe = (g: number[]) => (g.length <= 3 ? g.map(name).join(', ') : `${g.length} peers`);
    // Every side loses the others: the graph marks each peer in a group (the cut links show where).
    const touched = groups.flat().filter((i) => i >= 0);
    out.push({ key: 'partition', kind: 'partition', label: `partition: ${groups.map(describe).join(' | ')}`, peers: touched, groups });
  }
  const { links, tampers } = sim.network.inForce();
  links.forEach((l, i) => {
    const what = [l.rule.loss > 0 && `${Math.round(l.rule.loss * 100)} % loss`, l.rule.delay > 0 && `+${l.rule.delay} ms`, l.rule.jitter > 0 && `±${l.rule.jitter} ms jitter`, l.rule.duplicate > 0 && `${Math.round(l.rule.duplicate * 100)} % duplicated`, l.rule.reorder > 0 && `${Math.round(l.rule.reorder * 100)} % reordered`]
      .filter(Boolean)
      .join(', ');
    const where = l.a < 0 ? 'every link' : `${name(l.a)} ↔ ${name(l.b)}`;
    out.push({ key: `link:${i}:${where}`, kind: 'link', label: `${where}: ${what || 'link rule'}`, peers: l.a < 0 ? [] : [l.a, l.b], until: l.until });
  });
  tampers.forEach((t, i) => {
    const what = t.rule.mode === 'flip' ? 'flip a byte of' : 'strip the signature of';
    out.push({
      key: `tamper:${i}:${t.from}`,
      kind: 'tamper',
      label: `tamper: ${what} the next ${t.left} ${t.rule.type ?? 'message'}${t.left === 1 ? '' : 's'} from ${name(t.from)}${t.to >= 0 ? ` to ${name(t.to)}` : ''}`,
      peers: t.to >= 0 ? [t.from, t.to] : [t.from],
    });
  });
  for (const b of sim.byzantine) {
    const p = sim.peers[b.peer];
    if (!p?.running || p.node !== b.node) continue;
    out.push({ key: `byzantine:${b.peer}:${b.behaviour}`, kind: 'byzantine', label: `${p.id} Byzantine: ${b.behaviour}${b.target !== null ? ` against ${name(b.target)}` : ''}`, peers: [b.peer] });
  }
  return out;
}
