// A real VS Code without a desktop: installs code-server from the npm registry into a cache folder
// outside the repo (once), and starts it with this repo loaded as an extension. Used by
// `npm start` and by the end-to-end tests. The recipe is ../shared/reference/real-vscode-offline.md.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** 4.100.3 is VS Code 1.100, the newest code-server that installs on Node 20. */
export const CODE_SERVER_VERSION = '4.100.3';
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const APT_PACKAGES = ['libkrb5-dev', 'ripgrep', 'chromium'];
// @vscode/ripgrep's postinstall downloads rg from GitHub unless this archive is already cached
// (versions from code-server's lib/vscode/npm-shrinkwrap.json).
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export class CodeServerUnavailable extends Error {
  name = 'CodeServerUnavailable';
}

export function cacheDir() {
  return join(process.env.GOSSIP_SCOPE_CACHE ?? join(homedir(), '.cache', 'gossip-scope'), `code-server-${CODE_SERVER_VERSION}`);
}

function binaryIn(dir) {
  return join(dir, 'node_modules', '.bin', 'code-server');
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const installed = (pkg) => spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0;

/** Debian packages the native modules and the tests need; only root can add them. */
function ensureAptPackages(log) {
  const missing = APT_PACKAGES.filter((p) => !installed(p));
  if (missing.length === 0) return;
  if (!isRoot()) {
    log(`not root: cannot apt-get install ${missing.join(' ')}; trying without them`);
    return;
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: 'ignore', env });
  execFileSync('apt-get', ['install', '-y', '-q', ...missing], { stdio: 'ignore', env });
}

/** Puts Debian's rg where @vscode/ripgrep looks for a cached download. */
function seedRipgrepCache(log) {
  const rg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((p) => existsSync(p));
  const dir = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = join(dir, RIPGREP_ARCHIVE);
  if (existsSync(archive)) return;
  if (rg === undefined) {
    log('no rg on this machine: @vscode/ripgrep will try to download it');
    return;
  }
  const staging = mkdtempSync(join(tmpdir(), 'rg-'));
  copyFileSync(rg, join(staging, 'rg'));
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-czf', archive, '-C', staging, 'rg']);
  rmSync(staging, { recursive: true, force: true });
}

/**
 * Returns the path of the code-server binary, installing it first if needed.
 * Throws CodeServerUnavailable when it cannot be installed on this machine.
 */
export function ensureCodeServer({ log = (m) => console.error(`[code-server] ${m}`) } = {}) {
  const dir = cacheDir();
  const stamp = join(dir, '.installed');
  if (existsSync(stamp) && existsSync(binaryIn(dir))) return binaryIn(dir);
  try {
    ensureAptPackages(log);
  } catch (err) {
    log(`apt-get failed (${err.message}); trying without it`);
  }
  seedRipgrepCache(log);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'gossip-scope-code-server', private: true }) + '\n');
  log(`installing code-server@${CODE_SERVER_VERSION} into ${dir} (about a minute)`);
  const started = Date.now();
  const r = spawnSync('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--no-audit', '--no-fund', '--no-save', '--loglevel=error'], {
    cwd: dir,
    encoding: 'utf8',
    // unsafe_perm: code-server's postinstall refuses root without it; yes: node-pty's postinstall
    // runs `npx node-gyp`, which would wait for a prompt nobody answers.
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0 || !existsSync(binaryIn(dir))) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new CodeServerUnavailable(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status ?? r.error?.message}):\n${tail}`);
  }
  writeFileSync(stamp, new Date().toISOString() + '\n');
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return binaryIn(dir);
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

async function waitUntilHealthy(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const res = await fetch(new URL('/healthz', url));
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`);
}

/** A fresh extensions folder holding only this repo, linked under its publisher.name-version. */
function extensionsDirWith(extensionPath, root) {
  const dir = join(root, 'extensions');
  mkdirSync(dir, { recursive: true });
  linkExtension(extensionPath, dir);
  return dir;
}

function linkExtension(extensionPath, dir) {
  const pkg = JSON.parse(readFileSync(join(extensionPath, 'package.json'), 'utf8'));
  symlinkSync(extensionPath, join(dir, `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');
}

/** User settings that keep the first run quiet: no welcome page, no trust prompt, no tips. */
function writeUserSettings(userDataDir, extra) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'git.openRepositoryInParentFolders': 'never',
    ...extra,
  };
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** A fresh extensions folder with a packaged .vsix installed by code-server itself, as a user would. */
function extensionsDirFromVsix(bin, vsix, root, userDataDir, log) {
  const dir = join(root, 'extensions');
  mkdirSync(dir, { recursive: true });
  const r = spawnSync(bin, ['--install-extension', vsix, '--extensions-dir', dir, '--user-data-dir', userDataDir], { encoding: 'utf8' });
  log(`${`${r.stdout ?? ''}${r.stderr ?? ''}`.trim()}`);
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status})`);
  return dir;
}

/**
 * Starts code-server on 127.0.0.1 and a free port (or `port`) with `extensionPath` loaded (or,
 * with `vsix`, that package installed) and `folder` open.
 * Returns { url, port, pid, folder, stop() }; stop() ends the server (its whole process group).
 */
export async function startCodeServer({
  extensionPath = REPO,
  vsix,
  folder = join(REPO, 'samples'),
  settings = {},
  log = (m) => console.error(`[code-server] ${m}`),
  output = 'ignore',
  port: wantedPort,
  extraArgs = [],
  env = {},
  extraExtensions = [],
} = {}) {
  const bin = ensureCodeServer({ log });
  const root = mkdtempSync(join(tmpdir(), 'gossip-scope-vscode-'));
  const userDataDir = join(root, 'user-data');
  writeUserSettings(userDataDir, settings);
  const extensionsDir = vsix ? extensionsDirFromVsix(bin, vsix, root, userDataDir, log) : extensionsDirWith(extensionPath, root);
  for (const extra of extraExtensions) linkExtension(extra, extensionsDir);
  const port = wantedPort ?? (await freePort());
  const args = [
    '--config', join(root, 'config.yaml'), // not ~/.config/code-server
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...extraArgs,
    folder,
  ];
  // detached: its own process group, so stop() can end the server and the hosts it forked.
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', output, output], env: { ...process.env, ...env } });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitUntilHealthy(`http://127.0.0.1:${port}/`, child, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, pid: child.pid, folder, userDataDir, stop };
}

// `node scripts/code-server.mjs install` installs it and prints the binary's path.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'install') {
  console.log(ensureCodeServer());
}
