/**
 * `npm start` opens a workspace of the user's own, filled with the shipped samples: what the user
 * makes or edits there is never overwritten, and the samples' $schema still points at a real file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error a plain .mjs script, no declarations
import { defaultWorkspace, prepareUserWorkspace } from '../../scripts/user-workspace.mjs';

const REPO = join(__dirname, '..', '..');
const SHIPPED: string[] = JSON.parse(readFileSync(join(REPO, 'scripts', 'shipped-samples.json'), 'utf8')).samples;

test('the default workspace is not samples/, and git ignores it', () => {
  const dir = resolve(defaultWorkspace());
  assert.notEqual(dir, resolve(REPO, 'samples'));
  assert.match(readFileSync(join(REPO, '.gitignore'), 'utf8'), new RegExp(`^/?${dir.slice(resolve(REPO).length + 1)}/?$`, 'm'));
});

test('the samples are copied in, with a $schema that exists; what the user made or edited stays', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gs-workspace-'));
  const first = prepareUserWorkspace(dir);
  assert.deepEqual(first.copied.sort(), [...SHIPPED].sort());
  for (const name of SHIPPED) {
    const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(readFileSync(join(dir, name), 'utf8'))?.[1];
    if (schema !== undefined) assert.ok(existsSync(resolve(dir, schema)), `${name}: $schema=${schema}`);
  }
  // The user's own scenario and an edited sample survive the next start; an untouched one is refreshed.
  writeFileSync(join(dir, 'mine-shrunk.yaml'), 'name: mine\n');
  writeFileSync(join(dir, 'two-orgs.yaml'), readFileSync(join(dir, 'two-orgs.yaml'), 'utf8') + '# my note\n');
  writeFileSync(join(dir, 'fanout.yaml'), 'an older fanout.yaml, as copied by an earlier version\n');
  const manifest = JSON.parse(readFileSync(join(dir, '.gossip-scope-samples.json'), 'utf8'));
  manifest['fanout.yaml'] = require('node:crypto').createHash('sha256').update('an older fanout.yaml, as copied by an earlier version\n').digest('hex');
  writeFileSync(join(dir, '.gossip-scope-samples.json'), JSON.stringify(manifest));
  const second = prepareUserWorkspace(dir);
  assert.deepEqual(second.copied, []);
  assert.deepEqual(second.kept, ['two-orgs.yaml']);
  assert.deepEqual(second.refreshed, ['fanout.yaml']);
  assert.equal(readFileSync(join(dir, 'mine-shrunk.yaml'), 'utf8'), 'name: mine\n');
  assert.match(readFileSync(join(dir, 'two-orgs.yaml'), 'utf8'), /# my note\n$/);
});
