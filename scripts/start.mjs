// `npm start`: builds the extension and opens it in a real VS Code. With no desktop VS Code on
// this machine, that is code-server (installed on first use into ~/.cache/gossip-scope), bound to
// 127.0.0.1 on a free port with the samples folder open; open the printed URL in a browser.
// Options: --port N (a fixed port, e.g. for an SSH tunnel), --verbose (code-server's own log).
import { spawnSync } from 'node:child_process';
import { CodeServerUnavailable, startCodeServer } from './code-server.mjs';

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

try {
  const portArg = process.argv.indexOf('--port');
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : undefined;
  const server = await startCodeServer({ output: process.argv.includes('--verbose') ? 'inherit' : 'ignore', port });
  console.log(`\nGossip Scope is running in VS Code (code-server) at\n\n  ${server.url}\n`);
  console.log('Open it, press F1 and run "Gossip Scope: Open Network" (or "Welcome: Open Walkthrough..." › Learn Fabric Gossip;');
  console.log('or open a sample and press F5 to step through it in the debugger). Ctrl-C stops the server.');
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  console.error(err instanceof CodeServerUnavailable ? `Cannot install code-server here: ${err.message}` : err);
  process.exit(1);
}
