/**
 * Deliver by hand from the Debug Console, over DAP: the waiting events are listed, a chosen one
 * runs out of order (or is dropped), the choice shows in the trace and changes the run, and
 * step back and forward replay it exactly.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const ROOT = join(__dirname, '..', '..');
const SCENARIO = join(ROOT, 'samples', 'two-orgs.yaml');
let dc: DebugClient;

before(async () => {
  if (process.env.GOSSIP_SCOPE_BUILT !== '1') assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
  dc = new DebugClient('node', `${join(ROOT, 'dist', 'cli.js')} dap`, 'gossip', { shell: true }, true);
  dc.defaultTimeout = 30_000;
  await dc.start();
});

after(async () => {
  await dc.stop();
});

const say = async (expression: string) => (await dc.evaluateRequest({ expression, context: 'repl' })).body.result;
const refused = async (expression: string) => {
  try {
    await dc.evaluateRequest({ expression, context: 'repl' });
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail(`${expression} was accepted`);
};
async function stepped(request: Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await request;
  return stopped;
}

describe('deliver by hand in the Debug Console', () => {
  it('lists what waits, takes a choice, traces it, and replays it after step back', async () => {
    const first = dc.waitForEvent('stopped');
    await Promise.all([dc.configurationSequence(), dc.launch({ scenario: SCENARIO })]);
    await first;
    // Step to a moment when several messages are on their way.
    let pending: string[] = [];
    let messages: string[] = [];
    for (let i = 0; i < 600 && messages.length < 3; i++) {
      await stepped(dc.nextRequest({ threadId: 1 }));
      pending = (await say('/pending')).split('\n');
      messages = pending.filter((l) => / → /.test(l));
    }
    assert.ok(messages.length >= 2, pending.join('\n'));
    assert.ok(pending.some((l) => /'s timer /.test(l)), 'timers are listed too');
    // The last message to arrive, delivered first: out of order.
    const last = /^#(-?\d+)\s+\S+\s+(\S+) (\S+) → (\S+)/.exec(messages.at(-1)!)!;
    const [, seq, type, from, to] = last;
    const hashBefore = await say('/hash');
    const said = await say(`/deliver ${seq}`);
    assert.equal(said, `by hand: ${type} ${from} → ${to} delivered next`);
    // One step: that message is what arrives, ahead of everything that was due before it.
    await stepped(dc.nextRequest({ threadId: 1 }));
    const pendingAfter = await say('/pending');
    assert.ok(!pendingAfter.split('\n').some((l) => l.startsWith(`#${seq} `)), 'it is no longer waiting');
    for (let i = 0; i < 10; i++) await stepped(dc.nextRequest({ threadId: 1 }));
    const withChoice = await say('/hash');
    assert.notEqual(withChoice.split(' ')[0], hashBefore.split(' ')[0]);
    // Step back over the choice and forward again: the same history, the same hash.
    for (let i = 0; i < 12; i++) await stepped(dc.stepBackRequest({ threadId: 1 }));
    for (let i = 0; i < 12; i++) await stepped(dc.nextRequest({ threadId: 1 }));
    assert.equal(await say('/hash'), withChoice);
    // Refusals say why.
    assert.match(await refused('/deliver 99999999'), /no message in flight or timer pending is #99999999 now/);
    const timer = /^#(-?\d+)/.exec((await say('/pending')).split('\n').find((l) => /'s timer /.test(l))!)![1];
    assert.match(await refused(`/duplicate ${timer}`), /a timer cannot be duplicated/);
    assert.match(await refused('/delay 3'), /takes an event number and a time/);
    assert.match(await refused('/frobnicate'), /unknown command \/frobnicate/);
    assert.match(await refused('/constructor 1'), /unknown command \/constructor/);
    // A dropped message is the sender's drop, with the reason.
    const msg = /^#(-?\d+)\s+\S+\s+(\S+) (\S+) → (\S+)/.exec((await say('/pending')).split('\n').find((l) => / → /.test(l))!)!;
    assert.equal(await say(`/drop ${msg[1]}`), `by hand: ${msg[2]} ${msg[3]} → ${msg[4]} dropped`);
  });
});
