/**
 * Gossip Scope in a real VS Code: code-server (installed on first use) with this repo as an
 * extension, driven in Debian's Chromium as a person would: command palette, quick picks, the
 * panel, the Peers view, the status bar. Screenshots of every step land in test-results/e2e/.
 * Skips, saying why, only when code-server cannot be installed on this machine.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../../scripts/code-server.mjs';
import { e2eUnavailable } from './prerequisites.js';
import { launchBrowser, Workbench, UI_WAIT_MS } from './workbench.js';

const REPO = join(__dirname, '..', '..');
const RESULTS = join(REPO, 'test-results', 'e2e');
const PEERS = 8; // samples/membership.yaml: two orgs of four
/** Our status bar item (not the "Gossip Scope: opening …" progress item). */
const STATUS = /Gossip [\d.]+ s ·/;

let unavailable: string | undefined;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let wb: Workbench;
let scratch: string;
let workspace: string;
/** The webview is the protocol probe (test/e2e/probe-webview.js), not the real one. */
let probe = false;

/** Events and simulated seconds from the status bar item ("Gossip 1.2 s · 345 events · paused · 1×"). */
function parseStatus(text: string): { seconds: number; events: number; state: string } {
  const m = /Gossip ([\d.]+) s · ([\d,]+) events · (\w+)/.exec(text);
  assert.ok(m, `status bar reads "${text}"`);
  return { seconds: Number(m[1]), events: Number(m[2].replace(/,/g, '')), state: m[3] };
}

/**
 * The extension as code-server loads it: the repo itself or, while the webview is not built, a
 * copy of it (links) whose dist/webview.js is the protocol probe, so the host side is still
 * tested in a real webview.
 */
function extensionUnderTest(scratch: string): { path: string; probe: boolean } {
  if (existsSync(join(REPO, 'dist', 'webview.js'))) return { path: REPO, probe: false };
  const copy = join(scratch, 'extension');
  mkdirSync(join(copy, 'dist'), { recursive: true });
  for (const entry of ['package.json', 'engine', 'samples', 'media']) symlinkSync(join(REPO, entry), join(copy, entry));
  for (const file of readdirSync(join(REPO, 'dist'))) symlinkSync(join(REPO, 'dist', file), join(copy, 'dist', file));
  copyFileSync(join(__dirname, 'probe-webview.js'), join(copy, 'dist', 'webview.js'));
  writeFileSync(join(copy, 'dist', 'webview.css'), '');
  return { path: copy, probe: true };
}

