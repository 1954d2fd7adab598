/**
 * Time travel (engine/debug/run.ts): going back rebuilds exactly the network that was, with the
 * faults injected on the way; the query language and breakpoint predicates parse as documented.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BreakpointSet, matchEvent, parseEventPattern, parseHitCondition } from '../../engine/debug/breakpoints.js';
import { ExprError, parseExpr } from '../../engine/debug/expr.js';
import { evaluate } from '../../engine/debug/queries.js';
import { DebugRun } from '../../engine/debug/run.js';
import { LIMITS } from '../../engine/scenario/bounds.js';

const FILE = join(__dirname, '..', '..', 'samples', 'two-orgs.yaml');
const SOURCE = { file: FILE, text: readFileSync(FILE, 'utf8') };

async function runTo(events: number): Promise<DebugRun> {
  const run = await DebugRun.open(SOURCE);
  while (run.sim.trace.count < events && run.step() !== null);
  return run;
}

describe('time travel', () => {
  it('a step back lands on exactly the state a fresh run has there (with or without a spare)', async () => {
    const run = await runTo(6000);
    const here = run.position;
    const back = run.previousVisible(here);
    assert.ok(back > 0 && back < here);
    await run.travelTo(back);
    const fresh = await DebugRun.open(SOURCE);
    fresh.head.advanceTo(back);
    assert.equal(run.sim.trace.hash(), fresh.sim.trace.hash());
    assert.equal(run.sim.kernel.now, fresh.sim.kernel.now);
    // With spares prepared, the next step back uses one and still agrees.
    await run.prepareSpares();
    const back2 = run.previousVisible(run.position);
    await run.travelTo(back2);
    fresh.dispose();
    const fresh2 = await DebugRun.open(SOURCE);
    fresh2.head.advanceTo(back2);
    assert.equal(run.sim.trace.hash(), fresh2.sim.trace.hash());
    run.dispose();
  });

  it('faults injected while debugging are replayed when going back past them and forward again', async () => {
    const run = await runTo(3000);
    await run.inject({ kind: 'crash', peer: 'peer2.org1' } as never);
    const crashedAt = run.position;
    while (run.sim.trace.count < 5000 && run.step() !== null);
    const hash = run.sim.trace.hash();
    const target = run.position;
    await run.travelTo(crashedAt - 1);
    assert.equal(run.sim.peer('peer2.org1').running, true, 'before the fault the peer runs');
    await run.travelTo(crashedAt);
    assert.equal(run.sim.peer('peer2.org1').running, false, 'right where it was injected, the fault has happened');
    run.head.advanceTo(target);
    assert.equal(run.sim.peer('peer2.org1').running, false);
    assert.equal(run.sim.trace.hash(), hash, 'the same run again, fault included');
    run.dispose();
  });
});

describe('queries and breakpoint predicates', () => {
  it('parses message predicates, and leaves expressions to the query language', () => {
    assert.deepEqual(parseEventPattern('AliveMessage from peer1.org2'), { type: 'AliveMessage', kinds: ['send'], from: 'peer1.org2' });
    assert.deepEqual(parseEventPattern('rejected'), { kinds: ['reject'] });
    assert.deepEqual(parseEventPattern('leader changed at peer0.org1'), { kinds: ['state'], reason: 'leader', at: 'peer0.org1' });
    assert.deepEqual(parseEventPattern('delivered StateInfo to peer0.org1'), { kinds: ['deliver'], type: 'StateInfo', to: 'peer0.org1' });
    assert.equal(parseEventPattern('height(peer3.org1) >= 10'), null);
    assert.throws(() => parseEventPattern('DataMessage fro peer1.org1'), /expected from, to, at or on/);
  });

  it('matches events by kind, type and ends', async () => {
    const run = await runTo(2000);
    const send = run.sim.trace.recent().find((e) => e.kind === 'send' && e.type === 'AliveMessage')!;
    const from = run.sim.peers[send.peer].id;
    assert.ok(matchEvent(parseEventPattern(`AliveMessage from ${from}`)!, send, run.sim));
    assert.ok(!matchEvent(parseEventPattern(`AliveMessage to ${from}`)!, send, run.sim));
    assert.ok(!matchEvent(parseEventPattern('DataMessage')!, send, run.sim));
    run.dispose();
  });

  it('evaluates queries and says what is wrong, where', async () => {
    const run = await runTo(2000);
    const ctx = { sim: run.sim };
    assert.equal(evaluate('height(peer0.org1) >= 1 and running(peer0.org1)', ctx), true);
    assert.equal(evaluate('30s + 500ms', ctx), 30_500);
    assert.equal(evaluate('not leader(peer1.org1) || true', ctx), true);
    assert.throws(() => evaluate('height(peer7.org1)', ctx), /not a peer/);
    assert.throws(() => evaluate('heigth(peer0.org1)', ctx), /unknown function "heigth"/);
    assert.throws(() => parseExpr('height(peer0.org1) >='), (e: unknown) => e instanceof ExprError && /ends too soon/.test(e.message) && e.offset === 21);
    run.dispose();
  });

  it('hit conditions and value breakpoints that fire when they become true', async () => {
    assert.deepEqual([1, 2, 3, 4, 6].map(parseHitCondition('%3')), [false, false, true, false, true]);
    assert.deepEqual([2, 3, 4].map(parseHitCondition('>=3')), [false, true, true]);
    assert.throws(() => parseHitCondition('three'), /expected a number/);
    const run = await DebugRun.open(SOURCE);
    const bps = new BreakpointSet();
    bps.replace(['value'], [bps.make('value', 'height(peer0.org1) >= 2', run.sim)], run.sim);
    let hits = 0;
    let firstAt = -1;
    for (let i = 0; i < 20_000; i++) {
      const evs = run.step();
      if (evs === null) break;
      if (bps.checkValues(run.sim, evs[0])) {
        hits++;
        if (firstAt < 0) firstAt = evaluate('height(peer0.org1)', { sim: run.sim }) as number;
      }
    }
    assert.equal(hits, 1, 'fires once, when it becomes true');
    assert.equal(firstAt, 2);
    run.dispose();
  });
});

describe('faults and hand-made choices in a session', () => {
  it('are bounded: past the bound the next is refused, saying why, and the run is unchanged', async () => {
    const run = await runTo(200);
    const max = LIMITS.injectedFaults.max;
    LIMITS.injectedFaults.max = 5; // the bound's check, without making 10,000 of them
    try {
      for (let i = 0; i < 5; i++) await run.inject({ kind: 'heal' });
      const hash = run.sim.trace.hash();
      await assert.rejects(run.inject({ kind: 'heal' }), /already has 5 faults and hand-made choices, the most it may have \(faults and hand-made choices made in one debug session/);
      assert.equal(run.sim.trace.hash(), hash);
      assert.equal(run.injected.length, 5);
    } finally {
      LIMITS.injectedFaults.max = max;
      run.dispose();
    }
  });
});
