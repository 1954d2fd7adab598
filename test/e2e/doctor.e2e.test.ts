/**
 * Check Fabric Network… in a real VS Code (code-server in Debian's Chromium), as a person would:
 * the palette, VS Code's file dialog on a broken copy of fabric-samples' test network (peer0.org2
 * without CORE_PEER_GOSSIP_EXTERNALENDPOINT). The Problems view lists the finding with Fabric's
 * log line; its row opens the compose file at peer0.org2's `environment:`, Ctrl+. offers the
 * Quick Fix, and once the file is saved the doctor checks again and the problems are gone.
 * Skips, saying why, only when code-server cannot be installed on this machine.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../../scripts/code-server.mjs';
import { e2eUnavailable } from './prerequisites.js';
import { launchBrowser, Workbench, UI_WAIT_MS } from './workbench.js';

const REPO = join(__dirname, '..', '..');
const RESULTS = join(REPO, 'test-results', 'e2e-doctor');
const TEST_NETWORK = join(REPO, 'test', 'doctor', 'fixtures', 'test-network');
const LINE = '      - CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org2.example.com:9051\n';

let unavailable: string | undefined;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let wb: Workbench;
let scratch: string;
let network: string;

before(async () => {
  unavailable = e2eUnavailable();
  if (unavailable) return;
  scratch = mkdtempSync(join(tmpdir(), 'gossip-scope-e2e-doctor-'));
  const workspace = join(scratch, 'workspace');
  network = join(workspace, 'network');
  mkdirSync(network, { recursive: true });
  cpSync(TEST_NETWORK, network, { recursive: true });
  const compose = join(network, 'compose', 'compose-test-net.yaml');
  writeFileSync(compose, readFileSync(compose, 'utf8').replace(LINE, ''));
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

test('Check Fabric Network… lists the findings in the Problems view; the Quick Fix adds the variable and the problems go', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await wb.runCommand('Gossip Scope: Check Fabric Network…');
  await wb.chooseFile(network);
  const problems = wb.page.locator('.markers-panel');
  const row = problems.locator('.monaco-list-row', { hasText: 'peer0.org2.example.com has no external endpoint' }).first();
  await row.waitFor({ timeout: UI_WAIT_MS }).catch(async (e) => assert.fail(`${e.message}\n${await wb.diagnosis('no-problem-row')}`));
  const text = await problems.innerText();
  assert.match(text, /compose-test-net\.yaml/);
  assert.match(text, /\[Ln 189, Col 5\]/);
  assert.match(text, /Fabric logs "External endpoint is empty, peer will not be accessible outside of its organization" \(gossip\/gossip\/gossip_impl\.go\)/);
  assert.match(text, /anchor peer peer0\.org2\.example\.com:9051 of Org2MSP is peer0\.org2\.example\.com, which has no external endpoint/);
  await wb.screenshot('problems-view');

  // The row opens the file where the finding is (squiggled); Ctrl+. offers the Quick Fix.
  await row.click();
  await wb.page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: UI_WAIT_MS });
  await wb.page.keyboard.press('Control+.');
  // From the Problems row the fix comes as a menu; in the editor, as the code action widget.
  const fix = wb.page.locator('[role="menuitem"], .action-widget .monaco-list-row', { hasText: 'Add CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org2.example.com:9051' }).first();
  await fix.waitFor({ timeout: UI_WAIT_MS }).catch(async (e) => assert.fail(`${e.message}\n${await wb.diagnosis('no-quick-fix')}`));
  await wb.screenshot('quick-fix-offered');
  await fix.click();
  await wb.page.keyboard.press('Control+s');
  const compose = join(network, 'compose', 'compose-test-net.yaml');
  const deadline = Date.now() + UI_WAIT_MS;
  while (!readFileSync(compose, 'utf8').includes(`300s\n${LINE}    volumes:`) && Date.now() < deadline) await wb.page.waitForTimeout(200);
  assert.ok(readFileSync(compose, 'utf8').includes(`300s\n${LINE}    volumes:`), 'the fix is written into the compose file');
  await problems.locator('.monaco-list-row', { hasText: 'has no external endpoint' }).first().waitFor({ state: 'detached', timeout: UI_WAIT_MS });
  await wb.screenshot('fixed-no-problems');
});
