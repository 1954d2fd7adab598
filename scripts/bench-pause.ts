/**
 * Pause along the user's path, end to end in a real VS Code (code-server in Chromium): Run, wait,
 * click Pause in the panel, and time until its status line says "paused"; compare the simulated
 * time the panel showed at the click with where the run stopped. 8 peers (membership.yaml) and
 * 200 peers (big-200.yaml), at 5×.
 *
 * Usage: npm run bench:pause -- [--tries N] [--load N]
 *   --load N  also measures with N busy processes beside it (a loaded machine).
 * Prints one line per network (median and worst), and writes test-results/bench-pause.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, startCodeServer } from './code-server.mjs';
import { launchBrowser, Workbench } from '../test/e2e/workbench.js';
import { clickPauseAndMeasure, waitRunningPast, type PauseFigure } from '../test/e2e/pause-path.js';

const REPO = join(__dirname, '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} takes a whole number, not "${args[i + 1]}"`);
  return n;
};
const TRIES = option('--tries', 5);
const LOAD = option('--load', 0);
const SPEED = 5;
const NETWORKS = [
  { file: 'membership.yaml', peers: 8 },
  { file: 'big-200.yaml', peers: 200 },
];

/** Busy processes that keep cores full, as other work on a shared machine does. */
function burners(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs: number[]) => Math.max(...xs);

async function measure(label: string): Promise<Record<string, PauseFigure[]>> {
  const scratch = mkdtempSync(join(tmpdir(), 'gossip-scope-bench-pause-'));
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  for (const n of NETWORKS) copyFileSync(join(REPO, 'samples', n.file), join(workspace, n.file));
  const server = await startCodeServer({ extensionPath: REPO, folder: workspace, settings: { 'gossipScope.defaultSpeed': SPEED } });
  const browser = await launchBrowser();
  const results: Record<string, PauseFigure[]> = {};
  try {
    const wb = await Workbench.open(browser, server.url, join(REPO, 'test-results', 'bench-pause'), 'Gossip Scope');
    for (const n of NETWORKS) {
      await wb.runCommand('Gossip Scope: Open Network');
      await wb.pick(n.file);
      await wb.quickInputClosed();
      const webview = await wb.webviewFrame(`[data-testid=peer-count]`);
      await webview.waitForFunction((p) => document.querySelectorAll('[data-peer-id]').length === p, n.peers, { timeout: 60_000 });
      const figures: PauseFigure[] = [];
      for (let i = 0; i < TRIES; i++) {
        await webview.locator('[data-testid=run]:not([disabled])').click();
        // Somewhere into the run, a different moment each time.
        await waitRunningPast(webview, 0.5);
        await wb.page.waitForTimeout(1000 + 300 * i);
        const f = await clickPauseAndMeasure(webview);
        figures.push(f);
        console.log(`  ${label} ${n.file} #${i + 1}: ${f.wallMs.toFixed(0)} ms to "paused"; clicked at ${f.clickedAt} s, stopped at ${f.pausedAt} s (${f.overshoot.toFixed(3)} s over)`);
        if (/ · finished\b/.test(f.after)) break;
      }
      await wb.screenshot(`${label}-${n.file.replace(/\W+/g, '-')}-paused`);
      results[n.file] = figures;
    }
  } finally {
    await browser.close();
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

async function main(): Promise<void> {
  ensureCodeServer();
  const runs: { label: string; load: number[]; results: Record<string, PauseFigure[]> }[] = [];
  for (const [label, n] of [['quiet', 0], ...(LOAD > 0 ? [[`loaded`, LOAD] as const] : [])] as const) {
    const busy = burners(n);
    try {
      const load = loadavg();
      console.log(`${label}${n > 0 ? ` (${n} busy processes)` : ''}: load average ${load.map((x) => x.toFixed(1)).join(' ')}`);
      runs.push({ label, load, results: await measure(label) });
    } finally {
      for (const b of busy) b.kill();
    }
  }
  console.log(`\nPause in the panel at ${SPEED}×, click → "paused" (wall) and simulated overshoot, median / worst of ${TRIES}:`);
  for (const r of runs) {
    for (const [file, fs] of Object.entries(r.results)) {
      const wall = fs.map((f) => f.wallMs);
      const over = fs.map((f) => f.overshoot);
      console.log(`  ${r.label.padEnd(6)} ${file.padEnd(16)} wall ${median(wall).toFixed(0)} / ${max(wall).toFixed(0)} ms   overshoot ${median(over).toFixed(3)} / ${max(over).toFixed(3)} s   (load ${r.load[0].toFixed(1)})`);
    }
  }
  mkdirSync(join(REPO, 'test-results'), { recursive: true });
  writeFileSync(join(REPO, 'test-results', 'bench-pause.json'), JSON.stringify({ speed: SPEED, tries: TRIES, runs }, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
