/** `gossip-scope logs FILE…`: Fabric gossip debug logs in, a summary (and a trace, a ShiViz log) out. */
import { linesHash } from '../trace/read-trace.js';
import { closeSync, openSync, writeSync } from 'node:fs';
import { logTraceHeader, summariseLogs } from '../logs/log-trace.js';
import { readFabricLogFiles, type LineRef, type LogReading } from '../logs/read-logs.js';
import { SAMPLE_CHARS } from '../logs/limits.js';
import { toShiViz } from '../trace/shiviz.js';
import { UsageError, parseArgs } from './args.js';
import { checkOutputPaths } from './output-paths.js';
import { printable } from './printable.js';
import { followLogs } from './logs-follow-command.js';

/** Lines of each list (unparsed, unmatched) printed. */
const SHOWN = 10;
/** Lines of each list --json carries (the counts are always whole). */
const JSON_SAMPLE = 100;

export async function logsCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { positional, flags } = parseArgs(argv, new Set(['trace', 'shiviz']), new Set(['json', 'follow']));
  if (positional.length === 0) throw new UsageError('logs needs one or more log files (docker logs of each peer, or one file of several peers)');
  const tracePath = flags.get('trace') as string | undefined;
  const shiviz = flags.get('shiviz') as string | undefined;
  // Before any reading: a bad output path found after a long read would lose the reading.
  checkOutputPaths(
    [
      ['--trace', tracePath],
      ['--shiviz', shiviz],
    ],
    positional,
  );
  if (flags.has('follow')) {
    // Until Ctrl-C or SIGTERM; then the summary of everything followed.
    let code = 0;
    const run = followLogs(positional, out, err, (r) => (code = report(r, positional, flags, out, err)));
    const stop = () => run.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await run.done;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    return code;
  }
  return report(await readFabricLogFiles(positional), positional, flags, out, err);
}

/** What a reading gives the user: the summary (or its JSON), and the trace and ShiViz files asked for. */
function report(r: LogReading, positional: string[], flags: Map<string, string | true>, out: (s: string) => void, err: (s: string) => void): number {
  const tracePath = flags.get('trace') as string | undefined;
  const shiviz = flags.get('shiviz') as string | undefined;
  if (r.peers.length === 0) {
    err(`gossip-scope: no Fabric gossip peer in ${positional.map(printable).join(', ')} (${r.stats.parsed} of ${r.stats.lines} lines are Fabric log lines); run the peers with FABRIC_LOGGING_SPEC=gossip=debug`);
    return 1;
  }
  if (tracePath) {
    // The lines' hash in the header: report, diff and replay refuse a line edited after this.
    const lines = r.events.map((x) => JSON.stringify(x));
    writeLines(tracePath, '--trace', [JSON.stringify({ ...logTraceHeader(r, positional), linesHash: linesHash(lines) }), ...lines]);
  }
  if (shiviz) writeLines(shiviz, '--shiviz', [toShiViz(r.events, r.peers.map((p) => p.name))], '');
  const peers = summariseLogs(r);
  if (flags.has('json')) out(JSON.stringify({ peers, stats: jsonStats(r), events: r.events.length }, null, 2));
  else out(human(r, peers));
  return 0;
}

