/**
 * The gossip debugger in a real VS Code (code-server in Debian's Chromium): start a debug session
 * on a scenario from the palette, step with the debug toolbar and see the graph panel, the Call
 * Stack and Variables follow; step back and see the network go back. Screenshots land in
 * test-results/e2e-debug/. Skips, saying why, only when code-server cannot be installed.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Frame } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../../scripts/code-server.mjs';
import { e2eUnavailable } from './prerequisites.js';
import { launchBrowser, Workbench, UI_WAIT_MS } from './workbench.js';

const REPO = join(__dirname, '..', '..');
const RESULTS = join(REPO, 'test-results', 'e2e-debug');
const STATUS = /Gossip [\d.]+ s ·/;

let unavailable: string | undefined;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let wb: Workbench;
let scratch: string;

function eventsIn(status: string): number {
  const m = /([\d,]+) events/.exec(status);
  assert.ok(m, `status bar reads "${status}"`);
  return Number(m[1].replace(/,/g, ''));
}

before(async () => {
  unavailable = e2eUnavailable();
  if (unavailable) return;
  scratch = mkdtempSync(join(tmpdir(), 'gossip-scope-e2e-debug-'));
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  copyFileSync(join(REPO, 'samples', 'two-orgs.yaml'), join(workspace, 'two-orgs.yaml'));
  server = await startCodeServer({ extensionPath: REPO, folder: workspace });
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

/** A button of the floating debug toolbar, by the start of its tooltip ("Step Over", "Step Back"). */
async function toolbar(label: string): Promise<void> {
  const button = wb.page.locator(`.debug-toolbar .action-item a[aria-label^="${label}"]`).first();
  await button.waitFor({ timeout: 30_000 });
  await button.click();
}

test('a debug session: the toolbar steps the network, the graph and the Call Stack follow, Step Back goes back', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await wb.runCommand('Gossip Scope: Debug Scenario');
  await wb.pick('two-orgs.yaml');
  // Stopped on entry: the toolbar is up and the panel draws the network.
  await wb.page.locator('.debug-toolbar').waitFor({ timeout: 30_000 });
  let webview: Frame = await wb.webviewFrame('[data-testid=peer-count]');
  assert.equal((await webview.locator('[data-testid=peer-count]').innerText()).match(/\d+/)?.[0], '8');
  assert.equal(eventsIn(await wb.statusItem(STATUS)), 0);
  // Before the first event no peer has started: not running, and drawn as not started (not crashed).
  assert.equal(await webview.locator('[data-peer-id][data-state=down]').count(), 8);
  assert.equal(await webview.locator('[data-peer-id][data-look=unstarted]').count(), 8);
  await wb.screenshot('debug-entry');

  // Each Step Over moves the network on by one step; the panel lists the messages sent. (The
  // first steps start the peers; the first messages follow.)
  let events = 0;
  const rows = () => webview.locator('[data-testid=message-row]').count();
  for (let i = 0; i < 40 && (i < 4 || (await rows()) === 0); i++) {
    await toolbar('Step Over');
    events = eventsIn(await wb.waitForStatus(STATUS, (s) => eventsIn(s) > events));
  }
  // The scenario opened beside the graph at the first stop; the graph is still in view.
  webview = await wb.webviewFrame('[data-testid=message-row]');
  assert.ok((await rows()) > 0);
  // The stepping moved the graph: the peers that started are drawn alive.
  assert.ok((await webview.locator('[data-peer-id][data-state=alive]').count()) > 0, 'no peer drawn alive after stepping');
  await wb.screenshot('debug-stepped');

  // The Call Stack lists peers as threads, and the stopped one shows its event and its causes.
  const callStack = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Call Stack' }) }).first();
  await callStack.locator('.monaco-list-row', { hasText: /peer\d\.org\d/ }).first().waitFor({ timeout: UI_WAIT_MS });
  await callStack.locator('.monaco-list-row', { hasText: /(send|deliver|timer|state|verify) .*@/ }).first().waitFor({ timeout: UI_WAIT_MS });
  // Variables shows the event, the peer and the network.
  const variables = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Variables' }) }).first();
  await variables.locator('.monaco-list-row', { hasText: 'Network' }).first().waitFor({ timeout: UI_WAIT_MS });
  assert.ok((await variables.locator('.monaco-list-row', { hasText: /^Peer / }).count()) + (await variables.locator('.monaco-list-row', { hasText: 'Event' }).count()) > 0);
  await wb.screenshot('debug-call-stack');

  // Step Back: the network is as it was one step before, connections and all (the panel
  // starts over at that moment and used to draw none), whichever way the moment is reached.
  const edges = () => webview.evaluate(() => (window as unknown as { gossipScopeProbe: { edges: number } }).gossipScopeProbe.edges);
  const edgesReach = async (want: number, what: string) => {
    const deadline = Date.now() + UI_WAIT_MS;
    while ((await edges()) !== want && Date.now() < deadline) await wb.page.waitForTimeout(200);
    assert.equal(await edges(), want, `connections drawn ${what}`);
  };
  const note = () => webview.locator('[data-testid=step-note]').innerText();
  const moments: { events: number; edges: number }[] = [];
  for (let i = 0; i < 60 && (moments.length < 2 || moments.at(-2)!.edges === 0); i++) {
    await toolbar('Step Over');
    events = eventsIn(await wb.waitForStatus(STATUS, (s) => eventsIn(s) > events));
    await wb.page.waitForTimeout(600); // the edge layer works out live connections twice a second
    moments.push({ events, edges: await edges() });
  }
  const [earlier, later] = moments.slice(-2);
  assert.ok(earlier.edges > 0, `no connection drawn after ${earlier.events} events`);
  await toolbar('Step Back');
  const back = eventsIn(await wb.waitForStatus(STATUS, (s) => eventsIn(s) < later.events));
  assert.equal(back, earlier.events);
  webview = await wb.webviewFrame('[data-testid=message-row]');
  // The note comes after the panel has started over at that moment: then its connections count.
  await webview.locator('[data-testid=step-note]', { hasText: /^Stepped back to \d/ }).waitFor({ timeout: UI_WAIT_MS });
  await wb.page.waitForTimeout(600);
  await edgesReach(earlier.edges, 'after Step Back');
  await wb.screenshot('debug-stepped-back');
  await toolbar('Step Over');
  assert.equal(eventsIn(await wb.waitForStatus(STATUS, (s) => eventsIn(s) > back)), later.events);
  await edgesReach(later.edges, 'after stepping forward to the same moment again');
  assert.match(await note(), /^Step at \d/);
  // The panel's own Step Back goes back too.
  await webview.locator('[data-testid=step-back]:not([disabled])').click();
  assert.equal(eventsIn(await wb.waitForStatus(STATUS, (s) => eventsIn(s) < later.events)), earlier.events);
  webview = await wb.webviewFrame('[data-testid=message-row]');
  await webview.locator('[data-testid=step-note]', { hasText: /^Stepped back to \d/ }).waitFor({ timeout: UI_WAIT_MS });
  await wb.page.waitForTimeout(600);
  await edgesReach(earlier.edges, 'after the panel\'s Step Back');

  // Continue, then Pause (or the end of the run): the note tells the step it stopped on, at its own time.
  await toolbar('Continue');
  await wb.page.waitForTimeout(1500);
  await toolbar('Pause').catch(() => undefined); // already stopped at the end: nothing to pause
  const stopped = await wb.waitForStatus(STATUS, (s) => eventsIn(s) > later.events + 200);
  webview = await wb.webviewFrame('[data-testid=step-note]');
  const at = (await webview.locator('[data-testid=status]').innerText()).split(' of ')[0];
  await webview.locator('[data-testid=step-note]', { hasText: `Stopped at ${at} (pause)` }).waitFor({ timeout: UI_WAIT_MS });
  assert.ok(eventsIn(stopped) > 0);
  await wb.screenshot('debug-continued-paused');

  await toolbar('Stop');
  await wb.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: UI_WAIT_MS });
  // The scenario the session opened offers Open Network and Debug Scenario in its title bar.
  await wb.page.locator('.tab', { hasText: 'two-orgs.yaml' }).first().click();
  await wb.page.locator('.editor-actions .action-label[aria-label="Debug Scenario"]').first().waitFor({ timeout: UI_WAIT_MS });
  await wb.page.locator('.editor-actions .action-label[aria-label="Open Network"]').first().waitFor({ timeout: UI_WAIT_MS });
});

