/**
 * The packaged extension as a user installs it: `npm run package`'s .vsix installed into
 * code-server with --install-extension (no development path), then the walkthrough's first
 * lesson opened from its button, and a bundled sample opened from the palette; each network drawn
 * with every peer. Screenshots land in
 * test-results/e2e-vsix/. Skips, saying why, only when code-server cannot be installed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { loadScenario } from '../../engine/scenario/load.js';
import { startCodeServer, type CodeServer } from '../../scripts/code-server.mjs';
import { e2eUnavailable } from './prerequisites.js';
import { launchBrowser, Workbench, UI_WAIT_MS } from './workbench.js';

const REPO = join(__dirname, '..', '..');
const RESULTS = join(REPO, 'test-results', 'e2e-vsix');

let unavailable: string | undefined;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let scratch: string;
let vsix: string;
let wb: Workbench;

/**
 * Packages the extension as `npm run package` does (same vsce flags), from a staging copy: vsce
 * runs `vscode:prepublish` (the build), which must not rewrite dist/ under the other test files.
 */
function packageExtension(into: string): string {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  const stage = join(into, 'stage');
  mkdirSync(stage);
  for (const entry of ['dist', 'samples', 'media', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore']) cpSync(join(REPO, entry), join(stage, entry), { recursive: true });
  mkdirSync(join(stage, 'engine', 'scenario'), { recursive: true });
  cpSync(join(REPO, 'engine', 'scenario', 'scenario.schema.json'), join(stage, 'engine', 'scenario', 'scenario.schema.json'));
  delete pkg.scripts['vscode:prepublish']; // dist/ is built already
  writeFileSync(join(stage, 'package.json'), JSON.stringify(pkg, null, 2));
  const flags = (pkg.scripts.package as string).split(/\s+/).slice(2); // "vsce package <flags>"
  const out = join(into, `${pkg.name}-${pkg.version}.vsix`);
  const r = spawnSync(join(REPO, 'node_modules', '.bin', 'vsce'), ['package', ...flags, '--out', out], { cwd: stage, encoding: 'utf8' });
  assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

before(async () => {
  unavailable = e2eUnavailable();
  if (unavailable) return;
  scratch = mkdtempSync(join(tmpdir(), 'gossip-scope-e2e-vsix-'));
  vsix = packageExtension(scratch);
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  server = await startCodeServer({ vsix, folder: workspace });
  browser = await launchBrowser();
  rmSync(RESULTS, { recursive: true, force: true });
  wb = await Workbench.open(browser, server.url, RESULTS, 'Gossip Scope');
  wb.userDataDir = server.userDataDir;
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('the .vsix installs into code-server; the walkthrough opens its first lesson and the graph draws it', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const size = statSync(vsix).size;
  assert.ok(size < 5 * 1024 * 1024, `the .vsix is ${size} bytes`);
  t.diagnostic(`${vsix}: ${(size / 1024 / 1024).toFixed(2)} MB`);
  await wb.runCommand('Welcome: Open Walkthrough...');
  await wb.pick('Learn Fabric Gossip');
  const button = wb.page.locator('.getting-started-step a, .getting-started-step button', { hasText: 'Open the lesson' }).first();
  await button.waitFor({ timeout: 30_000 });
  // The step's page (media/walkthrough/membership.md) renders beside it, with its task.
  const media = await wb.webviewFrame('text=Find it:');
  assert.match(await media.locator('body').innerText(), /peer\.gossip\.aliveExpirationTimeout/);
  await wb.screenshot('walkthrough');
  await button.click();
  const webview = await wb.webviewFrame('[data-testid=peer-count]', 3 * UI_WAIT_MS);
  assert.equal((await webview.locator('[data-testid=peer-count]').innerText()).match(/\d+/)?.[0], '8');
  assert.equal(await webview.locator('[data-peer-id]').count(), 8);
  // The walkthrough stays in view beside the lesson: its "Find it" task is still readable.
  await wb.page.waitForFunction(() => document.querySelectorAll('.editor-group-container').length >= 2, undefined, { timeout: UI_WAIT_MS });
  const visibleTabs = await wb.page.locator('.tab.active').allInnerTexts();
  assert.ok(visibleTabs.some((t) => /Walkthrough/.test(t)) && visibleTabs.some((t) => /Gossip Scope/.test(t)), `the walkthrough and the lesson side by side: ${visibleTabs.join(' | ')}`);
  await wb.screenshot('lesson-opened');
  // Back in the walkthrough, the lesson is ticked off: its sample has been opened.
  await wb.page.locator('.tab', { hasText: 'Walkthrough' }).first().click();
  const step = wb.page.locator('.getting-started-step', { hasText: 'Membership and failure detection' }).first();
  await step.locator('.codicon-getting-started-step-checked').waitFor({ timeout: UI_WAIT_MS });
  assert.equal(await wb.page.locator('.getting-started-step .codicon-getting-started-step-checked').count(), 1, 'only the lesson opened is ticked');
  await wb.screenshot('lesson-ticked');
});

test('from the palette, Open Network offers the bundled samples and draws every peer of the one picked', async (t) => {
  if (unavailable) return t.skip(unavailable);
  // The workspace is empty: the picker's samples come from the installed extension's samples/.
  const file = join(REPO, 'samples', 'channels.yaml');
  const peers = loadScenario(readFileSync(file, 'utf8'), file).orgs.reduce((n, o) => n + o.peers, 0);
  await wb.runCommand('Gossip Scope: Open Network');
  await wb.pick('channels.yaml');
  await wb.quickInputClosed();
  const webview = await wb.webviewFrame('[data-testid=peer-count]', 3 * UI_WAIT_MS);
  const count = webview.locator('[data-testid=peer-count]');
  // The panel shows the lesson opened before until this network replaces it.
  const deadline = Date.now() + UI_WAIT_MS;
  while ((await count.innerText()).match(/\d+/)?.[0] !== String(peers) && Date.now() < deadline) await wb.page.waitForTimeout(200);
  assert.equal((await count.innerText()).match(/\d+/)?.[0], String(peers));
  assert.equal(await webview.locator('[data-peer-id]').count(), peers);
  await webview.locator('[data-peer-id="peer2.org3"]').waitFor();
  await wb.screenshot('palette-sample-opened');
});
