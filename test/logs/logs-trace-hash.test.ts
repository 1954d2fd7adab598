/**
 * A trace `gossip-scope logs --trace` writes carries its lines' hash, so every reader of a saved
 * trace (report, diff, the panel) refuses one whose event lines were edited after it was written.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../cli/in-process-cli.js';

const LOG = join(__dirname, '..', '..', 'docs', 'reference', 'real-fabric', 'gossip-debug-6peers.log.gz');

test('logs --trace writes a linesHash; report takes the trace as written and refuses it with one line edited', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logs-hash-'));
  const trace = join(dir, 'logs.jsonl');
  const r = await cli('logs', LOG, '--trace', trace);
  assert.equal(r.code, 0, r.err);
  const lines = readFileSync(trace, 'utf8').split('\n');
  assert.match(JSON.parse(lines[0]).linesHash as string, /^[0-9a-f]{64}$/);
  const ok = await cli('report', trace, '--json', '--out', join(dir, 'report.html'));
  assert.equal(ok.code, 0, ok.err);
  lines[5] = lines[5].replace(/"t":(\d+)/, (_m, t: string) => `"t":${Number(t) + 1}`);
  const edited = join(dir, 'edited.jsonl');
  writeFileSync(edited, lines.join('\n'));
  const bad = await cli('report', edited, '--json', '--out', join(dir, 'edited.html'));
  assert.equal(bad.code, 2, bad.out);
  assert.match(bad.err, /edited\.jsonl:1:1: the event lines do not hash to the header's linesHash/);
});
