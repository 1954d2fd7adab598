/**
 * What every end-to-end file needs before it starts a VS Code: code-server installed (first use
 * installs it), Debian's Chromium, and the build. Returns why the file must skip, or undefined.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CodeServerUnavailable, ensureCodeServer } from '../../scripts/code-server.mjs';
import { CHROMIUM } from './workbench.js';

export const REPO = join(__dirname, '..', '..');

export function e2eUnavailable(): string | undefined {
  try {
    ensureCodeServer();
  } catch (err) {
    if (!(err instanceof CodeServerUnavailable)) throw err;
    console.error(err.message);
    return `code-server cannot be installed on this machine (${err.message.split('\n').at(-1)})`;
  }
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium as root)`;
  // scripts/test.mjs builds once before the files run (two builds at once race on dist/).
  const build = process.env.GOSSIP_SCOPE_BUILT === '1' ? { status: 0 } : spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });
  assert.equal(build.status, 0, 'the build failed');
  return undefined;
}
