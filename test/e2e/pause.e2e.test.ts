/**
 * Pause along the user's path, in a real VS Code (code-server in Debian's Chromium): Run at 5×,
 * click Pause in the panel, and the run stops within a frame of the simulated time the panel
 * showed at the click (it used to stop seconds later, behind frames queued on their way to a busy
 * webview). Bounded generously, and only in simulated time: the wall-clock figures are for
 * `npm run bench:pause`. And a network too big to keep 5× says what speed it keeps.
 * Skips, saying why, only when code-server cannot be installed on this machine.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Frame } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../../scripts/code-server.mjs';
import { MAX_TICK_WALL_MS } from '../../extension/engine-session.js';
import { clickPauseAndMeasure, simSeconds, waitRunningPast } from './pause-path.js';
import { e2eUnavailable } from './prerequisites.js';
import { launchBrowser, Workbench, UI_WAIT_MS } from './workbench.js';

const REPO = join(__dirname, '..', '..');
const RESULTS = join(REPO, 'test-results', 'e2e-pause');
const SPEED = 5;
/**
 * One frame holds at most MAX_TICK_WALL_MS of wall time × speed (0.5 s at 5×); allow two, and the
 * status line's rounding (a tenth of a second past 10 s).
 */
const OVERSHOOT_MAX_S = (2 * MAX_TICK_WALL_MS * SPEED) / 1000 + 0.1;

let unavailable: string | undefined;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let wb: Workbench;
let scratch: string;

before(async () => {
  unavailable = e2eUnavailable();
  if (unavailable) return;
  scratch = mkdtempSync(join(tmpdir(), 'gossip-scope-e2e-pause-'));
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  for (const f of ['membership.yaml', 'big-200.yaml']) copyFileSync(join(REPO, 'samples', f), join(workspace, f));
  server = await startCodeServer({ extensionPath: REPO, folder: workspace, settings: { 'gossipScope.defaultSpeed': SPEED } });
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

async function openNetwork(file: string, peers: number): Promise<Frame> {
  await wb.runCommand('Gossip Scope: Open Network');
  await wb.pick(file);
  await wb.quickInputClosed();
  const webview = await wb.webviewFrame('[data-testid=peer-count]');
  await webview.waitForFunction((p) => document.querySelectorAll('[data-peer-id]').length === p, peers, { timeout: UI_WAIT_MS });
  return webview;
}

test('Pause clicked in the panel stops the run within a frame of what the panel showed', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const webview = await openNetwork('membership.yaml', 8);
  const overshoots: number[] = [];
  for (let i = 0; i < 5; i++) {
    await webview.locator('[data-testid=run]:not([disabled])').click();
    await waitRunningPast(webview, 1 + 3 * i);
    await wb.page.waitForTimeout(500 + 200 * i); // a different moment of a frame each time
    const f = await clickPauseAndMeasure(webview, UI_WAIT_MS);
    t.diagnostic(`clicked at ${f.clickedAt} s, stopped at ${f.pausedAt} s, "paused" after ${f.wallMs.toFixed(0)} ms`);
    assert.ok(f.overshoot >= -0.1, `the run stopped at ${f.pausedAt} s, before the ${f.clickedAt} s the panel showed`);
    overshoots.push(f.overshoot);
    // Paused means paused: the status stays where it stopped.
    await wb.page.waitForTimeout(300);
    const later = (await webview.locator('[data-testid=status]').innerText()).trim();
    assert.match(later, / · paused\b/);
    assert.equal(simSeconds(later), f.pausedAt);
  }
  await wb.screenshot('membership-paused');
  assert.ok(Math.max(...overshoots) <= OVERSHOOT_MAX_S, `Pause landed ${overshoots.map((o) => o.toFixed(3)).join(', ')} simulated seconds after the click (at most ${OVERSHOOT_MAX_S} s allowed)`);
});

test('a network too big to keep 5× says the speed it keeps', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const webview = await openNetwork('big-200.yaml', 200);
  await webview.locator('[data-testid=run]:not([disabled])').click();
  const status = webview.locator('[data-testid=status]', { hasText: /· running · [\d.]+× of 5× asked/ });
  await status.waitFor({ timeout: UI_WAIT_MS });
  await wb.screenshot('big-200-kept-speed');
  const kept = Number(/running · ([\d.]+)× of 5× asked/.exec(await status.innerText())![1]);
  assert.ok(kept > 0 && kept < 5, `kept ${kept}×`);
  const f = await clickPauseAndMeasure(webview, UI_WAIT_MS);
  t.diagnostic(`200 peers: clicked at ${f.clickedAt} s, stopped at ${f.pausedAt} s, "paused" after ${f.wallMs.toFixed(0)} ms`);
  assert.ok(f.overshoot <= OVERSHOOT_MAX_S);
  assert.doesNotMatch(f.after, /asked/, 'paused, the status says nothing of a speed');
});
