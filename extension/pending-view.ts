/**
 * The Pending Events view (Run and Debug side bar) of a stopped gossip debug session: per peer,
 * every message on its way there and every Fabric timer of its pending, in the order they will
 * run; and the user's choice in the scheduler's place on any of them (deliver now, drop,
 * duplicate, delay), made through the session like a fault from the panel.
 */
import * as vscode from 'vscode';
import type { PendingEntry } from '../engine/debug/hand-commands.js';
import { PANEL_EVENT } from '../engine/debug/adapter.js';

const DEBUG_TYPE = 'gossip';

type HandOp = 'next' | 'drop' | 'duplicate' | 'delay';

/** A peer with what waits there, or one waiting event. */
type Node = { peer: string; entries: PendingEntry[] } | { entry: PendingEntry };

export class PendingView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private session: vscode.DebugSession | undefined;
  private peers: { peer: string; entries: PendingEntry[] }[] = [];
  private total = 0;
  private shown = 0;
  private readonly subscriptions: vscode.Disposable[];
  private readonly view: vscode.TreeView<Node>;

  constructor() {
    this.view = vscode.window.createTreeView('gossipScope.pending', { treeDataProvider: this });
    this.subscriptions = [
      this.view,
      this.changed,
      // Every stop sends the panel a frame: the queue is read again then.
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type === DEBUG_TYPE && e.event === PANEL_EVENT) void this.refresh(e.session);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.id !== this.session?.id) return;
        this.session = undefined;
        this.peers = [];
        this.changed.fire(undefined);
      }),
      vscode.commands.registerCommand('gossipScope.pending.deliver', (n?: Node) => this.choose('next', n)),
      vscode.commands.registerCommand('gossipScope.pending.drop', (n?: Node) => this.choose('drop', n)),
      vscode.commands.registerCommand('gossipScope.pending.duplicate', (n?: Node) => this.choose('duplicate', n)),
      vscode.commands.registerCommand('gossipScope.pending.delay', (n?: Node, ms?: number) => this.choose('delay', n, ms)),
    ];
  }

  /** What the view lists, a line a waiting event (for the extension's tests and API). */
  lines(): string[] {
    return this.peers.flatMap((p) => p.entries.map((e) => `#${e.seq} ${e.peer}: ${e.label}`));
  }

  /** The entry with number `seq`, for a command given a number instead of a tree item. */
  entry(seq: number): PendingEntry | undefined {
    for (const p of this.peers) for (const e of p.entries) if (e.seq === seq) return e;
    return undefined;
  }

  private async refresh(session: vscode.DebugSession): Promise<void> {
    this.session = session;
    try {
      const body = (await session.customRequest('gossipScope.pending')) as { entries: PendingEntry[]; total: number };
      const byPeer = new Map<string, PendingEntry[]>();
      for (const e of body.entries) {
        const list = byPeer.get(e.peer) ?? [];
        list.push(e);
        byPeer.set(e.peer, list);
      }
      this.peers = [...byPeer].map(([peer, entries]) => ({ peer, entries })).sort((a, b) => a.peer.localeCompare(b.peer));
      this.total = body.total;
      this.shown = body.entries.length;
    } catch {
      // The session is running (no queue to show until it stops) or ended.
      this.peers = [];
      this.total = this.shown = 0;
    }
    this.view.message = this.total > this.shown ? `The first ${this.shown} of ${this.total} waiting events.` : undefined;
    this.changed.fire(undefined);
  }

  private async choose(op: HandOp, node: Node | undefined, ms?: number): Promise<void> {
    const session = this.session;
    if (session === undefined || node === undefined || !('entry' in node)) {
      void vscode.window.showInformationMessage('Gossip Scope: choose a waiting message or timer in the Pending Events view of a stopped gossip debug session.');
      return;
    }
    const e = node.entry;
    if (op === 'delay' && ms === undefined) {
      const text = await vscode.window.showInputBox({
        title: `Delay #${e.seq}: ${e.label}`,
        prompt: 'Milliseconds more it waits (up to 3,600,000: an hour)',
        value: '250',
        validateInput: (v) => (/^\d+(\.\d+)?$/.test(v.trim()) && Number(v) > 0 && Number(v) <= 3_600_000 ? undefined : 'a number of milliseconds, more than 0 and at most 3600000'),
      });
      if (text === undefined) return;
      ms = Number(text);
    }
    try {
      await session.customRequest('gossipScope.fault', { fault: { kind: 'hand', op, event: e.seq, ms: op === 'delay' ? ms : 0 } });
    } catch (err) {
      void vscode.window.showErrorMessage(`Gossip Scope: ${(err as Error).message}`);
    }
    await this.refresh(session);
  }

  getTreeItem(n: Node): vscode.TreeItem {
    if ('peer' in n) {
      const messages = n.entries.filter((e) => e.kind === 'message').length;
      const item = new vscode.TreeItem(n.peer, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${plural(messages, 'message')} on the way, ${plural(n.entries.length - messages, 'timer')}`;
      item.iconPath = new vscode.ThemeIcon('server');
      return item;
    }
    const e = n.entry;
    const item = new vscode.TreeItem(`#${e.seq}  ${e.label}`);
    item.description = `at ${showTime(e.at)}`;
    item.tooltip = `${e.label}\ndue at ${showTime(e.at)} (simulated)\nRight-click: deliver now, drop, ${e.kind === 'message' ? 'duplicate, ' : ''}delay`;
    item.iconPath = new vscode.ThemeIcon(e.kind === 'message' ? 'mail' : 'watch');
    item.contextValue = e.kind === 'message' ? 'pendingMessage' : 'pendingTimer';
    return item;
  }

  getChildren(n?: Node): Node[] {
    if (n === undefined) return this.peers;
    return 'peer' in n ? n.entries.map((entry) => ({ entry })) : [];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function showTime(ms: number): string {
  return ms < 1000 ? `${+ms.toFixed(3)}ms` : `${+(ms / 1000).toFixed(3)}s`;
}
