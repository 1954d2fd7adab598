import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import semver from 'semver';

// A fresh `npm ci` must be quiet and truthful: every locked package runs on the oldest Node that
// package.json's engines allows (else npm warns EBADENGINE), and every install script is either
// allowed or denied in allowScripts (else npm 11 warns "not yet covered by allowScripts").

interface LockEntry {
  version?: string;
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
  optional?: boolean;
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string };
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { lockfileVersion: number; packages: Record<string, LockEntry> };
const readme = readFileSync('README.md', 'utf8');
const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
const locked = Object.entries(lock.packages).filter(([path]) => path !== '');

test('every locked package runs on the oldest Node that engines allows', () => {
  const oldest = semver.minVersion(pkg.engines.node);
  assert.ok(oldest, `engines.node ${pkg.engines.node} is a range`);
  const misfits = locked
    .filter(([, e]) => e.engines && !Array.isArray(e.engines) && e.engines.node && !semver.satisfies(oldest, e.engines.node))
    .map(([path, e]) => `${nameOf(path)}@${e.version} wants node ${(e.engines as { node: string }).node}`);
  assert.deepEqual(misfits, [], `Node ${oldest.version} (engines ${pkg.engines.node}) is too old for these`);
  assert.ok(semver.satisfies(process.version, pkg.engines.node), `this machine's ${process.version} is within engines ${pkg.engines.node}`);
});

test('the README names the Node that engines names', () => {
  const oldest = semver.minVersion(pkg.engines.node)!;
  const named = `Node ${oldest.major}.${oldest.minor}`;
  assert.ok(readme.includes(named), `README should say ${named} or later is needed`);
});

test('every install script in the lock is allowed or denied in allowScripts, and each entry is explained', () => {
  const policy = pkg.allowScripts ?? {};
  const withScripts = [...new Set(locked.filter(([, e]) => e.hasInstallScript).map(([path]) => nameOf(path)))].sort();
  // npm here writes name-only entries: the lock carries no "resolved" URL to pin a version to.
  assert.deepEqual(Object.keys(policy).sort(), withScripts, 'allowScripts names exactly the packages with install scripts');
  for (const [name, allowed] of Object.entries(policy)) {
    assert.equal(typeof allowed, 'boolean', `${name}: true (may run) or false (denied)`);
    assert.match(readme, new RegExp(`\\| \`${name.replace(/[/@.]/g, '\\$&')}\` \\| (allowed|denied):`), `README's install-script table explains ${name}`);
  }
});
