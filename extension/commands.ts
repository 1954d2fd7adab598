/** The command palette's "Gossip Scope: …" commands, each a thin call into the controller. */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { NetworkController } from './network-controller.js';
import type { FaultRequest } from './protocol.js';
import type { NetworkPanel } from './panel.js';
import { MetricsDocuments } from './metrics-document.js';
import { metricsMarkdown } from './metrics-view.js';
import { importFabricNetwork, openFabricLogs } from './fabric-files.js';
import type { FabricDoctor } from './fabric-doctor.js';
import { chooseScenario, pickFault, pickMessageType, pickScenario, pickSpeed } from './pickers.js';
import { runSweepCommand, type SweepRequest } from './sweep-command.js';
import { shrinkCommand, type ShrinkRequest } from './shrink-command.js';
import { compareCommand, type CompareRequest } from './compare-command.js';
import { fixAndCompare, showMe, type FindingRef } from './show-me.js';

export function registerCommands(context: vscode.ExtensionContext, controller: NetworkController, panel: NetworkPanel, doctor: FabricDoctor): vscode.Disposable[] {
  /** Commands that need an open network say so instead of doing nothing. */
  const withNetwork =
    <A extends unknown[]>(f: (...args: A) => unknown) =>
    (...args: A) => {
      if (!controller.snapshot) return void vscode.window.showInformationMessage('Gossip Scope: open a network first (Gossip Scope: Open Network).');
      return f(...args);
    };

  const metrics = new MetricsDocuments();
  const commands: Record<string, (...args: never[]) => unknown> = {
    'gossipScope.runSweep': (req?: SweepRequest) => runSweepCommand(context.extensionUri, req),
    'gossipScope.shrink': (req?: ShrinkRequest) => shrinkCommand(context.extensionUri, req),
    'gossipScope.compareRuns': (req?: CompareRequest) => compareCommand(context.extensionUri, req),
    'gossipScope.openNetwork': async (arg?: vscode.Uri | string) => {
      const target = await chooseScenario(context.extensionUri, arg);
      if (!target) return false;
      panel.show();
      return controller.open(target);
    },
    'gossipScope.openLive': async (arg?: vscode.Uri | string) => {
      const target = await chooseScenario(context.extensionUri, arg, () => pickScenario(context.extensionUri, 'Gossip Scope: Open Network in Live Mode'));
      if (!target) return false;
      panel.show();
      return controller.open(target, true);
    },
    'gossipScope.openTrace': async (uri?: vscode.Uri) => {
      const target =
        uri instanceof vscode.Uri
          ? uri
          : (await vscode.window.showOpenDialog({ title: 'Gossip Scope: Open Trace for Replay', filters: { 'Gossip Scope trace': ['jsonl'] }, canSelectMany: false }))?.[0];
      if (!target) return;
      panel.show();
      await controller.openTrace(target);
    },
    'gossipScope.importNetwork': (arg?: vscode.Uri | vscode.Uri[]) => importFabricNetwork(controller, panel, uriList(arg)),
    'gossipScope.checkNetwork': (arg?: vscode.Uri | vscode.Uri[]) => doctor.check(uriList(arg)),
    'gossipScope.showMe': (ref?: FindingRef) => showMe(controller, panel, doctor, ref),
    'gossipScope.fixAndCompare': (ref?: FindingRef) => fixAndCompare(context.extensionUri, doctor, ref),
    'gossipScope.openLogs': (arg?: vscode.Uri | vscode.Uri[]) => openFabricLogs(controller, panel, uriList(arg)),
    'gossipScope.showPanel': withNetwork(() => panel.show()),
    'gossipScope.run': withNetwork(() => controller.control('run')),
    'gossipScope.pause': withNetwork(() => controller.control('pause')),
    'gossipScope.toggleRun': withNetwork(() => controller.toggleRun()),
    'gossipScope.step': withNetwork(() => controller.control('step')),
    // Commands take their answer as an argument too (keybindings, scripts, tests); without one they ask.
    'gossipScope.stepToMessage': withNetwork(async (messageType?: string) => {
      const type = typeof messageType === 'string' ? messageType : await pickMessageType();
      if (type) controller.stepTo(type);
    }),
    'gossipScope.reset': withNetwork(() => controller.control('reset')),
    'gossipScope.setSpeed': withNetwork(async (value?: number) => {
      const speed = typeof value === 'number' ? value : await pickSpeed(controller.snapshot!.status.speed);
      if (speed !== undefined) controller.setSpeed(speed);
    }),
    'gossipScope.injectFault': withNetwork(async (request?: FaultRequest) => {
      const fault = request !== undefined && typeof request === 'object' && 'kind' in request ? request : await pickFault(controller.snapshot!);
      if (fault) controller.fault(fault);
    }),
    // With a query as argument it adds it without asking; the answer says whether it holds now, or why not.
    'gossipScope.addInvariant': withNetwork(async (query?: string) => {
      if (typeof query === 'string') return controller.addInvariant(query.trim(), query.trim());
      let value = '';
      let problem: string | undefined;
      for (;;) {
        // Refused, the box comes back with the text and the reason: a typo loses nothing.
        const text = await vscode.window.showInputBox({
          title: 'Gossip Scope: Add Invariant',
          prompt:
            problem === undefined
              ? "A query in the debugger's language that must hold at every event: the run stops where it breaks"
              : `Not added: ${problem}. Mend the query and press Enter.`,
          placeHolder: 'for example: members(peer0.org1) >= 3 or not running(peer0.org1)',
          value,
          ignoreFocusOut: true,
        });
        if (text === undefined) return undefined;
        value = text.trim();
        if (value === '') return undefined;
        const added = await controller.addInvariant(value, value);
        if ('holdsNow' in added) {
          const now = added.holdsNow ? 'It holds now' : 'It does not hold now, so it breaks only after it has held';
          void vscode.window.showInformationMessage(`Gossip Scope: invariant added: ${value}. ${now}; it is checked at every event, and again after Reset.`);
          return added;
        }
        // Only a wrong query is worth editing; the network refusing it is said once.
        if (!added.inQuery) {
          void vscode.window.showErrorMessage(`Gossip Scope: cannot add the invariant: ${added.problem}.`);
          return added;
        }
        problem = added.problem;
      }
    }),
    'gossipScope.exportTrace': withNetwork(async (to?: vscode.Uri) => {
      const snap = controller.snapshot!;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
      const target =
        to instanceof vscode.Uri
          ? to
          : await vscode.window.showSaveDialog({
              title: 'Gossip Scope: Export Trace',
              defaultUri: vscode.Uri.joinPath(folder, `${snap.network.scenario.name}.trace.jsonl`),
              filters: { 'JSON Lines': ['jsonl'], 'ShiViz log': ['shiviz'] },
            });
      if (!target) return;
      try {
        const r = await controller.exportTrace(target.fsPath);
        const lost = r.lost > 0 ? ` (the ${r.lost.toLocaleString('en-US')} earliest are no longer in memory: see gossipScope.maxTraceEvents)` : '';
        void vscode.window.showInformationMessage(`Gossip Scope: exported ${r.events.toLocaleString('en-US')} events to ${vscode.workspace.asRelativePath(target)}${lost}.`);
      } catch (err) {
        void vscode.window.showErrorMessage(`Gossip Scope: cannot export the trace: ${(err as Error).message}`);
      }
    }),
    'gossipScope.showMetrics': withNetwork(async () => {
      const summary = await controller.metrics();
      await metrics.show(summary.scenario, metricsMarkdown(summary));
    }),
    'gossipScope.selectMessage': withNetwork((msg: number) => {
      panel.show();
      panel.post({ type: 'select', what: 'message', msg });
    }),
    'gossipScope.selectPeer': withNetwork((idx: number) => {
      panel.post({ type: 'select', what: 'peer', idx });
      controller.send({ type: 'inspectPeer', idx });
    }),
  };
  return [metrics, ...Object.entries(commands).map(([id, run]) => vscode.commands.registerCommand(id, run as (...args: unknown[]) => unknown))];
}

/** A command's file argument: one URI, several (the Explorer's multi-select), or none (ask). */
function uriList(arg: unknown): vscode.Uri[] | undefined {
  if (arg instanceof vscode.Uri) return [arg];
  if (Array.isArray(arg) && arg.length > 0 && arg.every((u) => u instanceof vscode.Uri)) return arg as vscode.Uri[];
  return undefined;
}
