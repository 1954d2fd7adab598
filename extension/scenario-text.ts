/**
 * A scenario file read through VS Code's file system, with the engine's checks (engine/scenario/
 * load.ts): the size bound before the bytes are read, then UTF-8 (UTF-16 named, a bad byte placed
 * at line:col). A plain TextDecoder turned both into U+FFFD and a misleading "missing key".
 */
import * as vscode from 'vscode';
import { ScenarioError, scenarioSizeProblem, scenarioTextOf } from '../engine/scenario/load.js';

/** The text, or a ScenarioError at file:line:col. */
export async function readScenarioUri(uri: vscode.Uri): Promise<string> {
  const file = uri.scheme === 'file' ? uri.fsPath : uri.toString();
  const big = scenarioSizeProblem((await vscode.workspace.fs.stat(uri)).size, file);
  if (big !== undefined) throw big;
  return scenarioTextOf(await vscode.workspace.fs.readFile(uri), file);
}

/** The text, or undefined when it is not a readable scenario (for lists that only look). */
export async function tryReadScenarioUri(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return await readScenarioUri(uri);
  } catch (e) {
    if (e instanceof ScenarioError) return undefined;
    throw e;
  }
}

/** The text, or undefined after saying why in an error message (for commands that then stop). */
export async function readScenarioOrSay(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return await readScenarioUri(uri);
  } catch (e) {
    void vscode.window.showErrorMessage(`Gossip Scope: ${(e as Error).message}`);
    return undefined;
  }
}