before(async () => {
  unavailable = e2eUnavailable();
  if (unavailable) return;
  // A scratch workspace, so exported traces and broken scenarios never land in the repo.
  scratch = mkdtempSync(join(tmpdir(), 'gossip-scope-e2e-'));
  workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  copyFileSync(join(REPO, 'samples', 'membership.yaml'), join(workspace, 'membership.yaml'));
  const extension = extensionUnderTest(scratch);
  probe = extension.probe;
  server = await startCodeServer({ extensionPath: extension.path, folder: workspace, settings: { 'gossipScope.defaultSpeed': 5 } });
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

test('Open Network draws every peer of samples/membership.yaml', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await wb.screenshot('workbench');
  await wb.runCommand('Gossip Scope: Open Network');
  await wb.pick('membership.yaml');
  await wb.quickInputClosed();
  const status = parseStatus(await wb.statusItem(STATUS));
  assert.deepEqual(status, { seconds: 0, events: 0, state: 'paused' });
  // The webview draws one element per peer and says how many.
  if (probe) t.diagnostic('dist/webview.js is not built yet: the webview is the protocol probe');
  const webview = await wb.webviewFrame('[data-testid=peer-count]');
  assert.equal((await webview.locator('[data-testid=peer-count]').innerText()).match(/\d+/)?.[0], String(PEERS));
  assert.equal(await webview.locator('[data-peer-id]').count(), PEERS);
  await wb.screenshot('network-opened');
  if (probe) {
    // The probe asked the host for peer 0's details: the request went through the worker and back.
    await webview.locator('[data-testid=peer-detail]', { hasText: 'peer0.org1' }).waitFor();
  }

  // The Peers view lists both orgs and every peer.
  await wb.showActivity('Gossip Scope');
  await wb.page.locator('.monaco-list-row', { hasText: 'peer3.org2' }).waitFor();
  const rows = await wb.treeRows('Peers');
  assert.deepEqual(rows.filter((r) => r.startsWith('Org')).map((r) => r.split('\n')[0]), ['Org1MSP', 'Org2MSP']);
  assert.equal(rows.filter((r) => /^peer\d\.org\d/.test(r)).length, PEERS);
  await wb.screenshot('peers-view');
});

test('Step executes one event at a time, and the status bar follows', async (t) => {
  if (unavailable) return t.skip(unavailable);
  let events = 0;
  const counts: number[] = [];
  for (let i = 0; i < 3; i++) {
    await wb.runCommand('Gossip Scope: Step');
    const text = await wb.waitForStatus(STATUS, (s) => parseStatus(s).events > events);
    events = parseStatus(text).events;
    counts.push(events);
  }
  assert.equal(parseStatus(await wb.statusItem(STATUS)).state, 'paused');
  await wb.screenshot('stepped');
  if (probe) return; // the protocol probe has no toolbar
  // The panel's Step Back: the network as it was before the last step, said in the step note.
  await (await wb.webviewFrame('[data-testid=step-back]')).locator('[data-testid=step-back]:not([disabled])').click();
  const back = parseStatus(await wb.waitForStatus(STATUS, (s) => parseStatus(s).events < events));
  assert.equal(back.events, counts[1], `stepped to ${counts.join(', ')} events, back to ${back.events}`);
  const webview = await wb.webviewFrame('[data-testid=step-note]');
  await webview.locator('[data-testid=step-note]', { hasText: /^Stepped back to \d/ }).waitFor({ timeout: UI_WAIT_MS });
  assert.match(await webview.locator('[data-testid=status]').innerText(), new RegExp(`${back.events.toLocaleString('en-US')} events? · paused`));
  await wb.screenshot('stepped-back');
  // And forward again: the same step as before.
  await webview.locator('[data-testid=step]:not([disabled])').click();
  assert.equal(parseStatus(await wb.waitForStatus(STATUS, (s) => parseStatus(s).events > back.events)).events, counts[2]);
});

test('Run advances simulated time, Pause stops it', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await wb.runCommand('Gossip Scope: Run');
  await wb.waitForStatus(STATUS, (s) => parseStatus(s).state === 'running' && parseStatus(s).seconds >= 3);
  await wb.screenshot('running');
  await wb.runCommand('Gossip Scope: Pause');
  const paused = parseStatus(await wb.waitForStatus(STATUS, (s) => parseStatus(s).state === 'paused'));
  await wb.page.waitForTimeout(500);
  assert.equal(parseStatus(await wb.statusItem(STATUS)).seconds, paused.seconds, 'no time passes while paused');
  // The Peers view refreshes at its own pace: wait for it to show the paused network. Paused
  // while a block is on its way (where depends on the machine's pace), the peer reads "behind".
  await wb.page.locator('.monaco-list-row', { hasText: /peer0\.org1\s*(alive|behind) .*sees 7/ }).first().waitFor({ timeout: UI_WAIT_MS });
  await wb.screenshot('paused');
});

test('Inject Fault crashes a peer: the Peers view shows it dead', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await wb.runCommand('Gossip Scope: Inject Fault…');
  await wb.pick('Crash a peer', { filter: false });
  await wb.pick('peer1.org2');
  await wb.page.locator('.monaco-list-row', { hasText: /peer1\.org2\s*dead/ }).waitFor({ timeout: UI_WAIT_MS });
  await wb.screenshot('peer-crashed');
});

