/**
 * Problems-view diagnostics for scenario files, from the engine's own loader (the same checks
 * the CLI and the worker make), on open and on save of YAML files that look like scenarios.
 */
import * as vscode from 'vscode';
import { loadScenario, ScenarioError, type Diagnostic } from '../engine/scenario/load.js';

/** A YAML file with top-level `orgs:` and `channels:` keys. */
export function looksLikeScenario(text: string): boolean {
  return /^orgs\s*:/m.test(text) && /^channels\s*:/m.test(text);
}

function isYaml(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'yaml' || /\.ya?ml$/i.test(doc.fileName);
}

export class ScenarioDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('gossip-scope');
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidSaveTextDocument((d) => this.check(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    ];
    for (const d of vscode.workspace.textDocuments) this.check(d);
  }

  check(doc: vscode.TextDocument): void {
    if (!isYaml(doc)) return;
    const text = doc.getText();
    if (!looksLikeScenario(text)) return this.collection.delete(doc.uri);
    try {
      // What Fabric would run but the user should know (a 0 read as unset, say) shows as a warning.
      const warnings = loadScenario(text, doc.uri.fsPath).warnings ?? [];
      if (warnings.length === 0) this.collection.delete(doc.uri);
      else this.report(doc.uri, [], warnings);
    } catch (err) {
      this.report(doc.uri, err instanceof ScenarioError ? err.diagnostics : [{ file: doc.uri.fsPath, line: 1, col: 1, message: String(err) }]);
    }
  }

  /** Shows the loader's problems (and warnings) for a file (1-based line and column) in the Problems view. */
  report(uri: vscode.Uri, diagnostics: readonly Diagnostic[], warnings: readonly Diagnostic[] = []): void {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const severity = (d: Diagnostic) => (warnings.includes(d) ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error);
    this.collection.set(
      uri,
      [...diagnostics, ...warnings].map((d) => {
        const at = new vscode.Position(Math.max(0, d.line - 1), Math.max(0, d.col - 1));
        // Underline the word the loader points at, so the squiggle is visible.
        const range = doc?.getWordRangeAtPosition(at, /[^\s,:{}\[\]]+/) ?? new vscode.Range(at, at.translate(0, 1));
        const diag = new vscode.Diagnostic(range, d.message, severity(d));
        diag.source = 'gossip-scope';
        return diag;
      }),
    );
  }

  dispose(): void {
    this.collection.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
