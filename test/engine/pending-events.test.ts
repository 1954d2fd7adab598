import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Connection } from '../../engine/fabric/comm.js';
import type { PendingWhat } from '../../engine/kernel/kernel.js';
import { SimRuntime } from '../../engine/sim/runtime.js';
import { run, twoOrgs } from './helpers.js';

/**
 * What the kernel says is waiting is what then runs: before each of thousands of steps, the
 * first pending event (when it is the one due next) must be exactly what the step does — the
 * message that arrives, from whom to whom, or the timer that fires, at which peer.
 */
test('the description of pending events matches what then runs, event by event', async () => {
  const { sim } = await run(twoOrgs('faults:\n  - { at: 8s, pause: peer1.org1 }\n  - { at: 9s, resume: peer1.org1 }'), { until: 7_000, keep: false });
  const k = sim.kernel;
  const seen: PendingWhat[] = [];
  const arrive = Connection.prototype.arrive;
  const fire = SimRuntime.prototype.fire;
  Connection.prototype.arrive = function (this: Connection, sm, cause) {
    seen.push({ kind: 'message', from: this.remoteIdx, to: this.owner.env.idx, type: sm.typeName, msg: sm.id });
    return arrive.call(this, sm, cause);
  };
  SimRuntime.prototype.fire = function (this: SimRuntime, name, fn) {
    seen.push({ kind: 'timer', peer: this.peerIndex, name });
    return fire.call(this, name, fn);
  };
  // A handshake message in flight is traced when it arrives (a deliver, or a drop at a stopped peer).
  const traced: PendingWhat[] = [];
  const stop = sim.trace.listen((e) => {
    if ((e.kind === 'deliver' && e.type === 'ConnEstablish') || (e.kind === 'drop' && e.type === 'ConnEstablish')) {
      traced.push({ kind: 'message', from: e.kind === 'deliver' ? e.other! : e.peer, to: e.kind === 'deliver' ? e.peer : e.other!, type: e.type, msg: e.msg! });
    }
  });
  const counts = { message: 0, timer: 0, handshake: 0, undescribed: 0 };
  try {
    for (let i = 0; i < 6_000 && k.nextTime() < 12_000; i++) {
      const next = k.pendingEvents()[0];
      const due = next !== undefined && next.seq === k.nextSeq();
      seen.length = 0;
      traced.length = 0;
      assert.ok(k.step());
      if (!due) {
        // A plain task or a cancelled timer: no message arrives because of it, and no timer
        // fires but the ticks a paused peer held, released when it resumes (at 9 s).
        assert.deepEqual(seen.filter((s) => s.kind === 'message' || k.now !== 9_000), [], `step ${i}: an undescribed event delivered or fired something`);
        counts.undescribed++;
        continue;
      }
      if (next.what.kind === 'message' && next.what.type === 'ConnEstablish') {
        assert.deepEqual(traced, [next.what], `step ${i}`);
        counts.handshake++;
      } else if (next.what.kind === 'timer' && sim.peers[next.what.peer].rt.isPaused()) {
        assert.deepEqual(seen, [], `step ${i}: a paused peer's timer fired`);
      } else {
        assert.deepEqual(seen, [next.what], `step ${i}`);
        counts[next.what.kind]++;
      }
    }
  } finally {
    Connection.prototype.arrive = arrive;
    SimRuntime.prototype.fire = fire;
    stop();
  }
  // The run crossed every kind: messages, timers, and (after the resume) new handshakes.
  assert.ok(counts.message > 500 && counts.timer > 50 && counts.undescribed > 0, JSON.stringify(counts));
});

test('a stopped network lists what is on its way and what will fire, earliest first, per peer', async () => {
  const { sim } = await run(twoOrgs(), { until: 5_000, keep: false });
  // Stop where something is on its way.
  for (let i = 0; i < 10_000 && !sim.kernel.pendingEvents().some((e) => e.what.kind === 'message'); i++) sim.kernel.step();
  const pending = sim.kernel.pendingEvents();
  for (let i = 1; i < pending.length; i++) {
    const [a, b] = [pending[i - 1], pending[i]];
    assert.ok(a.at < b.at || (a.at === b.at && a.seq < b.seq), 'in the order they will run');
  }
  const names = new Set(pending.flatMap((p) => (p.what.kind === 'timer' ? [p.what.name] : [])));
  // Every peer's Fabric loops are waiting: the alive emitter and the pull among them.
  for (const p of sim.peers) {
    const mine = pending.filter((e) => e.what.kind === 'timer' && e.what.peer === p.idx);
    assert.ok(mine.length >= 3, `${p.id} has ${mine.length} timers pending`);
  }
  assert.ok(names.size >= 5, [...names].join(', '));
  assert.ok(pending.some((e) => e.what.kind === 'message'), 'messages in flight are listed');
  // Nothing ran: the list is a look, not a step.
  const before = sim.kernel.executed;
  sim.kernel.pendingEvents();
  assert.equal(sim.kernel.executed, before);
});
