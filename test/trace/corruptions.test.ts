/**
 * One table of corrupted traces, run against every reader of a saved trace: replay (the
 * extension's Replay Trace), `report` and `diff`. Each corruption is refused by all three, in
 * words at file:line:col, never with a stack trace and never with ok=true. Before the readers
 * shared one check (engine/trace/read-trace.ts), report and diff drew and compared deleted,
 * swapped, edited and reversed lines, ignored linesHash, and diff crashed on a `null` line, a
 * string `t` or a header listing fewer peers than its events use; a flipped byte in a header key
 * passed replay, and a CRLF file was refused without naming CRLF.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EngineSession } from '../../extension/engine-session.js';
import { readSavedTrace } from '../../extension/saved-trace.js';
import type { FromWorker } from '../../extension/worker-protocol.js';
import { cli } from '../cli/in-process-cli.js';

const SCENARIO = `name: corrupt
seed: 3
orgs:
  - { mspId: Org1MSP, peers: 2, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 2, anchorPeers: [peer0] }
channels:
  - { name: ch, orgs: [Org1MSP, Org2MSP] }
orderer: { batchTimeout: 1s, blocks: 2, txPerBlock: 2 }
peers: { startWindow: 0s }
run: { until: 4s }
`;

const dir = mkdtempSync(join(tmpdir(), 'gs-corrupt-'));
after(() => rmSync(dir, { recursive: true, force: true }));
/** A stack trace or a JavaScript error's name in what the user is shown. */
const STACK = /\n\s+at |TypeError|RangeError|ReferenceError|Cannot read properties|Maximum call stack/;

function session() {
  let waiting: ((m: FromWorker) => void) | undefined;
  const s = new EngineSession((m) => waiting?.(m));
  const next = <T extends FromWorker>(pred: (m: FromWorker) => m is T) => new Promise<T>((resolve) => (waiting = (m) => pred(m) && resolve(m)));
  return { s, next };
}

/** The trace as the extension exports it (replayable), and as `run --trace` writes it. */
let exported = '';
let written = '';
before(async () => {
  const { s, next } = session();
  const opened = next((m): m is Extract<FromWorker, { type: 'opened' }> => m.type === 'opened');
  await s.handle({ type: 'open', file: 'corrupt.yaml', text: SCENARIO, speed: 0, maxTraceEvents: 100_000 });
  await opened;
  const done = next((m): m is Extract<FromWorker, { type: 'frame' }> => m.type === 'frame' && m.status.state === 'finished');
  await s.handle({ type: 'control', action: 'run', until: 4000 });
  await done;
  const saved = next((m): m is Extract<FromWorker, { type: 'exported' }> => m.type === 'exported');
  await s.handle({ type: 'exportTrace', requestId: 1, path: join(dir, 'exported.jsonl') });
  await saved;
  s.dispose();
  exported = readFileSync(join(dir, 'exported.jsonl'), 'utf8');
  writeFileSync(join(dir, 'corrupt.yaml'), SCENARIO);
  assert.equal((await cli('run', join(dir, 'corrupt.yaml'), '--trace', join(dir, 'written.jsonl'))).code, 0);
  written = readFileSync(join(dir, 'written.jsonl'), 'utf8');
});

/** Replays a file to its end: the verdict, or the refusal before it ran. */
async function replay(path: string): Promise<{ ok: boolean; message: string }> {
  const saved = await readSavedTrace(path);
  if (typeof saved === 'string') return { ok: false, message: saved };
  const { s, next } = session();
  const opened = next((m): m is Extract<FromWorker, { type: 'opened' | 'openFailed' }> => m.type === 'opened' || m.type === 'openFailed');
  await s.handle({ type: 'open', file: saved.file, text: saved.scenarioText, speed: 0, maxTraceEvents: 1000, replay: saved.replay });
  const o = await opened;
  if (o.type === 'openFailed') return { ok: false, message: o.message };
  const verdict = next((m): m is Extract<FromWorker, { type: 'replayChecked' }> => m.type === 'replayChecked');
  await s.handle({ type: 'control', action: 'run' });
  const v = await verdict;
  s.dispose();
  return { ok: v.ok, message: v.message };
}

type Lines = string[];
const json = (l: string) => JSON.parse(l) as Record<string, unknown>;
/** A middle event line (not the first or last). */
const mid = (ls: Lines) => Math.floor(ls.length / 2);
const setHeader = (ls: Lines, change: (h: Record<string, unknown>) => void) => {
  const h = json(ls[0]);
  change(h);
  return [JSON.stringify(h), ...ls.slice(1)];
};
const setLine = (ls: Lines, i: number, text: string) => ls.map((l, j) => (j === i ? text : l));