/** Writes line by line, so a long trace is never one string. */
function writeLines(path: string, option: string, lines: string[], end = '\n'): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'w');
    for (let i = 0; i < lines.length; i += 4096) writeSync(fd, lines.slice(i, i + 4096).join(end) + end);
  } catch (e) {
    throw new UsageError(`${option} ${path}: cannot write it: ${(e as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The reading's figures with each list of lines as its count and a sample, each line cut short. */
function jsonStats(r: LogReading) {
  const sample = (list: LineRef[]) => list.slice(0, JSON_SAMPLE).map((u) => (u.text.length > SAMPLE_CHARS ? { ...u, text: u.text.slice(0, SAMPLE_CHARS), length: u.text.length } : u));
  const s = r.stats;
  return {
    ...s,
    unmatchedSends: s.unmatchedSends.length,
    unmatchedSendsSample: sample(s.unmatchedSends),
    unmatchedReceipts: s.unmatchedReceipts.length,
    unmatchedReceiptsSample: sample(s.unmatchedReceipts),
  };
}

function human(r: LogReading, peers: ReturnType<typeof summariseLogs>): string {
  const s = r.stats;
  const byType = Object.entries(s.byType).sort((a, b) => b[1].received - a[1].received);
  const receiptType = new Map<unknown, string>();
  for (const e of r.events) if (e.kind === 'deliver') receiptType.set(e.data?.log, e.type ?? '?');
  const unmatchedByType: Record<string, number> = {};
  for (const u of s.unmatchedReceipts) {
    const t = receiptType.get(`${u.file}:${u.line}`) ?? '?';
    unmatchedByType[t] = (unmatchedByType[t] ?? 0) + 1;
  }
  const at = (u: LineRef & { col?: number }) => `${printable(u.file)}:${u.line}${u.col !== undefined ? `:${u.col}` : ''}`;
  const lines = [
    `${r.peers.length} peers, ${r.events.length} trace events from ${new Date(r.start).toISOString()}`,
    `lines: ${s.lines} read, ${s.parsed} parsed, ${s.unparsed} unparsed, ${s.blank} blank, ${s.unattributed} not attributable to a peer (untagged loggers of a process shared by several peers)`,
    `messages: ${s.sends} sends, ${s.receipts} receipts, ${s.matched} matched; ${s.unmatchedSends.length} sends without a receipt, ${s.unmatchedReceipts.length} receipts without a logged send` +
      (unmatchedByType.StateInfoSnapshot ? ` (${unmatchedByType.StateInfoSnapshot} StateInfoSnapshot: Fabric replies with Respond, which logs no send)` : ''),
    `clocks: ${s.reordered} receipts logged before their send, drawn after it (happened-before)${s.conflicts ? `; ${s.conflicts} causal cycles broken by timestamp` : ''}`,
    '',
    'type                   sent  received  matched',
    ...byType.map(([t, c]) => `${t.padEnd(22)} ${String(c.sent).padStart(4)}  ${String(c.received).padStart(8)}  ${String(c.matched).padStart(7)}`),
    '',
    'peer         endpoint               height  block  alive  dead  warnings  alive msgs received',
    ...peers.map((p) => `${printable(p.name).padEnd(12)} ${printable(p.endpoint).padEnd(22)} ${String(p.height).padStart(6)}  ${String(p.block).padStart(5)}  ${String(p.alive).padStart(5)}  ${String(p.dead).padStart(4)}  ${String(p.warnings).padStart(8)}  ${p.received.AliveMessage ?? 0}`),
  ];
  if (s.unparsed > 0) {
    lines.push('', `unparsed lines (${s.unparsed}${s.unparsed > SHOWN ? `, the first ${SHOWN} shown` : ''}):`);
    for (const u of s.unparsedSample.slice(0, SHOWN)) lines.push(`  ${at(u)}: ${printable(u.text.slice(0, 160))}${u.reason.startsWith('not a Fabric log line') ? '' : `  (${u.reason})`}`);
  }
  if (s.unmatchedSends.length > 0) lines.push('', `sends without a receipt (${s.unmatchedSends.length}):`, ...s.unmatchedSends.slice(0, SHOWN).map((u) => `  ${at(u)}: ${printable(u.text.slice(0, 160))}`));
  if (s.unmatchedReceipts.length > 0) lines.push('', `receipts without a logged send (${s.unmatchedReceipts.length}):`, ...s.unmatchedReceipts.slice(0, SHOWN).map((u) => `  ${at(u)}: ${printable(u.text.slice(0, 160))}`));
  return lines.join('\n');
}
