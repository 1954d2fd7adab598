/**
 * A live network as the engine worker runs it: every peer its own process (engine/live), their
 * trace events merged onto one clock and posted to the panel in frames, as a simulated network's
 * are. Pause and resume stop and restart every process's protocol; crash, restart, pause and
 * resume faults act on single processes. The inspector asks the processes themselves. An
 * exported live trace can be read but not replayed: real processes do not run the same way twice.
 */
import { linesHash } from '../engine/trace/read-trace.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveRun } from '../engine/live/launcher.js';
import { LiveClock } from './live-clock.js';
import { peerIds } from '../engine/live/peer.js';
import { loadScenario, ScenarioError } from '../engine/scenario/load.js';
import type { Scenario } from '../engine/scenario/types.js';
import { TRACE_VERSION, type TraceEvent } from '../engine/trace/events.js';
import { isShiVizPath, toShiViz } from '../engine/trace/shiviz.js';
import { verdictsOf } from '../engine/ui/inspect.js';
import { FigureBuilder } from '../engine/figures/figures.js';
import type { FaultRequest, MessageDetail, PeerDetail, RunState, UiEvent, UiNetwork, UiPeerState, UiStatus } from './protocol.js';
import type { FromWorker, OpenRequest, ToWorker } from './worker-protocol.js';

const FRAME_MS = 100;
/**
 * Peers report every 100 ms, each on its own: a delivery can reach us before the send it
 * answers, from another peer's later report. Events wait this long so frames are in time order.
 */
const REORDER_MS = 300;
/** Events kept for a panel that starts over (history) and counted when a frame is too big. */
const KEEP = 20_000;
const MAX_FRAME_EVENTS = 4096;

export class LiveSession {
  private run?: LiveRun;
  private scenario?: Scenario;
  /** What was opened, to open again on Reset. */
  private source?: OpenRequest;
  private network?: UiNetwork;
  private state: RunState = 'running';
  /** Peers hold what they receive; each Step lets one message in. */
  private stepping = false;
  /** Step to a message type: the type to pause at once a peer reports sending one (after `after`, run clock). */
  private stopAtSend?: { type: string; after: number };
  private pending: TraceEvent[] = [];
  private kept: UiEvent[] = [];
  private nextId = 1;
  private count = 0;
  private timer?: NodeJS.Timeout;
  private untilTimer?: NodeJS.Timeout;
  private dir?: string;
  /** Stops while the network is paused; at the scenario's `until` the run pauses for good. */
  private clock = new LiveClock(() => 0);

  constructor(
    private readonly post: (m: FromWorker) => void,
    /** The CLI the peer processes run (dist/cli.js beside the worker). */
    private readonly cli: string,
  ) {}

  get active(): boolean {
    return this.run !== undefined;
  }

  async open(req: OpenRequest): Promise<void> {
    let scenario: Scenario;
    try {
      scenario = loadScenario(req.text, req.file);
    } catch (err) {
      this.post({ type: 'openFailed', openId: req.openId, message: (err as Error).message, diagnostics: err instanceof ScenarioError ? err.diagnostics : [] });
      return;
    }
    await this.dispose();
    this.source = { ...req, openId: undefined };
    // The peer processes read the scenario from a file: the editor's text, saved or not.
    this.dir = mkdtempSync(join(tmpdir(), 'gossip-scope-live-'));
    const file = join(this.dir, 'scenario.yaml');
    writeFileSync(file, req.text);
    this.scenario = scenario;
    this.run = await LiveRun.start(file, { cli: this.cli, log: (line) => this.post({ type: 'log', line }), onEvents: (_peer, events) => this.take(events),
      onExit: (e) => {
        this.post({ type: 'peerExited', message: `${e.id} ${e.how} at ${(e.atMs / 1000).toFixed(1)} s: its process ended outside the scenario, so it is down from now on (a scripted restart brings it back)` });
        this.flush();
      },
    });
    this.network = networkOf(scenario, this.run);
    const run = this.run;
    this.clock = new LiveClock(() => Date.now() - run.started);
    this.state = 'running';
    this.stepping = false;
    this.stopAtSend = undefined;
    this.nextId = 1;
    this.timer = setInterval(() => this.flush(), FRAME_MS);
    this.post({ type: 'opened', openId: req.openId, network: this.network, status: this.status(), states: this.states() });
  }

