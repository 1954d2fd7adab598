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
  if (d.peers.length === 0) lines.push('Every peer is the same in both runs.');
  else {
    lines.push('| peer | field | A | B |', '| --- | --- | --- | --- |');
    for (const p of d.peers) for (const [i, f] of p.fields.entries()) lines.push(`| ${i === 0 ? p.id : ''} | ${cell(f.field)} | ${cell(f.a)} | ${cell(f.b)} |`);
  }
  return lines.join('\n') + '\n';
}
