/**
 * The run loop of one benchmark network under the CPU profiler (creation not included):
 *   node dist/bench-profile.js [ORGSxPEERSxBLOCKS | scenario.yaml] [UNTIL_S] [OUT.cpuprofile | -]
 * Prints run-loop wall and CPU µs per delivery; writes the profile for `node --cpu-prof`-style reading.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { Simulation } from '../../engine/sim/simulation.js';
import { summarise } from '../../engine/sim/summary.js';
import { benchScenario } from './scenario.js';
import { loadScenarioFile } from '../../engine/scenario/load.js';

async function main(): Promise<void> {
  const [net = '2x25x25', untilS = '60', out = 'run.cpuprofile'] = process.argv.slice(2);
  const [orgs, peersPerOrg, blocks] = net.split('x').map(Number);
  const scenario = net.endsWith('.yaml')
    ? loadScenarioFile(net)
    : benchScenario({ name: `profile-${net}`, orgs, peersPerOrg, blocks, batchTimeoutMs: 2000 }, Number(untilS) * 1000);
  const sim = await Simulation.create(scenario, { traceCapacity: 10_000, messageCapacity: 10_000 });
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<any>((res, rej) => session.post(method, params ?? {}, (e, r) => (e ? rej(e) : res(r))));
  const profiling = out !== '-';
  if (profiling) {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 200 });
    await post('Profiler.start');
  }
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  sim.start();
  sim.kernel.runUntil(Number(untilS) * 1000);
  const c1 = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  if (profiling) writeFileSync(out, JSON.stringify((await post('Profiler.stop')).profile));
  const s = summarise(sim);
  const delivered = Object.values(s.messages.delivered).reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ net, delivered, events: s.events, traceHash: s.traceHash, wallMs: wall, cpuMs: (c1.user + c1.system) / 1000, usPerDeliveryWall: (wall * 1000) / delivered, usPerDeliveryCpu: ((c1.user + c1.system)) / delivered }));
}
main();