  async handle(m: Exclude<ToWorker, OpenRequest>): Promise<void> {
    const run = this.run!;
    switch (m.type) {
      case 'control':
        this.stopAtSend = undefined;
        // Past `until` the run is over, as a simulated one is: Reset starts it again.
        if (this.state === 'finished' && m.action !== 'reset') return this.flush();
        if (m.action === 'run' || m.action === 'pause') {
          if (m.action === 'run') run.hold(false);
          this.pauseAll(m.action === 'pause');
          this.stepping = false;
          this.state = m.action === 'pause' ? 'paused' : 'running';
          return this.flush();
        }
        // Reset: every process stops and the scenario starts again from the beginning.
        if (m.action === 'reset') return this.open(this.source!);
        if (m.action === 'stepBack') return this.post({ type: 'error', message: 'A live network cannot step back: its peers are real processes, and what they did is done. Simulated runs and debug sessions can.' });
        // Step: every peer holds what it receives; each step lets the oldest held message in.
        // (Timers keep running: this is a live network.)
        if (!this.stepping) {
          run.hold(true);
          this.pauseAll(false);
          this.stepping = true;
          this.state = 'paused';
          return this.flush();
        }
        if (!run.step()) this.post({ type: 'error', message: 'Nothing to step yet: no peer holds a message (the next reports come within 100 ms).' });
        return;
      case 'stepTo':
        if (this.state === 'finished') return this.flush();
        // Run until a peer reports sending one; then every process pauses (within a report, ~100 ms).
        run.hold(false);
        this.pauseAll(false);
        this.stepping = false;
        this.stopAtSend = { type: m.messageType, after: Date.now() - run.started };
        this.state = 'running';
        return this.flush();
      case 'speed':
        return; // real time is the only speed
      case 'fault':
        return this.fault(run, m.fault);
      // The processes answer within a second; other commands do not wait for them.
      case 'inspectPeer':
        return void this.describePeer(run, m.idx).then((detail) => this.post({ type: 'peerDetail', idx: m.idx, detail }));
      case 'inspectMessage':
        return void this.describeMessage(run, m.msg).then((detail) => this.post({ type: 'messageDetail', msg: m.msg, detail }));
      case 'metrics':
        return this.post({ type: 'metrics', requestId: m.requestId, summary: { ...run.summary(), traceHash: '(live run: not reproducible)' } });
      case 'history':
        return this.post({ type: 'history', requestId: m.requestId, events: this.kept.slice(-m.limit) });
      case 'figures':
        return this.post({ type: 'figures', figures: this.liveFigures() });
      case 'addInvariantQuery':
        // Invariants are judged against one network's whole state at every event: a live
        // network's state lives in many processes and is only reported now and then.
        return this.post({ type: 'invariantRefused', requestId: m.requestId, inQuery: false, problem: 'a live network has no invariants: its peers report their state now and then, not at every event' });
      case 'exportTrace':
        try {
          const events = await this.exportTrace(m.path);
          return this.post({ type: 'exported', requestId: m.requestId, path: m.path, events, lost: this.count - events });
        } catch (err) {
          return this.post({ type: 'requestFailed', requestId: m.requestId, message: `cannot write ${m.path}: ${(err as Error).message}` });
        }
    }
  }

  /** Live figures come from the merged events still kept (no message sizes: bytes are unknown). */
  private liveFigures() {
    const net = this.network;
    if (net === undefined) return null;
    const members = new Map(net.channels.map((c) => [c.name, net.peers.filter((p) => c.orgs.includes(p.mspId)).map((p) => p.idx)]));
    const b = new FigureBuilder({ scenario: net.scenario.name, seed: net.scenario.seed, peers: net.peers.map((p) => p.id), channelMembers: members });
    for (const e of this.kept) b.add(e);
    return b.figures(this.status().simTime);
  }

