/**
 * The webview in Chromium, outside VS Code: the real bundle in test/webview/harness.html, under
 * a strict Content-Security-Policy, fed a recorded run of the engine by the harness's fake host.
 * Screenshots go to test-results/webview/. Skipped (not failed) when Chromium is not installed:
 * `apt-get install -y chromium` (or test/setup/install-chromium.sh as root).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumUnavailable, harnessUrl, launchChromium, REPO, serveRepo } from './harness-server.mjs';
import { ensureRecording } from './record-frames.js';

const SHOTS = join(REPO, 'test-results', 'webview');
const unavailable = chromiumUnavailable();
let server: { url: string; close(): Promise<void> } | undefined;
let browser: Browser | undefined;
let page: Page;
let shots = 0;
const pageErrors: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${String(++shots).padStart(2, '0')}-${name}.png`) });
}

async function open(options: { net?: string; theme?: 'dark' | 'light' | 'high-contrast' } = {}): Promise<Page> {
  const p = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  p.on('pageerror', (e) => pageErrors.push(e.message));
  await p.goto(harnessUrl(server!.url, options));
  await p.locator('[data-testid=peer-count]').waitFor({ timeout: 30_000 });
  return p;
}

/** Replays every recorded frame and waits until the webview has them all. */
async function replayAll(p: Page): Promise<void> {
  await p.evaluate(() => (window as unknown as { fakeHost: { sendAll(): void } }).fakeHost.sendAll());
  await p.locator('[data-testid=status]', { hasText: 'finished' }).waitFor();
  await p.waitForTimeout(400); // the list and graph apply batched changes a few times a second
}

/** Polls until `check` returns a truthy value (the list re-renders on the next animation frame). */
async function eventually<T>(what: string, check: () => Promise<T | null>, timeout = 20_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The rows' values of an attribute, once every row has the expected one. */
const rowsAll = (attr: string, value: string) =>
  eventually(`every row with ${attr}=${value}`, async () => {
    const values = await page.locator('[data-testid=message-row]').evaluateAll((rs, a) => rs.map((r) => r.getAttribute(a)), attr);
    return values.length > 0 && values.every((v) => v === value) ? values : null;
  });

/** The list is virtual (only the rows in sight exist): scrolls it down until `row` is drawn. */
async function scrollListTo(row: ReturnType<Page['locator']>, what: string): Promise<void> {
  const scroller = page.locator('.messages .rows');
  for (let y = 0; (await row.count()) === 0; y += 100) {
    assert.ok(y < 40_000, `${what} is in the list`);
    await scroller.evaluate((el, top) => (el.scrollTop = top), y);
    await page.waitForTimeout(50);
  }
}

const posted = (p: Page) => p.evaluate(() => (window as unknown as { fakeHost: { posted: { type: string }[] } }).fakeHost.posted);

before(async () => {
  if (unavailable) return;
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  // scripts/test.mjs builds once before the files run in parallel (two builds at once race on dist/).
  const build = process.env.GOSSIP_SCOPE_BUILT === '1' ? { status: 0 } : spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });
  assert.equal(build.status, 0, 'the build failed');
  await ensureRecording('100');
  await ensureRecording('500');
  server = await serveRepo();
  browser = await launchChromium();
  page = await open();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('draws every peer of a 100-peer network, with no CSP violation', async (t) => {
  if (unavailable) return t.skip(unavailable);
  assert.equal(await page.locator('[data-testid=peer-count]').innerText(), '100');
  assert.equal(await page.locator('[data-peer-id]').count(), 100);
  assert.equal(await page.locator('[data-peer-id="peer0.org1"]').count(), 1);
  assert.deepEqual((await posted(page))[0], { type: 'ready' });
  await replayAll(page);
  // The crashed peer of the recording (peer1.org2, at 2s) is drawn down.
  await page.locator('[data-peer-id="peer1.org2"][data-state=down]').waitFor();
  assert.ok((await page.locator('[data-peer-id][data-state=alive]').count()) >= 90);
  assert.deepEqual(await page.evaluate(() => (window as unknown as { fakeHost: { cspViolations: string[] } }).fakeHost.cspViolations), []);
  await shot('network-100');
});

test('clicking a peer in the graph fills the inspector with its views', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const at = await page.evaluate(() => (window as unknown as { gossipScopeProbe: { peerAt(i: number): { x: number; y: number } | null } }).gossipScopeProbe.peerAt(5));
  assert.ok(at, 'peer 5 has a position');
  await page.mouse.click(at.x, at.y);
  const inspector = page.locator('[data-testid=inspector]');
  await inspector.locator('[data-testid=inspector-title]', { hasText: 'peer5.org1' }).waitFor();
  assert.deepEqual((await posted(page)).filter((m) => m.type === 'inspectPeer').at(-1), { type: 'inspectPeer', idx: 5 });
  assert.match(await inspector.locator('[data-testid=membership-alive] h3').innerText(), /ALIVE MEMBERS \(\d+\)/i);
  assert.match(await inspector.locator('[data-testid=membership-alive]').innerText(), /last heard .* ago/);
  assert.match(await inspector.locator('[data-testid=peer-channels]').innerText(), /mychannel\s+height \d+/);
  assert.match(await inspector.locator('[data-testid=stateinfo]').innerText(), /height \d+/);
  await inspector.locator('[data-testid=world-state]').waitFor();
  assert.ok(await page.locator('[data-peer-id="peer5.org1"].selected').count(), 'the peer list marks it selected');
  await shot('peer-inspector');
});

