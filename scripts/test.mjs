// Runs every test file under test/ with Node's test runner, TypeScript loaded through tsx.
// (Node 20's --test does not expand globs itself.)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return find(p);
    return p.endsWith('.test.ts') ? [p] : [];
  });
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : find('test').sort();
// The browser tests need Debian's Chromium; as root on a fresh machine, install it first.
if (!existsSync('/usr/bin/chromium') && process.getuid?.() === 0) {
  spawnSync('bash', ['test/setup/install-chromium.sh'], { stdio: 'inherit' });
}
// Build once here: test files run in parallel, and two builds at once would race on dist/.
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// The end-to-end files each start a VS Code (code-server) and a Chromium, and the live-mode
// files a network of processes on real timers: on a small machine several at once starve each
// other, so they run one at a time, beside the other files. The webview's big harness file
// (Chromium fed a 100- and a 500-peer recording, about two minutes) runs in that lane too, so
// the two lanes take about as long as each other.
const e2e = files.filter((f) => f.split(sep).some((part) => part === 'e2e' || part === 'live') || f === join('test', 'webview', 'webview.test.ts'));
const rest = files.filter((f) => !e2e.includes(f));
const run = (list, extra) =>
  list.length === 0
    ? Promise.resolve(0)
    : new Promise((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...list], {
          stdio: 'inherit',
          env: { ...process.env, GOSSIP_SCOPE_BUILT: '1' },
        });
        child.on('exit', (code) => resolve(code ?? 1));
      });
const codes = await Promise.all([run(rest, []), run(e2e, ['--test-concurrency=1'])]);
process.exit(codes.some((c) => c !== 0) ? 1 : 0);
