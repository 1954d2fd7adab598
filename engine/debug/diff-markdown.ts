/**
 * Two runs compared, as a Markdown page (VS Code's Compare Two Runs opens it): the first event
 * where they part, then every peer whose state differs at the moment compared, A and B side by
 * side. The CLI prints the same in plain text (formatDiff in diff.ts).
 */
import type { RunDiff } from './diff.js';

const cell = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v)).replace(/\|/g, '\\|');
const secs = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

export function diffMarkdown(d: RunDiff): string {
  const lines = ['# Gossip Scope: two runs compared', '', `- **A**: ${d.a}`, `- **B**: ${d.b}`, ''];
  if (d.firstDivergence === null) lines.push(`The runs agree on all ${d.compared} events up to ${secs(d.at)}.`);
  else {
    const f = d.firstDivergence;
    const ev = (e: typeof f.a) => (e === null ? '(the run has ended)' : cell(e.label));
    lines.push(`## First divergent event: #${f.index}`, '', '| run | event |', '| --- | --- |', `| A | ${ev(f.a)} |`, `| B | ${ev(f.b)} |`);
  }
  lines.push('', `## Peer state at ${secs(d.at)}`, '');
  if (d.peers.length === 0) return [...lines, 'Every peer is the same in both runs.'].join('\n') + '\n';
  // Gossip state first (running, membership, heights, leaders, private data); world-state keys,
  // which differ between any two seeds (each transaction writes keys of its own), folded below.
  const isWorld = (field: string) => field.startsWith('world ');
  const table = (world: boolean): string[] => {
    const rows: string[] = [];
    for (const p of d.peers) {
      const fields = p.fields.filter((f) => isWorld(f.field) === world);
      for (const [i, f] of fields.entries()) rows.push(`| ${i === 0 ? p.id : ''} | ${cell(f.field)} | ${cell(f.a)} | ${cell(f.b)} |`);
    }
    return rows.length === 0 ? [] : ['| peer | field | A | B |', '| --- | --- | --- | --- |', ...rows];
  };
  const gossip = table(false);
  lines.push('### Gossip state', '', ...(gossip.length > 0 ? gossip : ['Membership, heights, leaders and private data are the same in both runs.']));
  const world = table(true);
  if (world.length > 0) {
    const peers = d.peers.filter((p) => p.fields.some((f) => isWorld(f.field))).length;
    lines.push('', '<details>', `<summary>World state: differs on ${peers} peer${peers === 1 ? '' : 's'} (transaction keys and values, which differ from seed to seed)</summary>`, '', ...world, '', '</details>');
  }
  return lines.join('\n') + '\n';
}
