/**
 * "Show Metrics" as a read-only Markdown document (scheme gossip-scope-metrics): a report, not an
 * untitled file, so it is never dirty, never asks to be saved, and refreshes in place.
 */
import * as vscode from 'vscode';

export const METRICS_SCHEME = 'gossip-scope-metrics';

export class MetricsDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(METRICS_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Shows `markdown` beside the panel as the metrics of `scenario` (replacing earlier ones). */
  async show(scenario: string, markdown: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: METRICS_SCHEME, path: `/${scenario}.metrics.md` });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
