/**
 * Check Fabric Network…: engine/doctor's findings as diagnostics on the network's own files, at
 * the line and column Fabric reads them from (Problems view, squiggles), with Fabric's log line as
 * related information, and a Quick Fix where the finding carries a mechanical edit. No rule lives
 * here: this only shows what the engine found. Saving a checked file checks the network again.
 */
import * as vscode from 'vscode';
import { diagnosePaths, DoctorInputError } from '../engine/doctor/index.js';
import type { Finding, FindingEdit, Severity } from '../engine/doctor/finding.js';
import type { NetworkFile } from '../engine/import/network.js';
import type { FindingRef } from './show-me.js';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** What the command returns (and the tests read). */
export interface CheckResult {
  findings: Finding[];
  notes: string[];
}

export class FabricDoctor implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('fabric-doctor');
  /** The edit of each diagnostic shown, by where it is and what it says. */
  private edits = new Map<string, FindingEdit>();
  /** The paths last checked, and the files they were read from. */
  private last: { paths: string[]; files: Set<string>; texts: Map<string, string>; findings: Finding[] } | undefined;
  /** The finding of each diagnostic shown (for Show me and Fix and compare). */
  private findings = new Map<string, Finding>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.languages.registerCodeActionsProvider([{ scheme: 'file', pattern: '**/*.{yaml,yml}' }], this, { providedCodeActionKinds: FabricDoctor.providedCodeActionKinds }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (this.last?.files.has(d.uri.fsPath)) void this.run(this.last.paths, false);
      }),
    ];
  }

  /** Asks for the files or folder (unless given), checks them, shows the findings. */
  async check(given?: vscode.Uri[]): Promise<CheckResult | undefined> {
    const picked =
      given ??
      (await vscode.window.showOpenDialog({
        title: 'Gossip Scope: Check Fabric Network (compose file, configtx.yaml, core.yaml, or their folder)',
        canSelectFiles: true,
        canSelectFolders: true,
        canSelectMany: true,
        filters: { 'Fabric configuration': ['yaml', 'yml'] },
      }));
    if (!picked || picked.length === 0) return undefined;
    return this.run(picked.map((u) => u.fsPath), true);
  }

  private async run(paths: string[], tell: boolean): Promise<CheckResult | undefined> {
    let result;
    try {
      result = diagnosePaths(paths, [], { now: Date.now() });
    } catch (e) {
      if (!(e instanceof DoctorInputError)) throw e;
      const first = e.diagnostics[0];
      const pick = await vscode.window.showErrorMessage(`Gossip Scope cannot check this network. ${vscode.workspace.asRelativePath(first.file)}:${first.line}:${first.col}: ${first.message}`, 'Show');
      if (pick) await vscode.window.showTextDocument(vscode.Uri.file(first.file), { selection: new vscode.Range(first.line - 1, first.col - 1, first.line - 1, first.col - 1) });
      return undefined;
    }
    this.last = { paths, files: new Set(result.network.texts.keys()), texts: result.network.texts, findings: result.findings };
    await this.show(result.findings);
    if (tell) {
      const errors = result.findings.filter((f) => f.severity === 'error').length;
      const summary = `Gossip Scope: ${result.findings.length === 0 ? 'no finding' : `${errors} error(s), ${result.findings.length - errors} other finding(s)`} in ${result.network.peers.length} peers' configuration.`;
      if (result.findings.length > 0) await vscode.commands.executeCommand('workbench.actions.view.problems');
      const u = result.unreadable;
      const notes = [...result.notes, ...(u.length > 0 ? [`${u.length} certificate file(s) could not be read (${vscode.workspace.asRelativePath(u[0].file)}:${u[0].line}:${u[0].col}: ${u[0].message})`] : [])];
      void vscode.window.showInformationMessage(notes.length > 0 ? `${summary} ${notes.join('; ')}` : summary);
    }
    return { findings: result.findings, notes: result.notes };
  }

  private async show(findings: Finding[]): Promise<void> {
    this.collection.clear();
    this.edits = new Map();
    this.findings = new Map();
    const byFile = new Map<string, Finding[]>();
    for (const f of findings) byFile.set(f.at.file, [...(byFile.get(f.at.file) ?? []), f]);
    for (const [file, fs] of byFile) {
      const uri = vscode.Uri.file(file);
      const doc = await vscode.workspace.openTextDocument(uri);
      this.collection.set(uri, fs.map((f) => this.diagnostic(uri, doc, f)));
    }
  }

  private diagnostic(uri: vscode.Uri, doc: vscode.TextDocument, f: Finding): vscode.Diagnostic {
    const at = new vscode.Position(f.at.line - 1, f.at.col - 1);
    // The word (a key, a value, host:port) the finding points at is underlined.
    const range = doc.getWordRangeAtPosition(at, /[^\s,{}\[\]=]+/) ?? new vscode.Range(at, at.translate(0, 1));
    const d = new vscode.Diagnostic(range, f.what, SEVERITY[f.severity]);
    d.source = 'Fabric Doctor';
    d.code = f.rule;
    const here = new vscode.Location(uri, range);
    d.relatedInformation = [
      ...(f.fabric.log ? [new vscode.DiagnosticRelatedInformation(here, `Fabric logs "${f.fabric.log}" (${f.fabric.source})`)] : []),
      new vscode.DiagnosticRelatedInformation(here, `Fabric does: ${f.fabric.effect}${f.fabric.log ? '' : ` (${f.fabric.source})`}`),
      new vscode.DiagnosticRelatedInformation(here, `affects: ${f.affected.join(', ')}`),
      new vscode.DiagnosticRelatedInformation(here, `fix: ${f.fix}`),
    ];
    if (f.edit) this.edits.set(key(uri, d), f.edit);
    this.findings.set(key(uri, d), f);
    return d;
  }

  /** The last check's findings. */
  lastFindings(): Finding[] {
    return this.last?.findings ?? [];
  }

  /** The last check's files as they were read (what Show me imports and runs). */
  lastFiles(): NetworkFile[] {
    return [...(this.last?.texts ?? new Map<string, string>())].map(([path, text]) => ({ path, text }));
  }

  /** A finding of the last check by its rule and place. */
  findingAt(ref: FindingRef): Finding | undefined {
    return this.lastFindings().find((f) => f.rule === ref.rule && f.at.file === ref.at.file && f.at.line === ref.at.line && f.at.col === ref.at.col);
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      const f = d.source === 'Fabric Doctor' ? this.findings.get(key(doc.uri, d)) : undefined;
      if (f) out.push(...this.replays(f, d));
      const e = d.source === 'Fabric Doctor' ? this.edits.get(key(doc.uri, d)) : undefined;
      if (!e) continue;
      const action = new vscode.CodeAction(e.title, vscode.CodeActionKind.QuickFix);
      const start = new vscode.Position(e.line - 1, e.col - 1);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(vscode.Uri.file(e.file), new vscode.Range(start, start.translate(0, e.length)), e.text);
      action.diagnostics = [d];
      action.isPreferred = true;
      out.push(action);
    }
    return out;
  }

  /** Show me (every finding) and Fix and compare (a finding with a mechanical fix), as commands on the diagnostic. */
  private replays(f: Finding, d: vscode.Diagnostic): vscode.CodeAction[] {
    const ref: FindingRef = { rule: f.rule, at: { file: f.at.file, line: f.at.line, col: f.at.col } };
    const show = new vscode.CodeAction('Show Me in the Network', vscode.CodeActionKind.QuickFix);
    show.command = { command: 'gossipScope.showMe', title: 'Show Me in the Network', arguments: [ref] };
    show.diagnostics = [d];
    if (!f.edit) return [show];
    const compare = new vscode.CodeAction(`Fix and Compare (${f.edit.title})`, vscode.CodeActionKind.QuickFix);
    compare.command = { command: 'gossipScope.fixAndCompare', title: 'Fix and Compare', arguments: [ref] };
    compare.diagnostics = [d];
    return [show, compare];
  }

  dispose(): void {
    this.collection.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

function key(uri: vscode.Uri, d: vscode.Diagnostic): string {
  return `${uri.toString()}#${d.range.start.line}:${d.range.start.character}#${String(typeof d.code === 'object' ? d.code.value : d.code)}#${d.message}`;
}
