/**
 * The debug adapter driven over DAP, as VS Code (or any DAP client) drives it: the real
 * `gossip-scope dap` process over stdio, through @vscode/debugadapter-testsupport.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, before, beforeEach, describe, it } from 'node:test';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { spawn, spawnSync } from 'node:child_process';

const ROOT = join(__dirname, '..', '..');
const SCENARIO = join(ROOT, 'samples', 'two-orgs.yaml');

let dc: DebugClient;

before(() => {
  // scripts/test.mjs builds once for every file; run alone, this file builds for itself.
  if (process.env.GOSSIP_SCOPE_BUILT !== '1') assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
});

beforeEach(async () => {
  // `node dist/cli.js dap`: the spawn goes through a shell so the subcommand can be passed.
  dc = new DebugClient('node', `${join(ROOT, 'dist', 'cli.js')} dap`, 'gossip', { shell: true }, true);
  dc.defaultTimeout = 20_000;
  await dc.start();
});

afterEach(async () => {
  await dc.stop();
});

async function launch(extra: Record<string, unknown> = {}): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([dc.configurationSequence(), dc.launch({ scenario: SCENARIO, ...extra })]);
  return stopped;
}

async function evaluate(expression: string): Promise<string> {
  return (await dc.evaluateRequest({ expression, context: 'repl' })).body.result;
}

/** Sends a request that stops the run, and returns the stopped event. */
async function until(request: Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await request;
  return stopped;
}

async function topFrame(threadId: number): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId });
  return st.body.stackFrames[0];
}

