/**
 * The debug adapter meets careless and hostile clients: the requests that once crashed it, or
 * answered with a stack trace, or twice, and a property test that sends every request of the
 * protocol with missing, null, wrong-typed and out-of-order arguments. Each request gets exactly
 * one response, none carries a stack trace, the process stays up, and the session still steps.
 * The real `gossip-scope dap` process over stdio, spoken to frame by frame (a DAP client
 * library would refuse to send most of this).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapFramer } from '../../engine/debug/framing.js';

const ROOT = join(__dirname, '..', '..');
const DIR = mkdtempSync(join(tmpdir(), 'gossip-dap-hostile-'));
const SCENARIO = join(DIR, 'tiny.yaml');
writeFileSync(
  SCENARIO,
  `name: tiny
seed: 3
profile: fabric-v3
orgs:
  - { mspId: Org1MSP, peers: 2, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 2, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
orderer: { batchTimeout: 1s, blocks: 2, txPerBlock: 2 }
faults:
  - { at: 1s, crash: peer1.org2 }
run: { until: 3s }
`,
);

/** A JavaScript stack trace, or a source position, in what a client is shown. */
const STACK = /\n\s+at |\bat .*\(.*:\d+:\d+\)|\.[jt]s:\d+/;
/** A limit (a loaded machine is slow), not a wait: an answer takes milliseconds. */
const ANSWER_MS = 30_000;

/** The adapter as a process, spoken to in raw frames. */
class RawAdapter {
  readonly child: ChildProcessWithoutNullStreams;
  readonly responses = new Map<number, DebugProtocol.Response[]>();
  readonly events: DebugProtocol.Event[] = [];
  stderr = '';
  private seq = 1;
  private readonly waiters: (() => void)[] = [];

