/**
 * Gossip Scope: Run Sweep… — asks for a scenario, the parameters (`propagatePeerNum=1..5
 * peers=10,20`) and the seeds, runs the engine's sweep on worker threads under a cancellable
 * progress notification, and opens the sweep's report in a webview. Scripts and tests pass
 * `{ scenario, set: [...], seeds }` and get the sweep back.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Sweep } from '../engine/figures/types.js';
import { reportHtml } from '../engine/report/html.js';
import { parseSet, SweepArgError } from '../engine/sweep/params.js';
import { runSweep } from '../engine/sweep/run.js';
import { sweepFiles, sweepReportData } from '../engine/sweep/output.js';
import { chooseScenario, pickScenario } from './pickers.js';
import { readScenarioOrSay } from './scenario-text.js';

export const SWEEP_VIEW_TYPE = 'gossipScope.sweepReport';

export interface SweepRequest {
  scenario?: string | vscode.Uri;
  set?: string[];
  seeds?: number;
}

/** What Save CSV, JSON and HTML… offers first: the CLI's default folder, beside the scenario. */
const SAVE = 'Save CSV, JSON and HTML…';

export async function runSweepCommand(extensionUri: vscode.Uri, req: SweepRequest = {}): Promise<Sweep | undefined> {
  const target = await chooseScenario(extensionUri, req.scenario, () => pickScenario(extensionUri, 'Gossip Scope: Run Sweep: which scenario?'));
  if (!target) return undefined;
  const sets =
    req.set ??
    (
      await vscode.window.showInputBox({
        title: 'Gossip Scope: Run Sweep (1/2)',
        prompt: 'Parameters to sweep, separated by spaces: a peer.gossip name, a scenario path or peers, each with a range or a list',
        value: 'propagatePeerNum=1..5',
        validateInput: (v) => {
          try {
            v.trim().split(/\s+/).forEach(parseSet);
            return undefined;
          } catch (e) {
            return (e as Error).message;
          }
        },
      })
    )
      ?.trim()
      .split(/\s+/);
  if (!sets) return undefined;
  const seeds =
    req.seeds ??
    Number(
      await vscode.window.showInputBox({
        title: 'Gossip Scope: Run Sweep (2/2)',
        prompt: 'Seeds per combination (the scenario\u2019s seed and the ones after it), 1 to 1000',
        value: '3',
        validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 1000 ? undefined : 'an integer from 1 to 1000'),
      }),
    );
  if (!seeds) return undefined;
  const text = await readScenarioOrSay(target);
  if (text === undefined) return undefined;
  const file = target.scheme === 'file' ? target.fsPath : target.toString();
  let sweep: Sweep;
  try {
    const params = sets.map(parseSet);
    sweep = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Gossip Scope: sweeping ${sets.join(' ')}`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return runSweep({
          file,
          text,
          params,
          seeds,
          signal: abort.signal,
          // A swept value Fabric reads as its default (propagatePeerNum=0 is 3): said as `run` says it.
          onWarning: (w) => void vscode.window.showWarningMessage(`Gossip Scope: ${w}`),
          onProgress: (done, total, r) =>
            progress.report({ increment: 100 / total, message: `${done}/${total}: ${Object.entries(r.values).map(([k, v]) => `${k}=${v}`).join(' ')} seed ${r.seed}` }),
        });
      },
    );
  } catch (e) {
    const why = e instanceof SweepArgError ? e.message : (e as Error).message;
    void vscode.window.showErrorMessage(`Gossip Scope: the sweep did not run: ${why}`);
    return undefined;
  }
  showSweepReport(sweep, file);
  void offerToSave(sweep, target, file);
  return sweep;
}

/**
 * The files the CLI writes (sweep.csv, sweep.json, sweep.html), saved where the user says: a
 * folder picked in the save dialog, the CLI's `NAME-sweep` beside the scenario offered first.
 */
async function offerToSave(sweep: Sweep, target: vscode.Uri, file: string): Promise<void> {
  const pick = await vscode.window.showInformationMessage(`Gossip Scope: swept ${sweep.runs.length} runs of ${sweep.scenario}.`, SAVE);
  if (pick !== SAVE) return;
  const name = target.path.split('/').pop()!.replace(/\.ya?ml$/i, '');
  const beside = target.scheme === 'file' ? vscode.Uri.joinPath(target, '..', `${name}-sweep`) : vscode.workspace.workspaceFolders?.[0]?.uri;
  const folder = await vscode.window.showSaveDialog({ title: 'Gossip Scope: save the sweep (a folder for sweep.csv, sweep.json and sweep.html)', defaultUri: beside, saveLabel: 'Save here' });
  if (!folder) return;
  try {
    await vscode.workspace.fs.createDirectory(folder);
    for (const f of sweepFiles(sweep, file.split(/[\\/]/).pop() ?? file)) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, f.name), new TextEncoder().encode(f.text));
  } catch (e) {
    void vscode.window.showErrorMessage(`Gossip Scope: could not save the sweep in ${folder.fsPath}: ${(e as Error).message}`);
    return;
  }
  void vscode.window.showInformationMessage(`Gossip Scope: saved sweep.csv, sweep.json and sweep.html in ${vscode.workspace.asRelativePath(folder)}.`);
}

/** The report in a webview: the same page as the HTML file, under a nonce. */
function showSweepReport(sweep: Sweep, file: string): void {
  const data = sweepReportData(sweep, file.split(/[\\/]/).pop() ?? file);
  const panel = vscode.window.createWebviewPanel(SWEEP_VIEW_TYPE, `Sweep: ${sweep.scenario}`, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
  panel.webview.html = reportHtml(data, { nonce: randomBytes(16).toString('base64') });
}
