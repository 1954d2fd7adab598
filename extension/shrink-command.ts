/**
 * Gossip Scope: Shrink Failing Scenario — runs the engine's shrinker (engine/debug/shrink.ts) on
 * a worker thread under a cancellable progress notification, writes SCENARIO-shrunk.yaml beside
 * the scenario (never over it) and opens a diff of the two, so the user sees what was removed
 * and which times moved. Tests pass `{ scenario }` and get the summary back.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { ShrinkResult } from '../engine/debug/shrink.js';
import type { ShrinkJob } from '../engine/debug/shrink-worker.js';
import { chooseScenario } from './pickers.js';

export interface ShrinkRequest {
  scenario?: string | vscode.Uri;
}

export type ShrinkSummary = Omit<ShrinkResult, 'text'> & { out: string };

export async function shrinkCommand(extensionUri: vscode.Uri, req: ShrinkRequest = {}): Promise<ShrinkSummary | undefined> {
  const target = await chooseScenario(extensionUri, req.scenario);
  if (!target) return undefined;
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
  const file = target.scheme === 'file' ? target.fsPath : target.toString();
  const name = target.path.split('/').pop()!.replace(/\.ya?ml$/i, '');
  const out = vscode.Uri.joinPath(target, '..', `${name}-shrunk.yaml`);
  let result: ShrinkResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Gossip Scope: shrinking ${name}`, cancellable: true },
      (progress, token) => runInWorker(extensionUri, { text, file }, token, (runs, kept) => progress.report({ message: `run ${runs}: ${kept} fault${kept === 1 ? '' : 's'} kept` })),
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

function runInWorker(extensionUri: vscode.Uri, job: ShrinkJob, token: vscode.CancellationToken, onRun: (runs: number, kept: number) => void): Promise<ShrinkResult> {
  const script = join(extensionUri.fsPath, 'dist', 'shrink-worker.js');
  if (!existsSync(script)) return Promise.reject(new Error('dist/shrink-worker.js is not built: run node scripts/build.mjs'));
  return new Promise((resolve, reject) => {
    const worker = new Worker(script);
    const end = (f: () => void) => {
      void worker.terminate();
      f();
    };
    token.onCancellationRequested(() => end(() => reject(new vscode.CancellationError())));
    worker.on('message', (m: { progress?: { runs: number; kept: number }; result?: ShrinkResult; error?: string }) => {
      if (m.progress) onRun(m.progress.runs, m.progress.kept);
      else if (m.result) end(() => resolve(m.result!));
      else end(() => reject(new Error(m.error ?? 'the shrinker stopped')));
    });
    worker.on('error', (e) => end(() => reject(e)));
    worker.on('exit', (code) => reject(new Error(`the shrinker stopped (exit ${code})`)));
    worker.postMessage(job);
  });
}