/** Each corruption: the lines of a good trace in, the file's text out, and what its refusal must say. */
const CORRUPTIONS: [string, (ls: Lines) => string, RegExp][] = [
  ['a deleted line', (ls) => [...ls.slice(0, 5), ...ls.slice(6)].join('\n') + '\n', /:6:1: event \d+ where event \d+ should be: a line before it was removed/],
  ['two lines swapped', (ls) => [...ls.slice(0, 5), ls[6], ls[5], ...ls.slice(7)].join('\n') + '\n', /:6:1: event \d+ where event \d+ should be/],
  ['the events reversed', (ls) => [ls[0], ...ls.slice(1).reverse()].join('\n') + '\n', /:3:1: event \d+ where event \d+ should be/],
  ['an edited type', (ls) => setLine(ls, mid(ls), ls[mid(ls)].replace(/"type":"\w+"/, '"type":"DataMessage"').replace(/"kind":"\w+"/, '"kind":"drop"')).join('\n') + '\n', /linesHash|diverged/],
  ['an edited time', (ls) => setLine(ls, mid(ls), ls[mid(ls)].replace(/"t":[\d.]+/, '"t":1')).join('\n') + '\n', /linesHash|diverged/],
  ['a duplicated line', (ls) => [...ls.slice(0, 5), ls[4], ...ls.slice(5)].join('\n') + '\n', /:6:1: event \d+ where event \d+ should be/],
  ['a null line', (ls) => setLine(ls, 3, 'null').join('\n') + '\n', /:4:1: not a trace event .*got null/],
  ['an array line', (ls) => setLine(ls, 3, '[1,2]').join('\n') + '\n', /:4:1: not a trace event .*got an array/],
  ['a number line', (ls) => setLine(ls, 3, '42').join('\n') + '\n', /:4:1: not a trace event .*got number/],
  ['a string t', (ls) => setLine(ls, 3, ls[3].replace(/"t":([\d.]+)/, '"t":"$1"')).join('\n') + '\n', /:4:\d+: "t" must be a time in ms, got "/],
  ['an unknown kind', (ls) => setLine(ls, 3, ls[3].replace(/"kind":"\w+"/, '"kind":"explode"')).join('\n') + '\n', /:4:\d+: "kind" must be one of/],
  ['a header listing fewer peers than the events use', (ls) => setHeader(ls, (h) => (h.peers = (h.peers as string[]).slice(0, 2))).join('\n') + '\n', /:\d+:\d+: "(peer|other)" must be -1 \(the orderer\) or the index of one of the header's 2 peers/],
  ['a flipped byte in a header key', (ls) => [ls[0].replace('"seed"', '"sees"'), ...ls.slice(1)].join('\n') + '\n', /:1:\d+: the header has a key a trace header does not have, "sees"; did you mean 'seed'\?: was the header edited\?/],
  ['a flipped byte in the linesHash key', (ls) => [ls[0].replace('"linesHash"', '"linesHasj"'), ...ls.slice(1)].join('\n') + '\n', /:1:\d+: the header has a key a trace header does not have, "linesHasj"/],
  ['CRLF line ends', (ls) => ls.join('\r\n') + '\r\n', /:1:1: the file has CRLF \(\\r\\n\) line ends; a saved trace has LF line ends/],
  ['the last lines cut', (ls) => ls.slice(0, -3).join('\n') + '\n', /the file was cut short/],
  ['a cut last line', (ls) => ls.join('\n').slice(0, -10), /not a trace event \(JSON\)/],
  ['an empty line', (ls) => [...ls.slice(0, 4), '', ...ls.slice(4)].join('\n') + '\n', /:5:1: not a trace event \(JSON\)/],
  ['a line nested 100,000 deep', (ls) => setLine(ls, 3, `{"id":3,"data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`).join('\n') + '\n', /:4:1: not a trace event \(JSON\): it nests more than 64 deep/],
];

/** What the CLI said, asserting a refusal in words (exit 2, file:line:col, no stack trace). */
function refused(r: { code: number; out: string; err: string }, path: string, what: string): string {
  assert.equal(r.code, 2, `${what} was accepted (exit ${r.code}): ${r.out.slice(0, 200)} ${r.err}`);
  assert.doesNotMatch(r.err, STACK, `${what}: a stack trace`);
  assert.ok(r.err.startsWith(`${path}:`), `${what}: not at file:line:col: ${r.err}`);
  return r.err;
}

for (const [source, text] of [['exported by the extension', () => exported], ['written by run --trace', () => written]] as const) {
  describe(`corrupted traces ${source}: replay, report and diff refuse each`, () => {
    it('the trace as saved is read by all three', async () => {
      const path = join(dir, `good-${source.length}.jsonl`);
      writeFileSync(path, text());
      assert.equal((await cli('report', path, '--json', '--out', join(dir, 'r.html'))).code, 0);
      assert.equal((await cli('diff', path, path, '--json')).code, 0);
      if (source === 'exported by the extension') assert.equal((await replay(path)).ok, true);
    });
    for (const [name, corrupt, said] of CORRUPTIONS) {
      it(name, async () => {
        const path = join(dir, `${source.length}-${name.replace(/\W+/g, '-')}.jsonl`);
        writeFileSync(path, corrupt(text().trimEnd().split('\n')));
        const good = join(dir, 'good.jsonl');
        writeFileSync(good, text());
        const report = refused(await cli('report', path, '--json', '--out', join(dir, 'r.html')), path, 'report');
        const diff = refused(await cli('diff', good, path, '--json'), path, 'diff');
        assert.equal(diff, report, 'diff and report refuse alike');
        if (source === 'exported by the extension') {
          const r = await replay(path);
          assert.equal(r.ok, false, `replay passed it: ${r.message}`);
          assert.doesNotMatch(r.message, STACK);
          assert.match(r.message, said, 'replay');
        } else assert.match(report, said, 'report');
      });
    }
  });
}
