/**
 * Import Fabric Network… and Open Fabric Logs…: thin commands over engine/import and
 * engine/logs. An imported network is written as a scenario and opened like any other; a log is
 * shown in the panel as a recording to replay from its start (a source of its own, as a debug
 * session is): Run plays it, Step and Step Back move through it, nothing changes it.
 */
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { readNetworkFiles } from '../engine/import/files.js';
import { importNetwork } from '../engine/import/network.js';
import { ImportError } from '../engine/import/yaml-source.js';
import { logTraceHeader } from '../engine/logs/log-trace.js';
import { readFabricLogFiles } from '../engine/logs/read-logs.js';
import { toShiViz, isShiVizPath } from '../engine/trace/shiviz.js';
import { LoggedRun } from '../engine/ui/logged-run.js';
import { LogReplay } from './log-replay.js';
import type { AttachedSource, NetworkController } from './network-controller.js';
import type { NetworkPanel } from './panel.js';
import { readSettings } from './settings.js';

/** Asks for the files or folder (unless given), writes the scenario beside them, opens it. */
export async function importFabricNetwork(controller: NetworkController, panel: NetworkPanel, given?: vscode.Uri[]): Promise<vscode.Uri | undefined> {
  const picked =
    given ??
    (await vscode.window.showOpenDialog({
      title: 'Gossip Scope: Import Fabric Network (core.yaml, configtx.yaml, crypto-config.yaml, or their folder)',
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: true,
      filters: { 'Fabric configuration': ['yaml', 'yml'] },
    }));
  if (!picked || picked.length === 0) return undefined;
  let result;
  try {
    const files = readNetworkFiles(picked.map((u) => u.fsPath));
    const folder = picked.length === 1 ? picked[0].path.split('/').pop()!.replace(/\.ya?ml$/, '') : 'imported-network';
    result = importNetwork(files.map((f) => ({ ...f, path: vscode.workspace.asRelativePath(f.path) })), { name: /^[\w.-]+$/.test(folder) ? folder : 'imported-network' });
  } catch (e) {
    const message = e instanceof ImportError ? e.message : (e as Error).message;
    const first = e instanceof ImportError ? e.diagnostics[0] : undefined;
    const pick = await vscode.window.showErrorMessage(`Gossip Scope cannot import this network. ${message.split('\n')[0]}`, ...(first ? ['Show'] : []));
    if (pick && first) await showAt(first.file, first.line, first.col);
    return undefined;
  }
  const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.joinPath(picked[0], '..');
  const target = vscode.Uri.joinPath(base, `${result.scenario.name}.scenario.yaml`);
  await writeFile(target.fsPath, result.text);
  await vscode.window.showTextDocument(target, { preview: false });
  panel.show(vscode.ViewColumn.Beside);
  await controller.open(target);
  if (result.notes.length > 0) void vscode.window.showInformationMessage(`Gossip Scope: imported ${vscode.workspace.asRelativePath(target)}. ${result.notes.join('; ')}`);
  return target;
}

async function showAt(file: string, line: number, col: number): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = file.startsWith('/') || !folder ? vscode.Uri.file(file) : vscode.Uri.joinPath(folder, file);
  const pos = new vscode.Position(line - 1, col - 1);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos) });
}

/** The log source attached to the panel, while it shows one, and its replay. */
let attached: AttachedSource | undefined;
let replay: LogReplay | undefined;

/** Asks for the log files (unless given), reads them and shows the result in the panel. */
export async function openFabricLogs(controller: NetworkController, panel: NetworkPanel, given?: vscode.Uri[]): Promise<boolean> {
  const picked =
    given ??
    (await vscode.window.showOpenDialog({
      title: 'Gossip Scope: Open Fabric Logs (one per peer, or one of several peers; FABRIC_LOGGING_SPEC=gossip=debug)',
      canSelectMany: true,
      filters: { 'Peer logs': ['log', 'txt', 'gz'], 'All files': ['*'] },
    }));
  if (!picked || picked.length === 0) return false;
  const paths = picked.map((u) => u.fsPath);
  let run: LoggedRun;
  try {
    const reading = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Gossip Scope: reading Fabric logs' }, () => readFabricLogFiles(paths));
    if (reading.peers.length === 0) {
      void vscode.window.showErrorMessage(`Gossip Scope: no Fabric gossip peer in ${paths.map((p) => vscode.workspace.asRelativePath(p)).join(', ')} (${reading.stats.parsed} of ${reading.stats.lines} lines are Fabric log lines). Run the peers with FABRIC_LOGGING_SPEC=gossip=debug.`);
      return false;
    }
    run = new LoggedRun(reading, paths.map((p) => vscode.workspace.asRelativePath(p)));
  } catch (e) {
    void vscode.window.showErrorMessage(`Gossip Scope cannot read these logs. ${(e as Error).message}`);
    return false;
  }
  attached?.dispose();
  replay?.dispose();
  const playback = new LogReplay(run, (m) => source.receive(m), readSettings().defaultSpeed, (message) => void vscode.window.showInformationMessage(`Gossip Scope: ${message}`));
  replay = playback;
  const source: AttachedSource = controller.attachSource(
    (m) => playback.handle(m),
    async (limit) => playback.history(limit),
    async (path) => {
      const r = run.reading;
      const text = isShiVizPath(path) ? toShiViz(r.events, r.peers.map((p) => p.name)) : [logTraceHeader(r, run.files), ...r.events].map((x) => JSON.stringify(x)).join('\n') + '\n';
      await writeFile(path, text);
      return { events: r.events.length, lost: 0 };
    },
  );
  attached = source;
  panel.show();
  source.receive(playback.opened());
  await vscode.commands.executeCommand('setContext', 'gossipScope.networkOpen', true);
  const s = run.reading.stats;
  void vscode.window.showInformationMessage(
    `Gossip Scope: ${run.reading.peers.length} peers, ${s.matched} messages matched; ${s.unparsed} unparsed lines, ${s.unmatchedSends.length} sends and ${s.unmatchedReceipts.length} receipts unmatched (see the panel's parse notes). A recording: Run plays it, Step and Step Back move through it.`,
  );
  return true;
}
