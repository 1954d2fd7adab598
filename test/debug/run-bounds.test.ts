/** A debug launch's own seed and until are bounded as a scenario's are (engine/scenario/bounds.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DebugRun } from '../../engine/debug/run.js';

const text = (peers: number) => `name: t\norgs:\n  - { mspId: Org1MSP, peers: ${peers} }\nchannels:\n  - { name: ch, orgs: [Org1MSP] }\nrun: { until: 5s }\n`;

test('a seed outside 0 … 2^53 − 1 is refused with the range', async () => {
  for (const seed of [-1, 1e29, 0.5]) {
    await assert.rejects(DebugRun.open({ file: 't.yaml', text: text(2), seed }), /"seed" must be an integer between 0 and 9007199254740991 \(2\^53 − 1/);
  }
});

test('an until the machine cannot run is refused with the longest that fits', async () => {
  await assert.rejects(DebugRun.open({ file: 't.yaml', text: text(100) }, 24 * 3_600_000), /"until": this run of 100 peers for 24h would cause about .* run\.until \d+s at most/);
  const ok = await DebugRun.open({ file: 't.yaml', text: text(2) }, 10_000);
  assert.equal(ok.until, 10_000);
  ok.dispose?.();
});