describe('gossip debug adapter over DAP', () => {
  it('launches stopped at entry, with a thread per peer and the orderer', async () => {
    const stopped = await launch();
    assert.equal(stopped.body.reason, 'entry');
    // Before the first event no peer has started yet: they say so (not "crashed").
    const names = (await dc.threadsRequest()).body.threads.map((t) => t.name);
    assert.ok(names.slice(0, -1).every((n) => n.endsWith(' (not started)')), names.join(', '));
    const threads = names.map((n) => n.replace(' (not started)', ''));
    assert.equal(threads.length, 9);
    assert.ok(threads.includes('peer0.org1') && threads.includes('peer3.org2') && threads.includes('orderer'), threads.join(', '));
    assert.equal(await evaluate('events'), '0');
  });

  it('steps one event at a time; the stack is the event and its causes; Variables hold the peer state', async () => {
    await launch();
    let stopped!: DebugProtocol.StoppedEvent;
    for (let i = 0; i < 30; i++) stopped = await until(dc.nextRequest({ threadId: 1 }));
    assert.equal(stopped.body.reason, 'step');
    const frames = (await dc.stackTraceRequest({ threadId: stopped.body.threadId! })).body.stackFrames;
    assert.ok(frames.length >= 1);
    // A frame stands for a trace event: the extension asks which, to show it in the graph.
    const shown = (await dc.customRequest('gossipScope.eventOf', { frameId: frames[0].id })).body as { msg: number | null; peer: number };
    assert.equal(shown.peer, stopped.body.threadId! - 1 === 8 ? -1 : stopped.body.threadId! - 1);
    assert.match(frames[0].name, /^(send|deliver|timer|state|verify|reject|drop|log|fault) .*@\d/);
    // Every frame below the top one is the cause of the frame above it.
    const scopes = (await dc.scopesRequest({ frameId: frames[0].id })).body.scopes;
    assert.deepEqual(scopes.map((s) => s.name.split(' ')[0]), ['Event', 'Peer', 'Changed', 'Network']);
    const peer = (await dc.variablesRequest({ variablesReference: scopes[1].variablesReference })).body.variables;
    const names = peer.map((v) => v.name);
    for (const n of ['id', 'org', 'running', 'membership', 'channels']) assert.ok(names.includes(n), `peer scope lacks ${n}: ${names.join(', ')}`);
    const channels = peer.find((v) => v.name === 'channels')!;
    const mychannel = (await dc.variablesRequest({ variablesReference: channels.variablesReference })).body.variables.find((v) => v.name === 'mychannel')!;
    const fields = (await dc.variablesRequest({ variablesReference: mychannel.variablesReference })).body.variables.map((v) => v.name);
    for (const n of ['height', 'leader', 'ledger', 'election', 'stateInfo', 'blockPull', 'privateData', 'worldState']) assert.ok(fields.includes(n), `channel entry lacks ${n}`);
  });

  it('stops on a message predicate, shows the decoded message and its signature verdict', async () => {
    await launch();
    const bps = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'AliveMessage from peer1.org2' }, { name: 'Nonsense from' }] });
    assert.equal(bps.body.breakpoints[0].verified, true);
    assert.equal(bps.body.breakpoints[1].verified, false);
    const stopped = await until(dc.continueRequest({ threadId: 1 }));
    assert.equal(stopped.body.reason, 'function breakpoint');
    assert.equal(await evaluate('type'), '"AliveMessage"');
    assert.equal(await evaluate('from'), '"peer1.org2"');
    assert.equal(await evaluate('kind'), '"send"');
    // Step Into follows that message to its receiver: the stop is on the receiver's thread.
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const to = JSON.parse(await evaluate('to')) as string;
    const into = await until(dc.stepInRequest({ threadId: stopped.body.threadId! }));
    assert.equal(into.body.reason, 'step');
    assert.equal(JSON.parse(await evaluate('peer')), to);
    assert.match(await evaluate('kind'), /deliver|reject|verify|drop/);
    const frame = await topFrame(into.body.threadId!);
    const event = (await dc.scopesRequest({ frameId: frame.id })).body.scopes[0];
    const vars = (await dc.variablesRequest({ variablesReference: event.variablesReference })).body.variables;
    const message = vars.find((v) => v.name === 'message');
    assert.ok(message, `no decoded message in ${vars.map((v) => v.name).join(', ')}`);
    const parts = (await dc.variablesRequest({ variablesReference: message.variablesReference })).body.variables.map((v) => v.name);
    for (const n of ['type', 'fields', 'signature', 'signer', 'verdicts']) assert.ok(parts.includes(n), `message lacks ${n}`);
  });

  it('after Reverse Continue, hit counts are those of that moment: going forward stops where it stopped before', async () => {
    await launch();
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'delivered AliveMessage to peer1.org1', hitCondition: '>=3' }] });
    await until(dc.continueRequest({ threadId: 1 }));
    const third = await evaluate('events');
    await until(dc.continueRequest({ threadId: 1 }));
    const fourth = await evaluate('events');
    await until(dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(await evaluate('events'), third);
    await until(dc.continueRequest({ threadId: 1 }));
    assert.equal(await evaluate('events'), fourth, 'the 4th hit again, not the 3rd after a reset count');
  });

  it('value breakpoints stop when the expression becomes true; conditions and hit counts apply', async () => {
    await launch();
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'height(peer3.org1) >= 3' }] });
    const stopped = await until(dc.continueRequest({ threadId: 1 }));
    assert.equal(stopped.body.reason, 'function breakpoint');
    assert.equal(await evaluate('height(peer3.org1)'), '3');
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'DataMessage', condition: 'from == "peer0.org2"', hitCondition: '2' }] });
    await until(dc.continueRequest({ threadId: 1 }));
    assert.equal(await evaluate('type'), '"DataMessage"');
    assert.equal(await evaluate('from'), '"peer0.org2"');
  });

  it('steps back to exactly the state before, and reverse-continues to the previous hit', async () => {
    await launch();
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'leader changed' }] });
    await until(dc.continueRequest({ threadId: 1 }));
    const first = { events: await evaluate('events'), now: await evaluate('now'), peer: await evaluate('peer') };
    await until(dc.continueRequest({ threadId: 1 }));
    const second = await evaluate('events');
    assert.notEqual(second, first.events);
    const beforeStep = { events: await evaluate('events'), now: await evaluate('now') };
    await until(dc.nextRequest({ threadId: 1 }));
    await until(dc.nextRequest({ threadId: 1 }));
    await until(dc.stepBackRequest({ threadId: 1 }));
    const back = await until(dc.stepBackRequest({ threadId: 1 }));
    assert.equal(back.body.reason, 'step');
    assert.deepEqual({ events: await evaluate('events'), now: await evaluate('now') }, beforeStep);
    const rev = await until(dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(rev.body.reason, 'function breakpoint');
    assert.deepEqual({ events: await evaluate('events'), now: await evaluate('now'), peer: await evaluate('peer') }, first);
  });

  it('tells the panel which move each stop was: a breakpoint its own step at its own time, a step, a step back', async () => {
    type Step = { how: string; reason?: string; events: { t: number; kind: string }[] };
    const frames: { kind: string; events: unknown[]; step?: Step }[] = [];
    dc.on('gossipScope.panel', (e: DebugProtocol.Event) => {
      if (e.body.kind === 'frame') frames.push(e.body);
    });
    await launch();
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'height(peer3.org1) >= 3' }] });
    await until(dc.continueRequest({ threadId: 1 }));
    const now = () => evaluate('now').then(Number);
    const hitAt = await now();
    const hit = frames.at(-1)!;
    // The run to the breakpoint carried thousands of events; the note is the one step it stopped on.
    assert.ok(hit.events.length > 100, `${hit.events.length} events in the frame`);
    assert.equal(hit.step?.how, 'stop');
    assert.equal(hit.step?.reason, 'function breakpoint');
    assert.ok(hit.step.events.length > 0 && hit.step.events.every((e) => e.t === hitAt), `step events at ${hit.step.events.map((e) => e.t).join(', ')}, stopped at ${hitAt}`);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    await until(dc.nextRequest({ threadId: 1 }));
    const stepped = frames.at(-1)!.step;
    assert.equal(stepped?.how, 'step');
    assert.ok(stepped.events.length > 0 && stepped.events.every((e) => e.t === hitAt || e.t > hitAt));
    await until(dc.stepBackRequest({ threadId: 1 }));
    const back = frames.at(-1)!.step;
    assert.equal(back?.how, 'back');
    assert.equal(await now(), hitAt);
    assert.ok(back.events.length > 0 && back.events.every((e) => e.t === hitAt), 'back at the breakpoint: the step that led there');
  });

  it('a breakpoint on a line of faults: stops when that fault fires, with the frame at that line', async () => {
    await launch();
    const lines = readFileSync(SCENARIO, 'utf8').split('\n');
    const partition = lines.findIndex((l) => l.includes('partition:')) + 1;
    const res = await dc.setBreakpointsRequest({ source: { path: SCENARIO }, breakpoints: [{ line: partition }, { line: 1 }] });
    assert.equal(res.body.breakpoints[0].verified, true);
    assert.equal(res.body.breakpoints[1].verified, false);
    const stopped = await until(dc.continueRequest({ threadId: 1 }));
    assert.equal(stopped.body.reason, 'breakpoint');
    assert.equal(await evaluate('now'), '20000');
    const frame = await topFrame(stopped.body.threadId!);
    assert.equal(frame.line, partition);
    assert.equal(frame.source?.path, SCENARIO);
  });

  it('a data breakpoint on a peer height stops when it changes', async () => {
    await launch();
    // Peers start apart (peers.startWindow): step until peer0.org1 has started and done something.
    let frame: DebugProtocol.StackFrame | undefined;
    for (let i = 0; i < 500 && frame === undefined; i++) {
      await until(dc.nextRequest({ threadId: 1 }));
      frame = await topFrame(1).catch(() => undefined);
    }
    assert.ok(frame, 'peer0.org1 has a frame');
    const frameId = frame.id;
    const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
    const peerScope = scopes.find((s) => s.name.startsWith('Peer'))!;
    const peer = (await dc.variablesRequest({ variablesReference: peerScope.variablesReference })).body.variables;
    const channels = peer.find((v) => v.name === 'channels')!;
    const ch = (await dc.variablesRequest({ variablesReference: channels.variablesReference })).body.variables[0];
    const info = await dc.dataBreakpointInfoRequest({ variablesReference: ch.variablesReference, name: 'height' });
    assert.ok(info.body.dataId, info.body.description);
    const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId! }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    const stopped = await until(dc.continueRequest({ threadId: 1 }));
    assert.equal(stopped.body.reason, 'data breakpoint');
    assert.match(stopped.body.description ?? '', /changed: 1 → 2/);
  });

  it('Step Out runs until every message the current event caused has arrived', async () => {
    await launch();
    // A pull round: Hello, then Digest, Request and Update, each caused by the one before.
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'GossipHello from peer0.org1' }] });
    await until(dc.continueRequest({ threadId: 1 }));
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const started = Number(await evaluate('now'));
    const digests = Number(await evaluate('delivered("DataDigest")'));
    const out = await until(dc.stepOutRequest({ threadId: 1 }));
    assert.equal(out.body.reason, 'step');
    assert.match(await evaluate('kind'), /deliver|reject|drop/);
    assert.ok(Number(await evaluate('now')) > started);
    assert.ok(Number(await evaluate('delivered("DataDigest")')) > digests, 'the hello was answered with digests before Step Out returned');
  });

  it('Step Out waits for what the event handed to the batching emitter: a fresh alive message is forwarded, and every copy arrives', async () => {
    await launch();
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'delivered AliveMessage to peer1.org1' }] });
    await until(dc.continueRequest({ threadId: 1 }));
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const started = Number(await evaluate('now'));
    const out = await until(dc.stepOutRequest({ threadId: 1 }));
    assert.equal(out.body.reason, 'step');
    // The forwards left on the emitter's next tick, and the forwards of those: Step Out stops
    // when the last copy of that alive message has arrived (before the fix it stopped at once).
    assert.match(await evaluate('kind'), /deliver|reject|drop/);
    assert.equal(await evaluate('type'), '"AliveMessage"');
    assert.ok(Number(await evaluate('now')) >= started + 10, `stopped at ${await evaluate('now')}, started at ${started}`);
  });

  it('marks what changed since the last stop: the commit that raised a height, and only the peers a step touched', async () => {
    const entry = await launch();
    const changedScope = async (frameId: number) => {
      const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
      const scope = scopes.find((s) => s.name.startsWith('Changed since last stop'));
      assert.ok(scope, scopes.map((s) => s.name).join(', '));
      return scope;
    };
    const peersIn = async (ref: number) => (await dc.variablesRequest({ variablesReference: ref })).body.variables;
    assert.equal((await changedScope(0)).name, 'Changed since last stop: nothing', `at ${entry.body.reason}`);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'commit at peer2.org1' }] });
    const commit = await until(dc.continueRequest({ threadId: 1 }));
    const frame = await topFrame(commit.body.threadId!);
    const scope = await changedScope(frame.id);
    const peers = await peersIn(scope.variablesReference);
    const p2 = peers.find((v) => v.name === 'peer2.org1');
    assert.ok(p2, peers.map((v) => v.name).join(', '));
    const fields = await peersIn(p2.variablesReference);
    const height = fields.find((f) => f.name === 'channels.mychannel.height');
    assert.ok(height, fields.map((f) => f.name).join(', '));
    const [before, after] = JSON.parse(height.value).split(' → ').map(Number);
    assert.equal(after, before + 1, height.value);
    // One step later only what that one task touched is listed.
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const step = await until(dc.nextRequest({ threadId: commit.body.threadId! }));
    const stepPeer = JSON.parse(await evaluate('peer')) as string;
    const afterStep = await peersIn((await changedScope((await topFrame(step.body.threadId!)).id)).variablesReference);
    assert.ok(afterStep.every((v) => v.name === stepPeer), `${stepPeer}: ${afterStep.map((v) => v.name).join(', ')}`);
    // Stepping back compares with the state the user just left: the same fields, the other way.
    await until(dc.stepBackRequest({ threadId: step.body.threadId! }));
    const back = await peersIn((await changedScope((await topFrame(commit.body.threadId!)).id)).variablesReference);
    assert.deepEqual(back.map((v) => v.name), afterStep.map((v) => v.name));
  });

  it('evaluates queries with clear errors, and completes names', async () => {
    await launch();
    assert.equal(await evaluate('height(peer0.org1) + 1'), '2');
    assert.equal(await evaluate('leaderIn(Org1MSP)'), 'null');
    await assert.rejects(dc.evaluateRequest({ expression: 'height(peer9.org9)', context: 'repl' }), /not a peer/);
    await assert.rejects(dc.evaluateRequest({ expression: 'height(', context: 'repl' }), /ends too soon/);
    const c = await dc.completionsRequest({ text: 'height(pe', column: 10 });
    const labels = c.body.targets.map((t) => t.label);
    assert.ok(labels.includes('peer0.org1') && labels.includes('peers'), labels.join(', '));
  });

  it('disconnect ends the standalone adapter process', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'dap'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const send = (seq: number, command: string, args: unknown) => {
      const body = JSON.stringify({ seq, type: 'request', command, arguments: args });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    send(1, 'initialize', { adapterID: 'gossip' });
    send(2, 'launch', { scenario: SCENARIO });
    send(3, 'configurationDone', {});
    await new Promise((r) => setTimeout(r, 1500));
    send(4, 'disconnect', {});
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 5000))]);
    if (code === 'still running') child.kill();
    assert.equal(code, 0);
    assert.match(out, /"command":"disconnect","success":true/);
  });

  it('refuses a scenario that does not load, saying where', async () => {
    await dc.initializeRequest();
    await assert.rejects(dc.launchRequest({ scenario: join(ROOT, 'test', 'fixtures', 'does-not-exist.yaml') } as DebugProtocol.LaunchRequestArguments), /does-not-exist\.yaml:1:1: cannot read the file: there is no such file/);
  });

  it('refuses a broken scenario with file:line:col', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gossip-dap-'));
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, readFileSync(SCENARIO, 'utf8').replace('seed: 7', 'seed: seven'));
    await dc.initializeRequest();
    await assert.rejects(dc.launchRequest({ scenario: broken } as DebugProtocol.LaunchRequestArguments), /broken\.yaml:9:7: .*'seven'/);
  });
});