test('a crashed peer says who declared it dead and when: under it in the graph, in the peer list and in the inspector', async (t) => {
  if (unavailable) return t.skip(unavailable);
  // The recording crashes peer1.org2 (index 26) at 2 s; the others presume it dead within seconds.
  const label = await eventually('its label', async () => {
    const l = await page.evaluate(() => (window as any).gossipScopeProbe.peerLabel(26) as string);
    return /\n/.test(l) ? l : null;
  });
  const m = /^peer1\ndead to (\d+)\/(\d+) · (\d+\.\d+)s$/.exec(label);
  assert.ok(m, `the graph's label reads "${label}"`);
  const [by, of, at] = [Number(m[1]), Number(m[2]), Number(m[3])];
  assert.ok(by > 0 && by <= of && of <= 99 && at > 2 && at < 8, `${by} of ${of} at ${at} s`);
  assert.match((await page.locator('[data-peer-id="peer1.org2"]').getAttribute('aria-label')) ?? '', new RegExp(`crashed, declared dead by ${by} of ${of} at ${at}`));
  // A running peer only a few hold dead (the partition at 4 s: some across it gave up on it) keeps a bare
  // name in the graph, or a partition would bury it under labels; the peer list still says it.
  const few = await page.evaluate(() => { const f = (window as any).fakeHost.recording.frames; return f[f.length - 1].states.find((s: { running: boolean; declaredDead?: { by: number; of: number } }) => s.running && s.declaredDead !== undefined && 2 * s.declaredDead.by <= s.declaredDead.of)?.idx as number | undefined; });
  assert.ok(few !== undefined, 'the partition leaves running peers that a few hold dead');
  assert.match(await page.evaluate((i) => (window as any).gossipScopeProbe.peerLabel(i) as string, few), /^peer\d+$/);
  assert.match((await page.locator(`[data-idx="${few}"]`).getAttribute('aria-label')) ?? '', /declared dead by \d+ of 98/);
  await page.locator('[data-peer-id="peer1.org2"]').click();
  const section = page.locator('[data-testid=inspector] [data-testid=declared-dead]');
  await section.waitFor();
  assert.match(await section.locator('h3').innerText(), new RegExp(`DECLARED DEAD BY ${by} OF ${of} AT ${at}`, 'i'));
  assert.match(await section.innerText(), /peer\d+\.org\d at \d+\.\d+s \(/);
  await shot('declared-dead');
});

test('a message row opens every field, the bytes, the signature with its low-S check, the signer and the verdicts', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await page.locator('[data-testid=filter-type]').selectOption('AliveMessage');
  await page.locator('[data-testid=filter-verdict]').selectOption('ok');
  const row = page.locator('[data-testid=message-row][data-type=AliveMessage]').first();
  await row.click();
  const inspector = page.locator('[data-testid=inspector]');
  await inspector.locator('[data-testid=inspector-title]', { hasText: 'AliveMessage' }).waitFor();
  assert.ok(await row.evaluate((r) => r.classList.contains('selected')));
  const signature = await inspector.locator('[data-testid=signature]').innerText();
  assert.match(signature, /low-S\s+✓ s ≤ n\/2/);
  assert.match(signature, /r\s+[0-9a-f]{60,64}/);
  assert.match(signature, /DER\s+30[0-9a-f]+/);
  assert.match(await inspector.locator('[data-testid=signer]').innerText(), /MSP ID\s+Org\dMSP[\s\S]*subject[\s\S]*issuer[\s\S]*valid[\s\S]*PKI-ID\s+[0-9a-f]{64}/);
  assert.match(await inspector.locator('[data-testid=verdicts]').innerText(), /✓ valid/);
  assert.match(await inspector.locator('[data-testid=fields]').innerText(), /aliveMsg/);
  assert.match(await inspector.locator('[data-testid=payload-hex]').innerText(), /^00000 {2}[0-9a-f]{2} /);
  // The tree folds.
  const summary = inspector.locator('[data-testid=fields] summary', { hasText: 'aliveMsg' }).first();
  await summary.click();
  assert.equal(await summary.evaluate((s) => (s.parentElement as HTMLDetailsElement).open), false);
  await shot('message-inspector');
});

test('a rejected message shows its reason in the list, highlighted, and its verdict in the inspector', async (t) => {
  if (unavailable) return t.skip(unavailable);
  // Rejections happen between 4 and 5.3 s (a partition, then the alive messages whose signature
  // the tamper fault strips from 5.25 s, peer0.org1's first alive after it): replay up to 5.4 s only.
  await page.evaluate(() => {
    const host = (window as unknown as { fakeHost: { sendInit(): void; sendUntil(t: number): void } }).fakeHost;
    host.sendInit();
    host.sendUntil(5400);
  });
  await page.locator('[data-testid=status]', { hasText: /^5\.3\d\ds of/ }).waitFor();
  await page.locator('[data-testid=filter-type]').selectOption('');
  await page.locator('[data-testid=filter-verdict]').selectOption('rejected');
  const rows = page.locator('[data-testid=message-row]');
  await rowsAll('data-kind', 'reject');
  assert.ok((await rows.first().locator('.reason').innerText()).length > 5, 'the reason is shown');
  const color = await rows.first().locator('.reason').evaluate((e) => getComputedStyle(e).color);
  const normal = await page.locator('.toolbar .title').evaluate((e) => getComputedStyle(e).color);
  assert.notEqual(color, normal, 'the reason is in the error colour');
  await rows.first().click();
  const inspector = page.locator('[data-testid=inspector]');
  await inspector.locator('[data-testid=journey] li.bad').first().waitFor();
  assert.match(await inspector.locator('[data-testid=journey]').innerText(), /rejected it: /);
  assert.match(await inspector.locator('[data-testid=verdict]').innerText(), /✗ rejected by \d+: \w+/);
  // The alive messages whose signature was stripped in flight (the recording's tamper fault).
  await page.locator('[data-testid=filter-type]').selectOption('AliveMessage');
  await rowsAll('data-type', 'AliveMessage');
  await rows.first().click();
  await inspector.locator('[data-testid=inspector-title]', { hasText: 'AliveMessage' }).waitFor();
  // One journey: the message as its sender signed it, the copy that lost its signature on the way, its refusal.
  assert.match(await inspector.locator('[data-testid=verdict]').innerText(), /✗ tampered in flight: signature stripped[\s\S]*✗ rejected by \d+: Invalid alive message/);
  assert.match(await inspector.locator('[data-testid=tamper-changed]').first().innerText(), /\d+ bytes removed at envelope byte \d+/);
  assert.match(await inspector.locator('[data-testid=journey]').innerText(), /sent[\s\S]*tampered in flight: signature stripped[\s\S]*rejected it: Invalid alive message/);
  await shot('rejected-rows');
  await page.locator('[data-testid=filter-type]').selectOption('');
});

