/**
 * The open network, as the rest of the extension sees it: opens a scenario in the engine worker,
 * forwards commands to it, and announces what comes back (opened, frames, details) to the panel,
 * the tree and the status bar. One network at a time; the worker lives as long as the extension.
 */
import * as vscode from 'vscode';
import { readSavedTrace } from './saved-trace.js';
import { EngineClient, type NetworkSnapshot } from './engine-client.js';
import type { FaultRequest, FromWebview, ToWebview, UiEvent } from './protocol.js';
import type { ScenarioDiagnostics } from './scenario-diagnostics.js';
import { readSettings } from './settings.js';
import type { FromWorker } from './worker-protocol.js';

interface SourceState {
  snapshot?: NetworkSnapshot;
  send: (m: Exclude<FromWebview, { type: 'ready' }>) => void;
  history?: (limit: number) => Promise<UiEvent[]>;
  /** A source with its own trace (a network read from logs) exports it itself. */
  exportTrace?: (path: string) => Promise<{ events: number; lost: number }>;
}

const LAST_SCENARIO_KEY = 'gossipScope.lastScenario';

type Frame = Extract<FromWorker, { type: 'frame' }>;

/** Another source of the network the panel shows (a gossip debug session): see attachSource. */
export interface AttachedSource {
  /** A message from the source, in the worker's shapes. */
  receive(m: FromWorker | Extract<ToWebview, { type: 'select' }>): void;
  dispose(): void;
}

/** Events a webview gets back when it starts over (shown again, or the window reloaded). */
export const HISTORY_EVENTS = 20_000;

export class NetworkController implements vscode.Disposable {
  private client?: EngineClient;
  /** While a debug session drives the network: what it last showed, and where requests go. */
  private source?: SourceState;
  private opened?: vscode.Uri;
  /** Whether the network open is a live one (peer processes on real sockets). */
  private live = false;
  private readonly openedEmitter = new vscode.EventEmitter<NetworkSnapshot>();
  private readonly frameEmitter = new vscode.EventEmitter<Frame>();
  private readonly webviewEmitter = new vscode.EventEmitter<ToWebview>();
  private readonly closedEmitter = new vscode.EventEmitter<void>();
  /** Nothing is shown any more (a debug session ended and no network of our own is open). */
  readonly onDidClose = this.closedEmitter.event;
  /** A network was opened (or reset): everything is new. */
  readonly onDidOpen = this.openedEmitter.event;
  /** A batch of events with the latest status and peer states. */
  readonly onDidFrame = this.frameEmitter.event;
  /** Every worker message the webview should see. */
  readonly onWebviewMessage = this.webviewEmitter.event;

