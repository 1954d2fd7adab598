/** The run summary (the CLI's `run --json` object) as a Markdown report for "Show Metrics". */
import type { RunSummary } from '../engine/sim/summary.js';

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

export function metricsMarkdown(s: RunSummary): string {
  const types = [...new Set([...Object.keys(s.messages.sent), ...Object.keys(s.messages.delivered), ...Object.keys(s.messages.dropped)])].sort();
  const lines = [
    `# Gossip Scope metrics: ${s.scenario}`,
    '',
    `Seed ${s.seed}, profile \`${s.profile}\`, simulated ${(s.simTimeMs / 1000).toFixed(1)} s, ${s.events.toLocaleString('en-US')} events, trace \`${s.traceHash.slice(0, 16)}\`.`,
    '',
    s.converged ? '**Converged**: every live peer has every block and sees every peer it should.' : `**Not converged**:\n\n${s.notConverged.slice(0, 20).map((p) => `- ${p}`).join('\n')}`,
    '',
    '## Messages by type',
    '',
    row(['type', 'sent', 'delivered', 'dropped']),
    row(['---', '---:', '---:', '---:']),
    ...types.map((t) => row([t, s.messages.sent[t] ?? 0, s.messages.delivered[t] ?? 0, s.messages.dropped[t] ?? 0])),
  ];
  const reasons = (title: string, r: Record<string, number>) =>
    Object.keys(r).length === 0 ? [] : ['', `## ${title}`, '', row(['reason', 'count']), row(['---', '---:']), ...Object.entries(r).map(([k, v]) => row([k, v]))];
  lines.push(...reasons('Drops by reason', s.messages.dropReasons), ...reasons('Rejections by reason', s.messages.rejected));
  lines.push('', '## Peers', '', row(['peer', 'org', 'alive', 'height', 'leader', 'sees']), row(['---', '---', '---', '---', '---', '---:']));
  for (const p of s.peers) {
    const leads = Object.entries(p.leader).filter(([, l]) => l).map(([c]) => c);
    lines.push(row([p.id, p.org, p.alive ? 'yes' : 'no', Object.entries(p.height).map(([c, h]) => `${c}: ${h}`).join(', '), leads.join(', ') || '-', p.membership]));
  }
  if (s.blocks.length > 0) {
    lines.push('', '## Block dissemination (ms after the orderer cut it)', '', row(['channel', 'block', 'min', 'median', 'max', 'committed by']), row(['---', '---:', '---:', '---:', '---:', '---:']));
    for (const b of s.blocks) {
      const l = b.latencyMs;
      lines.push(row([b.channel, b.seq, l?.min ?? '-', l?.median ?? '-', l?.max ?? '-', b.committedBy]));
    }
  }
  return lines.join('\n') + '\n';
}
