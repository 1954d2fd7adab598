/**
 * `gossip-scope doctor <files or folder>... [--logs FILE...] [--json] [--matrix] [--show RULE]`: what is wrong
 * with a real network's gossip, as `file:line:col: severity: what` lines (the format editors and
 * CI read), each followed by what Fabric does, who it affects and the fix. Exit status 1 when a
 * finding is an error, 0 otherwise, 2 for bad input. `--show RULE` runs the network in the engine
 * with each finding of that rule (and with its fix) and prints when and how the mistake shows.
 */
import { statSync } from 'node:fs';
import { diagnosePaths, DoctorInputError } from '../doctor/index.js';
import { findingLine, type Finding } from '../doctor/finding.js';
import { MAX_MATRIX_PEERS, formatVisibility } from '../doctor/visibility.js';
import { UsageError, parseArgs } from './args.js';
import { consequenceOf, ShowMeError } from '../doctor/show-me.js';
import type { RuleId } from '../doctor/finding.js';

/** A configuration file larger than this is not one (a log or a dump given by mistake). */
const MAX_CONFIG_BYTES = 10 * 1024 * 1024;

export async function doctorCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  // --logs takes every following argument up to the next option.
  const logs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--logs') {
      rest.push(argv[i]);
      continue;
    }
    const before = logs.length;
    while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) logs.push(argv[++i]);
    if (logs.length === before) throw new UsageError('--logs needs at least one peer log file');
  }
  const { positional, flags } = parseArgs(rest, new Set(['show']), new Set(['json', 'matrix']));
  const show = flags.get('show');
  if (positional.length === 0) throw new UsageError('doctor needs the network\'s files or their folder (compose file, configtx.yaml, core.yaml)');
  for (const p of positional) {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) throw new DoctorInputError([{ file: p, line: 1, col: 1, message: 'no such file or folder' }]);
    if (st.isFile() && st.size > MAX_CONFIG_BYTES) throw new DoctorInputError([{ file: p, line: 1, col: 1, message: `${(st.size / 1024 / 1024).toFixed(0)} MB is no configuration file (peer logs go after --logs)` }]);
  }
  for (const l of logs) {
    if (!statSync(l, { throwIfNoEntry: false })?.isFile()) throw new DoctorInputError([{ file: l, line: 1, col: 1, message: '--logs: no such file' }]);
  }

  // The one clock read: certificates expire against the wall clock, rules take it as a value.
  const d = diagnosePaths(positional, logs, { now: Date.now() });
  const errors = d.findings.filter((f) => f.severity === 'error').length;
  if (flags.has('json')) {
    out(JSON.stringify({ findings: d.findings, unreadable: d.unreadable, matrix: d.visibility ?? null, notes: d.notes, errors }, null, 2));
    return errors > 0 ? 1 : 0;
  }
  const shown = typeof show === 'string' ? d.findings.filter((f) => f.rule === (show as RuleId)) : [];
  if (typeof show === 'string' && shown.length === 0) throw new UsageError(`--show ${show}: no finding of that rule here (found: ${[...new Set(d.findings.map((f) => f.rule))].join(', ') || 'none'})`);
  for (const f of d.findings) {
    out(formatFinding(f));
    if (!shown.includes(f)) continue;
    const files = [...d.network.texts].map(([path, text]) => ({ path, text }));
    try {
      out(`    show me: ${(await consequenceOf(f, files)).sentence}`);
    } catch (e) {
      if (!(e instanceof ShowMeError)) throw e;
      out(`    show me: cannot run: ${e.message}`);
    }
  }
  for (const u of d.unreadable) out(`${u.file}:${u.line}:${u.col}: warning: ${u.message}`);
  for (const n of d.notes) err(`note: ${n}`);
  if (flags.has('matrix')) out(d.visibility ? formatVisibility(d.visibility) : `who sees whom: not computed for more than ${MAX_MATRIX_PEERS} peers`);
  const count = (s: Finding['severity']) => d.findings.filter((f) => f.severity === s).length;
  const n = d.network;
  out(`${errors} error(s), ${count('warning')} warning(s), ${count('info')} note(s): ${n.peers.length} peers, ${n.orgs.length} orgs, ${n.channels.length} channel profile(s) checked`);
  return errors > 0 ? 1 : 0;
}

/** The finding's line, then what Fabric does (its log line and source), who it affects, the fix. */
export function formatFinding(f: Finding): string {
  const lines = [findingLine(f)];
  lines.push(`    Fabric does: ${f.fabric.log ? `"${f.fabric.log}" (${f.fabric.source}): ` : ''}${f.fabric.effect}${f.fabric.log ? '' : ` (${f.fabric.source})`}`);
  lines.push(`    affects: ${f.affected.join(', ')}`);
  lines.push(`    fix: ${f.fix}`);
  return lines.join('\n');
}
