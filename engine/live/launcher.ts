/**
 * `gossip-scope live <scenario> [--until T] [--json]`: every peer of a scenario as its own
 * process on 127.0.0.1, the ordering service and the control channel in this one; the
 * scenario's crash/restart/pause/resume faults happen to the processes at their times. On the
 * end of the run, Ctrl-C or SIGTERM every process is stopped (and a peer whose controller is
 * gone stops by itself), so nothing is left behind. Each process is handed its own credential
 * and the run's key secret on its stdin (credentials.ts): nothing secret is in its argv or env.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { freePort } from './ports.js';
import { loadScenarioFile } from '../scenario/load.js';
import type { ByzantineBehaviour, Scenario, TamperRule } from '../scenario/types.js';
import { startControlServer, type ControlServer, type LiveLinkRule, type PeerReport } from './control.js';
import { Credentials, newSecret, type PeerSecrets } from './credentials.js';
import type { TraceEvent } from '../trace/events.js';
import { startOrdererService, type OrdererService } from './orderer-service.js';
import type { BlockSummary, PeerSummary, RunSummary } from '../sim/summary.js';
import { peerIds } from './peer.js';
import { tamperNeverTakes } from '../sim/tamper.js';

/**
 * The same summary as `gossip-scope run --json` (RunSummary), from the peers' last reports:
 * simTimeMs is the run's wall time, blocks' latencies are wall-clock (commit minus cut), and
 * traceHash is null, since a run on real sockets and timers is not reproducible. Each peer adds
 * its process id and whom it sees.
 */
export interface LiveSummary extends Omit<RunSummary, 'traceHash' | 'peers'> {
  live: true;
  traceHash: null;
  peers: (PeerSummary & { pid: number | null; sees: string[]; exited: string | null })[];
  pids: number[];
  /** Peers whose process ended when the scenario did not say so: "peer0.org1 exited (SIGTERM) at 3.2 s". The run did not go as scripted. */
  unscripted: string[];
  /** How long the processes took to start listening; the run's clock (simTimeMs) starts after. */
  startupMs: number;
}


const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long the inspector waits for a peer process to describe a message or itself. */
const INSPECT_TIMEOUT_MS = 1000;

export type PeerDetailReport = Extract<PeerReport, { type: 'detail' }>;

export interface LiveRunOptions {
  /** The CLI script the peer processes run (dist/cli.js). */
  cli: string;
  log: (s: string) => void;
  /** Every peer's new trace events, with times on the run's clock (ms since it started). */
  onEvents?: (peer: number, events: TraceEvent[]) => void;
  /** A peer's process ended when the scenario did not end it (killed from outside, or it failed): said at once. */
  onExit?: (exit: PeerExit) => void;
}

/** A peer process that ended on its own or was killed from outside, not by the scenario or the run's stop. */
export interface PeerExit {
  id: string;
  /** "exited (SIGTERM)", "exited (code 1)". */
  how: string;
  /** On the run's clock (ms since every process listened); negative while starting up. */
  atMs: number;
}

/** A live run that cannot start or go on, said in words (the CLI prints it without a stack). */
export class LiveRunError extends Error {
  override name = 'LiveRunError';
}

/** A peer process stops cleanly on SIGINT/SIGTERM and exits 128 + the signal's number: say the signal. */
function exitWords(code: number | null, signal: NodeJS.Signals | null): string {
  const caught = code !== null && code > 128 ? Object.entries(osConstants.signals).find(([, n]) => n === code - 128)?.[0] : undefined;
  return signal !== null ? `exited (${signal})` : caught !== undefined ? `exited (${caught})` : `exited (code ${code ?? '?'})`;
}

/** A live network being run: its processes, its orderer, its control channel. */
/** How long every process gets to start listening (a loaded 2-core machine takes seconds). */
const STARTUP_LIMIT_MS = 120_000;

