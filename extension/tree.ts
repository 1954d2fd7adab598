/**
 * The Peers view in the Gossip Scope activity-bar container: orgs, and under each its peers with
 * their state, ledger height and leadership. Refreshed from frames, a few times a second at most.
 */
import * as vscode from 'vscode';
import type { NetworkController } from './network-controller.js';
import { peerCondition, peerDescription } from './peer-condition.js';
import type { UiEvent, UiPeer, UiPeerState } from './protocol.js';

const REFRESH_MS = 250;

type Node =
  | { kind: 'org'; mspId: string; name: string }
  | { kind: 'peer'; peer: UiPeer }
  | { kind: 'recent' }
  | { kind: 'message'; event: UiEvent };

/** How many recent drops and rejections the view keeps. */
const RECENT = 25;

const ICONS = {
  alive: new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('testing.iconPassed')),
  behind: new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('list.warningForeground')),
  dead: new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('testing.iconFailed')),
  'not started': new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('disabledForeground')),
  paused: new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('list.warningForeground')),
  leader: new vscode.ThemeIcon('star-full', new vscode.ThemeColor('testing.iconPassed')),
};

export class PeersTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private refreshTimer?: NodeJS.Timeout;
  /** Peers that have run at some point: a peer that is down was either crashed or not started yet. */
  private readonly everRan = new Set<number>();
  /** The latest drops and rejections: what usually needs explaining. */
  private recent: UiEvent[] = [];

  constructor(private readonly controller: NetworkController) {
    this.subscriptions = [
      controller.onDidOpen((snap) => {
        this.everRan.clear();
        this.recent = [];
        this.noteRunning(snap.states);
        this.changed.fire(undefined);
      }),
      controller.onDidFrame((f) => {
        this.noteRunning(f.states);
        const notable = f.events.filter((e) => (e.kind === 'drop' || e.kind === 'reject') && e.msg !== undefined);
        if (notable.length > 0) this.recent = [...this.recent, ...notable].slice(-RECENT);
        this.refreshSoon();
      }),
    ];
  }

  getChildren(node?: Node): Node[] {
    const snap = this.controller.snapshot;
    if (!snap) return [];
    if (node === undefined) return [...snap.network.orgs.map((o): Node => ({ kind: 'org', mspId: o.mspId, name: o.name })), { kind: 'recent' }];
    if (node.kind === 'org') return snap.network.peers.filter((p) => p.mspId === node.mspId).map((peer) => ({ kind: 'peer', peer }));
    if (node.kind === 'recent') return [...this.recent].reverse().map((event) => ({ kind: 'message', event }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'recent') {
      const item = new vscode.TreeItem('Recent drops and rejections', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = 'recent';
      item.iconPath = new vscode.ThemeIcon('warning');
      item.description = String(this.recent.length);
      return item;
    }
    if (node.kind === 'message') {
      const e = node.event;
      const peers = this.controller.snapshot?.network.peers;
      const name = (i: number | undefined) => (i === undefined ? '?' : i < 0 ? 'orderer' : peers?.[i]?.id ?? `#${i}`);
      const item = new vscode.TreeItem(`${e.type ?? 'message'} ${e.kind === 'drop' ? 'dropped' : 'rejected'}`, vscode.TreeItemCollapsibleState.None);
      item.id = `event:${e.id}`;
      item.description = `${(e.t / 1000).toFixed(3)}s ${e.kind === 'drop' ? `${name(e.peer)} → ${name(e.other)}` : `at ${name(e.peer)}`}`;
      item.tooltip = e.reason ?? '';
      item.iconPath = new vscode.ThemeIcon(e.kind === 'drop' ? 'circle-slash' : 'error');
      item.command = { command: 'gossipScope.selectMessage', title: 'Inspect Message', arguments: [e.msg] };
      return item;
    }
    if (node.kind === 'org') {
      const item = new vscode.TreeItem(node.mspId, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `org:${node.mspId}`;
      item.iconPath = new vscode.ThemeIcon('organization');
      item.contextValue = 'org';
      return item;
    }
    const state = this.controller.snapshot?.states[node.peer.idx];
    const ran = this.everRan.has(node.peer.idx);
    const item = new vscode.TreeItem(node.peer.id, vscode.TreeItemCollapsibleState.None);
    item.id = `peer:${node.peer.id}`;
    item.description = peerDescription(state, ran);
    const leads = state?.running && !state.paused && Object.values(state.leader).some(Boolean);
    item.iconPath = leads ? ICONS.leader : ICONS[peerCondition(state, ran)];
    item.tooltip = `${node.peer.id} (${node.peer.mspId})\n${node.peer.endpoint || 'no external endpoint'}\n${peerDescription(state, ran)}`;
    item.contextValue = state?.running ? 'peer.running' : 'peer.crashed';
    item.command = { command: 'gossipScope.selectPeer', title: 'Select Peer', arguments: [node.peer.idx] };
    return item;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  private noteRunning(states: readonly UiPeerState[]): void {
    for (const s of states) if (s.running) this.everRan.add(s.idx);
  }

  private refreshSoon(): void {
    if (this.refreshTimer !== undefined) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire(undefined);
    }, REFRESH_MS);
  }
}
