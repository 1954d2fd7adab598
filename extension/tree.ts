/**
 * The Peers view in the Gossip Scope activity-bar container: orgs, and under each its peers with
 * their state, ledger height and leadership. Refreshed from frames, a few times a second at most.
 */
import * as vscode from 'vscode';
import type { NetworkController } from './network-controller.js';
import { peerCondition, peerDescription } from './peer-condition.js';
import type { UiEvent, UiPeer, UiPeerState } from './protocol.js';
import { BENIGN_LABEL, noteOnReason } from './reason-notes.js';
import { RecentEvents } from './recent-events.js';

const REFRESH_MS = 250;

type Node =
  | { kind: 'org'; mspId: string; name: string }
  | { kind: 'peer'; peer: UiPeer }
  | { kind: 'recent'; verdict: Verdict }
  | { kind: 'message'; event: UiEvent };

type Verdict = 'reject' | 'drop';

/** How many of the latest rejections, and separately of the latest drops, the view keeps. */
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
  /**
   * The latest rejections and drops, kept apart so that a flood of drops never hides the
   * rejection a user is looking for; each event once (frames may repeat an event, e.g. after a
   * step), and counted in all.
   */
  private readonly recent = { reject: new RecentEvents(RECENT), drop: new RecentEvents(RECENT) };

  constructor(private readonly controller: NetworkController) {
    this.subscriptions = [
      controller.onDidOpen((snap) => {
        this.everRan.clear();
        this.recent.reject.clear();
        this.recent.drop.clear();
        this.noteRunning(snap.states);
        this.changed.fire(undefined);
      }),
      controller.onDidClose(() => this.changed.fire(undefined)),
      controller.onDidFrame((f) => {
        this.noteRunning(f.states);
        for (const e of f.events) if ((e.kind === 'drop' || e.kind === 'reject') && e.msg !== undefined) this.recent[e.kind].add(e);
        this.refreshSoon();
      }),
    ];
  }

  getChildren(node?: Node): Node[] {
    const snap = this.controller.snapshot;
    if (!snap) return [];
    if (node === undefined) {
      const orgs = snap.network.orgs.map((o): Node => ({ kind: 'org', mspId: o.mspId, name: o.name }));
      return [...orgs, { kind: 'recent', verdict: 'reject' }, { kind: 'recent', verdict: 'drop' }];
    }
    if (node.kind === 'org') return snap.network.peers.filter((p) => p.mspId === node.mspId).map((peer) => ({ kind: 'peer', peer }));
    if (node.kind === 'recent') return this.recent[node.verdict].newestFirst().map((event) => ({ kind: 'message', event }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'recent') {
      const kept = this.recent[node.verdict];
      const label = node.verdict === 'reject' ? 'Recent rejections' : 'Recent drops';
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `recent:${node.verdict}`;
      item.iconPath = new vscode.ThemeIcon(node.verdict === 'reject' ? 'error' : 'circle-slash');
      item.description = kept.total > kept.size ? `${kept.size} latest of ${kept.total}` : String(kept.total);
      item.tooltip = node.verdict === 'reject' ? 'Messages a peer refused, with the reason Fabric logs' : 'Messages lost on the way: crashed or partitioned peers, full buffers, link loss';
      return item;
    }
    if (node.kind === 'message') {
      const e = node.event;
      const peers = this.controller.snapshot?.network.peers;
      const name = (i: number | undefined) => (i === undefined ? '?' : i < 0 ? 'orderer' : peers?.[i]?.id ?? `#${i}`);
      const item = new vscode.TreeItem(`${e.type ?? 'message'} ${e.kind === 'drop' ? 'dropped' : 'rejected'}`, vscode.TreeItemCollapsibleState.None);
      item.id = `event:${e.id}`;
      item.description = `${(e.t / 1000).toFixed(3)}s ${e.kind === 'drop' ? `${name(e.peer)} → ${name(e.other)}` : `at ${name(e.peer)}`}`;
      item.tooltip = [e.reason ?? '', noteOnReason(e.reason)].filter(Boolean).join('\n\n');
      if (e.benign) item.description += ` · ${BENIGN_LABEL} (harmless)`;
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
    for (const s of states) if (s.running || s.started) this.everRan.add(s.idx);
  }

  private refreshSoon(): void {
    if (this.refreshTimer !== undefined) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire(undefined);
    }, REFRESH_MS);
  }
}

