/**
 * The extension-host tests (test/vscode-host/suite.ts) inside code-server's real extension host.
 * code-server has no --extensionTestsPath, so a test-only runner extension
 * (test/vscode-host/runner) loads the bundled suite once the window is up; the suite writes its
 * results to a file this test reads. Skips, saying why, only when code-server cannot be installed.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../../scripts/code-server.mjs';
import { e2eUnavailable } from './prerequisites.js';
import { launchBrowser } from './workbench.js';

const REPO = join(__dirname, '..', '..');
const RESULTS = join(REPO, 'test-results', 'e2e-host');

let unavailable: string | undefined;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let scratch: string;
let resultsFile: string;

before(async () => {
  unavailable = e2eUnavailable();
  if (unavailable) return;
  scratch = mkdtempSync(join(tmpdir(), 'gossip-scope-e2e-host-'));
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  resultsFile = join(scratch, 'results.json');
  server = await startCodeServer({
    folder: workspace,
    extraExtensions: [join(REPO, 'test', 'vscode-host', 'runner')],
    env: { GOSSIP_SCOPE_HOST_SUITE: join(REPO, 'dist', 'test', 'host-suite.js'), GOSSIP_SCOPE_HOST_RESULTS: resultsFile },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('the extension-host tests pass inside code-server', async (t) => {
  if (unavailable) return t.skip(unavailable);
  // The extension host starts when a window connects.
  const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(server!.url);
  const deadline = Date.now() + 300_000; // a backstop: about 40 s on a quiet machine, minutes on a loaded one
  while (!existsSync(resultsFile) && Date.now() < deadline) await page.waitForTimeout(250);
  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, 'after-suite.png') });
  assert.ok(existsSync(resultsFile), 'the suite never reported (see test-results/e2e-host/after-suite.png)');
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { name: string; ok: boolean; error?: string; ms: number }[];
  for (const r of results) t.diagnostic(`${r.ok ? 'ok' : 'FAILED'} - ${r.name} (${r.ms} ms)`);
  assert.ok(results.length >= 7, `${results.length} results`);
  const failed = results.filter((r) => !r.ok);
  assert.deepEqual(failed.map((f) => `${f.name}: ${f.error}`), []);
});
