/**
 * Invariants in the debugger, over DAP: a broken one stops the run at the event that broke it,
 * with what broke; after Step Back, going forward stops there again. And `run --check` fails.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { main } from '../../engine/cli/main.js';
import { leakyCollection } from '../engine/leaky-collection.js';

const ROOT = join(__dirname, '..', '..');
const file = join(mkdtempSync(join(tmpdir(), 'gs-inv-')), 'leaky.yaml');
writeFileSync(file, leakyCollection());
let dc: DebugClient;

before(async () => {
  if (process.env.GOSSIP_SCOPE_BUILT !== '1') assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
  dc = new DebugClient('node', `${join(ROOT, 'dist', 'cli.js')} dap`, 'gossip', { shell: true }, true);
  dc.defaultTimeout = 60_000;
  await dc.start();
});
after(async () => dc.stop());

async function until(request: Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await request;
  return stopped;
}
const evaluate = async (expression: string) => (await dc.evaluateRequest({ expression, context: 'repl' })).body.result;

describe('invariants in the debugger', () => {
  it('Continue stops where the scenario invariant broke, says what broke, and stops there again after Step Back', async () => {
    const entry = dc.waitForEvent('stopped');
    await Promise.all([dc.configurationSequence(), dc.launch({ scenario: file })]);
    await entry;
    const stopped = await until(dc.continueRequest({ threadId: 1 }));
    assert.equal(stopped.body.reason, 'exception');
    assert.match(stopped.body.text ?? '', /^Invariant broken: Org3 never holds secrets: no longer holds/);
    const info = await dc.exceptionInfoRequest({ threadId: stopped.body.threadId! });
    assert.equal(info.body.exceptionId, 'Org3 never holds secrets');
    assert.match(JSON.parse(await evaluate('peer')), /\.org3$/);
    assert.equal(await evaluate('privateData(peer0.org3) + privateData(peer1.org3) + privateData(peer2.org3) == 0'), 'false');
    const at = await evaluate('event.id');
    await until(dc.stepBackRequest({ threadId: 1 }));
    assert.equal(await evaluate('privateData(peer0.org3) + privateData(peer1.org3) + privateData(peer2.org3) == 0'), 'true');
    const again = await until(dc.continueRequest({ threadId: 1 }));
    assert.equal(again.body.reason, 'exception');
    assert.equal(await evaluate('event.id'), at);
  });
});

it('gossip-scope run --check exits 1 on a broken invariant and names it', async () => {
  let out = '';
  const code = await main(['run', file, '--check', '--json'], (s) => (out += s), () => {});
  assert.equal(code, 1);
  const summary = JSON.parse(out) as { violation: { invariant: string; detail: string; t: number; event: string } };
  assert.equal(summary.violation.invariant, 'Org3 never holds secrets');
  assert.ok(summary.violation.t < 50_000);
});
