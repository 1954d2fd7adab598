/**
 * Live mode from the command palette of a real VS Code (code-server): the scenario's peers start
 * as processes, and the same graph, message list and Peers view show them coming alive and
 * talking over real sockets. Skips, saying why, only when code-server cannot be installed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../../scripts/code-server.mjs';
import { e2eUnavailable, REPO } from './prerequisites.js';
import { launchBrowser, Workbench, UI_WAIT_MS } from './workbench.js';

const RESULTS = join(REPO, 'test-results', 'e2e-live');
let unavailable: string | undefined;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let scratch: string;

before(async () => {
  unavailable = e2eUnavailable();
  if (unavailable) return;
  scratch = mkdtempSync(join(tmpdir(), 'gossip-scope-e2e-live-'));
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  copyFileSync(join(REPO, 'samples', 'membership.yaml'), join(workspace, 'membership.yaml'));
  server = await startCodeServer({ folder: workspace });
  browser = await launchBrowser();
  rmSync(RESULTS, { recursive: true, force: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('Open Network in Live Mode: eight peer processes come alive in the graph and gossip', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const wb = await Workbench.open(browser!, server!.url, RESULTS, 'Gossip Scope');
  await wb.runCommand('Gossip Scope: Open Network in Live Mode');
  await wb.pick('membership.yaml');
  const webview = await wb.webviewFrame('[data-testid=peer-count]');
  assert.equal(await webview.locator('[data-peer-id]').count(), 8);
  // Real processes, real sockets: within seconds every peer is up and sees the seven others.
  await webview.locator('[data-peer-id][data-state=alive]').nth(7).waitFor({ timeout: 30_000 });
  await webview.locator('[data-testid=message-row][data-type=AliveMessage]').first().waitFor({ timeout: 30_000 });
  // The Peers view and the status bar follow the live network too.
  await wb.showActivity('Gossip Scope');
  await wb.page.locator('.monaco-list-row', { hasText: /peer0\.org1\s*(alive|behind) · height \d+ · sees \d+/ }).first().waitFor({ timeout: 30_000 });
  await wb.page.locator('.statusbar-item', { hasText: /Gossip [\d.]+ s · [\d,]+ events · running/ }).first().waitFor({ timeout: UI_WAIT_MS });
  await wb.screenshot('live-network');
  // The inspector asks the processes: a verified alive message shows its signature and signer.
  await webview.locator('[data-testid=filter-type]').selectOption('AliveMessage');
  const row = webview.locator('[data-testid=message-row][data-type=AliveMessage][data-kind=deliver]').first();
  await row.waitFor({ timeout: UI_WAIT_MS });
  await row.click();
  const inspector = webview.locator('[data-testid=inspector]');
  await inspector.locator('[data-testid=inspector-title]', { hasText: 'AliveMessage' }).waitFor({ timeout: UI_WAIT_MS });
  // The detail comes from a peer process, a moment after the title.
  let text = '';
  for (const deadline = Date.now() + UI_WAIT_MS; Date.now() < deadline && !/low-S\s+✓/.test(text); ) {
    text = await inspector.innerText();
    await wb.page.waitForTimeout(200);
  }
  await wb.screenshot('live-inspector');
  assert.match(text, /low-S\s+✓/);
  assert.match(text, /MSP ID\s+Org[12]MSP/);
  assert.match(text, /CN=peer\d\.org\d\.example\.com/);
  // A peer clicked in the peer overview: its membership, with last-seen times, from its own process.
  await webview.locator('[data-peer-id="peer0.org1"]').click();
  await inspector.locator('[data-testid=inspector-title]', { hasText: 'peer0.org1' }).waitFor({ timeout: UI_WAIT_MS });
  assert.match(await inspector.innerText(), /PKI-ID\s+[0-9a-f]{16}/);
  await wb.screenshot('live-peer');
  // Closing the panel's tab ends the live network: its peer processes stop, and the status
  // bar no longer shows it (both were left running).
  assert.ok(peerProcesses() >= 7, `${peerProcesses()} peer processes`); // one of the eight is crashed by the lesson
  await wb.page.locator('.tab', { hasText: 'Gossip Scope' }).first().hover();
  await wb.page.locator('.tab', { hasText: 'Gossip Scope' }).first().locator('.codicon-close').click();
  for (const deadline = Date.now() + UI_WAIT_MS; Date.now() < deadline && peerProcesses() > 0; ) await wb.page.waitForTimeout(200);
  assert.equal(peerProcesses(), 0, 'peer processes still running after the tab closed');
  await wb.page.locator('.statusbar-item', { hasText: /Gossip [\d.]+ s ·/ }).first().waitFor({ state: 'detached', timeout: UI_WAIT_MS });
  await wb.screenshot('live-tab-closed');
});

/** This repo's CLI running as a live peer (`cli.js peer --scenario …`). */
function peerProcesses(): number {
  const cli = join(REPO, 'dist', 'cli.js');
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(`${cli} peer --scenario`)).length;
}