test('a tampered message that no longer decodes opens from its rejected row: its bytes as sent and as received, what changed, why it was refused', async (t) => {
  if (unavailable) return t.skip(unavailable);
  // The recording flips a bit in thirty StateInfo copies from 4.5 s; one of them no longer decodes (4.71 s).
  await page.locator('[data-testid=filter-type]').selectOption('StateInfo');
  await page.locator('[data-testid=filter-verdict]').selectOption('rejected');
  await rowsAll('data-kind', 'reject');
  const row = page.locator('[data-testid=message-row][data-kind=reject]', { hasText: 'cannot decode gossip.GossipMessage' }).first();
  await scrollListTo(row, 'a StateInfo refused as undecodable');
  assert.ok(await row.getAttribute('data-msg'), 'the row names the message that was sent');
  // The inspector still shows the stripped AliveMessage of the test before: the click must replace it.
  const inspector = page.locator('[data-testid=inspector]');
  const before = await inspector.locator('[data-testid=inspector-title]').innerText();
  assert.match(before, /AliveMessage/);
  await row.click();
  const msg = await row.getAttribute('data-msg');
  await inspector.locator('[data-testid=inspector-title]', { hasText: `Message #${msg}: StateInfo` }).waitFor();
  assert.notEqual(await inspector.locator('[data-testid=inspector-title]').innerText(), before);
  const tampered = inspector.locator('[data-testid=tampered]');
  assert.match(await tampered.locator('[data-testid=tamper-what]').first().innerText(), /peer0\.org3 → peer\d+\.org\d: payload byte \d+ flipped/);
  assert.match(await tampered.locator('[data-testid=tamper-changed]').first().innerText(), /envelope byte \d+ \(0x[0-9a-f]+\): [0-9a-f]{2} → [0-9a-f]{2}/);
  const refused = tampered.locator('[data-testid=tamper-outcome]', { hasText: 'cannot decode' });
  assert.match(await refused.innerText(), /✗ peer\d+\.org\d refused it: Got invalid envelope: cannot decode gossip\.GossipMessage[\s\S]*no longer decode/);
  // The changed byte is marked in both dumps, with different values.
  const copy = tampered.locator('.tampered-copy', { has: page.locator('[data-testid=tamper-outcome]', { hasText: 'cannot decode' }) });
  const sent = await copy.locator('[data-testid=tamper-sent] mark.changed-byte').innerText();
  const received = await copy.locator('[data-testid=tamper-received] mark.changed-byte').innerText();
  assert.match(sent, /^[0-9a-f]{2}$/);
  assert.match(received, /^[0-9a-f]{2}$/);
  assert.notEqual(sent, received);
  // A StateInfo is forwarded far: its journey folds, and unfolded it has the tamper and the refusal.
  await inspector.locator('[data-testid=journey] details').evaluateAll((ds) => ds.forEach((d) => ((d as HTMLDetailsElement).open = true)));
  assert.match(await inspector.locator('[data-testid=journey]').innerText(), /tampered in flight: payload byte \d+ flipped[\s\S]*rejected it: Got invalid envelope/);
  await copy.scrollIntoViewIfNeeded();
  await shot('tampered-undecodable');
  // The tamper itself is a row of the list (with drops and rejections), and opens the same message.
  await page.locator('[data-testid=filter-verdict]').selectOption('problems');
  const tamperRow = page.locator(`[data-testid=message-row][data-kind=fault][data-msg="${msg}"]`).first();
  await scrollListTo(tamperRow, `the tamper of #${msg}`);
  assert.match(await tamperRow.innerText(), /tampered[\s\S]*peer0\.org3 → [\s\S]*in flight: payload byte \d+ flipped/);
  await page.locator('[data-testid=filter-type]').selectOption('');
  await page.locator('[data-testid=filter-verdict]').selectOption('all');
});

test('every row opens: an event that names no message shows itself in the inspector', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const p = await open();
  await p.evaluate(() => (window as any).fakeHost.sendUntil(1000));
  const last = await p.evaluate(() => { const f = (window as any).fakeHost.recording.frames; return f[(window as any).fakeHost.index - 1]; });
  // What a live peer traces for bytes it cannot decode: a rejection with no message id.
  const ev = { id: 9_000_010, t: last.status.simTime + 1, kind: 'reject', peer: 4, other: 9, reason: 'Got invalid envelope: cannot decode gossip.GossipMessage: index out of range' };
  await p.evaluate((e) => (window as any).fakeHost.send({ ...(window as any).fakeHost.recording.frames[0], events: [e] }), ev);
  await p.locator('[data-testid=filter-verdict]').selectOption('rejected');
  const row = p.locator('[data-testid=message-row][data-kind=reject]', { hasText: 'cannot decode' }).first();
  await row.click();
  const inspector = p.locator('[data-testid=inspector]');
  await inspector.locator('[data-testid=inspector-title]', { hasText: 'Rejected: bytes that name no message' }).waitFor();
  assert.match(await inspector.innerText(), /from → to\s+peer9\.org1 → peer4\.org1[\s\S]*reason\s+Got invalid envelope/);
  await p.close();
});

test('filters by type, peer and verdict', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const rows = page.locator('[data-testid=message-row]');
  await page.locator('[data-testid=filter-verdict]').selectOption('dropped');
  await rowsAll('data-kind', 'drop');
  await page.locator('[data-testid=filter-verdict]').selectOption('all');
  await page.locator('[data-testid=filter-type]').selectOption('StateInfo');
  await rowsAll('data-type', 'StateInfo');
  await page.locator('[data-testid=filter-type]').selectOption('');
  await page.locator('[data-testid=filter-peer] input').fill('peer3.org2');
  const who = await eventually('rows of peer3.org2 only', async () => {
    const w = await rows.evaluateAll((rs) => rs.map((r) => r.querySelector('.who')!.textContent!));
    return w.length > 0 && w.every((x) => x.includes('peer3.org2')) ? w : null;
  });
  for (const w of who) assert.match(w, /peer3\.org2/);
  assert.match(await page.locator('[data-testid=message-count]').innerText(), /^[\d,]+ of [\d,]+$/);
  await shot('filtered-by-peer');
  await page.locator('[data-testid=filter-peer] input').fill('');
});

