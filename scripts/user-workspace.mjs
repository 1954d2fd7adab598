// The folder `npm start` opens: the user's own, never the repo's samples/ (a scenario imported or
// shrunk there would be taken for a shipped lesson by the tests and by the .vsix). On each start,
// the shipped samples are copied in, with their $schema modeline pointed at the repo's schema;
// a sample already there is refreshed only while it is still exactly what was copied last time,
// so a sample the user edited, and every file the user made, is left alone.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** What was copied last, by file name → sha256 of the text written. */
const MANIFEST = '.gossip-scope-samples.json';

/** The default: workspace/ in the clone (gitignored), beside the samples it starts from. */
export function defaultWorkspace() {
  return join(REPO, 'workspace');
}

const sha = (text) => createHash('sha256').update(text).digest('hex');

/**
 * Fills `dir` with the shipped samples; returns { dir, copied, refreshed, kept } (file names), kept
 * being the samples the user changed, which are not touched.
 */
export function prepareUserWorkspace(dir = defaultWorkspace(), repo = REPO) {
  mkdirSync(dir, { recursive: true });
  const names = JSON.parse(readFileSync(join(repo, 'scripts', 'shipped-samples.json'), 'utf8')).samples;
  const manifestPath = join(dir, MANIFEST);
  const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : {};
  const schema = join(repo, 'engine', 'scenario', 'scenario.schema.json');
  const result = { dir, copied: [], refreshed: [], kept: [] };
  for (const name of names) {
    const text = readFileSync(join(repo, 'samples', name), 'utf8').replace(/^(# yaml-language-server: \$schema=).*$/m, `$1${schema}`);
    const target = join(dir, name);
    if (existsSync(target)) {
      const now = readFileSync(target, 'utf8');
      if (now === text) continue;
      if (manifest[name] !== sha(now)) {
        result.kept.push(name);
        continue;
      }
      result.refreshed.push(name);
    } else result.copied.push(name);
    writeFileSync(target, text);
    manifest[name] = sha(text);
  }
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 1) + '\n');
  return result;
}
