/**
 * `gossip-scope live <scenario> [--until T] [--json]`: every peer of a scenario as its own
 * process on 127.0.0.1, the ordering service and the control channel in this one; the
 * scenario's crash/restart/pause/resume faults happen to the processes at their times. On the
 * end of the run, Ctrl-C or SIGTERM every process is stopped (and a peer whose controller is
 * gone stops by itself), so nothing is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { loadScenarioFile } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { startControlServer, type PeerReport } from './control.js';
import { startOrdererService, type OrdererService } from './orderer-service.js';
import type { BlockSummary, PeerSummary, RunSummary } from '../sim/summary.js';
import { peerIds } from './peer.js';

/**
 * The same summary as `gossip-scope run --json` (RunSummary), from the peers' last reports:
 * simTimeMs is the run's wall time, blocks' latencies are wall-clock (commit minus cut), and
 * traceHash is null, since a run on real sockets and timers is not reproducible. Each peer adds
 * its process id and whom it sees.
 */
export interface LiveSummary extends Omit<RunSummary, 'traceHash' | 'peers'> {
  live: true;
  traceHash: null;
  peers: (PeerSummary & { pid: number | null; sees: string[] })[];
  pids: number[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLive(file: string, opts: { until?: number; cli: string; log: (s: string) => void }): Promise<LiveSummary> {
  const scenario: Scenario = loadScenarioFile(file);
  const until = opts.until ?? scenario.run.until;
  const ids = peerIds(scenario);
  const started = Date.now();
  const reports = new Map<string, Extract<PeerReport, { type: 'status' }>>();
  const pidOf = new Map<string, number>();
  const control = await startControlServer(
    (r) => (r.type === 'status' ? reports.set(r.id, r) : pidOf.set(r.id, r.pid)),
    () => {},
  );
  const orderer = await startOrdererService(scenario);
  const addresses = new Map<string, string>();
  for (const p of ids) addresses.set(p.id, `127.0.0.1:${await freePort()}`);
  const children = new Map<string, ChildProcess>();
  const everyPid = new Set<number>();
  const up = new Set<string>();

  const startPeer = (id: string) => {
    const args = [opts.cli, 'peer', '--scenario', file, '--id', id, '--listen', addresses.get(id)!, '--orderer', orderer.url, '--control', control.url];
    for (const [other, addr] of addresses) if (other !== id) args.push('--address', `${other}=${addr}`);
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    if (child.pid !== undefined) everyPid.add(child.pid);
    children.set(id, child);
    up.add(id);
    child.on('exit', () => {
      if (children.get(id) === child) children.delete(id);
    });
  };
  const kill = (id: string, signal: NodeJS.Signals) => {
    up.delete(id);
    reports.delete(id);
    children.get(id)?.kill(signal);
  };

  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    for (const id of children.keys()) control.send(id, { type: 'stop' });
    const deadline = Date.now() + 3000;
    while (children.size > 0 && Date.now() < deadline) await wait(50);
    for (const c of children.values()) c.kill('SIGKILL');
    while (children.size > 0) await wait(20);
    await control.close();
    await orderer.close();
  };
  const onSignal = () => void stopAll().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    for (const p of ids) if (!scenario.lateJoiners.some((l) => l.peer === p.id)) startPeer(p.id);
    // The scenario's process faults, at their times (ms since the run started).
    const timers: NodeJS.Timeout[] = [];
    for (const l of scenario.lateJoiners) timers.push(setTimeout(() => startPeer(l.peer), l.at));
    for (const f of scenario.faults) {
      const a = f.action;
      const at = () => {
        if (a.kind === 'crash') kill(a.peer, 'SIGKILL');
        else if (a.kind === 'restart') startPeer(a.peer);
        else if (a.kind === 'pause' || a.kind === 'resume') control.send(a.peer, { type: a.kind });
        else opts.log(`live mode: the ${a.kind} fault at ${f.at} ms is not applied (only crash, restart, pause and resume are, so far)`);
      };
      timers.push(setTimeout(at, f.at));
    }
    await wait(until);
    for (const t of timers) clearTimeout(t);
    // The latest reports (every 250 ms) are the state at the end.
    await wait(400);
    return summarise(scenario, orderer, ids, up, reports, pidOf, started, [...everyPid]);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  }
}

function summarise(
  scenario: Scenario,
  orderer: OrdererService,
  ids: { id: string; mspId: string }[],
  up: Set<string>,
  reports: Map<string, Extract<PeerReport, { type: 'status' }>>,
  pidOf: Map<string, number>,
  started: number,
  pids: number[],
): LiveSummary {
  const peers = ids.map((p) => {
    const r = up.has(p.id) ? reports.get(p.id) : undefined;
    return {
      id: p.id,
      org: p.mspId,
      alive: r !== undefined,
      height: r?.height ?? {},
      leader: r?.leader ?? {},
      worldState: r?.worldState ?? {},
      membership: r?.membership.length ?? 0,
      deadMembers: r?.dead.length ?? 0,
      pid: pidOf.get(p.id) ?? null,
      sees: r?.membership ?? [],
    };
  });
  const messages = { sent: {}, delivered: {}, dropped: {}, dropReasons: {}, rejected: {} } as RunSummary['messages'];
  let events = 0;
  for (const r of reports.values()) {
    events += r.events;
    for (const k of Object.keys(messages) as (keyof RunSummary['messages'])[]) {
      for (const [name, n] of Object.entries(r.messages[k])) messages[k][name] = (messages[k][name] ?? 0) + n;
    }
  }
  const blocks: BlockSummary[] = [];
  for (const [channel, chain] of orderer.orderer.chains) {
    for (const b of chain) {
      if (b.seq === 0) continue;
      const cut = orderer.cutAt.get(channel)?.get(b.seq);
      const times = [...reports.values()].map((r) => r.commits[channel]?.[String(b.seq)]).filter((t): t is number => t !== undefined && cut !== undefined).map((t) => t - cut!).sort((x, y) => x - y);
      blocks.push({
        channel,
        seq: b.seq,
        cutAtMs: cut === undefined ? -1 : cut - started,
        latencyMs: times.length === 0 ? null : { min: times[0], median: times[Math.floor((times.length - 1) / 2)], max: times[times.length - 1] },
        committedBy: times.length,
      });
    }
  }
  const notConverged: string[] = [];
  const live = peers.filter((p) => p.alive).map((p) => p.id);
  for (const p of peers.filter((x) => x.alive)) {
    for (const [ch, h] of Object.entries(p.height)) {
      const top = orderer.orderer.chains.get(ch)?.length ?? 0;
      if (h < top) notConverged.push(`${p.id} is at height ${h} of ${top} on ${ch}`);
    }
    for (const other of live) if (other !== p.id && !p.sees.includes(other)) notConverged.push(`${p.id} does not see ${other} alive`);
    for (const m of p.sees) if (!live.includes(m)) notConverged.push(`${p.id} still sees ${m} alive`);
  }
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    profile: scenario.profile,
    simTimeMs: Date.now() - started,
    events,
    traceHash: null,
    live: true,
    peers,
    messages,
    blocks,
    converged: notConverged.length === 0,
    notConverged,
    pids,
  };
}
