/**
 * Gossip Scope: Shrink Failing Scenario — runs the engine's shrinker (engine/debug/shrink.ts) on
 * a worker thread under a cancellable progress notification, writes SCENARIO-shrunk.yaml beside
 * the scenario (never over it) and opens a diff of the two, so the user sees what was removed
 * and which times moved. Tests pass `{ scenario }` and get the summary back.
 */
import * as vscode from 'vscode';
import type { ShrinkResult } from '../engine/debug/shrink.js';
import type { ShrinkJob } from '../engine/debug/shrink-worker.js';
import { chooseScenario, pickScenario } from './pickers.js';
import { readScenarioOrSay } from './scenario-text.js';
import { runWorkerJob } from './worker-job.js';

export interface ShrinkRequest {
  scenario?: string | vscode.Uri;
}

export type ShrinkSummary = Omit<ShrinkResult, 'text'> & { out: string };

export async function shrinkCommand(extensionUri: vscode.Uri, req: ShrinkRequest = {}): Promise<ShrinkSummary | undefined> {
  const target = await chooseScenario(extensionUri, req.scenario, () => pickScenario(extensionUri, 'Gossip Scope: Shrink Failing Scenario: which scenario?'));
  if (!target) return undefined;
  const text = await readScenarioOrSay(target);
  if (text === undefined) return undefined;
  const file = target.scheme === 'file' ? target.fsPath : target.toString();
  const name = target.path.split('/').pop()!.replace(/\.ya?ml$/i, '');
  const out = vscode.Uri.joinPath(target, '..', `${name}-shrunk.yaml`);
  let result: ShrinkResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Gossip Scope: shrinking ${name}`, cancellable: true },
      (progress, token) =>
        runWorkerJob<ShrinkResult>(extensionUri, 'shrink-worker.js', { text, file } satisfies ShrinkJob, token, (m) => {
          const p = m.progress as { runs: number; kept: number } | undefined;
          if (p) progress.report({ message: `run ${p.runs}: ${p.kept} fault${p.kept === 1 ? '' : 's'} kept` });
        }),
    );
  } catch (e) {
    if (e instanceof vscode.CancellationError) return undefined;
    void vscode.window.showErrorMessage(`Gossip Scope: could not shrink ${name}: ${(e as Error).message}`);
    return undefined;
  }
  const header = `# Shrunk by Gossip Scope from ${name}.yaml: ${result.faultsBefore} faults → ${result.faultsAfter}; still fails on ${result.failure.key}.\n`;
  let shrunk: vscode.Uri = out;
  try {
    await vscode.workspace.fs.writeFile(out, new TextEncoder().encode(header + result.text));
  } catch {
    // Beside a bundled sample (a read-only install) nothing can be written: keep it unsaved.
    shrunk = (await vscode.workspace.openTextDocument({ language: 'yaml', content: header + result.text })).uri;
  }
  await vscode.commands.executeCommand('vscode.diff', target, shrunk, `${name}.yaml ↔ shrunk (${result.faultsBefore} → ${result.faultsAfter} faults)`);
  const narrowed = result.narrowed.length > 0 ? `; ${result.narrowed.join('; ')}` : '';
  void vscode.window.showInformationMessage(
    `Gossip Scope: ${name} still fails on ${result.failure.key} with ${result.faultsAfter} of ${result.faultsBefore} faults${narrowed} (${result.runs} runs${result.stoppedEarly ? ', stopped at the run limit' : ''}).`,
  );
  const { text: _text, ...summary } = result;
  return { ...summary, out: shrunk.toString() };
}