export class LiveRun {
  readonly reports = new Map<string, Extract<PeerReport, { type: 'status' }>>();
  /**
   * The run's clock starts when every process listens (wall-clock ms): real processes take
   * seconds to start, and a peer that dialled an anchor before it listened would wait
   * reconnectInterval (25s) to try again.
   */
  started = Date.now();
  /** How long the processes took to start, until every one listened (ms). */
  startupMs = 0;
  /** Processes that said hello (listening) before the run started. */
  private readonly ready = new Set<string>();
  private running = false;
  private readonly pidOf = new Map<string, number>();
  private readonly children = new Map<string, ChildProcess>();
  private readonly everyPid = new Set<number>();
  /** Processes the scenario's crash or the run's stop ended: their exit is no news. */
  private readonly killedOnPurpose = new WeakSet<ChildProcess>();
  readonly up = new Set<string>();
  /** Peers whose process ended outside the script, and how: their state from then on (until a scripted restart). */
  readonly exited = new Map<string, PeerExit>();
  /** Every unscripted exit of the run, in order: the run did not go as the scenario said. */
  readonly unscripted: PeerExit[] = [];
  private stopping?: Promise<void>;
  /** Link rules in force; a peer that (re)starts is told. */
  private links: LiveLinkRule[] = [];
  /** Whether peers hold what they receive (stepping); a peer that (re)starts is told. */
  private holding = false;
  /** The partition in force (by trace index), sent to every peer and to each one that (re)starts. */
  private groups: number[][] | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  /** Inspect requests waiting for their peer's answer. */
  private readonly answers = new Map<number, (r: PeerDetailReport) => void>();
  private nextRequest = 1;

  private constructor(
    readonly file: string,
    readonly scenario: Scenario,
    readonly ids: { id: string; mspId: string }[],
    readonly control: ControlServer,
    readonly orderer: OrdererService,
    private readonly addresses: Map<string, string>,
    private readonly opts: LiveRunOptions,
    private readonly credentials: Credentials,
    /** The run's key secret: every key and certificate of this run derives from it. */
    private readonly keys: string,
  ) {}

  static async start(file: string, opts: LiveRunOptions): Promise<LiveRun> {
    const scenario = loadScenarioFile(file);
    const ids = peerIds(scenario);
    const index = new Map(ids.map((p, i) => [p.id, i]));
    let run: LiveRun | undefined;
    const credentials = new Credentials();
    const keys = newSecret();
    const control = await startControlServer(
      credentials,
      (r) => {
        if (run === undefined) return;
        if (r.type === 'status') {
          if (run.up.has(r.id)) run.reports.set(r.id, r);
        } else if (r.type === 'hello') {
          run.pidOf.set(r.id, r.pid);
          // A peer that starts once the run is under way (late joiner, restart) goes at once.
          if (run.running) run.control.send(r.id, { type: 'go' });
          else run.ready.add(r.id);
          if (run.groups !== null) run.control.send(r.id, { type: 'partition', groups: run.groups });
          if (run.holding) run.control.send(r.id, { type: 'hold', on: true });
          if (run.links.length > 0) run.control.send(r.id, { type: 'links', rules: run.links });
        }
        else if (r.type === 'detail') {
          run.answers.get(r.requestId)?.(r);
        }
        else if (opts.onEvents !== undefined) {
          // Onto the run's clock: the peer's time 0 is when its process started.
          const shift = r.startedAt - run.started;
          opts.onEvents(index.get(r.id) ?? -1, r.events.map((e) => ({ ...e, t: e.t + shift })));
        }
      },
      () => {},
      opts.log,
    );
    const orderer = await startOrdererService(scenario, { credentials, keys, log: opts.log });
    const addresses = new Map<string, string>();
    for (const p of ids) addresses.set(p.id, `127.0.0.1:${await freePort()}`);
    run = new LiveRun(file, scenario, ids, control, orderer, addresses, opts, credentials, keys);
    const first = ids.filter((p) => !scenario.lateJoiners.some((l) => l.peer === p.id)).map((p) => p.id);
    const spawnedAt = Date.now();
    for (const id of first) run.startPeer(id);
    try {
      await run.allListening(first, STARTUP_LIMIT_MS);
    } catch (err) {
      await run.stop();
      throw err;
    }
    run.startupMs = Date.now() - spawnedAt;
    run.started = Date.now();
    run.running = true;
    orderer.go();
    for (const id of first) run.control.send(id, { type: 'go' });
    for (const l of scenario.lateJoiners) run.timers.push(setTimeout(() => run!.startPeer(l.peer), l.at));
    for (const f of scenario.faults) {
      const a = f.action;
      run.timers.push(
        setTimeout(() => {
          if (a.kind === 'crash' || a.kind === 'restart' || a.kind === 'pause' || a.kind === 'resume') run!.fault(a.kind, a.peer);
          else if (a.kind === 'partition') run!.partition(a.groups);
          else if (a.kind === 'heal') run!.partition(null);
          else if (a.kind === 'link') run!.link(a.rule.between, a.rule.loss, a.rule.delay, a.until - f.at, a.rule);
          else if (a.kind === 'tamper') run!.tamper(a.rule);
          else if (a.kind === 'byzantine' && a.behaviour !== 'untrusted-ca') run!.byzantine(a.peer, a.behaviour, a.target, a.channel);
          // expire and untrusted-ca are in the certificates every process issues at its start.
        }, f.at),
      );
    }
    return run;
  }