test('scrubbing the timeline shows the events around that moment', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const canvas = page.locator('[data-testid=timeline]');
  const box = (await canvas.boundingBox())!;
  // The window shows the last 10 s; 4.5 s lies 45% of the way along the plot (after the labels).
  await page.mouse.click(box.x + 64 + (box.width - 64) * 0.45, box.y + box.height / 2);
  const cursor = Number(await canvas.getAttribute('data-cursor'));
  assert.ok(cursor > 4000 && cursor < 5000, `cursor at ${cursor}`);
  const times = await eventually(`rows around ${cursor}`, async () => {
    const ts = await page.locator('[data-testid=message-row] .time').evaluateAll((xs) => xs.map((x) => parseFloat(x.textContent!) * 1000));
    return ts.some((x) => x <= cursor) && ts.some((x) => x > cursor - 1000) ? ts : null;
  });
  assert.ok(Math.min(...times) <= cursor && Math.max(...times) >= cursor - 1000);
  await shot('timeline-scrubbed');
  await page.locator('[data-testid=timeline-live]').click();
  assert.equal(await canvas.getAttribute('data-cursor'), null);
});

test('fault actions: crash from the context menu, partition the selected peers, heal', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const at = (await page.evaluate(() => (window as unknown as { gossipScopeProbe: { peerAt(i: number): { x: number; y: number } } }).gossipScopeProbe.peerAt(2)))!;
  await page.mouse.click(at.x, at.y, { button: 'right' });
  const menu = page.locator('[data-testid=fault-menu]');
  await menu.locator('vscode-context-menu-item', { hasText: 'Crash' }).waitFor();
  await shot('peer-context-menu');
  await menu.locator('vscode-context-menu-item', { hasText: 'Crash' }).click();
  await page.locator('[data-peer-id="peer2.org1"][data-state=down]').waitFor();
  assert.deepEqual((await posted(page)).at(-1), { type: 'fault', fault: { kind: 'crash', peer: 'peer2.org1' } });
  // Select two peers (Ctrl+click in the peer list) and split them from the rest.
  await page.locator('[data-peer-id="peer0.org3"]').click({ modifiers: ['Control'] });
  await page.locator('[data-peer-id="peer1.org3"]').click({ modifiers: ['Control'] });
  await page.locator('[data-testid=partition]:not([disabled])').click();
  const partition = (await posted(page)).at(-1) as unknown as { fault: { kind: string; groups: string[][] } };
  assert.equal(partition.fault.kind, 'partition');
  assert.deepEqual(partition.fault.groups[0], ['peer0.org3', 'peer1.org3']);
  assert.equal(partition.fault.groups[1].length, 98);
  await page.locator('[data-testid=heal]').click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'fault', fault: { kind: 'heal' } });
  await shot('after-faults');
});

test('an edge\'s context menu tampers with the next message on that connection, drops or delays its messages', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const probe = (i: number) => page.evaluate((k) => (window as unknown as { gossipScopeProbe: { peerAt(i: number): { x: number; y: number } } }).gossipScopeProbe.peerAt(k), i);
  // Between two neighbours of org3 (peers 50 and 51): edges run there, no peer sits there.
  const [a, b] = [await probe(50), await probe(51)];
  await page.mouse.click((a.x + b.x) / 2, (a.y + b.y) / 2, { button: 'right' });
  const menu = page.locator('[data-testid=fault-menu]');
  const first = menu.locator('vscode-context-menu-item').first();
  await first.waitFor();
  const title = (await first.getAttribute('label'))!;
  const [from, to] = title.split(' ↔ ');
  assert.match(from, /^peer\d+\.org\d$/);
  // Stripping a signature takes the next signed message: the menu says so.
  await menu.locator('vscode-context-menu-item', { hasText: `Strip the signature of the next signed message ${from} → ${to}` }).waitFor();
  await menu.locator('vscode-context-menu-item', { hasText: `Flip a byte of the next message ${from} → ${to}` }).click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'fault', fault: { kind: 'tamper', rule: { from, to, type: null, mode: 'flip', count: 1 } } });
  // The same menu drops or delays what crosses the link, for a while.
  await page.mouse.click((a.x + b.x) / 2, (a.y + b.y) / 2, { button: 'right' });
  await menu.locator('vscode-context-menu-item', { hasText: 'Drop every message on this link for 10 s' }).click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'fault', fault: { kind: 'link', between: [from, to], loss: 1, delay: 0, forMs: 10_000 } });
  await page.mouse.click((a.x + b.x) / 2, (a.y + b.y) / 2, { button: 'right' });
  await menu.locator('vscode-context-menu-item', { hasText: 'Delay messages on this link by 1 s' }).click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'fault', fault: { kind: 'link', between: [from, to], loss: 0, delay: 1000, forMs: 30_000 } });
});

test('Run, Pause, Step, Reset and the speed post control messages', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await page.locator('[data-testid=reset]').click();
  await page.locator('[data-testid=status]', { hasText: 'paused' }).waitFor();
  await page.locator('[data-testid=step]').click();
  await page.locator('[data-testid=run]').click();
  await page.locator('[data-testid=status]', { hasText: 'running' }).waitFor();
  await page.locator('[data-testid=pause]:not([disabled])').click();
  await page.locator('[data-testid=status]', { hasText: 'paused' }).waitFor();
  await page.locator('[data-testid=speed]').click();
  await page.locator('[data-testid=speed] li[role=option]', { hasText: '20×' }).click();
  const controls = (await posted(page)).filter((m) => m.type === 'control' || m.type === 'speed');
  assert.deepEqual(controls.slice(-5), [
    { type: 'control', action: 'reset' },
    { type: 'control', action: 'step' },
    { type: 'control', action: 'run' },
    { type: 'control', action: 'pause' },
    { type: 'speed', speed: 20 },
  ]);
});