  /** What a live run refused or dropped (a forged report, a second connection), with the reason. */
  private readonly output: vscode.OutputChannel;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly diagnostics: ScenarioDiagnostics,
  ) {
    this.output = vscode.window.createOutputChannel('Gossip Scope');
    context.subscriptions.push(this.output);
  }

  get snapshot(): NetworkSnapshot | undefined {
    return this.source ? this.source.snapshot : this.client?.snapshot;
  }

  /**
   * Hands the panel, the Peers view and the status bar to another source until disposed: a
   * gossip debug session, whose adapter runs its own network. Webview requests go to `send`.
   */
  attachSource(send: SourceState['send'], history?: SourceState['history'], exportTrace?: SourceState['exportTrace']): AttachedSource {
    const source: SourceState = { send, history, exportTrace };
    this.source = source;
    return {
      receive: (m) => {
        if (this.source !== source) return;
        if (m.type === 'opened') source.snapshot = { network: m.network, status: m.status, states: m.states };
        else if (m.type === 'frame' && source.snapshot) source.snapshot = { ...source.snapshot, status: m.status, states: m.states };
        if (m.type === 'select') return this.webviewEmitter.fire(m);
        this.receive(m);
      },
      dispose: () => {
        if (this.source !== source) return;
        this.source = undefined;
        // The debug session's network is gone: show our own again, or nothing (no stale status).
        const own = this.client?.alive ? this.client.snapshot : undefined;
        if (own) this.openedEmitter.fire(own);
        else {
          void vscode.commands.executeCommand('setContext', 'gossipScope.networkOpen', false);
          this.closedEmitter.fire();
        }
      },
    };
  }

  /** The scenario file of the open network, or of the last one (for reopening after a reload). */
  get scenarioUri(): vscode.Uri | undefined {
    if (this.opened) return this.opened;
    const saved = this.context.workspaceState.get<string>(LAST_SCENARIO_KEY);
    return saved ? vscode.Uri.parse(saved) : undefined;
  }

  /** Opens a scenario file (the editor's text if it is open there); false when it does not load. */
  async open(uri: vscode.Uri, live = false): Promise<boolean> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const settings = readSettings();
    this.source = undefined; // a network opened by hand takes the panel back from a debug session
    const client = this.engine();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Gossip Scope: opening ${vscode.workspace.asRelativePath(uri)}${live ? ' in live mode' : ''}` },
      () => client.open({ file: uri.fsPath, text: doc.getText(), speed: settings.defaultSpeed, maxTraceEvents: settings.maxTraceEvents, live }),
    );
    if (result.type === 'openFailed') {
      this.diagnostics.report(uri, result.diagnostics);
      const first = result.diagnostics[0];
      const where = first ? `${vscode.workspace.asRelativePath(uri)}:${first.line}:${first.col}: ${first.message}` : result.message;
      void vscode.window.showErrorMessage(`Gossip Scope cannot open this scenario. ${where}`, 'Show Problems').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
      return false;
    }
    this.diagnostics.check(doc); // clears the errors, keeps any warnings
    this.opened = uri;
    this.live = live;
    await this.context.workspaceState.update(LAST_SCENARIO_KEY, uri.toString());
    await vscode.commands.executeCommand('setContext', 'gossipScope.networkOpen', true);
    // The walkthrough ticks a lesson off when its sample has been opened.
    await vscode.commands.executeCommand('setContext', 'gossipScope.openedScenario', uri.path.split('/').pop()!.replace(/\.ya?ml$/, ''));
    return true;
  }

  /**
   * Opens a saved trace for replay: the run is recomputed from its scenario and seed (the engine
   * is deterministic), with the UI faults it recorded, and checked against its trace hash.
   */
  async openTrace(uri: vscode.Uri): Promise<boolean> {
    const saved = await readSavedTrace(uri.fsPath);
    if (typeof saved === 'string') {
      void vscode.window.showErrorMessage(`Gossip Scope cannot replay this trace. ${saved}`);
      return false;
    }
    const settings = readSettings();
    const result = await this.engine().open({ file: saved.file, text: saved.scenarioText, speed: settings.defaultSpeed, maxTraceEvents: settings.maxTraceEvents, replay: saved.replay });
    if (result.type === 'openFailed') {
      void vscode.window.showErrorMessage(`Gossip Scope cannot replay this trace: ${result.message}`);
      return false;
    }
    this.opened = uri;
    this.live = false;
    await vscode.commands.executeCommand('setContext', 'gossipScope.networkOpen', true);
    void vscode.window.showInformationMessage(`Gossip Scope: replaying ${vscode.workspace.asRelativePath(uri)} (${saved.replay.events.toLocaleString('en-US')} events to ${saved.replay.until / 1000}s). Run it, step it, inspect it; at its end the trace hash is checked.`);
    return true;
  }

  /** The most recent events (already sent in frames), for a webview that starts over. */
  async history(limit = HISTORY_EVENTS): Promise<UiEvent[]> {
    try {
      if (this.source) return (await this.source.history?.(limit)) ?? [];
      if (!this.client?.alive || !this.client.snapshot) return [];
      return (await this.client.request({ type: 'history', limit })).events;
    } catch {
      return []; // the panel still opens, with the network as it is now
    }
  }

  /**
   * Adds a query invariant to the simulated run (Add Invariant…): checked at every event from
   * now on, and again after a reset. Whether it holds now, or why it cannot be added
   * (`inQuery`: the query is wrong, and mending it helps; otherwise the network will not take it).
   */
  async addInvariant(name: string, holds: string): Promise<{ holdsNow: boolean } | { problem: string; inQuery: boolean }> {
    if (this.source) return { problem: 'the panel shows a debug session: put the invariant in the scenario (invariants:), and the debugger stops where it breaks', inQuery: false };
    if (!this.client?.alive || !this.client.snapshot) return { problem: 'no network is open', inQuery: false };
    try {
      const answer = await this.client.request({ type: 'addInvariantQuery', name, holds });
      return answer.type === 'invariantAdded' ? { holdsNow: answer.holdsNow } : { problem: answer.problem, inQuery: answer.inQuery };
    } catch (err) {
      return { problem: (err as Error).message, inQuery: false };
    }
  }

  /** Commands and webview requests that the worker handles as they are. */
  send(m: Exclude<FromWebview, { type: 'ready' | 'addInvariant' }>): void {
    // Frames shown are the engine worker's pacing; other sources do not number their frames.
    if (m.type === 'frameShown') return this.client?.send(m);
    if (this.source) return this.source.send(m);
    this.client?.send(m);
  }

  control(action: 'run' | 'pause' | 'step' | 'stepBack' | 'reset'): void {
    if (action === 'pause') this.webviewEmitter.fire({ type: 'pausing' });
    this.send({ type: 'control', action });
  }

  /** Run if paused, pause if running. */
  toggleRun(): void {
    this.control(this.snapshot?.status.state === 'running' ? 'pause' : 'run');
  }

  setSpeed(speed: number): void {
    this.send({ type: 'speed', speed });
  }

  stepTo(messageType: string): void {
    this.client?.send({ type: 'stepTo', messageType });
  }

  fault(fault: FaultRequest): void {
    this.send({ type: 'fault', fault });
  }

  async exportTrace(path: string): Promise<{ events: number; lost: number }> {
    if (this.source?.exportTrace) return this.source.exportTrace(path);
    return this.engine().request({ type: 'exportTrace', path });
  }

  async metrics() {
    return (await this.engine().request({ type: 'metrics' })).summary;
  }

  /** Whether a live network (peer processes) is open and shown (not a debug session's). */
  get liveOpen(): boolean {
    return this.live && !this.source && (this.client?.alive ?? false) && this.client?.snapshot !== undefined;
  }

  /**
   * Closes the network: a live one's peers are stopped (their processes end), the worker with
   * them, and the status bar and Peers view say nothing is open.
   */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.live = false;
    if (client?.alive) {
      await client.request({ type: 'close' }).catch(() => undefined);
      await client.dispose();
    }
    if (this.source) return;
    await vscode.commands.executeCommand('setContext', 'gossipScope.networkOpen', false);
    this.closedEmitter.fire();
  }

  dispose(): void {
    void this.client?.dispose();
    this.openedEmitter.dispose();
    this.frameEmitter.dispose();
    this.webviewEmitter.dispose();
    this.closedEmitter.dispose();
  }

  private engine(): EngineClient {
    if (this.client?.alive) return this.client;
    const client = new EngineClient(this.context.asAbsolutePath('dist/engine-worker.js'));
    client.onMessage((m) => {
      if (!this.source) this.receive(m);
    });
    this.client = client;
    return client;
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'opened':
        this.openedEmitter.fire(this.snapshot!);
        return;
      case 'frame':
        this.frameEmitter.fire(m);
        this.webviewEmitter.fire(m);
        return;
      case 'messageDetail':
      case 'peerDetail':
      case 'figures':
        this.webviewEmitter.fire(m);
        return;
      case 'error':
        this.webviewEmitter.fire(m);
        void vscode.window.showErrorMessage(`Gossip Scope: ${m.message}`);
        return;
      case 'log':
        this.output.appendLine(m.line);
        return;
      case 'peerExited':
        this.output.appendLine(m.message);
        void vscode.window.showWarningMessage(`Gossip Scope: ${m.message}`);
        return;
      case 'invariantBroken': {
        const v = m.violation;
        void vscode.window.showWarningMessage(`Gossip Scope: invariant broken at ${(v.t / 1000).toFixed(3)}s (event ${v.eventId}): ${v.invariant}: ${v.detail}. The run stopped there.`);
        return;
      }
      case 'replayChecked':
        if (m.ok) void vscode.window.showInformationMessage(`Gossip Scope: ${m.message}`);
        else void vscode.window.showWarningMessage(`Gossip Scope: ${m.message}`);
        return;
    }
  }
}
