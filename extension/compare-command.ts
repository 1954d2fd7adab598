/**
 * Gossip Scope: Compare Two Runs… — a scenario (A) against another seed of it, another scenario
 * (`other.yaml`, `other.yaml@8`) or a saved trace (B): both run on a worker thread, and a
 * Markdown page opens rendered beside, with the first event where they part and every peer's
 * state that differs at the moment asked for, A and B side by side: gossip state first, world
 * state (which differs between any two seeds) folded. `gossip-scope diff` prints the same.
 * Tests pass `{ a, b, at }` (paths, `path@seed`, a duration) and get the RunDiff back.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { RunDiff, RunSide } from '../engine/debug/diff.js';
import { parseSide } from '../engine/debug/diff.js';
import type { DiffJob } from '../engine/debug/diff-worker.js';
import { diffMarkdown } from '../engine/debug/diff-markdown.js';
import { formatDuration, parseDuration } from '../engine/fabric/config.js';
import { loadScenario } from '../engine/scenario/load.js';
import { chooseScenario, pickScenario } from './pickers.js';
import { readScenarioUri } from './scenario-text.js';
import { runWorkerJob } from './worker-job.js';

export interface CompareRequest {
  a?: string | vscode.Uri;
  b?: string;
  at?: string;
}

export async function compareCommand(extensionUri: vscode.Uri, req: CompareRequest = {}): Promise<RunDiff | undefined> {
  const target = await chooseScenario(extensionUri, req.a, () => pickScenario(extensionUri, 'Gossip Scope: Compare Two Runs: run A, which scenario?'));
  if (!target || target.scheme !== 'file') return undefined;
  const aFile = target.fsPath;
  let scenario;
  try {
    scenario = loadScenario(await readScenarioUri(target), aFile);
  } catch (e) {
    void vscode.window.showErrorMessage(`Gossip Scope: ${(e as Error).message}`);
    return undefined;
  }
  const base = vscode.Uri.joinPath(target, '..').fsPath;
  const sideOf = (text: string): RunSide => (/^\d+$/.test(text.trim()) ? { scenario: aFile, seed: Number(text.trim()) } : parseSide(resolveAgainst(base, text.trim())));
  const bText =
    req.b ??
    (await vscode.window.showInputBox({
      title: 'Gossip Scope: Compare Two Runs (1/2)',
      prompt: `Run B: a seed of ${scenario.name} (A has seed ${scenario.seed}), or another scenario (other.yaml, other.yaml@8) or a saved trace (run.trace.jsonl), beside this one or absolute`,
      value: String(scenario.seed + 1),
      validateInput: (v) => (v.trim() === '' ? 'a seed, a scenario file or a trace file' : /^\d+$/.test(v.trim()) && Number(v) > Number.MAX_SAFE_INTEGER ? 'a seed is at most 2^53 − 1' : undefined),
    }));
  if (bText === undefined) return undefined;
  const atText =
    req.at ??
    (await vscode.window.showInputBox({
      title: 'Gossip Scope: Compare Two Runs (2/2)',
      prompt: 'Compare every peer\u2019s state at this simulated time',
      value: formatDuration(scenario.run.until),
      validateInput: (v) => (parseDuration(v) === null ? 'a duration such as 30s or 1m30s' : undefined),
    }));
  if (atText === undefined) return undefined;
  const at = parseDuration(atText);
  if (at === null) {
    void vscode.window.showErrorMessage(`Gossip Scope: '${atText}' is not a duration (30s, 1m30s)`);
    return undefined;
  }
  const job: DiffJob = { a: { scenario: aFile }, b: sideOf(bText), at };
  let diff: RunDiff;
  try {
    diff = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Gossip Scope: comparing ${scenario.name} with ${bText.trim()}`, cancellable: true },
      (_progress, token) => runWorkerJob<RunDiff>(extensionUri, 'diff-worker.js', job, token),
    );
  } catch (e) {
    if (e instanceof vscode.CancellationError) return undefined;
    void vscode.window.showErrorMessage(`Gossip Scope: could not compare the runs: ${(e as Error).message}`);
    return undefined;
  }
  // Rendered (VS Code's Markdown preview), not a buffer of Markdown source: the page is written
  // to a file of its own, named after the two runs, and shown beside.
  const page = join(tmpdir(), 'gossip-scope-compare', `${safeName(scenario.name)} vs ${safeName(bText.trim())} at ${safeName(atText.trim())}.md`);
  mkdirSync(dirname(page), { recursive: true });
  writeFileSync(page, diffMarkdown(diff));
  await vscode.commands.executeCommand(vscode.window.activeTextEditor ? 'markdown.showPreviewToSide' : 'markdown.showPreview', vscode.Uri.file(page));
  return diff;
}

/** A run's label as a file name: path separators and other awkward characters out. */
function safeName(text: string): string {
  return text.replace(/^.*[\\/]/, '').replace(/[^\w.@ -]+/g, '_').slice(0, 60) || 'run';
}

/** `other.yaml@8` beside the scenario, unless it is absolute. */
function resolveAgainst(base: string, text: string): string {
  return isAbsolute(text) ? text : join(base, text);
}
