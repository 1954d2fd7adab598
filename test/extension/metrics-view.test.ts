// "Show Metrics": the run summary rendered as Markdown tables.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenarioFile } from '../../engine/scenario/load.js';
import { Simulation } from '../../engine/sim/simulation.js';
import { summarise } from '../../engine/sim/summary.js';
import { metricsMarkdown } from '../../extension/metrics-view.js';

test('the metrics report lists messages by type, every peer and the blocks', async () => {
  const sim = await Simulation.create(loadScenarioFile('samples/two-orgs.yaml'));
  sim.runUntil(15_000);
  const md = metricsMarkdown(summarise(sim));
  assert.match(md, /^# Gossip Scope metrics: two-orgs-partition$/m);
  assert.match(md, /^\| AliveMessage \| \d+ \| \d+ \| \d+ \|$/m);
  assert.equal(md.match(/^\| peer\d\.org\d \|/gm)?.length, 8);
  assert.match(md, /^\| mychannel \| 1 \| [\d.]+ \| [\d.]+ \| [\d.]+ \| \d+ \|$/m);
});
