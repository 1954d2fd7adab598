// `npm run test:electron`: the extension-host tests (test/vscode-host/suite.ts) under
// @vscode/test-electron, in a desktop VS Code it downloads. Where VS Code cannot be downloaded
// (an offline machine), it says so and exits 0: the same suite runs in code-server
// (test/e2e/host.e2e.test.ts) as part of `npm test`. A desktop VS Code needs a display: on a
// headless Linux machine run it under `xvfb-run -a`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode({ version: 'stable', timeout: 20_000 });
} catch (err) {
  console.log(`test:electron skipped: cannot download VS Code here (${err.message ?? err}). The same extension-host tests run in code-server: npm test.`);
  process.exit(0);
}
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.log('test:electron skipped: no display for a desktop VS Code (run it as `xvfb-run -a npm run test:electron`).');
  process.exit(0);
}
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: REPO,
    extensionTestsPath: join(REPO, 'dist', 'test', 'host-suite.js'),
    launchArgs: [mkdtempSync(join(tmpdir(), 'gossip-scope-electron-')), '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (err) {
  console.error(`extension-host tests failed: ${err.message ?? err}`);
  process.exit(1);
}
console.log('test:electron passed: the extension-host tests ran in desktop VS Code.');