test('A paused peer and a partition look as they are: the graph, the peer list and the fault bar say so until they end', async (t) => {
  if (unavailable) return t.skip(unavailable);
  if (probe) return t.skip('dist/webview.js is not built: the protocol probe has no graph');
  const webview = await wb.webviewFrame('[data-testid=peer-count]');
  await wb.runCommand('Gossip Scope: Inject Fault…');
  await wb.pick('Pause a peer', { filter: false });
  await wb.pick('peer2.org1');
  await webview.locator('[data-testid=fault-chip][data-kind=pause]', { hasText: 'peer2.org1 paused' }).waitFor({ timeout: UI_WAIT_MS });
  await webview.locator('[data-peer-id="peer2.org1"][data-look=paused]').waitFor({ timeout: UI_WAIT_MS });
  assert.match((await webview.locator('[data-peer-id="peer2.org1"]').getAttribute('aria-label')) ?? '', /paused/);
  const looks = (i: number) => webview.evaluate((k) => (window as any).gossipScopeProbe.peerClasses(k) as string[], i);
  assert.ok((await looks(2)).includes('paused'), 'the graph draws peer2.org1 paused');
  await wb.page.locator('.monaco-list-row', { hasText: /peer2\.org1\s*paused/ }).waitFor({ timeout: UI_WAIT_MS });
  // The panel's own partition tool: select two peers in the peer list, split them off.
  await webview.locator('[data-peer-id="peer0.org2"]').click();
  await webview.locator('[data-peer-id="peer2.org2"]').click({ modifiers: ['Control'] });
  await webview.locator('[data-testid=partition]:not([disabled])').click();
  await webview.locator('[data-testid=fault-chip][data-kind=partition]').waitFor({ timeout: UI_WAIT_MS });
  await webview.locator('[data-testid=fault-notice]', { hasText: 'partition' }).waitFor({ timeout: UI_WAIT_MS });
  assert.ok((await looks(4)).includes('faulted'), 'a peer cut off carries the fault mark');
  // Run a little: the links the partition cut are drawn as cut.
  await wb.runCommand('Gossip Scope: Run');
  await webview.waitForFunction(() => (window as any).gossipScopeProbe.cutLinks > 0, undefined, { timeout: 30_000 });
  await wb.runCommand('Gossip Scope: Pause');
  await wb.screenshot('paused-and-partitioned');
  // Healed and resumed: the marks go with the faults.
  await webview.locator('[data-testid=heal]').click();
  await webview.locator('[data-testid=fault-chip][data-kind=partition]').waitFor({ state: 'detached', timeout: UI_WAIT_MS });
  await wb.runCommand('Gossip Scope: Inject Fault…');
  await wb.pick('Resume a paused peer', { filter: false });
  await wb.pick('peer2.org1');
  await webview.locator('[data-testid=fault-chip][data-kind=pause]').waitFor({ state: 'detached', timeout: UI_WAIT_MS });
  assert.ok(!(await looks(2)).includes('paused'));
  assert.ok(!(await looks(4)).includes('faulted'));
  await wb.screenshot('healed-and-resumed');
});

test('The graph marks the crashed peer; a message opens in the inspector with its verified signature', async (t) => {
  if (unavailable) return t.skip(unavailable);
  if (probe) return t.skip('dist/webview.js is not built: the protocol probe has no inspector');
  const webview = await wb.webviewFrame('[data-testid=peer-count]');
  await webview.locator('[data-peer-id="peer1.org2"][data-state=down]').waitFor({ timeout: UI_WAIT_MS });
  // The first alive messages go out at 5s (aliveTimeInterval): run past that.
  await wb.runCommand('Gossip Scope: Run');
  await wb.waitForStatus(STATUS, (s) => parseStatus(s).seconds >= 6);
  await wb.runCommand('Gossip Scope: Pause');
  // Only delivered alive messages: every one of them passed its receiver's signature check.
  await webview.locator('[data-testid=filter-type]').selectOption('AliveMessage');
  await webview.locator('[data-testid=filter-verdict]').selectOption('ok');
  const row = webview.locator('[data-testid=message-row][data-type=AliveMessage]').first();
  await row.waitFor({ timeout: UI_WAIT_MS });
  await row.click();
  const inspector = webview.locator('[data-testid=inspector]');
  await inspector.locator('[data-testid=inspector-title]', { hasText: 'AliveMessage' }).waitFor({ timeout: UI_WAIT_MS });
  const text = await inspector.innerText();
  assert.match(text, /low-S\s+✓/);
  assert.match(text, /MSP ID\s+Org[12]MSP/);
  assert.match(text, /CN=peer\d\.org\d\.example\.com/);
  assert.match(await inspector.locator('[data-testid=verdicts]').innerText(), /✓ valid/);
  await wb.screenshot('message-inspector');
  await webview.locator('[data-testid=filter-verdict]').selectOption('all');
  // The lesson beside the graph: its notes and its three expectations, ticked as they come true.
  const lesson = webview.locator('[data-testid=lesson]');
  assert.match(await lesson.innerText(), /AliveMessage every 5s/);
  assert.equal(await lesson.locator('[data-testid=expectation]').count(), 3);
  await wb.screenshot('lesson');
});