test('the selection, the filters and the zoom survive hiding the panel (a reload)', async (t) => {
  if (unavailable) return t.skip(unavailable);
  await page.locator('[data-peer-id="peer7.org2"]').click();
  await page.locator('[data-testid=inspector-title]', { hasText: 'peer7.org2' }).waitFor();
  await page.locator('[data-testid=filter-verdict]').selectOption('problems');
  const graph = (await page.locator('[data-testid=graph]').boundingBox())!;
  await page.mouse.move(graph.x + graph.width / 2, graph.y + graph.height / 2);
  await page.mouse.wheel(0, -400);
  await page.waitForTimeout(400);
  const zoom = await page.evaluate(() => (window as unknown as { gossipScopeProbe: { zoom(): number } }).gossipScopeProbe.zoom());
  await page.reload();
  await page.locator('[data-testid=inspector-title]', { hasText: 'peer7.org2' }).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[data-testid=filter-verdict]').inputValue(), 'problems');
  const restored = await page.evaluate(() => (window as unknown as { gossipScopeProbe: { zoom(): number } }).gossipScopeProbe.zoom());
  assert.ok(Math.abs(restored - zoom) < 1e-6, `zoom ${restored} after reload, ${zoom} before`);
  await shot('after-reload');
  await page.locator('[data-testid=filter-verdict]').selectOption('all');
});

test('500 peers: every one drawn; light and high-contrast themes', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const big = await open({ net: '500' });
  assert.equal(await big.locator('[data-testid=peer-count]').innerText(), '500');
  assert.equal(await big.locator('[data-peer-id]').count(), 500);
  await big.evaluate(() => (window as unknown as { fakeHost: { play(): void } }).fakeHost.play());
  await big.locator('[data-testid=status]', { hasText: /[45]\.\d+s of/ }).waitFor({ timeout: 60_000 });
  await big.screenshot({ path: join(SHOTS, `${String(++shots).padStart(2, '0')}-network-500.png`) });
  await big.close();
  for (const theme of ['light', 'high-contrast'] as const) {
    const p = await open({ theme });
    await replayAll(p);
    await p.locator('[data-testid=filter-type]').selectOption('AliveMessage');
    await p.locator('[data-testid=message-row]').first().click();
    await p.locator('[data-testid=inspector-title]', { hasText: 'AliveMessage' }).waitFor();
    await p.screenshot({ path: join(SHOTS, `${String(++shots).padStart(2, '0')}-theme-${theme}.png`) });
    await p.close();
  }
  assert.deepEqual(pageErrors, []);
});

test('the graph tells the truth: not started, paused, faults in force with cut links, what a step did, start-up noise, filters per network, zoom per notch', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const p = await open();
  const host = (f: 'send' | 'sendUntil', arg: unknown) =>
    p.evaluate(([fn, a]) => {
      const h = (window as any).fakeHost;
      if (fn === 'send') h.send(a);
      else h.sendUntil(a);
    }, [f, arg] as const);
  const classes = (i: number) => p.evaluate((k) => (window as any).gossipScopeProbe.peerClasses(k) as string[], i);
  // Before the run: every peer is "not started", not "down".
  assert.ok((await classes(0)).includes('unstarted'));
  assert.ok(!(await classes(0)).includes('down'));
  await host('sendUntil', 5000);
  await eventually('peer 0 running', async () => (await classes(0)).some((c) => c === 'alive' || c === 'leader' || c === 'behind'));
  // A paused peer, a partition of the two halves and a link rule, as the host reports them.
  const last = await p.evaluate(() => { const f = (window as any).fakeHost.recording.frames; return f[(window as any).fakeHost.index - 1]; });
  const states = last.states.map((s: { idx: number }) => (s.idx === 3 ? { ...s, paused: true } : s));
  const half = (from: number) => Array.from({ length: 50 }, (_, i) => from + i);
  const faults = [
    { key: 'pause:3', kind: 'pause', label: 'peer3.org1 paused (answers nothing)', peers: [3] },
    { key: 'partition', kind: 'partition', label: 'partition: 50 peers | 50 peers', peers: [...half(0), ...half(50)], groups: [half(0), half(50)] },
  ];
  await host('send', { type: 'frame', status: { ...last.status, state: 'paused', faults }, events: [], states, skipped: 0 });
  await eventually('peer 3 drawn paused', async () => (await classes(3)).includes('paused'));
  assert.ok((await classes(60)).includes('faulted'), 'a partitioned peer carries the fault mark');
  assert.equal(await p.locator('[data-testid=fault-chip]').count(), 2);
  await p.locator('[data-testid=fault-notice]', { hasText: 'partition' }).waitFor();
  await eventually('cut links drawn', () => p.evaluate(() => ((window as any).gossipScopeProbe.cutLinks as number) > 0));
  // Select the paused peer: its ring stays (the selection is a halo), and it is still "paused".
  await p.mouse.click((await p.evaluate(() => (window as any).gossipScopeProbe.peerAt(3))).x, (await p.evaluate(() => (window as any).gossipScopeProbe.peerAt(3))).y);
  assert.ok((await classes(3)).includes('paused'));
  assert.match((await p.locator('[data-peer-id="peer3.org1"]').getAttribute('aria-label')) ?? '', /paused/, 'the peer list says paused too');
  await p.waitForTimeout(600); // the edge layer redraws twice a second: let the screenshot show it
  await p.screenshot({ path: join(SHOTS, 'truth-paused-partitioned.png') });
  // A step while paused: the note says what it did and its peers are marked.
  const ev = { id: 9_000_001, t: last.status.simTime + 1, kind: 'deliver', peer: 7, other: 8, type: 'AliveMessage', msg: 1 };
  await host('send', { type: 'frame', status: { ...last.status, state: 'paused', faults }, events: [ev], states, skipped: 0 });
  await p.locator('[data-testid=step-note]', { hasText: 'peer7.org1 received AliveMessage from peer8.org1' }).waitFor();
  await eventually('stepped peer marked', async () => (await classes(7)).includes('stepped'));
  // A start-up rejection is labelled and explained, and can be hidden.
  const benign = { id: 9_000_002, t: last.status.simTime + 2, kind: 'reject', peer: 5, other: 6, type: 'StateInfo', msg: 2, reason: 'StateInfo message is found invalid: PKI-ID not found in identity mapper', benign: true };
  await host('send', { type: 'frame', status: { ...last.status, state: 'paused', faults: [] }, events: [benign], states, skipped: 0 });
  await p.locator('[data-testid=filter-verdict]').selectOption('rejected');
  const row = p.locator('[data-testid=message-row][data-kind=reject]', { hasText: 'start-up: StateInfo message is found invalid' });
  await row.first().waitFor();
  assert.match((await row.first().locator('.reason').getAttribute('title')) ?? '', /harmless/);
  await p.locator('[data-testid=filter-benign]').check();
  await eventually('benign rejection hidden', async () => (await row.count()) === 0);
  await p.locator('[data-testid=fault-chip]').first().waitFor({ state: 'detached' });
  // Another network: the filters start afresh (a "rejected" filter must not carry over).
  const init = await p.evaluate(() => (window as any).fakeHost.recording.init);
  await host('send', { ...init, network: { ...init.network, scenario: { ...init.network.scenario, name: 'another-lesson' } } });
  await eventually('verdict filter reset', async () => (await p.locator('[data-testid=filter-verdict]').inputValue()) === 'all');
  // Filtered and empty, the list says it is filtered (not "No messages yet").
  await p.locator('[data-testid=filter-verdict]').selectOption('rejected');
  await p.locator('.empty', { hasText: 'matches the filters' }).waitFor();
  await p.screenshot({ path: join(SHOTS, 'truth-filtered-empty.png') });
  // The wheel zooms by a fifth a notch, as VS Code's zoomable views do.
  const box = (await p.locator('[data-testid=graph]').boundingBox())!;
  await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const z0 = await p.evaluate(() => (window as any).gossipScopeProbe.zoom() as number);
  for (let i = 0; i < 6; i++) await p.mouse.wheel(0, -100);
  const z1 = await eventually('zoomed', async () => { const z = await p.evaluate(() => (window as any).gossipScopeProbe.zoom() as number); return z !== z0 ? z : null; });
  assert.ok(Math.abs(z1 / z0 - 1.2 ** 6) < 0.05 || z1 === 4, `six notches zoomed ×${(z1 / z0).toFixed(2)}`);
  await p.close();
});

