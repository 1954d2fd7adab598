/**
 * gossip-scope sweep SCENARIO --set NAME=VALUES [--set ...] [--seeds N] [--jobs N] [--out DIR] [--json]:
 * every combination for every seed, in parallel; progress on stderr; a table on stdout (or the
 * sweep as JSON); sweep.csv, sweep.json and sweep.html in DIR.
 */
import { accessSync, constants, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseSet, SweepArgError } from '../sweep/params.js';
import { MAX_JOBS, runSweep } from '../sweep/run.js';
import { sweepFiles, sweepTable } from '../sweep/output.js';
import { parseArgs, UsageError } from './args.js';
import { checkOutFile } from './out-path.js';
import { LIMITS } from '../scenario/bounds.js';
import { readBoundedText } from '../scenario/read-text.js';
import { ScenarioError } from '../scenario/diagnostics.js';

export async function sweep(argv: string[], out: (s: string) => void, err: (s: string) => void, wallMs?: () => number): Promise<number> {
  // --set repeats: take every one out before the usual parsing.
  const sets: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--set') {
      const v = argv[++i];
      if (v === undefined) throw new UsageError('--set needs NAME=VALUES');
      sets.push(v);
    } else if (argv[i].startsWith('--set=')) sets.push(argv[i].slice(6));
    else rest.push(argv[i]);
  }
  const { positional, flags } = parseArgs(rest, new Set(['seeds', 'jobs', 'out']), new Set(['json']));
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'sweep needs a scenario file' : `unexpected argument '${positional[1]}'`);
  if (sets.length === 0) throw new UsageError('sweep needs at least one --set NAME=VALUES (such as --set propagatePeerNum=1..5)');
  const int = (name: string, lo: number, hi: number, dflt: number | undefined): number | undefined => {
    const v = flags.get(name);
    if (v === undefined) return dflt;
    if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < lo || Number(v) > hi) throw new UsageError(`--${name} must be an integer from ${lo} to ${hi}, got '${v}'`);
    return Number(v);
  };
  const file = positional[0];
  // Read as every scenario is: bounded in size, UTF-8 checked, a missing file said in words.
  const text = readBoundedText(file, LIMITS.scenarioBytes.max, 'a scenario');
  if (typeof text !== 'string') throw new ScenarioError([{ file, ...text }]);
  const outDir = (flags.get('out') as string | undefined) ?? `${basename(file).replace(/\.ya?ml$/i, '')}-sweep`;
  try {
    const params = sets.map(parseSet);
    // Everything that can be refused is refused before the runs: the output folder too.
    prepareOutDir(outDir, file);
    const started = wallMs?.();
    const took = () => (wallMs === undefined || started === undefined ? '' : ` (${((wallMs() - started) / 1000).toFixed(1)} s)`);
    const s = await runSweep({
      file,
      text,
      params,
      seeds: int('seeds', 1, 1000, 1)!,
      jobs: int('jobs', 1, MAX_JOBS, undefined),
      onWarning: err,
      onProgress: (done, total, r) =>
        err(`[${done}/${total}] ${Object.entries(r.values).map(([k, v]) => `${k}=${v}`).join(' ')} seed ${r.seed}: push reach ${r.scalars.pushReach}, p50 ${r.scalars.latencyP50 ?? '—'} ms${took()}`),
    });
    // The results go to stdout first: should the folder fail now, they are not lost.
    out(flags.has('json') ? JSON.stringify(s) : sweepTable(s));
    try {
      for (const f of sweepFiles(s, basename(file))) writeFileSync(join(outDir, f.name), f.text);
    } catch (e) {
      err(`gossip-scope: --out ${outDir}: could not write the sweep's files: ${whyNot(e as NodeJS.ErrnoException, outDir)}`);
      return 1;
    }
    if (!flags.has('json')) out(`\nwrote ${join(outDir, 'sweep.csv')}, sweep.json and sweep.html`);
    return 0;
  } catch (e) {
    if (e instanceof SweepArgError) throw new UsageError(e.message);
    throw e;
  }
}

/** The output folder, made now and checked writable (with its three files' names free of folders). */
function prepareOutDir(dir: string, scenario: string): void {
  try {
    if (statSync(dir, { throwIfNoEntry: false })?.isFile()) throw Object.assign(new Error('a file'), { code: 'ENOTDIR' });
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    // Each of the three files is tried now (as shrink's and report's --out are), not after the runs.
    for (const f of ['sweep.csv', 'sweep.json', 'sweep.html']) {
      if (statSync(join(dir, f), { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--out ${dir}: ${join(dir, f)} is a folder, where the sweep writes a file`);
      checkOutFile('--out', join(dir, f), [scenario], f);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--out ${dir}: cannot write the sweep there: ${whyNot(e as NodeJS.ErrnoException, dir)}`);
  }
}

function whyNot(e: NodeJS.ErrnoException, dir: string): string {
  if (e.code === 'ENOTDIR' || e.code === 'EEXIST') return `${dir} or a folder above it is a file, not a folder`;
  if (e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS') return 'permission denied';
  if (e.code === 'ENOSPC') return 'no space left on the device';
  return e.code ?? e.message;
}
