/**
 * `gossip-scope diff`: two seeds of one scenario part at an event, which is named; one seed
 * against itself never parts; two saved traces part at the same event as the runs they came from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './in-process-cli.js';
import type { RunDiff } from '../../engine/debug/diff.js';
import { diffMarkdown } from '../../engine/debug/diff-markdown.js';

test('diff of two seeds names the first divergent event and the peers that differ', async () => {
  const { code, out } = await cli('diff', 'samples/two-orgs.yaml@7', 'samples/two-orgs.yaml@8', '--at', '15s', '--json');
  assert.equal(code, 0);
  const d = JSON.parse(out) as RunDiff;
  assert.ok(d.firstDivergence, 'two seeds did not part');
  assert.ok(d.firstDivergence.index >= 1);
  assert.notEqual(d.firstDivergence.a!.label, d.firstDivergence.b!.label);
  assert.ok(d.peers.length > 0 && d.peers.every((p) => p.fields.length > 0));
  const text = await cli('diff', 'samples/two-orgs.yaml@7', 'samples/two-orgs.yaml@8', '--at', '15s');
  assert.match(text.out, new RegExp(`First divergent event: #${d.firstDivergence.index}\\n  A: .*\\n  B: `));
});

test('diff of a run with itself agrees on every event and every peer', async () => {
  const { code, out } = await cli('diff', 'samples/membership.yaml', 'samples/membership.yaml@1', '--at', '10s', '--json');
  assert.equal(code, 0);
  const d = JSON.parse(out) as RunDiff;
  // membership.yaml's own seed is 1: the same run twice.
  assert.equal(d.firstDivergence, null);
  assert.deepEqual(d.peers, []);
  assert.ok(d.compared > 100);
});

test('diff of two saved traces parts where the runs did', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gs-diff-'));
  const [a, b] = [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')];
  assert.equal((await cli('run', 'samples/two-orgs.yaml', '--seed', '7', '--until', '8s', '--trace', a)).code, 0);
  assert.equal((await cli('run', 'samples/two-orgs.yaml', '--seed', '8', '--until', '8s', '--trace', b)).code, 0);
  const traces = JSON.parse((await cli('diff', a, b, '--json')).out) as RunDiff;
  const runs = JSON.parse((await cli('diff', 'samples/two-orgs.yaml@7', 'samples/two-orgs.yaml@8', '--at', '8s', '--json')).out) as RunDiff;
  assert.deepEqual(traces.firstDivergence, runs.firstDivergence);
  // Heights and leaders as the traces tell them agree with the live networks'.
  const heightsOf = (d: RunDiff) => d.peers.map((p) => [p.id, p.fields.filter((f) => f.field.startsWith('height'))]).filter(([, f]) => f.length > 0);
  assert.deepEqual(heightsOf(traces), heightsOf(runs));
});

test('diff with a file that is not a trace is a file:line:col error, exit 2', async () => {
  const { code, err } = await cli('diff', 'samples/two-orgs.yaml', 'README.jsonl');
  assert.equal(code, 2);
  assert.match(err, /README\.jsonl:1:1: cannot read the file/);
});

test('the compared runs as Markdown: gossip state first, world-state keys folded away below it', async () => {
  const { out } = await cli('diff', 'samples/two-orgs.yaml@7', 'samples/two-orgs.yaml@8', '--at', '60s', '--json');
  const d = JSON.parse(out) as RunDiff;
  assert.ok(d.peers.some((p) => p.fields.some((f) => f.field.startsWith('world '))), 'no world-state difference to fold');
  const md = diffMarkdown(d);
  const gossipAt = md.indexOf('### Gossip state');
  const details = md.indexOf('<details>');
  assert.ok(gossipAt > 0 && details > gossipAt, 'gossip state is not first');
  // Every world-state row is inside the fold, none above it.
  const firstWorldRow = md.search(/\| world /);
  assert.ok(firstWorldRow > details && md.indexOf('</details>') > firstWorldRow, 'a world-state row outside the fold');
  assert.match(md.slice(details), /<summary>World state: differs on \d+ peers? /);
});
