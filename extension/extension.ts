/**
 * Gossip Scope's extension entry point: wires the engine worker's controller to the network
 * panel, the Peers view, the status bar, scenario diagnostics and the commands.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands.js';
import { registerDebugger } from './debugger.js';
import { trackActiveScenario } from './scenario-context.js';
import type { NetworkSnapshot } from './engine-client.js';
import { NetworkController } from './network-controller.js';
import { NETWORK_VIEW_TYPE, NetworkPanel } from './panel.js';
import { ScenarioDiagnostics } from './scenario-diagnostics.js';
import { FabricDoctor } from './fabric-doctor.js';
import { StatusBar } from './status-bar.js';
import { PeersTree } from './tree.js';
import { PendingView } from './pending-view.js';

/** What the extension offers other extensions (and its extension-host tests): the open network. */
export interface GossipScopeApi {
  snapshot(): NetworkSnapshot | undefined;
  /** The Pending Events view's lines ("#12 peer0.org1: AliveMessage peer1.org1 → peer0.org1 (message 45)"). */
  pending(): string[];
}

export function activate(context: vscode.ExtensionContext): GossipScopeApi {
  const diagnostics = new ScenarioDiagnostics();
  const controller = new NetworkController(context, diagnostics);
  const panel = new NetworkPanel(context.extensionUri, controller);
  const tree = new PeersTree(controller);
  const pending = new PendingView();
  const doctor = new FabricDoctor();
  context.subscriptions.push(
    pending,
    diagnostics,
    controller,
    panel,
    tree,
    new StatusBar(controller),
    vscode.window.registerTreeDataProvider('gossipScope.peers', tree),
    vscode.window.registerWebviewPanelSerializer(NETWORK_VIEW_TYPE, panel.serializer),
    doctor,
    ...registerCommands(context, controller, panel, doctor),
    ...registerDebugger(context, controller, panel),
    trackActiveScenario(),
  );
  return { snapshot: () => controller.snapshot, pending: () => pending.lines() };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; the worker stops with the controller.
}