test('a rejection is drawn as a diamond at the receiver\'s door, on the sender\'s side: never a red ring, the legend\'s "crashed"', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const p = await open();
  await p.evaluate(() => (window as any).fakeHost.sendUntil(500));
  await p.waitForTimeout(1200); // the frames' own dots have landed
  const last = await p.evaluate(() => { const f = (window as any).fakeHost.recording.frames; return f[(window as any).fakeHost.index - 1]; });
  // peer30 (org2) refuses a message from peer5 (org1): nothing else is in flight.
  const ev = { id: 9_000_020, t: last.status.simTime + 1, kind: 'reject', peer: 30, other: 5, type: 'StateInfo', msg: 3, reason: 'Failed verifying signature' };
  await p.evaluate((e) => (window as any).fakeHost.send({ ...(window as any).fakeHost.recording.frames[0], events: [e] }), ev);
  // Painted pixels of the dots canvas within 25 px of the receiver, towards the sender and away from it.
  const seen = await p.evaluate(async () => {
    const probe = (window as any).gossipScopeProbe;
    const c = document.querySelector('canvas.dots') as HTMLCanvasElement;
    const ctx = c.getContext('2d')!;
    const r = c.getBoundingClientRect();
    const dpr = c.width / r.width;
    const a = probe.peerAt(30);
    const b = probe.peerAt(5);
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    const [ux, uy] = [(b.x - a.x) / len, (b.y - a.y) / len];
    const deadline = performance.now() + 10_000; // a loaded machine delivers the frame late
    while (performance.now() < deadline) {
      await new Promise((res) => requestAnimationFrame(res));
      const img = ctx.getImageData(Math.round((a.x - 25 - r.left) * dpr), Math.round((a.y - 25 - r.top) * dpr), Math.round(50 * dpr), Math.round(50 * dpr));
      let toward = 0;
      let away = 0;
      for (let y = 0; y < img.height; y++) {
        for (let x = 0; x < img.width; x++) {
          if (img.data[4 * (y * img.width + x) + 3] < 40) continue;
          const dx = x / dpr - 25;
          const dy = y / dpr - 25;
          if (Math.hypot(dx, dy) > 25) continue;
          if (dx * ux + dy * uy > 0) toward++;
          else away++;
        }
      }
      if (toward + away > 0) return { toward, away };
    }
    return null;
  });
  assert.ok(seen, 'the rejection is drawn');
  assert.ok(seen.toward > 10, `a mark on the sender's side (${seen.toward} px)`);
  assert.equal(seen.away, 0, 'nothing round the rest of the peer: a ring is how a crashed peer looks');
  // The legend names it, with its own swatch.
  const legend = p.locator('.legend');
  assert.match(await legend.innerText(), /rejected/);
  const [reject, crashed] = await Promise.all(['.sw.msg.reject', '.sw.peer.down'].map((sel) => legend.locator(sel).evaluate((e) => { const s = getComputedStyle(e); return `${s.borderTopStyle}/${s.borderTopWidth}/${s.transform}/${s.backgroundColor}`; })));
  assert.notEqual(reject, crashed);
  await p.locator('.legend').screenshot({ path: join(SHOTS, 'legend.png') });
  await p.close();
});

