// Bundles the CLI, the benchmark, the extension, its engine worker (Node) and the webview (browser).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = { bundle: true, sourcemap: true, logLevel: 'warning', platform: 'node', target: 'node20', format: 'cjs' };
const entries = [
  { entryPoints: ['scripts/cli-entry.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['scripts/bench.ts'], outfile: 'dist/bench.js' },
  { entryPoints: ['scripts/bench/profile.ts'], outfile: 'dist/bench-profile.js' },
  { entryPoints: ['engine/sweep/worker.ts'], outfile: 'dist/sweep-worker.js' },
  { entryPoints: ['engine/debug/shrink-worker.ts'], outfile: 'dist/shrink-worker.js' },
  { entryPoints: ['engine/debug/diff-worker.ts'], outfile: 'dist/diff-worker.js' },
  { entryPoints: ['scripts/bench-live.ts'], outfile: 'dist/bench-live.js' },
];
if (existsSync('extension/extension.ts')) entries.push({ entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
if (existsSync('extension/engine-worker.ts')) entries.push({ entryPoints: ['extension/engine-worker.ts'], outfile: 'dist/engine-worker.js' });
// The extension-host tests, loaded by VS Code next to the extension (never packaged: .vscodeignore).
if (existsSync('test/vscode-host/suite.ts')) entries.push({ entryPoints: ['test/vscode-host/suite.ts'], outfile: 'dist/test/host-suite.js', external: ['vscode'] });
// The webview is minified: it is parsed on every show of the panel, so its size is first-paint time.
if (existsSync('webview/main.ts')) entries.push({ entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022', minify: true });
// The report page, inlined into every HTML report (engine/report/html.ts reads it from dist/).
if (existsSync('webview/report-page.ts')) entries.push({ entryPoints: ['webview/report-page.ts'], outfile: 'dist/report-page.js', platform: 'browser', format: 'iife', target: 'es2022', minify: true, sourcemap: false });
if (existsSync('webview/report-page.css')) entries.push({ entryPoints: ['webview/report-page.css'], outfile: 'dist/report-page.css', platform: 'browser', minify: true, sourcemap: false });
if (existsSync('webview/style.css')) entries.push({ entryPoints: ['webview/style.css'], outfile: 'dist/webview.css', platform: 'browser', minify: true });

await Promise.all(entries.filter((e) => existsSync(e.entryPoints[0])).map((e) => build({ ...common, ...e })));
