/**
 * The `gossip` debug type in VS Code: F5 on a scenario file starts a debug session whose adapter
 * (engine/debug, run inline) drives its own network; the graph panel follows the session, and
 * the panel's clicks (inspect, faults, run/step) go to it.
 */
import * as vscode from 'vscode';
import { GossipDebugSession, PANEL_EVENT } from '../engine/debug/adapter.js';
import type { AttachedSource, NetworkController } from './network-controller.js';
import type { NetworkPanel } from './panel.js';
import { chooseScenario, pickScenario } from './pickers.js';
import { looksLikeScenario } from './scenario-diagnostics.js';
import type { FromWebview, MessageDetail, PeerDetail, UiEvent, UiNetwork, UiPeerState, UiStatus, UiStep } from './protocol.js';

export const DEBUG_TYPE = 'gossip';

type PanelEvent =
  | { kind: 'open'; network: UiNetwork; status: UiStatus; states: UiPeerState[] }
  | { kind: 'frame'; status: UiStatus; events: UiEvent[]; states: UiPeerState[]; skipped: number; step?: UiStep; select?: { msg?: number; peer?: number } };

export function launchConfiguration(scenario: string): vscode.DebugConfiguration {
  return { type: DEBUG_TYPE, request: 'launch', name: 'Debug gossip scenario', scenario, stopOnEntry: true };
}

function isScenario(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return doc !== undefined && doc.languageId === 'yaml' && looksLikeScenario(doc.getText());
}

const configurationProvider: vscode.DebugConfigurationProvider = {
  provideDebugConfigurations: () => [launchConfiguration('${file}')],
  resolveDebugConfiguration(_folder, config) {
    // F5 without a launch.json: debug the scenario in the editor.
    if (!config.type && !config.request && !config.name) {
      const doc = vscode.window.activeTextEditor?.document;
      if (!isScenario(doc)) {
        void vscode.window.showInformationMessage('Gossip Scope: open a scenario file (YAML with orgs and channels) to debug it.');
        return undefined;
      }
      return launchConfiguration(doc.uri.fsPath);
    }
    if (typeof config.scenario !== 'string' || config.scenario === '') {
      void vscode.window.showErrorMessage('Gossip Scope: the launch configuration needs "scenario", the path of a scenario file.');
      return undefined;
    }
    return config;
  },
};

export function registerDebugger(context: vscode.ExtensionContext, controller: NetworkController, panel: NetworkPanel): vscode.Disposable[] {
  const feeds = new Map<string, AttachedSource>();

  const feedOf = (session: vscode.DebugSession): AttachedSource => {
    let feed = feeds.get(session.id);
    if (feed === undefined) {
      feed = controller.attachSource(
        (m) => void forward(session, feed!, m),
        async (limit) => ((await session.customRequest('gossipScope.history', { limit })) as { events: UiEvent[] }).events,
      );
      feeds.set(session.id, feed);
      void showSide(session, panel);
    }
    return feed;
  };

  return [
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new GossipDebugSession()),
    }),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, configurationProvider),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== DEBUG_TYPE || e.event !== PANEL_EVENT) return;
      const body = e.body as PanelEvent;
      const feed = feedOf(e.session);
      if (body.kind === 'open') return feed.receive({ type: 'opened', network: body.network, status: body.status, states: body.states });
      feed.receive({ type: 'frame', status: body.status, events: body.events, states: body.states, skipped: body.skipped, ...(body.step ? { step: body.step } : {}) });
      if (body.select?.msg !== undefined) feed.receive({ type: 'select', what: 'message', msg: body.select.msg });
      else if (body.select?.peer !== undefined) feed.receive({ type: 'select', what: 'peer', idx: body.select.peer });
    }),
    // Choosing a frame in the Call Stack (an event, or one of its causes) shows it in the graph.
    vscode.debug.onDidChangeActiveStackItem(async (item) => {
      if (!(item instanceof vscode.DebugStackFrame) || item.session.type !== DEBUG_TYPE) return;
      const feed = feeds.get(item.session.id);
      const ev = (await item.session.customRequest('gossipScope.eventOf', { frameId: item.frameId }).then(undefined, () => null)) as { msg: number | null; peer: number } | null;
      if (feed === undefined || ev === null) return;
      if (ev.msg !== null) feed.receive({ type: 'select', what: 'message', msg: ev.msg });
      else if (ev.peer >= 0) feed.receive({ type: 'select', what: 'peer', idx: ev.peer });
    }),
    vscode.debug.onDidTerminateDebugSession((session) => {
      feeds.get(session.id)?.dispose();
      feeds.delete(session.id);
    }),
    vscode.commands.registerCommand('gossipScope.debugScenario', async (arg?: vscode.Uri | string) => {
      const editor = vscode.window.activeTextEditor?.document;
      const target = await chooseScenario(context.extensionUri, arg, async () => (isScenario(editor) ? editor.uri : pickScenario(context.extensionUri)));
      if (target === undefined) return false;
      return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(target), launchConfiguration(target.fsPath));
    }),
  ];
}

/**
 * The scenario on the left and the graph on the right: each stop reveals the scenario at the
 * stopped peer's org (its stack frames point there), and the graph stays in view beside it.
 */
async function showSide(session: vscode.DebugSession, panel: NetworkPanel): Promise<void> {
  const scenario = session.configuration.scenario as string;
  try {
    await vscode.window.showTextDocument(vscode.Uri.file(scenario), { viewColumn: vscode.ViewColumn.One, preserveFocus: true, preview: false });
  } catch {
    // The adapter reports a scenario that cannot be read; the graph still opens.
  }
  // Its own group, even when it was open already as a tab beside the scenario's.
  panel.show(vscode.ViewColumn.Two);
}

/** The panel's requests, answered by the debug session instead of the engine worker. */
async function forward(session: vscode.DebugSession, feed: AttachedSource, m: Exclude<FromWebview, { type: 'ready' }>): Promise<void> {
  try {
    switch (m.type) {
      case 'inspectMessage': {
        const detail = (await session.customRequest('gossipScope.inspectMessage', { msg: m.msg })) as MessageDetail | null;
        return feed.receive({ type: 'messageDetail', msg: m.msg, detail });
      }
      case 'inspectPeer': {
        const detail = (await session.customRequest('gossipScope.inspectPeer', { idx: m.idx })) as PeerDetail | null;
        return feed.receive({ type: 'peerDetail', idx: m.idx, detail });
      }
      case 'fault':
        await session.customRequest('gossipScope.fault', { fault: m.fault });
        return;
      case 'control': {
        const command = { run: 'workbench.action.debug.continue', pause: 'workbench.action.debug.pause', step: 'workbench.action.debug.stepOver', stepBack: 'workbench.action.debug.stepBack', reset: 'workbench.action.debug.restart' }[m.action];
        await vscode.commands.executeCommand(command);
        return;
      }
      case 'speed':
        return; // a debug session runs flat out between stops
    }
  } catch (err) {
    feed.receive({ type: 'error', message: (err as Error).message });
  }
}
