/**
 * DAP framing against frames that lie about their length: whatever broken frames come between
 * them, and however the bytes are cut into chunks, every well-formed frame is read, in order, and
 * every broken stretch is reported. Before resynchronising, one wrong Content-Length put the
 * reader out of step for good: every later frame was reported as a header without a length.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DapFramer, jsonDepth, type Frame } from '../../engine/debug/framing.js';

const frame = (body: string, header = `Content-Length: ${Buffer.byteLength(body)}`) => `${header}\r\n\r\n${body}`;

/** How a frame is broken (the body is a request; only its framing is wrong). */
const BROKEN: Record<string, (body: string) => string> = {
  'one byte too many': (b) => frame(b, `Content-Length: ${Buffer.byteLength(b) + 1}`),
  'one byte too few': (b) => frame(b, `Content-Length: ${Buffer.byteLength(b) - 1}`),
  'a duplicate header': (b) => frame(b, `Content-Length: ${Buffer.byteLength(b)}\r\nContent-Length: ${Buffer.byteLength(b) + 3}`),
  'the same header twice': (b) => frame(b, `Content-Length: ${Buffer.byteLength(b)}\r\ncontent-length: ${Buffer.byteLength(b)}`),
  'a negative length': (b) => frame(b, `Content-Length: -${Buffer.byteLength(b)}`),
  'a NUL in the length': (b) => frame(b, `Content-Length: ${Buffer.byteLength(b)}\0`),
  'a NUL in the name': (b) => frame(b, `Content-Le\0ngth: ${Buffer.byteLength(b)}`),
  'no length at all': (b) => frame(b, 'Content-Type: application/json'),
  'junk and a misspelt header': (b) => `}}garbage${frame(b).replace('Content-Length', 'Content-Lngth')}`,
  'a body that is not JSON': (b) => frame(b.slice(0, -2)),
};

const request = (seq: number, word: string) => JSON.stringify({ seq, type: 'request', command: 'evaluate', arguments: { expression: word } });

/** Feeds the text in the given chunk sizes; all frames that come out. */
function feed(text: string, cuts: number[]): Frame[] {
  const bytes = Buffer.from(text, 'latin1');
  const f = new DapFramer();
  const out: Frame[] = [];
  let at = 0;
  for (const n of cuts) {
    if (at >= bytes.length) break;
    out.push(...f.push(bytes.subarray(at, at + n)));
    at += n;
  }
  if (at < bytes.length) out.push(...f.push(bytes.subarray(at)));
  return out;
}

test('each broken frame, followed in the same chunk by a good one: reported, and the good one read', () => {
  for (const [name, broken] of Object.entries(BROKEN)) {
    const frames = feed(broken(request(1, 'bad')) + frame(request(2, 'good')) + frame(request(3, 'after')), [1 << 20]);
    const values = frames.flatMap((f) => ('value' in f ? [(f.value as { seq: number }).seq] : []));
    const problems = frames.flatMap((f) => ('problem' in f ? [f.problem] : []));
    assert.deepEqual(values, [2, 3], `${name}: read ${JSON.stringify(values)}; problems ${JSON.stringify(problems)}`);
    assert.equal(problems.length, 1, `${name}: ${JSON.stringify(problems)}`);
  }
});

test('the problem says what was wrong', () => {
  const said = (name: string) => feed(BROKEN[name](request(1, 'x')) + frame(request(2, 'y')), [1 << 20]).flatMap((f) => ('problem' in f ? [f.problem] : [])).join();
  assert.match(said('a duplicate header'), /a header with 2 Content-Length fields/);
  assert.match(said('a negative length'), /a Content-Length that is not a byte count \("-\d+"\)/);
  assert.match(said('a NUL in the length'), /a NUL byte in the header/);
  assert.match(said('one byte too few'), /not valid JSON .*is its Content-Length right\?/);
  assert.match(said('no length at all'), /a header without a Content-Length/);
});

test('property: good frames among broken ones, cut anywhere, are all read in order', () => {
  const word = fc.stringMatching(/^[a-z0-9 ]{0,20}$/);
  const item = fc.oneof(
    { arbitrary: word.map((w) => ({ good: true as const, w })), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom(...Object.keys(BROKEN)), word).map(([how, w]) => ({ good: false as const, how, w })), weight: 1 },
  );
  fc.assert(
    fc.property(fc.array(item, { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 60 }), (items, cuts) => {
      let seq = 0;
      const wanted: number[] = [];
      let text = '';
      for (const it of items) {
        seq++;
        if (it.good) {
          wanted.push(seq);
          text += frame(request(seq, it.w));
        } else text += BROKEN[it.how](request(seq, it.w));
      }
      // A good frame at the end lets a length one too many complete (it waits for its byte).
      seq++;
      wanted.push(seq);
      text += frame(request(seq, 'last'));
      const frames = feed(text, cuts);
      const read = frames.flatMap((f) => ('value' in f ? [(f.value as { seq: number }).seq] : []));
      assert.deepEqual(read, wanted);
      const problems = frames.filter((f) => 'problem' in f).length;
      assert.equal(problems > 0, items.some((it) => !it.good));
    }),
    { numRuns: 400, seed: 28 },
  );
});

test('a body nested 100,000 deep is refused by its depth before JSON.parse; the frame after it is read', () => {
  const deep = `{"seq": ${'['.repeat(100_000)}${']'.repeat(100_000)}, "type": "request", "command": "threads"}`;
  const frames = feed(frame(deep) + frame(request(7, 'ok')), [1 << 22]);
  assert.match((frames[0] as { problem: string }).problem, /nests more than 64 deep/);
  assert.deepEqual((frames[1] as { value: { seq: number } }).value.seq, 7);
  // Its seq and command, if its top level has them, so it can be answered.
  const args = `{"seq": 9, "type": "request", "command": "evaluate", "arguments": {"x": ${'['.repeat(100_000)}${']'.repeat(100_000)}, "seq": 4}}`;
  assert.deepEqual((feed(frame(args), [1 << 22])[0] as { request?: unknown }).request, { seq: 9, command: 'evaluate' });
  // Brackets inside strings do not count, escaped quotes do not end a string.
  assert.equal(jsonDepth('{"a": "[[[[\\"[[[", "b": [[1]]}'), 3);
});
