/**
 * gossip-scope shrink SCENARIO [--out FILE] [--max-runs N] [--json]: writes the smallest failing
 * schedule (engine/debug/shrink.ts) beside the scenario, as SCENARIO-shrunk.yaml unless --out
 * says otherwise. Progress on stderr; what was removed and narrowed on stdout.
 */
import { writeFileSync } from 'node:fs';
import { join, parse } from 'node:path';
import { checkOutFile } from './out-path.js';
import { readScenarioText } from '../scenario/load.js';
import { MAX_RUNS_BOUND, shrink } from '../debug/shrink.js';
import { parseArgs, UsageError } from './args.js';

export async function shrinkCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { positional, flags } = parseArgs(argv, new Set(['out', 'max-runs']), new Set(['json']));
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'shrink needs a scenario file' : `unexpected argument '${positional[1]}'`);
  const file = positional[0];
  const maxRunsFlag = flags.get('max-runs');
  let maxRuns: number | undefined;
  if (maxRunsFlag !== undefined) {
    if (typeof maxRunsFlag !== 'string' || !/^\d+$/.test(maxRunsFlag) || Number(maxRunsFlag) < 1 || Number(maxRunsFlag) > MAX_RUNS_BOUND) {
      throw new UsageError(`--max-runs must be an integer from 1 to ${MAX_RUNS_BOUND}, got '${maxRunsFlag}'`);
    }
    maxRuns = Number(maxRunsFlag);
  }
  const { dir, name } = parse(file);
  const target = typeof flags.get('out') === 'string' ? (flags.get('out') as string) : join(dir, `${name}-shrunk.yaml`);
  const text = readScenarioText(file);
  // Refuse a destination that cannot be written, or is the scenario by another name (./, a
  // link), before spending minutes on the runs.
  checkOutFile('--out', target, [file], `${name}-shrunk.yaml`);
  // Each run is a whole run of the scenario: say how it goes every ten.
  const r = await shrink(text, file, {
    maxRuns,
    onRun: (runs, kept) => {
      if (runs % 10 === 0) err(`shrink: ${runs} runs, ${kept} fault${kept === 1 ? '' : 's'} kept`);
    },
  });
  const header = `# Shrunk by gossip-scope shrink from ${file}: ${r.faultsBefore} faults → ${r.faultsAfter}; still fails on ${r.failure.key}.\n`;
  writeFileSync(target, header + r.text);
  if (flags.has('json')) out(JSON.stringify({ out: target, ...r, text: undefined }, null, 2));
  else {
    out(`${file}: fails on ${r.failure.key} (${r.failure.detail})`);
    out(`faults: ${r.faultsBefore} → ${r.faultsAfter}${r.narrowed.length > 0 ? `; narrowed:\n  ${r.narrowed.join('\n  ')}` : ''}`);
    out(`${r.runs} runs${r.stoppedEarly ? ` (stopped at --max-runs; run again on ${target} to go on)` : ''}; wrote ${target}`);
  }
  return 0;
}
