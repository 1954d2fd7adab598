/**
 * `npm start` as a newcomer runs it: every stage says what it is doing before the URL appears (a
 * first start takes minutes, and silence looks like a hang), the URL answers, and Ctrl-C stops it.
 * It runs from a copy of the sources, so its build does not rewrite dist/ under the other files.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { e2eUnavailable, REPO } from './prerequisites.js';

const scratch = mkdtempSync(join(tmpdir(), 'gossip-scope-e2e-start-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('npm start names each stage (build, code-server, start) before the URL, which answers; Ctrl-C stops it', async (t) => {
  const unavailable = e2eUnavailable();
  if (unavailable) return t.skip(unavailable);
  for (const entry of ['package.json', 'engine', 'extension', 'webview', 'scripts', 'samples', 'media']) cpSync(join(REPO, entry), join(scratch, entry), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(scratch, 'node_modules'), 'dir');

  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  // A condition, not a time: the URL line (or the process ending), within a generous limit.
  const url = await new Promise<string>((resolve, reject) => {
    const limit = setTimeout(() => reject(new Error(`no URL within 5 minutes; output so far:\n${out}`)), 300_000);
    const look = () => {
      const m = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\S*)$/m.exec(out);
      if (m) {
        clearTimeout(limit);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', look);
    void exited.then((code) => {
      clearTimeout(limit);
      reject(new Error(`npm start exited ${code} before printing a URL:\n${out}`));
    });
  });

  const stages = [/\[1\/3\] Building the extension/, /built in \d+\.\d s/, /\[2\/3\] Checking for code-server 4\.100\.3/, /ready after \d+\.\d s/, /\[3\/3\] Starting VS Code \(code-server\) on 127\.0\.0\.1:\d+/, /up after \d+\.\d s/];
  let from = 0;
  for (const stage of stages) {
    const at = out.slice(from).search(stage);
    assert.ok(at >= 0, `${stage} after what came before, in:\n${out}`);
    from += at;
  }
  assert.ok(out.indexOf(url) > from, 'the URL comes after every stage');
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url} answers`);

  child.kill('SIGINT');
  assert.equal(await exited, 0, `Ctrl-C ends npm start cleanly:\n${out}`);
  assert.match(out, /Stopping code-server/);
});
