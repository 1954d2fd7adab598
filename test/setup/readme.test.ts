/**
 * The README and the samples point only at what a clone has, and count what they count: a link
 * outside the repository (../shared/...), a file a sample cites that is not there, or "twelve
 * lessons" beside sixteen samples misleads a newcomer on the first page.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const REPO = join(__dirname, '..', '..');
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const SHIPPED: string[] = JSON.parse(readFileSync(join(REPO, 'scripts', 'shipped-samples.json'), 'utf8')).samples;
const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'];

test('every path the README links or names in backticks is in the repository', () => {
  const paths = [...README.matchAll(/\]\(([^)#\s]+)\)|`((?:\.\.\/|docs\/|samples\/|media\/)[^`\s]*)`/g)].map((m) => m[1] ?? m[2]).filter((p) => !/^[a-z]+:/.test(p));
  assert.ok(paths.length > 5, `only ${paths.length} paths found`);
  const missing = paths.filter((p) => p.startsWith('../') || !existsSync(join(REPO, p.replace(/\*.*$/, ''))));
  assert.deepEqual(missing, []);
});

test('the README counts the lessons samples/ ships', () => {
  const said = /`samples\/` holds (\w+) lessons/.exec(README)?.[1];
  assert.equal(said, WORDS[SHIPPED.length]);
  const walkthrough = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).contributes.walkthroughs[0].steps.filter((s: { id: string }) => SHIPPED.includes(`${s.id}.yaml`));
  assert.match(README, new RegExp(`The walkthrough takes (\\w+) of them`));
  assert.equal(/The walkthrough takes (\w+) of them/.exec(README)?.[1], WORDS[walkthrough.length]);
});

test('a file a sample cites (DESIGN.md, a .md beside it) is in the repository', () => {
  for (const name of SHIPPED) {
    for (const [doc] of readFileSync(join(REPO, 'samples', name), 'utf8').matchAll(/\b[\w./-]+\.md\b/g)) {
      assert.ok(existsSync(join(REPO, doc)) || existsSync(join(REPO, 'samples', doc)), `${name} cites ${doc}, which a clone does not have`);
    }
  }
});
