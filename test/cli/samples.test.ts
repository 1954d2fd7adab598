import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { main } from '../../engine/cli/main.js';

// The shipped samples by name: a scenario a user imports or shrinks into samples/ is theirs, not a lesson to test.
const SHIPPED: string[] = JSON.parse(readFileSync('scripts/shipped-samples.json', 'utf8')).samples;

// Scenarios sit at the top of samples/; a folder below it holds a lesson's Fabric network files (samples/fabric-doctor/).
test('the list of shipped samples is exactly the YAML files the repository tracks at the top of samples/', () => {
  const tracked = execFileSync('git', ['ls-files', 'samples'], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => /^samples\/[^/]+\.ya?ml$/.test(f))
    .map((f) => f.slice('samples/'.length))
    .sort();
  assert.deepEqual([...SHIPPED].sort(), tracked);
});

// Every sample is a lesson: it loads, runs, and meets its own expectations.
for (const file of SHIPPED) {
  test(`samples/${file} meets its expectations (run --check)`, async () => {
    let out = '';
    let err = '';
    const code = await main(['run', `samples/${file}`, '--check', '--json'], (s) => (out += s), (s) => (err += s));
    const summary = JSON.parse(out);
    const failed = (summary.expectations ?? []).filter((r: { status: string }) => r.status !== 'met');
    assert.equal(code, 0, `${err}\n${JSON.stringify(failed, null, 2)}`);
    assert.ok((summary.expectations ?? []).length > 0, 'a lesson states what should happen');
  });
}

test('--check exits 1 when an expectation is not met', async () => {
  const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const file = join(mkdtempSync(join(tmpdir(), 'gs-')), 'lesson.yaml');
  writeFileSync(file, readFileSync('samples/fabric-v3-vs-classic.yaml', 'utf8').replace('- { height: 11, by: 40s }', '- { height: 11, by: 5s }'));
  let out = '';
  const code = await main(['run', file, '--check'], (s) => (out += s), () => {});
  assert.equal(code, 1);
  assert.match(out, /✗ every live peer reaches height 11 by 5s: .* is at height \d+/);
});

test('a failed expectation names its deadline and what was seen then, not only what is missing', async () => {
  const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const file = join(mkdtempSync(join(tmpdir(), 'gs-')), 'lesson.yaml');
  // Org2 elects a leader later than 2s (and has one at the end of the run); Org1's leader
  // crashes at 10s and the partition at 20s keeps Org1 without one past 21s.
  const lesson = readFileSync('samples/two-orgs.yaml', 'utf8').replace('leaderIn: Org2MSP, by: 25s', 'leaderIn: Org2MSP, by: 2s').replace('leaderIn: Org1MSP, by: 40s', 'leaderIn: Org1MSP, by: 21s');
  writeFileSync(file, lesson);
  let out = '';
  const code = await main(['run', file, '--check'], (s) => (out += s), () => {});
  assert.equal(code, 1);
  assert.match(out, /✗ election gives Org2 a leader: not met by 2s; at 2s no peer of Org2MSP leads \(no live peer leads\)\n/);
  assert.match(out, /✗ Org1 has a leader again .*: not met by 21s; at 21s no peer of Org1MSP leads \(leaders: peer\d\.org2 of Org2MSP\); it last held at \d+(\.\d+)?s\n/);
});

// A lesson on a mechanism Fabric has turned off by default must not leave the reader believing it runs in theirs.
test('lessons on leader election, block gossip and state transfer say Fabric turns them off by default', () => {
  for (const f of ['election', 'push-vs-pull', 'fanout', 'state-transfer', 'partitions']) {
    assert.match(readFileSync(`samples/${f}.yaml`, 'utf8'), /off\s+by\s+default\s+in\s+Fabric/i, `samples/${f}.yaml`);
  }
  for (const f of ['election', 'push-vs-pull', 'state-transfer', 'partitions']) {
    assert.match(readFileSync(`media/walkthrough/${f}.md`, 'utf8'), /\*\*Off by default in Fabric:\*\*/, `media/walkthrough/${f}.md`);
  }
});
