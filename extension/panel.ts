/**
 * The network panel: one webview that draws the open network. It relays between the webview and
 * the controller: the webview's `ready` gets an `init` with the current network, worker frames go
 * to the webview, and the webview's requests go to the worker. Not kept alive when hidden (it
 * re-initialises from the controller's snapshot), and brought back after a reload by a serializer.
 */
import * as vscode from 'vscode';
import type { NetworkController } from './network-controller.js';
import { PROTOCOL_VERSION, type FromWebview, type ToWebview } from './protocol.js';
import { readSettings } from './settings.js';
import { webviewHtml } from './webview-html.js';

export const NETWORK_VIEW_TYPE = 'gossipScope.network';

/** The active group, unless it shows a page that is not a file (the walkthrough, a welcome page): then beside it. */
function defaultColumn(): vscode.ViewColumn {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  if (tab === undefined || tab.input instanceof vscode.TabInputText || tab.input instanceof vscode.TabInputTextDiff) return vscode.ViewColumn.Active;
  return vscode.ViewColumn.Beside;
}

export class NetworkPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  /** The webview has said `ready` since this panel was made: messages can reach it. */
  private ready = false;
  /** While an init (with its history) is on its way, frames wait so none is lost or doubled. */
  private initialising = false;
  private held: ToWebview[] = [];
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: NetworkController,
  ) {
    this.subscriptions = [
      controller.onDidOpen(() => void this.sendInit()),
      controller.onWebviewMessage((m) => this.post(m)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('gossipScope.animation')) this.post({ type: 'settings', animation: readSettings().animation });
      }),
    ];
  }

  /**
   * Shows the panel, creating it if needed. `column`: where it must be (a debug session puts it
   * in the second column, beside the scenario, and moves it there if it shares the scenario's
   * group); by default where it is, or beside a page that is not an editor (the walkthrough
   * stays readable beside the lesson it opened).
   */
  show(column?: vscode.ViewColumn): void {
    if (this.panel) {
      const move = column !== undefined && this.panel.viewColumn !== column;
      return this.panel.reveal(move ? column : undefined, true);
    }
    const panel = vscode.window.createWebviewPanel(NETWORK_VIEW_TYPE, 'Gossip Scope', { viewColumn: column ?? defaultColumn(), preserveFocus: true }, this.options());
    this.adopt(panel);
  }

  /** Brings the panel back after a window reload, with the network it showed. */
  readonly serializer: vscode.WebviewPanelSerializer = {
    deserializeWebviewPanel: async (panel) => {
      this.adopt(panel);
      const uri = this.controller.scenarioUri;
      if (this.controller.snapshot) void this.sendInit();
      else if (uri) await this.controller.open(uri);
    },
  };

  post(m: ToWebview): void {
    if (this.initialising && m.type === 'frame') return void this.held.push(m);
    // The engine waits for each frame to be shown: one that cannot be is acknowledged here.
    const seq = m.type === 'frame' ? m.status.frame : undefined;
    const unseen = () => {
      if (seq !== undefined) this.controller.send({ type: 'frameShown', seq });
    };
    if (this.panel && this.ready && this.panel.visible) void this.panel.webview.postMessage(m).then((delivered) => delivered || unseen(), unseen);
    else unseen();
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')] };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    const webview = panel.webview;
    webview.options = this.options();
    const dist = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', file)).toString();
    webview.html = webviewHtml({ cspSource: webview.cspSource, scriptUri: dist('webview.js'), styleUri: dist('webview.css') });
    webview.onDidReceiveMessage((m: FromWebview) => this.receive(m));
    // Hidden, the webview is torn down and what is posted to it is dropped; shown again, it
    // reloads and says `ready` again, and gets a fresh init. `ready` is not cleared on hiding: the
    // view-state event can come after the reloaded webview's `ready` (a quick hide and show as the
    // editor groups are laid out), and clearing it then left the panel blank for good.
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
      this.ready = false;
    });
    if (this.controller.snapshot) panel.title = `Gossip Scope: ${this.controller.snapshot.network.scenario.name}`;
  }

  private receive(m: FromWebview): void {
    if (m.type === 'ready') {
      this.ready = true;
      return void this.sendInit();
    }
    if (m.type === 'addInvariant') return void vscode.commands.executeCommand('gossipScope.addInvariant');
    this.controller.send(m);
  }

  /** The network as it is now and its recent history; frames that come meanwhile follow it. */
  private async sendInit(): Promise<void> {
    if (!this.controller.snapshot) return;
    this.initialising = true;
    this.held = [];
    let seen = 0;
    try {
      const history = await this.controller.history();
      const snap = this.controller.snapshot;
      if (!snap) return;
      if (this.panel) this.panel.title = `Gossip Scope: ${snap.network.scenario.name}`;
      seen = history.at(-1)?.id ?? 0;
      this.initialising = false;
      this.post({ type: 'init', protocolVersion: PROTOCOL_VERSION, ...snap, settings: { animation: readSettings().animation }, history });
    } finally {
      this.initialising = false;
      const held = this.held;
      this.held = [];
      // A frame already on its way when the history was taken may repeat its last events.
      for (const m of held) this.post(m.type === 'frame' ? { ...m, events: m.events.filter((e) => e.id > seen) } : m);
    }
  }
}
