/**
 * Open Fabric Logs… in a real VS Code (code-server in Debian's Chromium), as a person would:
 * the palette, VS Code's own file dialog, the six-peer log of a real Fabric network; the panel
 * draws its six peers and its messages, and a click on a real AliveMessage opens it in the
 * inspector with the log lines it came from. Then Import Fabric Network… on the real files.
 * Skips, saying why, only when code-server cannot be installed on this machine.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../../scripts/code-server.mjs';
import { e2eUnavailable } from './prerequisites.js';
import { launchBrowser, Workbench, UI_WAIT_MS } from './workbench.js';

const REPO = join(__dirname, '..', '..');
const RESULTS = join(REPO, 'test-results', 'e2e-fabric-logs');
const REAL = '/work/shared/reference/real-fabric';

let unavailable: string | undefined;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let wb: Workbench;
let scratch: string;
let workspace: string;

before(async () => {
  unavailable = e2eUnavailable();
  if (unavailable) return;
  if (!existsSync(join(REPO, 'dist', 'webview.js'))) throw new Error('dist/webview.js is not built');
  scratch = mkdtempSync(join(tmpdir(), 'gossip-scope-e2e-logs-'));
  workspace = join(scratch, 'workspace');
  mkdirSync(join(workspace, 'network'), { recursive: true });
  copyFileSync(join(REAL, 'gossip-debug-6peers.log.gz'), join(workspace, 'gossip-debug-6peers.log.gz'));
  for (const f of ['core.yaml', 'configtx.yaml', 'crypto-config.yaml']) copyFileSync(join(REAL, f), join(workspace, 'network', f));
  server = await startCodeServer({ extensionPath: REPO, folder: workspace, settings: { 'files.simpleDialog.enable': true } });
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

test('Open Fabric Logs… draws the six real peers; a real AliveMessage opens in the inspector', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await wb.runCommand('Gossip Scope: Open Fabric Logs…');
  await wb.chooseFile(join(workspace, 'gossip-debug-6peers.log.gz'));
  const webview = await wb.webviewFrame('[data-testid=peer-count]', 60_000);
  await webview.locator('[data-peer-id=p5]').waitFor({ timeout: 30_000 });
  assert.equal(await webview.locator('[data-peer-id]').count(), 6);
  for (const p of ['p0', 'p1', 'p2', 'p3', 'p4', 'p5']) assert.equal(await webview.locator(`[data-peer-id=${p}]`).count(), 1, p);
  await webview.locator('[data-testid=message-row]').first().waitFor({ timeout: 30_000 });
  // The list is virtual (only rows in sight exist): its count says how many it holds.
  const count = Number((await webview.locator('[data-testid=message-count]').innerText()).replace(/[^\d]/g, ''));
  assert.ok(count > 2500, `the message list holds ${count} messages`);
  await wb.screenshot('logs-opened');

  await webview.locator('[data-testid=filter-type]').selectOption('AliveMessage');
  const row = webview.locator('[data-testid=message-row][data-type=AliveMessage]').first();
  await row.waitFor({ timeout: UI_WAIT_MS });
  await row.click();
  const inspector = webview.locator('[data-testid=inspector]');
  await inspector.locator('[data-testid=inspector-title]', { hasText: 'AliveMessage' }).waitFor({ timeout: UI_WAIT_MS });
  const text = await inspector.innerText();
  assert.match(text, /read from a Fabric log: send and receipt logged/);
  assert.match(text, /The log shows a signature of \d+ bytes/);
  assert.match(text, /gossip-debug-6peers\.log\.gz:\d+/);
  assert.match(text, /inc_num|incNum/);
  await wb.screenshot('log-message-inspector');
});

test('Import Fabric Network… turns the real files into a scenario and opens it', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await wb.runCommand('Gossip Scope: Import Fabric Network…');
  await wb.chooseFile(join(workspace, 'network'));
  const written = join(workspace, 'network.scenario.yaml');
  const deadline = Date.now() + UI_WAIT_MS;
  // Wait for the whole file: it can exist, still empty, while it is being written.
  while (!(existsSync(written) && readFileSync(written, 'utf8').includes('run:')) && Date.now() < deadline) await wb.page.waitForTimeout(200);
  if (!existsSync(written)) {
    await wb.screenshot('import-failed');
    const toasts = await wb.page.locator('.notifications-toasts').innerText().catch(() => '');
    assert.fail(`no scenario written; notifications: ${toasts}`);
  }
  assert.match(readFileSync(written, 'utf8'), /mspId: Org1MSP +# network\/configtx\.yaml:\d+:\d+/);
  const webview = await wb.webviewFrame('[data-peer-id="peer1.org2"]', 60_000);
  assert.equal(await webview.locator('[data-peer-id]').count(), 4);
  await wb.screenshot('network-imported');
});
