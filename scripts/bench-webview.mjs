// The webview's figures, measured in Chromium (the harness: real bundle, fake host replaying a
// recorded engine run), in one run:
//   - frames per second with 100 and 500 peers while frames stream in and dots fly (target ≥ 55 at 500)
//   - time to first paint of a 100-peer network (target < 500 ms)
//   - host-to-webview events per second sustained (target 50,000)
// Usage: node scripts/bench-webview.mjs [--no-build] [--seconds N]
// Needs /usr/bin/chromium (apt-get install -y chromium). Writes test-results/bench-webview.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumUnavailable, harnessUrl, launchChromium, REPO, serveRepo } from '../test/webview/harness-server.mjs';

const args = process.argv.slice(2);
const SECONDS = Number(args[args.indexOf('--seconds') + 1]) || 5;
const TARGETS = { fps500: 55, firstPaintMs: 500, eventsPerSecond: 50_000 };

const unavailable = chromiumUnavailable();
if (unavailable) {
  console.error(`bench-webview: ${unavailable}`);
  process.exit(2);
}
const run = (cmd, argv) => {
  const r = spawnSync(cmd, argv, { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (!args.includes('--no-build')) run(process.execPath, ['scripts/build.mjs']);
// Real frames: the engine runs the 100- and 500-peer scenarios (cached in test-results/webview-data).
run(process.execPath, ['--import', 'tsx', 'test/webview/record-frames.ts', '100', '500']);

const server = await serveRepo();
const browser = await launchChromium();
const version = browser.version();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function openPage(net) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(harnessUrl(server.url, { net }));
  await page.locator('[data-testid=peer-count]').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => window.gossipScopeProbe.firstPaintMs !== null);
  return page;
}

/** First paint: the webview's own work from `init` to the painted graph, and from navigation. */
async function firstPaint() {
  const samples = [];
  for (let i = 0; i < 5; i++) {
    const page = await openPage('100');
    samples.push(
      await page.evaluate(() => {
        const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
        const readyAt = mark('gossip-scope:ready');
        return {
          initToPaint: window.gossipScopeProbe.firstPaintMs,
          scriptStart: mark('gossip-scope:script-start'),
          startup: readyAt - mark('gossip-scope:script-start'),
        };
      }),
    );
    await page.close();
  }
  const initToPaint = median(samples.map((s) => s.initToPaint));
  const scriptStart = median(samples.map((s) => s.scriptStart));
  const startup = median(samples.map((s) => s.startup));
  return { initToPaint, scriptStart, startup, total: scriptStart + startup + initToPaint, samples: samples.map((s) => Math.round(s.initToPaint)) };
}

/** fps while the busiest recorded stretch replays at 30 frames a second, dots in flight. */
async function fps(net, from, to) {
  const page = await openPage(net);
  await page.evaluate(([a, b]) => window.fakeHost.cycle(a, b), [from, to]);
  await page.waitForTimeout(1500); // let the dots fill up and the edges appear
  const r = await page.evaluate(
    (seconds) =>
      new Promise((resolve) => {
        const probe = window.gossipScopeProbe;
        const deltas = [];
        const inFlight = [];
        const events0 = probe.eventsHandled;
        const start = performance.now();
        let last = start;
        const tick = (now) => {
          deltas.push(now - last);
          inFlight.push(probe.dotsInFlight);
          last = now;
          if (now - start < seconds * 1000) requestAnimationFrame(tick);
          else {
            const sorted = [...deltas].sort((a, b) => a - b);
            resolve({
              fps: (deltas.length - 1) / ((now - start) / 1000),
              p95: sorted[Math.floor(sorted.length * 0.95)],
              max: sorted[sorted.length - 1],
              dotsMedian: [...inFlight].sort((a, b) => a - b)[Math.floor(inFlight.length / 2)],
              dotsMin: Math.min(...inFlight),
              edges: probe.edges,
              eventsPerSecond: (probe.eventsHandled - events0) / ((now - start) / 1000),
            });
          }
        };
        requestAnimationFrame(tick);
      }),
    SECONDS,
  );
  await page.evaluate(() => window.fakeHost.stop());
  await page.screenshot({ path: join(REPO, 'test-results', `bench-webview-${net}.png`) });
  await page.close();
  return r;
}

/** Events per second the webview takes in while still drawing (frames of 4096, as the host caps them). */
async function throughput() {
  const page = await openPage('100');
  const r = await page.evaluate((seconds) => window.fakeHost.flood(seconds, 4096), SECONDS);
  await page.close();
  return r;
}

const idle = await (async () => {
  const page = await browser.newPage();
  await page.goto('about:blank');
  const f = await page.evaluate(() => new Promise((ok) => {
    let n = 0;
    const start = performance.now();
    const tick = (now) => (now - start < 1000 ? (n++, requestAnimationFrame(tick)) : ok(n / ((now - start) / 1000)));
    requestAnimationFrame(tick);
  }));
  await page.close();
  return f;
})();
const paint = await firstPaint();
const fps100 = await fps('100', 4000, 6500);
const fps500 = await fps('500', 4000, 5600);
const flood = await throughput();
await browser.close();
await server.close();

const ok = (v, target, lower = false) => ((lower ? v < target : v >= target) ? 'ok' : 'MISSED');
const f0 = (x) => Math.round(x).toLocaleString('en-US');
const lines = [
  `Gossip Scope webview, Chromium ${version} (headless, --disable-gpu), viewport 1280×800, ${SECONDS}s per measurement; idle page ${idle.toFixed(0)} fps`,
  `fps, 100 peers, frames streaming:      ${fps100.fps.toFixed(1)} fps (frame p95 ${fps100.p95.toFixed(1)} ms, max ${fps100.max.toFixed(0)} ms), dots in flight median ${fps100.dotsMedian} (min ${fps100.dotsMin}), ${fps100.edges} edges, ${f0(fps100.eventsPerSecond)} events/s`,
  `fps, 500 peers, frames streaming:      ${fps500.fps.toFixed(1)} fps (frame p95 ${fps500.p95.toFixed(1)} ms, max ${fps500.max.toFixed(0)} ms), dots in flight median ${fps500.dotsMedian} (min ${fps500.dotsMin}), ${fps500.edges} edges, ${f0(fps500.eventsPerSecond)} events/s   [target ≥ ${TARGETS.fps500}: ${ok(fps500.fps, TARGETS.fps500)}]`,
  `first paint, 100 peers:                ${paint.initToPaint.toFixed(0)} ms from init to the painted graph (median of 5: ${paint.samples.join(', ')}); from navigation ${paint.total.toFixed(0)} ms (bundle loaded and run ${paint.scriptStart.toFixed(0)} ms, startup to ready ${paint.startup.toFixed(0)} ms)   [target < ${TARGETS.firstPaintMs}: ${ok(paint.total, TARGETS.firstPaintMs, true)}]`,
  `host → webview events sustained:       ${f0(flood.eventsPerSecond)} events/s over ${flood.seconds.toFixed(1)} s (frames of 4096; ${flood.fps.toFixed(0)} fps meanwhile)   [target ≥ ${f0(TARGETS.eventsPerSecond)}: ${ok(flood.eventsPerSecond, TARGETS.eventsPerSecond)}]`,
];
console.log(lines.join('\n'));
mkdirSync(join(REPO, 'test-results'), { recursive: true });
writeFileSync(join(REPO, 'test-results', 'bench-webview.json'), JSON.stringify({ chromium: version, seconds: SECONDS, idleFps: idle, fps100, fps500, firstPaint: paint, throughput: flood, targets: TARGETS }, null, 2));
