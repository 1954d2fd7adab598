/**
 * Open Fabric Logs… in a real VS Code (code-server in Debian's Chromium), as a person would:
 * the palette, VS Code's own file dialog, the six-peer log of a real Fabric network. The panel
 * shows it as a recording: titled by its file, its notes as parse notes, its peers as the log
 * has them (not started, up while they log, stopped where they logged "Stopping gossip"), the
 * controls of a replay (Run plays it, Step, Step Back) and nothing that would change it (no
 * Heal, no fault menu). A click on a real AliveMessage opens it in the inspector with the log
 * lines it came from. Then Import Fabric Network… on the real files.
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
const REAL = join(__dirname, '..', '..', 'docs', 'reference', 'real-fabric');

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
  // The recording plays at 20× (the log spans about 21 s).
  server = await startCodeServer({ extensionPath: REPO, folder: workspace, settings: { 'files.simpleDialog.enable': true, 'gossipScope.defaultSpeed': 20 } });
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

const PEERS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];

test('Open Fabric Logs… shows a recording to replay: its peers as the log has them, replay controls, nothing that changes it; a real AliveMessage opens in the inspector', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await wb.runCommand('Gossip Scope: Open Fabric Logs…');
  await wb.chooseFile(join(workspace, 'gossip-debug-6peers.log.gz'));
  const webview = await wb.webviewFrame('[data-testid=peer-count]', 60_000);
  await webview.locator('[data-peer-id=p5]').waitFor({ timeout: 30_000 });
  assert.equal(await webview.locator('[data-peer-id]').count(), 6);
  for (const p of PEERS) assert.equal(await webview.locator(`[data-peer-id=${p}]`).count(), 1, p);
  const looks = () => webview.locator('[data-peer-id]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.look));
  const status = webview.locator('[data-testid=status]');
  const button = (id: string) => webview.locator(`[data-testid=${id}]`);
  const enabled = async (id: string) => !(await button(id).evaluate((e) => e.hasAttribute('disabled')));

  // Titled by its file, not a seed; its notes are parse notes, not a lesson.
  const title = await webview.locator('.toolbar .title').innerText();
  assert.match(title, /gossip-debug-6peers\.log\.gz/);
  assert.doesNotMatch(title, /seed/);
  assert.match(await webview.locator('[data-testid=lesson] h3').innerText(), /^parse notes$/i);
  // Nothing offers to change it: no Heal, no Partition, no fault menu on a peer, no hint of one.
  assert.doesNotMatch(await webview.locator('.main').innerText(), /for faults/);
  assert.equal(await button('heal').isVisible(), false, 'Heal is offered on a recording');
  assert.equal(await button('partition').isVisible(), false, 'Partition is offered on a recording');
  await webview.locator('[data-peer-id=p0]').click({ button: 'right' });
  await wb.page.waitForTimeout(300);
  assert.equal(await webview.locator('[data-testid=fault-menu]').evaluate((m) => Boolean((m as unknown as { show: boolean }).show)), false, 'a fault menu opened on a recording');
  await wb.page.keyboard.press('Escape');
  // At its start nobody has logged yet: not started, none crashed; the controls replay it.
  assert.deepEqual(await looks(), PEERS.map(() => 'unstarted'));
  await wb.screenshot('logs-opened-at-start');
  assert.ok((await enabled('run')) && (await enabled('step')), 'Run and Step replay the recording');

  // Step: the first line is p0 starting its gossip service; p0 is up, as it logs.
  await button('step').click();
  await status.filter({ hasText: /· 1 event ·/ }).waitFor({ timeout: UI_WAIT_MS });
  assert.equal((await looks())[0], 'alive');
  // Step Back: before that line again.
  await button('step-back').click();
  await status.filter({ hasText: /· 0 events ·/ }).waitFor({ timeout: UI_WAIT_MS });
  assert.equal((await looks())[0], 'unstarted');

  // Run plays it to its end, where every peer logged "Stopping gossip": stopped, not crashed.
  await button('run').click();
  await status.filter({ hasText: / · finished\b/ }).waitFor({ timeout: UI_WAIT_MS });
  assert.deepEqual(await looks(), PEERS.map(() => 'stopped'));
  assert.ok(await enabled('step-back'), 'Step Back goes back from the end');
  assert.equal(await enabled('step'), false);
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
