/**
 * ShiViz export, checked against ShiViz's documented input format: the first line is the
 * parsing regex, the second the execution delimiter, then the log; the regex (with its named
 * groups, which JavaScript reads as ShiViz does) must split the log into every event, each
 * clock must be JSON holding its own host, counting 1, 2, 3 ... per host, and a receipt's clock
 * must include its send's (otherwise ShiViz draws no message between them).
 */
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { loadScenario } from '../../engine/scenario/load.js';
import { Simulation } from '../../engine/sim/simulation.js';
import type { TraceEvent } from '../../engine/trace/events.js';
import { toShiViz } from '../../engine/trace/shiviz.js';
import { readFabricLogs } from '../../engine/logs/read-logs.js';

function checkShiViz(text: string, events: TraceEvent[]): void {
  const [regexLine, delimiter, ...rest] = text.split('\n');
  assert.equal(delimiter, '');
  const re = new RegExp(regexLine, 'g');
  const body = rest.join('\n');
  const parsed = [...body.matchAll(re)].map((m) => ({ event: m.groups!.event, host: m.groups!.host, clock: JSON.parse(m.groups!.clock) as Record<string, number> }));
  assert.equal(parsed.length, events.length, 'one ShiViz event per trace event');
  const own = new Map<string, number>();
  for (const p of parsed) {
    assert.match(p.host, /^\S+$/);
    const n = (own.get(p.host) ?? 0) + 1;
    assert.equal(p.clock[p.host], n, `${p.host}'s clock counts by one`);
    own.set(p.host, n);
  }
  let links = 0;
  for (let i = 0; i < events.length; i++) {
    const d = events[i];
    if (d.kind !== 'deliver') continue;
    // The send of this delivery: the latest send of the same message from its sender to it.
    let s = -1;
    for (let j = i - 1; j >= 0; j--) if (events[j].kind === 'send' && events[j].msg === d.msg && events[j].peer === d.other && events[j].other === d.peer) { s = j; break; }
    if (s < 0) continue;
    for (const [h, v] of Object.entries(parsed[s].clock)) assert.ok((parsed[i].clock[h] ?? 0) >= v, `receipt ${d.id} includes send ${events[s].id}`);
    links++;
  }
  assert.ok(links > 50, `only ${links} messages linked`);
}

test('a simulated run exports to ShiViz format', async () => {
  const scenario = loadScenario('name: s\nseed: 3\norgs: [{ mspId: Org1MSP, peers: 3, anchorPeers: [peer0] }]\nchannels: [{ name: ch, orgs: [Org1MSP] }]\norderer: { blocks: 2 }\nrun: { until: 8s }\n');
  const sim = await Simulation.create(scenario);
  const events: TraceEvent[] = [];
  sim.trace.listen((e) => events.push(e));
  sim.runUntil(scenario.run.until);
  checkShiViz(toShiViz(events, sim.peers.map((p) => p.id)), events);
});

test('the six-peer Fabric log exports to ShiViz format', () => {
  const r = readFabricLogs([{ path: 'six.log', text: gunzipSync(readFileSync(join(__dirname, '..', '..', 'docs', 'reference', 'real-fabric', 'gossip-debug-6peers.log.gz'))).toString('utf8') }]);
  const text = toShiViz(r.events, r.peers.map((p) => p.name));
  checkShiViz(text, r.events);
  assert.match(text, /\nreceive|\ndeliver AliveMessage from p\d/);
});
