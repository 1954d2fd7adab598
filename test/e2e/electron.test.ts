/**
 * `npm run test:electron` (the extension-host suite under @vscode/test-electron) as part of the
 * whole test run: it passes where a desktop VS Code can be downloaded and shown, and elsewhere
 * says why it did not run (here: offline). Either way it must not fail.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

test('the extension-host suite under @vscode/test-electron passes, or says why it cannot run here', (t) => {
  const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'test-electron.mjs')], { encoding: 'utf8', timeout: 600_000 });
  const out = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, out);
  const verdict = /test:electron (passed|skipped): .*/.exec(out);
  assert.ok(verdict, out);
  if (verdict[1] === 'skipped') t.diagnostic(verdict[0]);
});
