/** The status bar item: simulated time, events so far and the run state; a click runs or pauses. */
import * as vscode from 'vscode';
import type { NetworkController } from './network-controller.js';
import { keptSpeedText } from './kept-speed.js';
import type { UiStatus } from './protocol.js';

const STATE_ICON = { running: '$(debug-pause)', paused: '$(play)', finished: '$(check)' } as const;

export function statusText(s: UiStatus): string {
  const speed = keptSpeedText(s) ?? (s.speed === 0 ? 'max' : `${s.speed}×`);
  return `${STATE_ICON[s.state]} Gossip ${(s.simTime / 1000).toFixed(1)} s · ${s.events.toLocaleString('en-US')} events · ${s.state} · ${speed}`;
}

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gossipScope.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];
  private shown?: string;

  constructor(controller: NetworkController) {
    this.item.name = 'Gossip Scope';
    this.item.command = 'gossipScope.toggleRun';
    this.subscriptions = [
      controller.onDidOpen((snap) => this.update(snap.status, snap.network.scenario.name)),
      controller.onDidFrame((f) => this.update(f.status, controller.snapshot?.network.scenario.name ?? '')),
      controller.onDidClose(() => {
        this.shown = undefined;
        this.item.hide();
      }),
    ];
  }

  private update(status: UiStatus, scenario: string): void {
    const text = statusText(status);
    if (text === this.shown) return;
    this.shown = text;
    this.item.text = text;
    this.item.tooltip = `Gossip Scope: ${scenario}, until ${(status.until / 1000).toFixed(1)} s. Click to ${status.state === 'running' ? 'pause' : 'run'}.`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