  /** A process fault: crash (SIGKILL), restart (a new process), pause, resume (SIGSTOP/SIGCONT as the peer does it). */
  fault(kind: 'crash' | 'restart' | 'pause' | 'resume', id: string): void {
    this.indexOf(id);
    if (kind === 'crash') {
      this.up.delete(id);
      this.reports.delete(id);
      this.credentials.revoke(id);
      const child = this.children.get(id);
      if (child !== undefined) this.killedOnPurpose.add(child);
      child?.kill('SIGKILL');
    } else if (kind === 'restart') {
      if (!this.up.has(id)) this.startPeer(id);
    } else this.control.send(id, { type: kind });
  }

  /** Splits the network (groups of peer ids or org MSP IDs; the orderer is not cut off), or heals it. */
  partition(groups: string[][] | null): void {
    this.groups =
      groups === null
        ? null
        : groups.map((g) => g.flatMap((name) => this.ids.flatMap((p, i) => (p.id === name || p.mspId === name ? [i] : []))));
    for (const id of this.up) this.control.send(id, { type: 'partition', groups: this.groups });
  }

  /** A link rule for the next `forMs`: between two peers (null: every link), a share of messages lost, a delay, and jitter, duplication and reordering. */
  link(between: [string, string] | null, loss: number, delay: number, forMs: number, more: { jitter?: number; duplicate?: number; reorder?: number } = {}): void {
    const [a, b] = between === null ? [-1, -1] : [this.indexOf(between[0]), this.indexOf(between[1])];
    const now = Date.now();
    this.links = [...this.links.filter((r) => r.until > now), { a, b, loss, delay, jitter: more.jitter ?? 0, duplicate: more.duplicate ?? 0, reorder: more.reorder ?? 0, until: now + forMs }];
    for (const id of this.up) this.control.send(id, { type: 'links', rules: this.links });
  }

