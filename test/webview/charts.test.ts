/**
 * The panel's charts in Chromium (the real webview bundle, the harness's fake host answering
 * `figures` with a recorded run's): the pane opens from its header and draws every chart;
 * hovering a curve names a block; a click moves the timeline's cursor to that receipt and
 * selects its peer; dragging the timeline draws its cursor on the charts. Screenshots in
 * test-results/webview-charts/. Skipped when Chromium is not installed.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumUnavailable, harnessUrl, launchChromium, REPO, serveRepo } from './harness-server.mjs';
import { ensureRecording } from './record-frames.js';

const SHOTS = join(REPO, 'test-results', 'webview-charts');
const unavailable = chromiumUnavailable();
let server: { url: string; close(): Promise<void> } | undefined;
let browser: Browser | undefined;

before(async () => {
  if (unavailable) return;
  mkdirSync(SHOTS, { recursive: true });
  await ensureRecording('100');
  server = await serveRepo();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPanel(theme: 'dark' | 'light'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(harnessUrl(server!.url, { net: '100', theme }));
  await page.locator('[data-testid=peer-count]').waitFor({ timeout: 30_000 });
  await page.evaluate(() => (window as unknown as { fakeHost: { sendAll(): void } }).fakeHost.sendAll());
  await page.locator('[data-testid=status]', { hasText: 'finished' }).waitFor();
  return { page, errors };
}

const CHARTS = ['infection', 'latency-cdf', 'latency-histogram', 'messages', 'bytes'];

test('the charts pane draws every chart, themed; hover names a block; a click moves the cursor and selects the peer', { skip: unavailable ?? false }, async () => {
  const { page, errors } = await openPanel('dark');
  await page.locator('[data-testid=charts-toggle]').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=charts] section[data-chart][data-drawn]').length === n, CHARTS.length, { timeout: 15_000 });
  assert.deepEqual(await page.$$eval('[data-testid=charts] section[data-chart]', (s) => s.map((x) => (x as HTMLElement).dataset.chart)), CHARTS);
  // Drawn in the theme's chart colours (the harness sets VS Code's variables): coloured pixels on every canvas.
  const colourful = await page.$$eval('[data-testid=charts] section[data-chart] canvas', (cs) =>
    cs.map((c) => {
      const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 128 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) n++;
      return n;
    }),
  );
  for (const [i, n] of colourful.entries()) assert.ok(n > 200, `${CHARTS[i]}: ${n} coloured pixels`);
  await page.screenshot({ path: join(SHOTS, '01-charts-open-dark.png') });
  // The rate chart's legend tells every type apart: each marker a line in its own colour and style.
  const markers = await page.$$eval('[data-testid=charts] section[data-chart=messages] .u-legend .u-series:not(:first-child) .u-marker', (ms) =>
    ms.map((m) => {
      const st = getComputedStyle(m);
      return `${st.borderBottomColor} ${st.borderBottomStyle}`;
    }),
  );
  assert.ok(markers.length > 6, `only ${markers.length} message types in the recording`);
  assert.equal(new Set(markers).size, markers.length, `two types alike in the legend: ${markers.join(' | ')}`);
  await page.locator('[data-testid=charts] section[data-chart=messages]').screenshot({ path: join(SHOTS, '01b-rates-legend.png') });
  await page.locator('[data-testid=charts] section[data-chart=infection]').screenshot({ path: join(SHOTS, '01c-infection.png') });

  const chart = page.locator('[data-testid=charts] section[data-chart=infection]');
  await chart.scrollIntoViewIfNeeded();
  const box = (await chart.locator('.u-over').boundingBox())!;
  const hover = chart.locator('[data-testid=chart-hover]');
  let found = false;
  for (let fx = 0.05; fx < 0.95 && !found; fx += 0.01) {
    for (const fy of [0.05, 0.25, 0.5, 0.75, 0.95]) {
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      if (/block \d+: [1-9]\d*\/\d+ peers/.test((await hover.textContent()) ?? '')) {
        found = true;
        break;
      }
    }
  }
  assert.ok(found, 'no hover text named a block with a receipt');
  await page.mouse.down();
  await page.mouse.up();
  // The cursor moved to the receipt's time, and its peer is in the inspector.
  await page.waitForFunction(() => document.querySelector('[data-testid=timeline]')?.hasAttribute('data-cursor'));
  await page.locator('[data-testid=inspector-title]', { hasText: /^peer\d+\.org\d+/ }).waitFor();
  await page.screenshot({ path: join(SHOTS, '02-picked.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('light theme: the charts take the theme\'s colours', { skip: unavailable ?? false }, async () => {
  const { page, errors } = await openPanel('light');
  await page.locator('[data-testid=charts-toggle]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=charts] section[data-drawn]').length === 5, undefined, { timeout: 15_000 });
  const [fg, axis] = await page.evaluate(() => [getComputedStyle(document.body).getPropertyValue('--vscode-editor-foreground').trim(), (document.querySelector('[data-testid=charts] h3') as HTMLElement) && getComputedStyle(document.querySelector('[data-testid=charts] .u-legend')!).color]);
  assert.ok(fg !== '', 'the harness sets the theme variables');
  assert.ok(axis !== '');
  await page.screenshot({ path: join(SHOTS, '03-charts-light.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
