// The trace hash of every sample, through the CLI (`gossip-scope run <sample> --json`), so a change
// to the engine can show which samples' traces it moved.
//   node scripts/hashes.mjs [--cli dist/cli.js] [--out hashes.json] [--against earlier.json]
// With --against, each sample is marked 'same' or 'CHANGED' against an earlier --out file.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const args = new Map();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const cli = args.get('cli') ?? 'dist/cli.js';
const against = args.has('against') ? JSON.parse(readFileSync(args.get('against'), 'utf8')) : null;

// The shipped samples by name: a user's own scenario in samples/ is not one of them.
const samples = JSON.parse(readFileSync('scripts/shipped-samples.json', 'utf8')).samples;
const result = {};
for (const f of samples) {
  let summary;
  try {
    // Exit 1 (an expectation not met) still prints the summary.
    const { stdout } = await run(process.execPath, [cli, 'run', join('samples', f), '--json'], { maxBuffer: 64 << 20 }).catch((e) => e);
    summary = JSON.parse(stdout);
  } catch (e) {
    console.log(`${f.padEnd(28)} could not run: ${e.message.split('\n')[0]}`);
    continue;
  }
  result[f] = { events: summary.events, traceHash: summary.traceHash };
  const was = against?.[f];
  const mark = was === undefined ? '' : was.traceHash === summary.traceHash ? '  same' : `  CHANGED (was ${was.events} events, ${was.traceHash.slice(0, 16)})`;
  console.log(`${f.padEnd(28)} ${String(summary.events).padStart(8)} events  ${summary.traceHash.slice(0, 16)}${mark}`);
}
if (args.has('out')) writeFileSync(args.get('out'), JSON.stringify(result, null, 2) + '\n');
