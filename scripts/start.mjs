// `npm start`: builds the extension and opens it in a real VS Code. With no desktop VS Code on
// this machine, that is code-server (installed on first use into ~/.cache/gossip-scope), bound to
// 127.0.0.1 on a free port with a workspace of the user's own open (workspace/, gitignored, filled
// with the samples: scripts/user-workspace.mjs); open the printed URL in a browser.
// Options: --port N (a fixed port, e.g. for an SSH tunnel), --verbose (code-server's own log).
// Each stage says what it is doing: a first start takes minutes, and silence looks like a hang.
import { spawnSync } from 'node:child_process';
import { CODE_SERVER_VERSION, CodeServerUnavailable, cacheDir, ensureCodeServer, freePort, startCodeServer } from './code-server.mjs';
import { prepareUserWorkspace } from './user-workspace.mjs';

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

const portArg = process.argv.indexOf('--port');
const wantedPort = portArg > 0 ? Number(process.argv[portArg + 1]) : undefined;
if (wantedPort !== undefined && !(Number.isInteger(wantedPort) && wantedPort >= 1 && wantedPort <= 65535)) {
  console.error(`--port ${process.argv[portArg + 1] ?? ''}: a port is a whole number from 1 to 65535`);
  process.exit(2);
}

console.log('[1/3] Building the extension (node scripts/build.mjs)…');
let since = Date.now();
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
console.log(`      built in ${seconds(since)}`);

try {
  console.log(`[2/3] Checking for code-server ${CODE_SERVER_VERSION} (VS Code 1.100) in ${cacheDir()}…`);
  since = Date.now();
  ensureCodeServer({ log: (m) => console.log(`      ${m}`) });
  console.log(`      ready after ${seconds(since)}`);
  const port = wantedPort ?? (await freePort());
  const workspace = prepareUserWorkspace();
  console.log(`[3/3] Starting VS Code (code-server) on 127.0.0.1:${port} with your workspace ${workspace.dir} open…`);
  if (workspace.copied.length > 0) console.log(`      copied ${workspace.copied.length} samples into it`);
  if (workspace.kept.length > 0) console.log(`      kept your edits to ${workspace.kept.join(', ')} (the shipped ones are in samples/)`);
  since = Date.now();
  const server = await startCodeServer({ output: process.argv.includes('--verbose') ? 'inherit' : 'ignore', port, folder: workspace.dir, log: (m) => console.log(`      ${m}`) });
  console.log(`      up after ${seconds(since)}`);
  console.log(`\nGossip Scope is running in VS Code (code-server) at\n\n  ${server.url}\n`);
  console.log('Open it, press F1 and run "Gossip Scope: Open Network" (or "Welcome: Open Walkthrough..." › Learn Fabric Gossip;');
  console.log('or open a sample and press F5 to step through it in the debugger). Ctrl-C stops the server.');
  const stop = async () => {
    console.log('Stopping code-server…');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  console.error(err instanceof CodeServerUnavailable ? `Cannot install code-server here: ${err.message}` : err);
  process.exit(1);
}