test('Tampering with a message from Inject Fault: the receivers reject it', async (t) => {
  if (unavailable) return t.skip(unavailable);
  if (probe) return t.skip('dist/webview.js is not built: the protocol probe has no message list');
  // From the start, at 1×: a run the tests before left finished would send nothing more to tamper
  // with. Past 1.5 s every peer has started (peers.startWindow 1s), so the wizard lists them.
  await wb.runCommand('Gossip Scope: Reset');
  await wb.waitForStatus(STATUS, (s) => parseStatus(s).seconds === 0);
  await wb.runCommand('Gossip Scope: Set Speed…');
  await wb.pick('1× (real time)', { filter: false });
  await wb.runCommand('Gossip Scope: Run');
  await wb.waitForStatus(STATUS, (s) => parseStatus(s).seconds >= 1.5);
  await wb.runCommand('Gossip Scope: Inject Fault…');
  await wb.pick('Tamper with the next message from a peer', { filter: false });
  await wb.pick('peer0.org1');
  await wb.pick('AliveMessage', { filter: false });
  await wb.pick('Strip the signature', { filter: false });
  // Ten: a tampered copy that reaches a peer already holding the message is dropped unchecked.
  await wb.pick('The next 10', { filter: false });
  await wb.quickInputClosed(); // the choice is taken before the palette opens again
  await wb.runCommand('Gossip Scope: Run');
  let webview = await wb.webviewFrame('[data-testid=peer-count]');
  await webview.locator('[data-testid=filter-type]').selectOption('');
  await webview.locator('[data-testid=filter-verdict]').selectOption('rejected');
  await webview.locator('[data-testid=message-row][data-kind=reject]', { hasText: 'Invalid alive message' }).first().waitFor({ timeout: 30_000 });
  await wb.runCommand('Gossip Scope: Pause');
  await wb.screenshot('tampered-rejected');
  // A rejected row opens its message: one journey, the copy that lost its signature in flight, why it was refused.
  const rejectedRow = webview.locator('[data-testid=message-row][data-kind=reject]', { hasText: 'Invalid alive message' }).first();
  const rejectedMsg = await rejectedRow.getAttribute('data-msg');
  assert.ok(rejectedMsg, 'the rejected row names its message');
  await rejectedRow.click();
  const inspector = webview.locator('[data-testid=inspector]');
  await inspector.locator('[data-testid=inspector-title]', { hasText: `Message #${rejectedMsg}: AliveMessage` }).waitFor({ timeout: UI_WAIT_MS });
  assert.match(await inspector.locator('[data-testid=tampered]').innerText(), /signature stripped[\s\S]*bytes removed at envelope byte \d+[\s\S]*refused it: Invalid alive message/);
  // The journey is one message: its sends and the tamper (its refusal may sit past the list's
  // first rows on a widely forwarded alive message; the section above names it).
  assert.match(await inspector.locator('[data-testid=journey]').innerText(), /sent[\s\S]*tampered in flight: signature stripped/);
  await wb.screenshot('tampered-rejected-opened');
  // The peer menu's "Tamper with its next alive message": the tampered copy is a row of its own,
  // and opens with the byte that changed, marked as sent and as received.
  await webview.locator('[data-testid=filter-verdict]').selectOption('problems');
  await webview.locator('[data-testid=filter-type]').selectOption('AliveMessage');
  await webview.locator('[data-peer-id="peer0.org2"]').click({ button: 'right' });
  await webview.locator('[data-testid=fault-menu] vscode-context-menu-item', { hasText: 'Tamper with its next alive message' }).click();
  await wb.runCommand('Gossip Scope: Run');
  const flipped = webview.locator('[data-testid=message-row][data-kind=fault]', { hasText: 'flipped' }).first();
  await flipped.waitFor({ timeout: 30_000 });
  await wb.runCommand('Gossip Scope: Pause');
  const flippedMsg = await flipped.getAttribute('data-msg');
  await flipped.click();
  await inspector.locator('[data-testid=inspector-title]', { hasText: `Message #${flippedMsg}: AliveMessage` }).waitFor({ timeout: UI_WAIT_MS });
  assert.match(await inspector.locator('[data-testid=tamper-what]').first().innerText(), /peer0\.org2 → peer\d\.org\d: payload byte \d+ flipped/);
  assert.match(await inspector.locator('[data-testid=tamper-changed]').first().innerText(), /envelope byte \d+ \(0x[0-9a-f]+\): [0-9a-f]{2} → [0-9a-f]{2}/);
  assert.equal(await inspector.locator('[data-testid=tamper-sent] mark.changed-byte').first().count(), 1);
  assert.equal(await inspector.locator('[data-testid=tamper-received] mark.changed-byte').first().count(), 1);
  await inspector.locator('[data-testid=tampered]').scrollIntoViewIfNeeded();
  await wb.screenshot('tampered-flip-opened');
  await webview.locator('[data-testid=filter-type]').selectOption('');
  await webview.locator('[data-testid=filter-verdict]').selectOption('all');
  // Hidden behind another editor and shown again, the panel keeps its message list and timeline.
  const rowsBefore = await webview.locator('[data-testid=message-row]').count();
  assert.ok(rowsBefore > 0);
  await wb.runCommand('Help: Welcome');
  await wb.runCommand('Gossip Scope: Show Network Panel');
  webview = await wb.webviewFrame('[data-testid=message-row]');
  assert.ok((await webview.locator('[data-testid=message-row]').count()) > 0, 'the message list is empty after hiding the panel');
  // The rejections from before hiding are still there.
  await webview.locator('[data-testid=filter-verdict]').selectOption('rejected');
  await webview.locator('[data-testid=message-row][data-kind=reject]', { hasText: 'Invalid alive message' }).first().waitFor({ timeout: 10_000 });
  await webview.locator('[data-testid=filter-verdict]').selectOption('all');
  await wb.screenshot('shown-again');
  // The Peers view lists recent rejections apart from drops (however many drops there are);
  // clicking one opens it in the inspector.
  const recent = wb.page.locator('.monaco-list-row', { hasText: 'Recent rejections' });
  // The activity item toggles the side bar: click it only when the view is not showing.
  if (!(await recent.isVisible())) await wb.showActivity('Gossip Scope');
  await recent.click();
  const rejected = wb.page.locator('.monaco-list-row', { hasText: 'rejected' }).first();
  await rejected.waitFor({ timeout: 10_000 });
  await rejected.click();
  // The inspector opens that message (or says it has left the kept trace).
  await webview.locator('[data-testid=inspector]', { hasText: /Message #\d+/ }).waitFor({ timeout: 10_000 });
  await wb.screenshot('recent-rejection-inspected');
});

test('Show Metrics opens the run summary', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await wb.runCommand('Gossip Scope: Show Metrics');
  await wb.page.locator('.view-lines', { hasText: 'Gossip Scope metrics: membership' }).waitFor({ timeout: UI_WAIT_MS });
  await wb.screenshot('metrics');
});

test('Export Trace writes JSON Lines where the save dialog says', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await wb.runCommand('Gossip Scope: Export Trace…');
  // code-server's save dialog is a quick input holding the proposed path: accept it.
  const input = wb.page.locator('.quick-input-widget input.input').first();
  await input.waitFor();
  await wb.page.waitForFunction(() => (document.querySelector('.quick-input-widget input.input') as HTMLInputElement | null)?.value.endsWith('.jsonl'));
  await wb.screenshot('export-dialog');
  await wb.page.keyboard.press('Enter');
  const file = join(workspace, 'membership.trace.jsonl');
  await wb.page.locator('.notification-toast', { hasText: 'exported' }).waitFor({ timeout: UI_WAIT_MS });
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  assert.equal(JSON.parse(lines[0]).peers.length, PEERS);
  assert.ok(lines.length > 10);
  await wb.screenshot('exported');
});