  /**
   * Asks a peer process for a message it sent or received (by id) or, without one, for what it
   * knows; null when it is not up or does not answer within a second.
   */
  inspect(id: string, msg?: number): Promise<PeerDetailReport | null> {
    if (!this.up.has(id)) return Promise.resolve(null);
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.answers.delete(requestId);
        resolve(null);
      }, INSPECT_TIMEOUT_MS);
      this.answers.set(requestId, (r) => {
        clearTimeout(timer);
        this.answers.delete(requestId);
        resolve(r);
      });
      this.control.send(id, { type: 'inspect', requestId, msg });
    });
  }

  /** A peer turns Byzantine (every behaviour but untrusted-ca, which needs its certificate from the start). */
  byzantine(id: string, behaviour: ByzantineBehaviour, target: string | null, channel: string | null): void {
    this.indexOf(id);
    if (behaviour === 'untrusted-ca') throw new Error('untrusted-ca is set up when a peer starts: give it in the scenario');
    this.control.send(id, { type: 'byzantine', behaviour, target: target === null ? null : this.indexOf(target), channel });
  }

  /** Tampers with the next `count` messages (of a type, to a peer) that a peer sends, in its transport. */
  tamper(rule: TamperRule): void {
    this.indexOf(rule.from);
    const never = tamperNeverTakes(rule.mode, rule.type);
    if (never !== null) throw new Error(never);
    const to = rule.to === null ? -1 : this.indexOf(rule.to);
    this.control.send(rule.from, { type: 'tamper', rule: { to, type: rule.type, mode: rule.mode, count: rule.count } });
  }

  /** A peer's trace index, or an error naming the peer the scenario does not have. */
  private indexOf(id: string): number {
    const i = this.ids.findIndex((p) => p.id === id);
    if (i < 0) throw new Error(`no peer ${id}`);
    return i;
  }

  /** host:port where a peer listens. */
  addressOf(id: string): string {
    return this.addresses.get(id) ?? '';
  }

  /** Stepping: every peer holds what it receives (on), or lets it all through (off). */
  hold(on: boolean): void {
    this.holding = on;
    for (const id of this.up) this.control.send(id, { type: 'hold', on });
  }

  /**
   * One step: the peer holding the message that arrived first (by its last report) takes it in.
   * False when no peer reported a held message.
   */
  step(): boolean {
    let best: { id: string; at: number } | undefined;
    for (const [id, r] of this.reports) if (r.oldestHeld !== null && (best === undefined || r.oldestHeld < best.at)) best = { id, at: r.oldestHeld };
    if (best === undefined) return false;
    this.control.send(best.id, { type: 'release' });
    // Until its next report, this peer's oldest held message is the one just released.
    const r = this.reports.get(best.id)!;
    this.reports.set(best.id, { ...r, oldestHeld: null });
    return true;
  }

  /** Resolves once every one of `ids` listens; rejects when one exits first or the limit passes. */
  private async allListening(ids: string[], limitMs: number): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (!ids.every((id) => this.ready.has(id))) {
      const gone = ids.find((id) => !this.ready.has(id) && !this.children.has(id));
      if (gone !== undefined) {
        const how = this.exited.get(gone)?.how ?? 'exited';
        throw new LiveRunError(`peer process ${gone} ${how} before it listened: the live run cannot start (its log lines, if any, are above)`);
      }
      if (Date.now() > deadline) throw new LiveRunError(`peer processes did not all listen within ${limitMs / 1000}s: still waiting for ${ids.filter((id) => !this.ready.has(id)).join(', ')}`);
      await wait(20);
    }
  }

  /** Pause or resume every peer. */
  pauseAll(paused: boolean): void {
    for (const id of this.up) this.control.send(id, { type: paused ? 'pause' : 'resume' });
  }

  private startPeer(id: string): void {
    const args = [this.opts.cli, 'peer', '--scenario', this.file, '--id', id, '--listen', this.addresses.get(id)!, '--orderer', this.orderer.url, '--control', this.control.url, '--secrets', 'stdin'];
    for (const [other, addr] of this.addresses) if (other !== id) args.push('--address', `${other}=${addr}`);
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    // A new process, a new credential (a restarted peer's old one no longer opens anything).
    const secrets: PeerSecrets = { credential: this.credentials.issue(id), keys: this.keys };
    child.stdin?.on('error', () => {}); // a process that dies at once closes its stdin first
    child.stdin?.end(JSON.stringify(secrets));
    child.stderr?.on('data', (d: Buffer) => {
      const text = d.toString().trim();
      if (text !== '') this.opts.log(text);
    });
    if (child.pid !== undefined) this.everyPid.add(child.pid);
    this.children.set(id, child);
    this.up.add(id);
    this.exited.delete(id);
    child.on('exit', (code, signal) => {
      if (this.children.get(id) !== child) return;
      this.children.delete(id);
      if (this.killedOnPurpose.has(child) || this.stopping !== undefined) return;
      // Killed from outside or failed: said at once, and the peer is down from now on.
      const exit: PeerExit = { id, how: exitWords(code, signal), atMs: Date.now() - this.started };
      this.up.delete(id);
      this.reports.delete(id);
      this.credentials.revoke(id);
      this.exited.set(id, exit);
      this.unscripted.push(exit);
      const when = this.running ? `at ${(exit.atMs / 1000).toFixed(1)} s of the run` : 'while starting';
      this.opts.log(`${id} ${exit.how} ${when}: not in the scenario; it is down from now on`);
      this.opts.onExit?.(exit);
    });
  }

  summary(): LiveSummary {
    const s = summarise(this.scenario, this.orderer, this.ids, this.up, this.reports, this.pidOf, this.started, [...this.everyPid]);
    return {
      ...s,
      peers: s.peers.map((p) => ({ ...p, exited: this.exited.get(p.id)?.how ?? null })),
      unscripted: this.unscripted.map((e) => `${e.id} ${e.how} at ${(e.atMs / 1000).toFixed(1)} s`),
      startupMs: this.startupMs,
    };
  }

  /** Stops every process (asked first, then killed), the orderer and the control channel. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const t of this.timers) clearTimeout(t);
      for (const id of this.children.keys()) this.control.send(id, { type: 'stop' });
      const deadline = Date.now() + 3000;
      while (this.children.size > 0 && Date.now() < deadline) await wait(50);
      for (const c of this.children.values()) {
        this.killedOnPurpose.add(c);
        c.kill('SIGKILL');
      }
      while (this.children.size > 0) await wait(20);
      await this.control.close();
      await this.orderer.close();
    })();
    return this.stopping;
  }
}

export async function runLive(file: string, opts: { until?: number; cli: string; log: (s: string) => void }): Promise<LiveSummary> {
  const run = await LiveRun.start(file, opts);
  const onSignal = () => void run.stop().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await wait(opts.until ?? run.scenario.run.until);
    // The latest reports (every 100 ms) are the state at the end.
    await wait(300);
    return run.summary();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await run.stop();
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
): Omit<LiveSummary, 'startupMs' | 'unscripted' | 'peers'> & { peers: Omit<LiveSummary['peers'][number], 'exited'>[] } {
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