test('time travel: a panel started over at a moment draws that moment\'s connections; Step Back; the note tells each stop; the timeline\'s cursor says which moment each part shows', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const p = await open();
  const probe = (k: string) => p.evaluate((key) => (window as any).gossipScopeProbe[key] as number, k);
  await p.evaluate(() => (window as any).fakeHost.sendUntil(6000));
  const drawn = await eventually('connections drawn', async () => ((await probe('edges')) > 0 ? probe('edges') : null));
  // A step back starts the panel over: an init whose history ends at that moment (as the host sends it).
  const restart = await p.evaluate(() => {
    const h = (window as any).fakeHost;
    const frames = h.recording.frames.slice(0, h.index);
    const last = frames[frames.length - 1];
    return { ...h.recording.init, status: { ...last.status, state: 'paused' }, states: last.states, history: frames.flatMap((f: { events: unknown[] }) => f.events) };
  });
  await p.evaluate((m) => (window as any).fakeHost.send(m), restart);
  await p.locator('[data-testid=status]', { hasText: 'paused' }).waitFor();
  const after = await eventually('connections of that moment drawn', async () => ((await probe('edges')) > 0 ? probe('edges') : null), 3000);
  assert.ok(after >= drawn * 0.9, `${after} connections after starting over, ${drawn} before`);
  // Step Back is a button of the toolbar.
  await p.locator('[data-testid=step-back]:not([disabled])').click();
  assert.deepEqual((await posted(p)).filter((m) => m.type === 'control').at(-1), { type: 'control', action: 'stepBack' });
  // The note tells the move the host says it was, at that step's own time.
  const ev = { id: 9_100_001, t: 5432, kind: 'deliver', peer: 7, other: 8, type: 'AliveMessage', msg: 1 };
  const frame = (step: unknown) => ({ type: 'frame', status: { ...restart.status, simTime: 5432 }, events: Array.from({ length: 50 }, (_, i) => ({ ...ev, id: 9_000_000 + i, t: 300 + i })), states: restart.states, skipped: 0, step });
  await p.evaluate((m) => (window as any).fakeHost.send(m), frame({ how: 'stop', reason: 'breakpoint', events: [ev] }));
  await p.locator('[data-testid=step-note]', { hasText: 'Stopped at 5.432s (breakpoint): peer7.org1 received AliveMessage from peer8.org1' }).waitFor();
  assert.doesNotMatch(await p.locator('[data-testid=step-note]').innerText(), /50 events|0\.300s/);
  await p.evaluate((m) => (window as any).fakeHost.send({ ...m, events: [] }), frame({ how: 'back', events: [ev] }));
  await p.locator('[data-testid=step-note]', { hasText: 'Stepped back to 5.432s, after: peer7.org1 received AliveMessage' }).waitFor();
  // Dragging the timeline moves the list; the note says the graph and inspector are still at the network's moment.
  const tl = (await p.locator('[data-testid=timeline]').boundingBox())!;
  await p.mouse.click(tl.x + tl.width * 0.4, tl.y + tl.height / 2);
  const note = p.locator('[data-testid=moment-note]');
  await note.waitFor();
  assert.match(await note.innerText(), /^The list and the timeline are at \d+\.\d+s; the graph and the inspector show the network at 5\.432s \(later\): Step Back takes the network itself back\.$/);
  await p.screenshot({ path: join(SHOTS, 'time-travel-cursor.png') });
  await p.locator('[data-testid=timeline-live]').click();
  await note.waitFor({ state: 'hidden' });
  await p.close();
});

// Last: its own page saves the harness's state (selection, filters) that the shared page's tests rely on.
test('the inspector marks what changed since it last showed the peer: height, membership, StateInfo, world state', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const p = await open();
  const at = await p.evaluate(() => (window as any).gossipScopeProbe.peerAt(5) as { x: number; y: number });
  await p.mouse.click(at.x, at.y);
  const inspector = p.locator('[data-testid=inspector]');
  await inspector.locator('[data-testid=inspector-title]', { hasText: 'peer5.org1' }).waitFor();
  // The first view of a peer has nothing to compare with.
  assert.equal(await inspector.locator('.changed').count(), 0);
  // The host answers the next refresh (after a step) with the peer one commit further on, one
  // member declared dead, a StateInfo height moved and a key written.
  const d = await p.evaluate(() => (window as any).fakeHost.peerDetail(5));
  const ch = d.channels[0];
  const dead = d.membership.alive[0];
  const next = {
    ...d,
    membership: { alive: d.membership.alive.slice(1), dead: [...d.membership.dead, dead] },
    channels: [{ ...ch, height: ch.height + 1, stateInfo: ch.stateInfo.map((s: any, i: number) => (i === 0 ? { ...s, height: s.height + 1 } : s)), worldState: [{ key: 'key-new', value: 'v1' }, ...ch.worldState] }, ...d.channels.slice(1)],
  };
  await p.evaluate((detail) => (window as any).fakeHost.send({ type: 'peerDetail', idx: 5, detail }), next);
  const note = inspector.locator('[data-testid=peer-changes]');
  await note.waitFor();
  const said = await note.innerText();
  assert.match(said, new RegExp(`${ch.name} height ${ch.height} → ${ch.height + 1}`));
  assert.match(said, new RegExp(`${dead.id.replace('.', '\\.')} now dead`));
  assert.match(said, /StateInfo on/);
  assert.match(said, /1 world-state key written/);
  const marked = await inspector.locator('.changed').allInnerTexts();
  assert.ok(marked.includes(`height ${ch.height + 1}`), marked.join(' | '));
  assert.ok(marked.includes('v1'), marked.join(' | '));
  assert.equal(await inspector.locator('[data-testid=membership-dead] .changed').count(), 1);
  await p.screenshot({ path: join(SHOTS, 'inspector-changed.png') });
  // Shown again unchanged: nothing is marked any more.
  await p.evaluate((detail) => (window as any).fakeHost.send({ type: 'peerDetail', idx: 5, detail }), next);
  await note.waitFor({ state: 'detached' });
  assert.equal(await inspector.locator('.changed').count(), 0);
  await p.close();
});