test('F5 with the panel already open: the graph moves to its own group beside the scenario; after Stop the status bar shows the network it showed before', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await wb.runCommand('Gossip Scope: Open Network');
  await wb.pick('two-orgs.yaml');
  await wb.quickInputClosed();
  await wb.webviewFrame('[data-testid=peer-count]');
  const own = await wb.waitForStatus(STATUS, (s) => eventsIn(s) === 0);
  // The scenario opened as a tab in the panel's own group: the layout the issue was seen with.
  await wb.page.keyboard.press('Control+P');
  await wb.pick('two-orgs.yaml');
  await wb.page.locator('.tab.active', { hasText: 'two-orgs.yaml' }).first().waitFor({ timeout: UI_WAIT_MS });
  await wb.runCommand('Gossip Scope: Debug Scenario');
  await wb.page.locator('.debug-toolbar').waitFor({ timeout: 30_000 });
  const groupOf = (tab: string) =>
    wb.page.evaluate((label) => {
      const groups = Array.from(document.querySelectorAll('.editor-group-container'));
      return groups.findIndex((g) => Array.from(g.querySelectorAll('.tab')).some((t) => (t.textContent ?? '').includes(label)));
    }, tab);
  await wb.page.waitForFunction(() => document.querySelectorAll('.editor-group-container').length >= 2, undefined, { timeout: UI_WAIT_MS });
  const [scenario, graph] = [await groupOf('two-orgs.yaml'), await groupOf('Gossip Scope')];
  assert.ok(scenario >= 0 && graph >= 0 && scenario !== graph, `the scenario (group ${scenario}) and the graph (group ${graph}) side by side`);
  await wb.screenshot('debug-beside');
  await toolbar('Step Over');
  await toolbar('Stop');
  await wb.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: UI_WAIT_MS });
  // No stale debug status: the status bar shows the network opened by hand again.
  const after = await wb.waitForStatus(STATUS, (s) => eventsIn(s) === 0);
  assert.equal(after.replace(/^\S+ /, ''), own.replace(/^\S+ /, ''));
});