test('Open Trace for Replay recomputes the exported run and finds the same trace hash', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await wb.runCommand('Gossip Scope: Open Trace for Replay…');
  await wb.chooseFile(join(workspace, 'membership.trace.jsonl'));
  await wb.screenshot('open-trace-after-enter');
  await wb.page.locator('.notification-toast', { hasText: 'replaying' }).first().waitFor({ timeout: UI_WAIT_MS });
  // The replay plays at the panel's speed (5× here): the verdict comes at the end of the run, so
  // let it run as fast as the machine can, or a loaded one takes minutes.
  await wb.runCommand('Gossip Scope: Set Speed…');
  await wb.pick('As fast as possible', { filter: false });
  await wb.runCommand('Gossip Scope: Run');
  // Either verdict ends the wait, so a divergence fails with its own words, not a timeout.
  const verdict = wb.page.locator('.notification-toast', { hasText: /Replay (reproduced|diverged)/ }).first();
  await verdict.waitFor({ timeout: 2 * UI_WAIT_MS }).catch(async (e) => {
    await wb.screenshot('replay-no-verdict');
    throw e;
  });
  assert.match(await verdict.innerText(), /Replay reproduced the saved run exactly/);
  await wb.screenshot('replayed');
});

test('Set Speed and Reset', async (t) => {
  if (unavailable) return t.skip(unavailable);
  // The replay above left it at "as fast as possible": choose another.
  await wb.runCommand('Gossip Scope: Set Speed…');
  await wb.pick('20×', { filter: false });
  await wb.waitForStatus(STATUS, (s) => s.endsWith('· 20×'));
  await wb.runCommand('Gossip Scope: Reset');
  const status = parseStatus(await wb.waitForStatus(STATUS, (s) => parseStatus(s).events === 0));
  assert.deepEqual(status, { seconds: 0, events: 0, state: 'paused' });
  assert.match(await wb.statusItem(STATUS), /· 20×$/, 'a reset keeps the speed');
  await wb.page.locator('.monaco-list-row', { hasText: /peer1\.org2\s*not started/ }).waitFor({ timeout: UI_WAIT_MS });
  await wb.screenshot('reset');
});

