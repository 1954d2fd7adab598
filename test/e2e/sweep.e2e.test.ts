/**
 * Run Sweep… in a real VS Code (code-server in Chromium), as a person runs it: the palette, the
 * scenario pick, the parameters and seeds typed into the input boxes, the progress notification,
 * and the report in a webview with every chart drawn. Then Shrink Failing Scenario on a lesson
 * with three faults of which one matters: the diff it opens and the file it writes.
 * Screenshots in test-results/e2e-sweep/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../../scripts/code-server.mjs';
import { e2eUnavailable } from './prerequisites.js';
import { launchBrowser, Workbench } from './workbench.js';

const REPO = join(__dirname, '..', '..');
const RESULTS = join(REPO, 'test-results', 'e2e-sweep');
let unavailable: string | undefined;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let scratch: string;
let workspace: string;

const TINY_SHRINK = `name: tiny-shrink
seed: 2
profile: classic-gossip
orgs:
  - { mspId: Org1MSP, peers: 4, anchorPeers: [peer0] }
channels:
  - { name: ch, orgs: [Org1MSP] }
orderer: { start: 3s, batchTimeout: 1s, blocks: 2, txPerBlock: 1 }
faults:
  - { at: 2s, pause: peer2.org1 }
  - { at: 4s, resume: peer2.org1 }
  - { at: 5s, crash: peer1.org1 }
run: { until: 20s }
expect:
  - { alive: peer1.org1, by: 20s, text: "everyone sees peer1.org1" }
`;

before(async () => {
  unavailable = e2eUnavailable();
  if (unavailable) return;
  scratch = mkdtempSync(join(tmpdir(), 'gossip-scope-e2e-sweep-'));
  workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  writeFileSync(join(workspace, 'tiny-shrink.yaml'), TINY_SHRINK);
  writeFileSync(
    join(workspace, 'tiny-sweep.yaml'),
    'name: tiny-sweep\nseed: 2\nprofile: classic-gossip\norgs:\n  - { mspId: Org1MSP, peers: 4, anchorPeers: [peer0] }\nchannels:\n  - { name: ch, orgs: [Org1MSP] }\norderer: { start: 3s, batchTimeout: 1s, blocks: 2, txPerBlock: 1 }\nrun: { until: 6s }\n',
  );
  server = await startCodeServer({ extensionPath: REPO, folder: workspace });
  browser = await launchBrowser();
  rmSync(RESULTS, { recursive: true, force: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('Run Sweep… runs every combination and shows its report with every chart drawn', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const wb = await Workbench.open(browser!, server!.url, RESULTS, 'Gossip Scope');
  await wb.runCommand('Gossip Scope: Run Sweep…');
  // The picker says what it is for (every one said "Open Network").
  await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Gossip Scope: Run Sweep: which scenario?' }).waitFor();
  await wb.pick('tiny-sweep');
  const input = wb.page.locator('.quick-input-widget input.input').first();
  await wb.page.locator('.quick-input-widget', { hasText: 'Run Sweep (1/2)' }).waitFor();
  await input.fill('propagatePeerNum=1..2 peers=3,4');
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.quick-input-widget', { hasText: 'Run Sweep (2/2)' }).waitFor();
  await input.fill('2');
  await wb.page.keyboard.press('Enter');
  await wb.screenshot('sweeping');
  // 2 × 2 combinations × 2 seeds; the report shows each figure against each parameter and a row per run.
  const frame = await wb.webviewFrame('[data-testid=sweep-table]', 120_000);
  await frame.waitForFunction(() => document.querySelectorAll('section[data-chart][data-drawn]').length >= 10);
  assert.equal(await frame.locator('[data-testid=sweep-table] tbody tr').count(), 8);
  const charts = await frame.$$eval('section[data-chart]', (s) => s.map((x) => (x as HTMLElement).dataset.chart!));
  for (const c of ['pushReach-vs-propagatePeerNum', 'pushReach-vs-peers', 'dataMessagesPerBlock-vs-propagatePeerNum']) assert.ok(charts.includes(c), `${c} among ${charts}`);
  await wb.screenshot('sweep-report');
  // What the CLI writes, saved from VS Code: the notification offers it, the save dialog says where.
  await wb.page.locator('.notification-toast', { hasText: 'swept 8 runs of tiny-sweep' }).locator('a.monaco-button, .monaco-button', { hasText: 'Save CSV, JSON and HTML…' }).first().click();
  const saved = join(workspace, 'tiny-sweep-results');
  await wb.chooseFile(saved);
  await wb.page.locator('.notification-toast', { hasText: 'saved sweep.csv, sweep.json and sweep.html' }).first().waitFor();
  await wb.screenshot('sweep-saved');
  assert.equal(readFileSync(join(saved, 'sweep.csv'), 'utf8').trim().split('\n').length, 9, 'a header and 8 runs');
  assert.equal(JSON.parse(readFileSync(join(saved, 'sweep.json'), 'utf8')).runs.length, 8);
  assert.match(readFileSync(join(saved, 'sweep.html'), 'utf8'), /<html/);
});

test('Shrink Failing Scenario keeps the one fault that matters and shows the difference', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const wb = await Workbench.open(browser!, server!.url, RESULTS, 'Gossip Scope');
  await wb.runCommand('Gossip Scope: Shrink Failing Scenario');
  await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Gossip Scope: Shrink Failing Scenario: which scenario?' }).waitFor();
  await wb.pick('tiny-shrink');
  const done = wb.page.locator('.notification-toast', { hasText: 'tiny-shrink still fails on expectation: everyone sees peer1.org1 with 1 of 3 faults' }).first();
  await wb.screenshot('shrinking');
  await done.waitFor({ timeout: 180_000 }).catch(async (e) => {
    await wb.screenshot('shrink-not-done');
    throw e;
  });
  // The diff editor: the original on the left, the shrunk scenario on the right.
  await wb.page.locator('.tab', { hasText: 'tiny-shrink.yaml ↔ shrunk (3 → 1 faults)' }).waitFor();
  await wb.page.locator('.monaco-diff-editor').first().waitFor();
  await wb.screenshot('shrunk-diff');
  const written = join(workspace, 'tiny-shrink-shrunk.yaml');
  assert.ok(existsSync(written), 'no tiny-shrink-shrunk.yaml beside the scenario');
  const text = readFileSync(written, 'utf8');
  assert.match(text, /crash: peer1\.org1/);
  assert.doesNotMatch(text, /pause:|resume:/);
  assert.equal(readFileSync(join(workspace, 'tiny-shrink.yaml'), 'utf8'), TINY_SHRINK, 'the scenario the user wrote was changed');
});

test('Compare Two Runs… shows where two runs part and how the peers differ, side by side', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const wb = await Workbench.open(browser!, server!.url, RESULTS, 'Gossip Scope');
  await wb.runCommand('Gossip Scope: Compare Two Runs…');
  await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Gossip Scope: Compare Two Runs: run A, which scenario?' }).waitFor();
  await wb.pick('tiny-sweep');
  const input = wb.page.locator('.quick-input-widget input.input').first();
  await wb.page.locator('.quick-input-widget', { hasText: 'Compare Two Runs (1/2)' }).waitFor();
  assert.equal(await input.inputValue(), '3', 'B defaults to the next seed');
  // B: the same network with peer1.org1 crashed at 5s (tiny-shrink.yaml, beside it).
  await input.fill('tiny-shrink.yaml');
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.quick-input-widget', { hasText: 'Compare Two Runs (2/2)' }).waitFor();
  await input.fill('6s');
  await wb.page.keyboard.press('Enter');
  // The page opens rendered (the Markdown preview): both runs, the first divergent event, then
  // the gossip state, with the world state folded below it.
  const preview = await wb.webviewFrame('h1', 120_000).catch(async (e) => {
    await wb.screenshot('not-compared');
    throw e;
  });
  await preview.locator('h1', { hasText: 'two runs compared' }).waitFor();
  await preview.locator('h2', { hasText: /First divergent event: #\d+/ }).waitFor();
  const text = await preview.locator('body').innerText();
  assert.match(text, /Gossip state/);
  assert.match(text, /peer1\.org1\s+running\s+true\s+false/);
  if ((await preview.locator('details').count()) > 0) {
    assert.ok(text.indexOf('Gossip state') < text.indexOf('World state'), 'the gossip state comes first');
    assert.equal(await preview.locator('details').getAttribute('open'), null, 'the world state is folded');
  }
  await wb.screenshot('compared');
});
