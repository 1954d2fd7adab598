/** `gossip-scope logs FILE…`: Fabric gossip debug logs in, a summary (and a trace, a ShiViz log) out. */
import { writeFileSync } from 'node:fs';
import { readLogFiles } from '../logs/files.js';
import { logTraceHeader, summariseLogs } from '../logs/log-trace.js';
import { readFabricLogs, type LogReading } from '../logs/read-logs.js';
import { toShiViz } from '../trace/shiviz.js';
import { UsageError, parseArgs } from './args.js';

/** Lines of each list (unparsed, unmatched) printed; --json has them all. */
const SHOWN = 10;

export function logsCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  const { positional, flags } = parseArgs(argv, new Set(['trace', 'shiviz']), new Set(['json']));
  if (positional.length === 0) throw new UsageError('logs needs one or more log files (docker logs of each peer, or one file of several peers)');
  const files = readLogFiles(positional);
  const r = readFabricLogs(files);
  if (r.peers.length === 0) {
    err(`gossip-scope: no Fabric gossip peer in ${positional.join(', ')} (${r.stats.parsed} of ${r.stats.lines} lines are Fabric log lines); run the peers with FABRIC_LOGGING_SPEC=gossip=debug`);
    return 1;
  }
  const tracePath = flags.get('trace') as string | undefined;
  if (tracePath) writeFileSync(tracePath, [logTraceHeader(r, positional), ...r.events].map((x) => JSON.stringify(x)).join('\n') + '\n');
  const shiviz = flags.get('shiviz') as string | undefined;
  if (shiviz) writeFileSync(shiviz, toShiViz(r.events, r.peers.map((p) => p.name)));
  const peers = summariseLogs(r);
  if (flags.has('json')) out(JSON.stringify({ peers, stats: r.stats, events: r.events.length }, null, 2));
  else out(human(r, peers));
  return 0;
}

function human(r: LogReading, peers: ReturnType<typeof summariseLogs>): string {
  const s = r.stats;
  const byType = Object.entries(s.byType).sort((a, b) => b[1].received - a[1].received);
  const unmatchedByType: Record<string, number> = {};
  for (const u of s.unmatchedReceipts) {
    const t = r.events.find((e) => e.kind === 'deliver' && e.data?.log === `${u.file}:${u.line}`)?.type ?? '?';
    unmatchedByType[t] = (unmatchedByType[t] ?? 0) + 1;
  }
  const lines = [
    `${r.peers.length} peers, ${r.events.length} trace events from ${new Date(r.start).toISOString()}`,
    `lines: ${s.lines} read, ${s.parsed} parsed, ${s.unparsed.length} unparsed, ${s.blank} blank, ${s.unattributed} not attributable to a peer (untagged loggers of a process shared by several peers)`,
    `messages: ${s.sends} sends, ${s.receipts} receipts, ${s.matched} matched; ${s.unmatchedSends.length} sends without a receipt, ${s.unmatchedReceipts.length} receipts without a logged send` +
      (unmatchedByType.StateInfoSnapshot ? ` (${unmatchedByType.StateInfoSnapshot} StateInfoSnapshot: Fabric replies with Respond, which logs no send)` : ''),
    `clocks: ${s.reordered} receipts logged before their send, drawn after it (happened-before)${s.conflicts ? `; ${s.conflicts} causal cycles broken by timestamp` : ''}`,
    '',
    'type                   sent  received  matched',
    ...byType.map(([t, c]) => `${t.padEnd(22)} ${String(c.sent).padStart(4)}  ${String(c.received).padStart(8)}  ${String(c.matched).padStart(7)}`),
    '',
    'peer         endpoint               height  block  alive  dead  warnings  alive msgs received',
    ...peers.map((p) => `${p.name.padEnd(12)} ${p.endpoint.padEnd(22)} ${String(p.height).padStart(6)}  ${String(p.block).padStart(5)}  ${String(p.alive).padStart(5)}  ${String(p.dead).padStart(4)}  ${String(p.warnings).padStart(8)}  ${p.received.AliveMessage ?? 0}`),
  ];
  if (s.unparsed.length > 0) lines.push('', `unparsed lines (${s.unparsed.length}):`, ...s.unparsed.slice(0, SHOWN).map((u) => `  ${u.file}:${u.line}: ${u.text.slice(0, 160)}`));
  if (s.unmatchedSends.length > 0) lines.push('', `sends without a receipt (${s.unmatchedSends.length}):`, ...s.unmatchedSends.slice(0, SHOWN).map((u) => `  ${u.file}:${u.line}: ${u.text.slice(0, 160)}`));
  if (s.unmatchedReceipts.length > 0) lines.push('', `receipts without a logged send (${s.unmatchedReceipts.length}):`, ...s.unmatchedReceipts.slice(0, SHOWN).map((u) => `  ${u.file}:${u.line}: ${u.text.slice(0, 160)}`));
  return lines.join('\n');
}
