/**
 * `gossip-scope report` writes one HTML file that draws every chart in Chromium with the network
 * cut off: a scenario's report (six charts, hover names a block, a click picks its time) and a
 * saved trace's. Screenshots in test-results/report/. Skipped when Chromium is not installed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumUnavailable, launchChromium, REPO } from '../webview/harness-server.mjs';

const SHOTS = join(REPO, 'test-results', 'report');
const CLI = join(REPO, 'dist', 'cli.js');
const unavailable = chromiumUnavailable();
const dir = mkdtempSync(join(tmpdir(), 'gs-report-'));
let browser: Browser | undefined;

before(async () => {
  if (unavailable) return;
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

function cli(...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** Opens a report with every request but the file itself refused; returns the page and what it tried to fetch. */
async function openOffline(file: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const context = await browser!.newContext({ offline: true, viewport: { width: 1200, height: 900 }, colorScheme: 'dark' });
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    requests.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url);
  return { page, requests, errors };
}

/** Every chart section has drawn its series: its canvas has many coloured pixels (except the charts said to be empty). */
async function assertChartsDrawn(page: Page, want: string[], empty: string[] = []): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll('section[data-chart][data-drawn]').length >= n, want.length, { timeout: 20_000 });
  const charts = await page.$$eval('section[data-chart]', (secs) =>
    secs.map((s) => {
      const c = s.querySelector('canvas')!;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      // Axes and grid are grey; series are the theme's colours.
      let colourful = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] < 128) continue;
        if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) colourful++;
      }
      return { name: (s as HTMLElement).dataset.chart!, drawn: Number((s as HTMLElement).dataset.drawn), colourful };
    }),
  );
  assert.deepEqual(charts.map((c) => c.name), want);
  for (const c of charts) {
    assert.ok(c.drawn >= 1, `${c.name} has no series`);
    if (!empty.includes(c.name)) assert.ok(c.colourful > 200, `${c.name} drew almost no series (${c.colourful} coloured pixels)`);
  }
}

const RUN_CHARTS = ['infection', 'latency-cdf', 'latency-histogram', 'messages', 'bytes'];

test('the report of a scenario draws every chart offline; hover names a block, a click picks it', { skip: unavailable ?? false }, async () => {
  const out = cli('report', join(REPO, 'samples', 'push-vs-pull.yaml'), '--out', 'pvp.html');
  assert.match(out, /wrote pvp\.html: 10 blocks/);
  const html = readFileSync(join(dir, 'pvp.html'), 'utf8');
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)/, 'the report refers to nothing outside itself');
  const { page, requests, errors } = await openOffline(join(dir, 'pvp.html'));
  await assertChartsDrawn(page, RUN_CHARTS);
  assert.deepEqual(requests, []);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(SHOTS, '01-scenario-report.png'), fullPage: true });

  // Hover along the infection chart until a block's curve is under the pointer.
  const over = page.locator('section[data-chart=infection] .u-over');
  const box = (await over.boundingBox())!;
  const hover = page.locator('section[data-chart=infection] [data-testid=chart-hover]');
  let found = false;
  for (let fx = 0.1; fx < 0.95 && !found; fx += 0.02) {
    for (const fy of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      if (/block \d+: \d+\/8 peers/.test((await hover.textContent()) ?? '')) {
        found = true;
        break;
      }
    }
  }
  assert.ok(found, 'no hover text named a block');
  await page.mouse.down();
  await page.mouse.up();
  await page.locator('[data-testid=picked]', { hasText: /Picked: mychannel block \d+/ }).waitFor();
  await page.screenshot({ path: join(SHOTS, '02-hover-and-pick.png') });
  await page.context().close();
});

test('the report of a saved trace draws the same charts and says it has no message sizes', { skip: unavailable ?? false }, async () => {
  cli('run', join(REPO, 'samples', 'push-vs-pull.yaml'), '--trace', 'pvp.jsonl');
  const json = JSON.parse(cli('report', 'pvp.jsonl', '--out', 'trace.html', '--json')) as { blocks: unknown[]; rates: { bytes: unknown } };
  assert.equal(json.blocks.length, 10);
  assert.equal(json.rates.bytes, null);
  const { page, requests, errors } = await openOffline(join(dir, 'trace.html'));
  await assertChartsDrawn(page, RUN_CHARTS, ['bytes']);
  await page.locator('section[data-chart=bytes] h3', { hasText: 'records no message sizes' }).waitFor();
  assert.deepEqual(requests, []);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(SHOTS, '03-trace-report.png'), fullPage: true });
  await page.context().close();
});