  constructor() {
    this.child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'dap'], { stdio: 'pipe' });
    const framer = new DapFramer();
    this.child.stdout.on('data', (chunk: Buffer) => {
      for (const f of framer.push(chunk)) {
        assert.ok('value' in f, `the adapter wrote ${JSON.stringify(f)}`);
        const m = f.value as DebugProtocol.ProtocolMessage;
        if (m.type === 'response') {
          const r = m as DebugProtocol.Response;
          this.responses.set(r.request_seq, [...(this.responses.get(r.request_seq) ?? []), r]);
        } else if (m.type === 'event') this.events.push(m as DebugProtocol.Event);
      }
      for (const w of this.waiters.splice(0)) w();
    });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  raw(body: string, header = `Content-Length: ${Buffer.byteLength(body)}`): void {
    this.child.stdin.write(`${header}\r\n\r\n${body}`);
  }

  /** Sends a request (arguments left out when undefined); returns its seq. */
  send(command: string, args?: unknown): number {
    const seq = this.seq++;
    this.raw(JSON.stringify(args === undefined ? { seq, type: 'request', command } : { seq, type: 'request', command, arguments: args }));
    return seq;
  }

  /** Waits until `ok()` holds, or fails saying what it waited for. */
  async until(ok: () => boolean, what: string, ms = ANSWER_MS): Promise<void> {
    const deadline = Date.now() + ms;
    while (!ok()) {
      if (!this.alive) throw new Error(`the adapter exited (${this.child.exitCode ?? this.child.signalCode}) while waiting for ${what}; stderr: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  async answer(seq: number): Promise<DebugProtocol.Response> {
    await this.until(() => this.responses.has(seq), `response to request ${seq}`);
    return this.responses.get(seq)![0];
  }

  async request(command: string, args?: unknown): Promise<DebugProtocol.Response> {
    return this.answer(this.send(command, args));
  }

  /** Sends a request that stops the run; returns the stopped event after it. */
  async stops(command: string, args: unknown): Promise<DebugProtocol.StoppedEvent> {
    const seen = this.events.length;
    const r = await this.request(command, args);
    assert.equal(r.success, true, `${command}: ${r.message}`);
    await this.until(() => this.events.slice(seen).some((e) => e.event === 'stopped'), `stopped event after ${command}`);
    return this.events.slice(seen).find((e) => e.event === 'stopped') as DebugProtocol.StoppedEvent;
  }

  async launch(): Promise<void> {
    const init = await this.request('initialize', { adapterID: 'gossip' });
    assert.equal(init.success, true, init.message);
    const seen = this.events.length;
    const launch = this.send('launch', { scenario: SCENARIO });
    await this.until(() => this.events.slice(seen).some((e) => e.event === 'initialized'), 'initialized event');
    assert.equal((await this.request('configurationDone')).success, true);
    assert.equal((await this.answer(launch)).success, true);
    await this.until(() => this.events.slice(seen).some((e) => e.event === 'stopped'), 'stop on entry');
  }

  /** Every response so far is the only one to its request, and shows no stack trace. */
  checkResponses(): void {
    for (const [seq, rs] of this.responses) {
      assert.equal(rs.length, 1, `request ${seq} (${rs[0].command}) got ${rs.length} responses`);
      const r = rs[0];
      assert.doesNotMatch(`${r.message ?? ''} ${JSON.stringify((r.body as { error?: unknown } | undefined)?.error ?? '')}`, STACK, `${r.command} answered with a stack trace`);
    }
    assert.doesNotMatch(this.stderr, /more than one response|\n\s+at /, 'stderr');
  }

  async close(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill();
    await exited;
  }
}

before(() => {
  // scripts/test.mjs builds once for every file; run alone, this file builds for itself.
  if (process.env.GOSSIP_SCOPE_BUILT !== '1') assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
});

/** The error message of a refused request (asserting it was refused). */
async function refusal(dap: RawAdapter, command: string, args?: unknown): Promise<string> {
  const r = await dap.request(command, args);
  assert.equal(r.success, false, `${command} ${JSON.stringify(args)} was accepted`);
  assert.doesNotMatch(r.message ?? '', STACK);
  return r.message ?? '';
}

describe('the debug adapter answers every request once, in words', () => {
  let dap: RawAdapter;
  before(() => void (dap = new RawAdapter()));
  after(() => dap.close());

  it('before launch: the requests that crashed it or answered with a stack trace', async () => {
    // stepBack before launch ended the process with an unhandled rejection.
    assert.match(await refusal(dap, 'stepBack', { threadId: 1 }), /"stepBack": no network is running; launch a scenario first/);
    // next before launch answered success, then tried a second response.
    assert.match(await refusal(dap, 'next', { threadId: 1 }), /"next": no network is running/);
    assert.match(await refusal(dap, 'scopes', { frameId: 1 }), /"scopes": no network is running/);
    assert.match(await refusal(dap, 'gossipScope.inspectPeer'), /"gossipScope.inspectPeer" needs its arguments/);
    assert.match(await refusal(dap, 'gossipScope.eventOf'), /"gossipScope.eventOf" needs its arguments/);
    assert.match(await refusal(dap, 'setFunctionBreakpoints', {}), /"setFunctionBreakpoints": arguments lacks "breakpoints"/);
    assert.match(await refusal(dap, 'setBreakpoints', { breakpoints: [{ line: 3 }] }), /"setBreakpoints": arguments lacks "source"/);
    assert.match(await refusal(dap, 'completions', { column: 1 }), /"completions": arguments lacks "text"/);
    assert.match(await refusal(dap, 'setBreakpoints', { source: null }), /arguments\.source must be object, not null/);
    assert.match(await refusal(dap, 'restartFrame', { frameId: 1 }), /"restartFrame" is not a request the gossip debugger supports/);
    // The protocol's default pathFormat is "path": leaving it out is not an error.
    const init = await dap.request('initialize', { adapterID: 'gossip' });
    assert.equal(init.success, true, init.message);
    assert.match(await refusal(dap, 'launch', { scenario: SCENARIO, seed: -1 }), /arguments\.seed must be >= 0, not -1/);
    assert.match(await refusal(dap, 'launch', { scenario: SCENARIO, seed: 1e29 }), /arguments\.seed must be <= \d+, not 1e\+29/);
    dap.checkResponses();
  });

  it('frames that are not JSON, not objects or not requests are answered or said, and it keeps serving', async () => {
    const said = () => dap.events.filter((e) => e.event === 'output').map((e) => (e.body as { output: string }).output).join('');
    dap.raw('{"seq": 1, "type": "requ');
    dap.raw('null');
    dap.raw('[1, 2]');
    dap.raw('"just a string"');
    dap.raw('{"type": "event", "event": "x"}');
    dap.raw('{}', 'Content-Type: application/json');
    dap.raw('');
    await dap.until(() => /not valid JSON/.test(said()) && /not a JSON object: null/.test(said()) && /without a Content-Length/.test(said()), 'notices of the bad frames');
    assert.match(said(), /not a JSON object: \[1,2\]/);
    assert.match(said(), /of type "event": the adapter takes requests/);
    // A request with a seq but no command is answered (to that seq).
    dap.raw('{"seq": 900, "type": "request"}');
    const r = await dap.answer(900);
    assert.equal(r.success, false);
    assert.match(r.message ?? '', /a request needs "command" \(a string\)/);
    // Still serving.
    const threads = await dap.request('threads');
    assert.equal(threads.success, true);
    assert.ok(dap.alive);
    dap.checkResponses();
  });

  it('after launch: %0 is refused, a 100,000-deep expression is refused by its depth, a second launch is refused', async () => {
    await dap.launch();
    const bps = await dap.request('setFunctionBreakpoints', { breakpoints: [{ name: 'AliveMessage', hitCondition: '%0' }, { name: 'AliveMessage', hitCondition: '%2' }, { name: 'AliveMessage', hitCondition: '0' }] });
    const [zero, two, never] = (bps.body as { breakpoints: DebugProtocol.Breakpoint[] }).breakpoints;
    assert.equal(zero.verified, false);
    assert.match(zero.message ?? '', /%0 never fires/);
    assert.equal(two.verified, true);
    assert.equal(never.verified, false);
    const deep = await refusal(dap, 'evaluate', { expression: `${'('.repeat(100_000)}1${')'.repeat(100_000)}`, context: 'repl' });
    assert.match(deep, /characters long; at most 10000|nests more than 100 deep/);
    assert.match(await refusal(dap, 'evaluate', { expression: `${'('.repeat(2_000)}1${')'.repeat(2_000)}` }), /nests more than 100 deep/);
    assert.match(await refusal(dap, 'evaluate', { expression: Array(1500).fill('1').join(' + ') }), /nests more than 100 deep/);
    assert.match(await refusal(dap, 'evaluate', { expression: `${'not '.repeat(1000)}true` }), /nests more than 100 deep/);
    assert.match(await refusal(dap, 'launch', { scenario: SCENARIO }), /already running/);
    assert.match(await refusal(dap, 'gossipScope.inspectPeer', { idx: 99 }), /no peer #99: the network has 4/);
    assert.match(await refusal(dap, 'gossipScope.fault', { fault: { kind: 'crash', peer: 'peer9.org9' } }), /no peer "peer9.org9"/);
    assert.match(await refusal(dap, 'gossipScope.fault', { fault: { kind: 'link', between: ['peer0.org1'], loss: 2, delay: 0, forMs: 1 } }), /arguments\.fault\.between must NOT have fewer than 2 items/);
    const stepped = await dap.stops('next', { threadId: 1 });
    assert.equal(stepped.body.reason, 'step');
    dap.checkResponses();
  });
});

// --- the property -----------------------------------------------------------------------------

/** Every request of the Debug Adapter Protocol, the panel's own, and one nobody knows. */
const COMMANDS = [
  'initialize', 'configurationDone', 'launch', 'attach', 'restart', 'terminate', 'breakpointLocations', 'setBreakpoints',
  'setFunctionBreakpoints', 'setExceptionBreakpoints', 'dataBreakpointInfo', 'setDataBreakpoints', 'setInstructionBreakpoints',
  'continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'restartFrame', 'goto', 'pause', 'stackTrace',
  'scopes', 'variables', 'setVariable', 'source', 'threads', 'terminateThreads', 'modules', 'loadedSources', 'evaluate',
  'setExpression', 'stepInTargets', 'gotoTargets', 'completions', 'exceptionInfo', 'readMemory', 'writeMemory',
  'disassemble', 'locations', 'cancel', 'runInTerminal', 'startDebugging',
  'gossipScope.fault', 'gossipScope.history', 'gossipScope.eventOf', 'gossipScope.inspectMessage', 'gossipScope.inspectPeer',
  'noSuchRequest', '__proto__', 'constructor',
] as const;

/** A well-formed request's arguments, for the mutations to start from. */
function validArgs(command: string, launched: boolean): Record<string, unknown> {
  const thread = { threadId: 1 };
  switch (command) {
    case 'initialize': return { adapterID: 'gossip', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' };
    // Before the launch phase, a launch that fails (a missing file): the run must not start.
    case 'launch': return { scenario: launched ? SCENARIO : join(DIR, 'missing.yaml'), seed: 1, stopOnEntry: true };
    case 'setBreakpoints': return { source: { path: SCENARIO }, breakpoints: [{ line: 13, hitCondition: '%2' }] };
    case 'setFunctionBreakpoints': return { breakpoints: [{ name: 'AliveMessage from peer0.org1', condition: 'now > 10', hitCondition: '>=2' }] };
    case 'setDataBreakpoints': return { breakpoints: [{ dataId: 'height(peer0.org1, mychannel)' }] };
    case 'setExceptionBreakpoints': return { filters: [] };
    case 'dataBreakpointInfo': return { name: 'height', variablesReference: 3 };
    case 'stackTrace': return { threadId: 1, startFrame: 0, levels: 5 };
    case 'scopes': return { frameId: 5 };
    case 'variables': return { variablesReference: 2 };
    case 'evaluate': return { expression: 'height(peer0.org1, mychannel) + 1', context: 'repl' };
    case 'completions': return { text: 'hei', column: 4 };
    case 'gossipScope.fault': return { fault: { kind: 'link', between: ['peer0.org1', 'peer1.org1'], loss: 0.5, delay: 10, forMs: 500 } };
    case 'gossipScope.history': return { limit: 10 };
    case 'gossipScope.eventOf': return { frameId: 3 };
    case 'gossipScope.inspectMessage': return { msg: 1 };
    case 'gossipScope.inspectPeer': return { idx: 1 };
    default: return thread;
  }
}

const wrongValue = fc.oneof(fc.constant(null), fc.integer(), fc.double(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant([]), fc.constant({}), fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }));

/** Arguments for a command: missing, null, wrong-typed, or valid with one field missing, null or mistyped. */
function argsFor(command: string, launched: boolean): fc.Arbitrary<unknown> {
  const valid = validArgs(command, launched);
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    wrongValue,
    fc.constant(valid),
    fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(valid).filter(([x]) => x !== k))),
    fc.tuple(fc.constantFrom(...keys), wrongValue).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.anything({ maxDepth: 3 }),
  );
}

const requestArb = (launched: boolean) =>
  fc
    .constantFrom(...COMMANDS)
    .chain((command) => argsFor(command, launched).map((args) => ({ command, args })));

describe('property: any request, any arguments, any order', () => {
  let dap: RawAdapter;
  before(() => void (dap = new RawAdapter()));
  after(() => dap.close());

  /** A frame that is no request at all (mostly not JSON), among the requests. */
  const garbage = fc.oneof(fc.string({ maxLength: 30 }), fc.json({ maxDepth: 2 })).map((text) => ({ garbage: text }));

  /** Sends a batch without waiting in between (out of order by nature), then waits for every answer. */
  const property = (launched: boolean) =>
    fc.asyncProperty(fc.array(fc.oneof({ arbitrary: requestArb(launched), weight: 5 }, { arbitrary: garbage, weight: 1 }), { minLength: 1, maxLength: 8 }), async (batch) => {
      const seqs: number[] = [];
      for (const r of batch) {
        if ('garbage' in r) dap.raw(r.garbage);
        else seqs.push(dap.send(r.command, r.args));
      }
      for (const seq of seqs) await dap.answer(seq);
      assert.ok(dap.alive, 'the adapter is up');
      dap.checkResponses();
    });

  it('before launch', async () => {
    await fc.assert(property(false), { numRuns: 60, seed: 15, endOnFailure: true });
  });

  it('after launch, and the session still steps afterwards', async () => {
    await dap.launch();
    await fc.assert(property(true), { numRuns: 80, seed: 16, endOnFailure: true });
    // Whatever came before (a continue to the end, a rewind, injected faults), it still steps,
    // once whatever is still running is paused.
    await dap.stops('pause', { threadId: 1 });
    const back = await dap.stops('stepBack', { threadId: 1 });
    assert.match(back.body.reason, /^(step|entry)$/);
    const next = await dap.stops('next', { threadId: 1 });
    assert.match(next.body.reason, /^(step|pause)$/);
    const events = await dap.request('evaluate', { expression: 'events', context: 'repl' });
    assert.equal(events.success, true, events.message);
    dap.checkResponses();
    // disconnect still ends it, as a client expects.
    const exited = new Promise<number | null>((r) => dap.child.once('exit', r));
    assert.equal((await dap.request('disconnect', {})).success, true);
    assert.equal(await exited, 0);
  });
});

describe('a launch reads the scenario as the CLI does: the encoding is named, a bad byte placed', () => {
  const text = readFileSync(SCENARIO, 'utf8');
  const utf16 = join(DIR, 'utf16.yaml');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  const badUtf8 = join(DIR, 'bad-utf8.yaml');
  const bytes = Buffer.from(text.replace('name: tiny', 'name: tïny'), 'utf8');
  bytes[bytes.indexOf(0xc3) + 1] = 0x28; // ï's second byte broken: it was read as U+FFFD
  writeFileSync(badUtf8, bytes);

  for (const [file, expected] of [
    // It answered "a scenario must be a mapping of keys".
    [utf16, `${utf16}:1:1: the file is UTF-16 (little-endian) (by its byte-order mark); save it as UTF-8`],
    // It answered "missing key 'orgs'" (or ran, with U+FFFD in the name).
    [badUtf8, `${badUtf8}:1:8: the file is not valid UTF-8: byte 0xc3 at offset 7 cannot start or continue a character; save it as UTF-8`],
  ]) {
    it(`${file.split('/').pop()}`, async () => {
      const dap = new RawAdapter();
      try {
        assert.equal((await dap.request('initialize', { adapterID: 'gossip' })).success, true);
        assert.equal(await refusal(dap, 'launch', { scenario: file }), expected);
        dap.checkResponses();
      } finally {
        await dap.close();
      }
    });
  }
});

describe('frames that lie about their length: the broken frame is said, and the adapter stays in step', () => {
  let dap: RawAdapter;
  before(() => void (dap = new RawAdapter()));
  after(() => dap.close());
  const said = () => dap.events.filter((e) => e.event === 'output').map((e) => (e.body as { output: string }).output).join('');
  let seq = 5000;
  const body = (command: string) => JSON.stringify({ seq: ++seq, type: 'request', command });
  const frame = (b: string, header = `Content-Length: ${Buffer.byteLength(b)}`) => `${header}\r\n\r\n${b}`;

  // Each broken frame goes in one write with a good request after it: once, that request and
  // every later one went unanswered.
  const CASES: [string, (b: string) => string, RegExp][] = [
    ['one byte too many', (b) => frame(b, `Content-Length: ${Buffer.byteLength(b) + 1}`), /not valid JSON .*is its Content-Length right\?/],
    ['one byte too few', (b) => frame(b, `Content-Length: ${Buffer.byteLength(b) - 1}`), /not valid JSON .*is its Content-Length right\?/],
    ['a duplicate header', (b) => frame(b, `Content-Length: ${Buffer.byteLength(b)}\r\nContent-Length: ${Buffer.byteLength(b) + 2}`), /a header with 2 Content-Length fields/],
    ['a negative header', (b) => frame(b, `Content-Length: -${Buffer.byteLength(b)}`), /a Content-Length that is not a byte count/],
    ['a NUL in the header', (b) => frame(b, `Content-Length: ${Buffer.byteLength(b)}\0`), /a NUL byte in the header/],
  ];
  for (const [name, broken, problem] of CASES) {
    it(name, async () => {
      const before = said().length;
      const good = body('threads');
      const goodSeq = seq;
      dap.child.stdin.write(broken(body('threads')) + frame(good));
      const r = await dap.answer(goodSeq);
      assert.equal(r.success, true, r.message);
      await dap.until(() => problem.test(said().slice(before)), `the notice of ${name}`);
      // Still in step: the next request is answered too.
      assert.equal((await dap.request('threads')).success, true);
    });
  }

  it('a seq nested 100,000 deep is refused without a stack overflow, and the request beside it is answered', async () => {
    const before = said().length;
    const deep = `{"seq": ${'['.repeat(100_000)}${']'.repeat(100_000)}, "type": "request", "command": "threads"}`;
    const good = body('threads');
    dap.child.stdin.write(frame(deep) + frame(good));
    assert.equal((await dap.answer(seq)).success, true);
    await dap.until(() => /nests more than 64 deep/.test(said().slice(before)), 'the notice of the deep frame');
    assert.doesNotMatch(dap.stderr, /Maximum call stack/);
  });

  it('a request whose arguments nest 100,000 deep is answered, to its seq, with the reason', async () => {
    const deepSeq = ++seq;
    const deep = `{"seq": ${deepSeq}, "type": "request", "command": "evaluate", "arguments": {"expression": "1", "x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const good = body('threads');
    dap.child.stdin.write(frame(deep) + frame(good));
    const r = await dap.answer(deepSeq);
    assert.equal(r.success, false);
    assert.match(r.message ?? '', /"evaluate" refused: a frame whose JSON nests more than 64 deep/);
    assert.equal((await dap.answer(seq)).success, true);
    assert.doesNotMatch(dap.stderr, /Maximum call stack/);
  });

  it('a response without request_seq, or to no request, is said in the Debug Console', async () => {
    const before = said().length;
    dap.raw(JSON.stringify({ seq: 77, type: 'response', command: 'runInTerminal', success: true }));
    dap.raw(JSON.stringify({ seq: 78, type: 'response', request_seq: 4242, command: 'runInTerminal', success: true }));
    await dap.until(() => /ignored a response without "request_seq"/.test(said().slice(before)) && /ignored a response to request 4242: the adapter sent no request/.test(said().slice(before)), 'the notices of the stray responses');
    assert.equal((await dap.request('threads')).success, true);
    dap.checkResponses();
  });

  it('a FIFO as the scenario is refused at once, and the adapter keeps serving', async () => {
    const fifo = join(DIR, 'scenario.fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    assert.equal((await dap.request('initialize', { adapterID: 'gossip' })).success, true);
    assert.match(await refusal(dap, 'launch', { scenario: fifo }), /scenario\.fifo:1:1: this is a named pipe \(FIFO\), not a regular file: only regular files are read/);
    assert.equal((await dap.request('threads')).success, true);
    dap.checkResponses();
  });
});
