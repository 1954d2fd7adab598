/**
 * The `gossipScope.activeIsScenario` context key: whether the active editor holds a scenario
 * (a YAML file with orgs and channels), so the editor title offers Open Network and Debug
 * Scenario on scenarios, whatever their file name, and not on other YAML files.
 */
import * as vscode from 'vscode';
import { looksLikeScenario } from './scenario-diagnostics.js';

export function trackActiveScenario(): vscode.Disposable {
  let last: boolean | undefined;
  const update = () => {
    const doc = vscode.window.activeTextEditor?.document;
    const is = doc !== undefined && doc.languageId === 'yaml' && looksLikeScenario(doc.getText());
    if (is === last) return;
    last = is;
    void vscode.commands.executeCommand('setContext', 'gossipScope.activeIsScenario', is);
  };
  update();
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (d === vscode.window.activeTextEditor?.document) update();
    }),
  );
}