test('a narrow panel (an editor opened beside it) keeps the graph in view with every peer drawn', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const p = await open();
  await replayAll(p);
  // Below 900 px the panes stack. The message list's tall sizer once stretched the whole column
  // (the graph pane grew to 700,000 px and drew nothing in view): the Show Metrics screenshots.
  await p.setViewportSize({ width: 515, height: 880 });
  const pane = await eventually('the graph pane within the view', async () => {
    const box = await p.locator('.graph-pane').boundingBox();
    return box !== null && box.height >= 150 && box.y + box.height <= 880 ? box : null;
  });
  for (const idx of [0, 50, 99]) {
    const at = await eventually(`peer ${idx} inside the graph pane`, async () => {
      const xy = await p.evaluate((i) => (window as unknown as { gossipScopeProbe: { peerAt(i: number): { x: number; y: number } | null } }).gossipScopeProbe.peerAt(i), idx);
      return xy !== null && xy.x >= pane.x && xy.x <= pane.x + pane.width && xy.y >= pane.y && xy.y <= pane.y + pane.height ? xy : null;
    });
    assert.ok(at);
  }
  assert.ok((await p.locator('[data-testid=message-row]').count()) > 0, 'the message list still shows rows');
  // Stacked, no pane lies over another (squeezed into the view, the list and the lesson did).
  const boxes = await p.evaluate(() =>
    ['.graph-pane', '.legend', '.timeline', '.messages', '.right'].map((sel) => {
      const r = document.querySelector(sel)!.getBoundingClientRect();
      return { sel, top: r.top, bottom: r.bottom };
    }),
  );
  for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i].top >= boxes[i - 1].bottom - 1, `${boxes[i].sel} overlaps ${boxes[i - 1].sel}: ${JSON.stringify(boxes)}`);
  await p.screenshot({ path: join(SHOTS, 'narrow-panel.png') });
  // The panel scrolls to what lies below the view.
  await p.locator('.right').scrollIntoViewIfNeeded();
  await p.screenshot({ path: join(SHOTS, 'narrow-panel-scrolled.png') });
  await p.close();
});

test('beside a walkthrough (680 px): every pane readable in the panel\'s one scroll, none boxed in a scroll of its own', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const p = await open();
  await replayAll(p);
  // What a walkthrough leaves the panel in a 1400 px window: about half, beside it.
  await p.setViewportSize({ width: 680, height: 880 });
  await p.locator('[data-testid=message-row]').first().click();
  await p.locator('[data-testid=charts-toggle]').click();
  await p.waitForFunction(() => document.querySelectorAll('[data-testid=charts] section[data-chart][data-drawn]').length >= 5, undefined, { timeout: 30_000 });
  // Scroll boxes holding more than they show: only the panel itself and the message list (a virtual list) may.
  const boxed = await p.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('body *'))
      .filter((e) => {
        const o = getComputedStyle(e).overflowY;
        return (o === 'auto' || o === 'scroll') && e.scrollHeight > e.clientHeight + 1 && e.clientHeight > 0;
      })
      .map((e) => `${e.className || e.tagName} (${e.clientHeight} of ${e.scrollHeight} px)`)
      .filter((d) => !/^(main|rows) /.test(d)),
  );
  assert.deepEqual(boxed, []);
  // The inspector shows the whole message, and each chart its full height, as the panel scrolls.
  const inspector = (await p.locator('.inspector').boundingBox())!;
  assert.ok(inspector.height >= 200, `inspector ${inspector.height} px`);
  for (const name of ['infection', 'messages']) {
    const chart = p.locator(`[data-testid=charts] section[data-chart=${name}]`);
    await chart.scrollIntoViewIfNeeded();
    assert.ok(((await chart.boundingBox())?.height ?? 0) >= 240, `${name} chart cut`);
    await chart.screenshot({ path: join(SHOTS, `walkthrough-width-chart-${name}.png`) });
  }
  await p.locator('.inspector').scrollIntoViewIfNeeded();
  await p.screenshot({ path: join(SHOTS, 'walkthrough-width-inspector.png') });
  await p.close();
});

test('the invariants beside the graph: built in, queries, where one broke; Add… asks the host', async (t) => {
  if (unavailable) return t.skip(unavailable);
  // No replay needed: the section shows what the status says, and the status is sent here.
  const p = await open();
  const section = p.locator('[data-testid=invariants]');
  const status = {
    simTime: 4200, events: 900, state: 'paused', speed: 1, until: 8000,
    invariants: {
      builtIn: ['private data stays in its collection', 'same height, same ledger', 'no unverified commit', 'one leader per org'],
      builtInBroken: [],
      queries: [{ name: 'running(peer1.org2)', holds: 'running(peer1.org2)', fromPanel: true, hasBroken: true }],
      broken: [{ invariant: 'running(peer1.org2)', detail: 'no longer holds', t: 2000, eventId: 812, peer: 'peer1.org2' }],
    },
  };
  await p.evaluate((s) => (window as any).fakeHost.send({ type: 'frame', status: s, events: [], states: [], skipped: 0 }), status);
  await section.locator('[data-testid=invariant-broken]', { hasText: 'broken at 2.000s (event 812): running(peer1.org2): no longer holds' }).waitFor();
  assert.match(await section.innerText(), /✓ 4 built in/);
  assert.match(await section.locator('[data-testid=invariant-query]').innerText(), /✗ running\(peer1\.org2\) \(added here\)/);
  await p.screenshot({ path: join(SHOTS, 'invariants.png') });
  // The broken row opens the peer where it broke; Add… asks the host for its input box.
  await section.locator('[data-testid=invariant-broken]').click();
  await p.locator('[data-testid=inspector-title]', { hasText: 'peer1.org2' }).waitFor();
  await section.locator('[data-testid=add-invariant]').click();
  await eventually('addInvariant posted', async () => ((await posted(p)).some((m) => m.type === 'addInvariant') ? true : null));
  await p.close();
});