  async dispose(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.untilTimer);
    this.timer = undefined;
    const run = this.run;
    this.run = undefined;
    await run?.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.pending = [];
    this.kept = [];
    this.count = 0;
  }

  private fault(run: LiveRun, f: FaultRequest): void {
    if (f.kind === 'partition') return run.partition(f.groups);
    if (f.kind === 'heal') return run.partition(null);
    if (f.kind === 'link') {
      try {
        return run.link(f.between, f.loss, f.delay, f.forMs);
      } catch (err) {
        return this.post({ type: 'error', message: `cannot change the link: ${(err as Error).message}` });
      }
    }
    if (f.kind === 'tamper' || f.kind === 'byzantine') {
      try {
        return f.kind === 'tamper' ? run.tamper(f.rule) : run.byzantine(f.peer, f.behaviour, f.target, f.channel);
      } catch (err) {
        return this.post({ type: 'error', message: `cannot ${f.kind === 'tamper' ? 'tamper' : 'turn Byzantine'}: ${(err as Error).message}` });
      }
    }
    // Live peers run on real clocks: there is no scheduler's place to take.
    if (f.kind === 'hand') return this.post({ type: 'error', message: 'deliver by hand works in a simulated network only: a live network runs on real clocks' });
    try {
      run.fault(f.kind, f.peer);
    } catch (err) {
      this.post({ type: 'error', message: `cannot ${f.kind}: ${(err as Error).message}` });
    }
  }

  /**
   * JSON Lines as the simulator's export writes them: a header (marked live, with the scenario,
   * but no trace hash: real processes on real time do not run the same way twice), then the
   * merged events still kept, on the run's clock.
   */
  private async exportTrace(path: string): Promise<number> {
    const run = this.run!;
    if (isShiVizPath(path)) {
      await writeFile(path, toShiViz(this.kept, run.ids.map((p) => p.id)));
      return this.kept.length;
    }
    const events = this.kept.map((e) => JSON.stringify(e));
    const header = {
      traceVersion: TRACE_VERSION,
      scenario: this.scenario!.name,
      seed: this.scenario!.seed,
      peers: run.ids.map((p) => p.id),
      live: true,
      file: this.source!.file,
      scenarioText: this.source!.text,
      simTime: this.clock.now(),
      events: this.count,
      traceHash: null,
      // Not reproducible, but checkable: a line edited after the export is refused by every reader.
      linesHash: linesHash(events),
    };
    const lines = [JSON.stringify(header), ...events];
    await writeFile(path, lines.join('\n') + '\n');
    return this.kept.length;
  }

  /** A peer's report of new events: kept for the next frame; a send stepped to pauses the network. */
  private take(events: TraceEvent[]): void {
    this.pending.push(...events);
    const stop = this.stopAtSend;
    if (stop !== undefined && this.run !== undefined && events.some((e) => e.kind === 'send' && e.type === stop.type && e.t > stop.after)) {
      this.stopAtSend = undefined;
      this.pauseAll(true);
      this.state = 'paused';
    }
  }

  /** Every process paused (the clock stops with them) or running again. */
  private pauseAll(paused: boolean): void {
    this.run!.pauseAll(paused);
    if (paused) this.clock.pause();
    else this.clock.resume();
  }

  /** At `until` every process pauses and the run is finished; a frame ahead, a timer meets it exactly. */
  private checkUntil(): void {
    if (this.state === 'finished' || this.clock.paused) return;
    const left = this.scenario!.run.until - this.clock.now();
    if (left <= 0) {
      this.run!.pauseAll(true);
      this.clock.pause(this.scenario!.run.until);
      this.stepping = false;
      this.stopAtSend = undefined;
      this.state = 'finished';
    } else if (left < FRAME_MS && this.untilTimer === undefined) {
      this.untilTimer = setTimeout(() => {
        this.untilTimer = undefined;
        this.checkUntil();
      }, left);
    }
  }

  /** Every peer's events since the last frame, in time order, numbered on one counter. */
  private flush(): void {
    if (this.run === undefined) return;
    this.checkUntil();
    const cutoff = Date.now() - this.run.started - REORDER_MS;
    const sorted = this.pending.sort((a, b) => a.t - b.t);
    let split = 0;
    while (split < sorted.length && sorted[split].t <= cutoff) split++;
    const batch = sorted.slice(0, split);
    this.pending = sorted.slice(split);
    // Causal parents are ids inside one process: they do not survive the merge.
    const events: UiEvent[] = batch.map((e) => ({ ...e, t: this.clock.at(e.t), id: this.nextId++, parent: undefined }) as UiEvent);
    this.count += events.length;
    this.kept.push(...events);
    if (this.kept.length > KEEP * 1.25) this.kept.splice(0, this.kept.length - KEEP);
    const shown = events.length > MAX_FRAME_EVENTS ? events.slice(-MAX_FRAME_EVENTS) : events;
    this.post({ type: 'frame', status: this.status(), events: shown, states: this.states(), skipped: events.length - shown.length });
  }

  private status(): UiStatus {
    return { simTime: this.clock.now(), events: this.count, state: this.state, speed: 1, until: this.scenario!.run.until };
  }

  private states(): UiPeerState[] {
    const run = this.run!;
    const tops = new Map([...run.orderer.orderer.chains].map(([ch, chain]) => [ch, chain.length]));
    return run.ids.map((p, idx) => {
      const r = run.reports.get(p.id);
      const running = run.up.has(p.id);
      const height = r?.height ?? {};
      return {
        idx,
        running,
        height,
        leader: r?.leader ?? {},
        alive: r?.membership.length ?? 0,
        dead: r?.dead.length ?? 0,
        behind: Object.entries(height).some(([ch, h]) => h < (tops.get(ch) ?? 0)),
        exited: run.exited.get(p.id)?.how,
      };
    });
  }

  /**
   * A message's bytes and signature stay in the processes that sent and received it (its id is
   * a hash of its bytes, the same in each): the sender is asked first, then a receiver. The
   * verdicts are every receiver's, from the merged trace.
   */
  private async describeMessage(run: LiveRun, msg: number): Promise<MessageDetail | null> {
    const seen = this.kept.filter((e) => e.msg === msg);
    const holders = [...new Set([...seen.filter((e) => e.kind === 'send'), ...seen].map((e) => e.peer))].filter((i) => i >= 0);
    for (const idx of holders.slice(0, 3)) {
      const answer = await run.inspect(run.ids[idx].id, msg);
      if (answer?.message) return { ...answer.message, verdicts: verdictsOf(seen, msg) };
    }
    return null;
  }

  /** What a peer process knows, asked of it; from its last report when it is down or silent. */
  private async describePeer(run: LiveRun, idx: number): Promise<PeerDetail | null> {
    const p = run.ids[idx];
    if (p === undefined) return null;
    return (await run.inspect(p.id))?.peer ?? this.peerDetail(idx);
  }

  private peerDetail(idx: number): PeerDetail | null {
    const run = this.run!;
    const p = run.ids[idx];
    if (p === undefined) return null;
    const r = run.reports.get(p.id);
    return {
      idx,
      id: p.id,
      running: run.up.has(p.id),
      pkiId: '',
      membership: { alive: (r?.membership ?? []).map((id) => ({ id, lastSeen: 0 })), dead: (r?.dead ?? []).map((id) => ({ id, lastSeen: 0 })) },
      channels: Object.entries(r?.height ?? {}).map(([name, height]) => ({ name, height, leader: r?.leader[name] ?? false, stateInfo: [], worldState: [] })),
    };
  }
}

function networkOf(s: Scenario, run: LiveRun): UiNetwork {
  const ids = peerIds(s);
  return {
    scenario: { name: `${s.name} (live)`, file: s.file, description: s.description, seed: s.seed, profile: s.profile },
    orgs: s.orgs.map((o) => ({ mspId: o.mspId, name: o.name })),
    channels: s.channels.map((c) => ({ name: c.name, orgs: [...c.orgs] })),
    peers: ids.map((p, idx) => {
      const org = s.orgs.find((o) => o.mspId === p.mspId)!;
      const address = run.addressOf(p.id);
      return { idx, id: p.id, mspId: p.mspId, org: org.name, endpoint: org.externalEndpoints.includes(p.name) ? address : '', internalEndpoint: address, channels: s.channels.filter((c) => c.orgs.includes(p.mspId)).map((c) => c.name) };
    }),
  };
}
