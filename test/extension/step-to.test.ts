/**
 * "Step to next <type>" says when none will come: at once when the network's configuration never
 * sends that type (DataMessage in Fabric v3, whose peers take blocks from the orderer), and at the
 * end of the run when none was sent; it ran silently to the end before.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineSession } from '../../extension/engine-session.js';
import type { FromWorker } from '../../extension/worker-protocol.js';
import { WORKER_FIXTURE } from './worker-fixture.js';

async function opened(): Promise<{ session: EngineSession; seen: FromWorker[] }> {
  const seen: FromWorker[] = [];
  const session = new EngineSession((m) => seen.push(m));
  await session.handle({ type: 'open', file: 'fixture.yaml', text: WORKER_FIXTURE, speed: 0, maxTraceEvents: 1000 });
  assert.ok(seen.some((m) => m.type === 'opened'));
  return { session, seen };
}

test('Step to next DataMessage in a Fabric v3 network: none will come, said at once, and the run stays where it is', async () => {
  const { session, seen } = await opened();
  const before = seen.length;
  await session.handle({ type: 'stepTo', messageType: 'DataMessage' });
  const said = seen.slice(before).find((m) => m.type === 'error');
  assert.ok(said && said.type === 'error', 'nothing said');
  assert.match(said.message, /Step to next DataMessage: none will come: .*blockGossipEnabled is false \(profile fabric-v3\)/);
  assert.equal((session as unknown as { state: string }).state, 'paused');
  session.dispose();
});

test('Step to a type never sent by the end of the run: said when the run ends', async () => {
  const { session, seen } = await opened();
  const ended = new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (seen.some((m) => m.type === 'frame' && m.status.state === 'finished')) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
  });
  await session.handle({ type: 'stepTo', messageType: 'PrivateDataMessage' });
  await ended;
  const said = seen.find((m) => m.type === 'error');
  assert.ok(said && said.type === 'error', 'the run ended without a word');
  assert.match(said.message, /Step to next PrivateDataMessage: none was sent by the end of the run \(60 s\)/);
  session.dispose();
});