test('Add Invariant…: a typo comes back with its reason, and the run stops where the invariant breaks', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await wb.runCommand('Gossip Scope: Add Invariant…');
  const input = wb.page.locator('.quick-input-widget input.input').first();
  await wb.page.locator('.quick-input-widget', { hasText: 'Add Invariant' }).waitFor();
  await input.fill('members(peer0.org1) < ');
  await wb.page.keyboard.press('Enter');
  // Refused, the box comes back holding the text, with the parser's reason under it.
  await wb.page.locator('.quick-input-widget', { hasText: 'Not added: the expression ends too soon' }).waitFor({ timeout: UI_WAIT_MS });
  await wb.screenshot('invariant-refused');
  assert.equal(await input.inputValue(), 'members(peer0.org1) <');
  await input.fill('members(peer0.org1) < 3');
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.notification-toast', { hasText: 'invariant added: members(peer0.org1) < 3' }).first().waitFor({ timeout: UI_WAIT_MS });
  // peer0.org1 comes to see three peers alive within its first seconds, whatever the run
  // before left open (the replayed trace may end early), and the run stops right there.
  await wb.runCommand('Gossip Scope: Run');
  const warning = wb.page.locator('.notification-toast', { hasText: /invariant broken at [\d.]+s \(event \d+\): members\(peer0\.org1\) < 3/ }).first();
  await warning.waitFor({ timeout: 2 * UI_WAIT_MS });
  const brokeAt = Number(/invariant broken at ([\d.]+)s/.exec(await warning.innerText())![1]);
  const status = parseStatus(await wb.waitForStatus(STATUS, (s) => parseStatus(s).state === 'paused'));
  assert.ok(Math.abs(status.seconds - brokeAt) < 0.1, `stopped at ${status.seconds} s, broken at ${brokeAt} s`);
  const webview = await wb.webviewFrame('[data-testid=invariant-broken]');
  assert.match(await webview.locator('[data-testid=invariant-broken]').first().innerText(), /members\(peer0\.org1\) < 3: no longer holds/);
  assert.match(await webview.locator('[data-testid=invariant-query]').first().innerText(), /✗ members\(peer0\.org1\) < 3 \(added here\)/);
  await wb.screenshot('invariant-broken');
});

test('After a window reload the panel comes back with the same network', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await wb.page.reload();
  await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const webview = await wb.webviewFrame('[data-testid=peer-count]', 60_000);
  assert.equal(await webview.locator('[data-peer-id]').count(), PEERS);
  assert.equal(parseStatus(await wb.statusItem(STATUS)).seconds, 0, 'it reopens from the start');
  await wb.screenshot('after-reload');
});

test('A broken scenario gets its loader errors in the Problems view', async (t) => {
  if (unavailable) return t.skip(unavailable);
  writeFileSync(join(workspace, 'broken.yaml'), 'name: broken\norgs:\n  - { mspId: Org1MSP, peers: 4, anchorPeers: [peer9] }\nchannels:\n  - { name: mychannel, orgs: [Org1MSP] }\n');
  await wb.page.keyboard.press('Escape');
  await wb.page.keyboard.press('Control+P');
  await wb.pick('broken.yaml');
  await wb.page.keyboard.press('Control+Shift+M');
  const problem = wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'peer9' }).first();
  await problem.waitFor({ timeout: UI_WAIT_MS });
  assert.match(await problem.innerText(), /peer9/);
  await wb.screenshot('problems');
});
