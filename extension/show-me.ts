/**
 * Show Me in the Network and Fix and Compare, on a Fabric Doctor finding: the network's own files
 * are run in the engine with the mistake (engine/doctor/show-me.ts says when and how it shows);
 * Show me opens that run in the panel, run to the moment, with the peer to look at selected and
 * the lesson box saying what to see; Fix and compare runs it again with the finding's fix and
 * opens Compare Two Runs' page on the two. No rule or measurement lives here.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../engine/doctor/finding.js';
import { consequenceOf, ShowMeError, type Consequence } from '../engine/doctor/show-me.js';
import type { RunDiff } from '../engine/debug/diff.js';
import { compareCommand } from './compare-command.js';
import type { FabricDoctor } from './fabric-doctor.js';
import type { NetworkController } from './network-controller.js';
import type { NetworkPanel } from './panel.js';

/** Which finding: as the check returned it (rule and place), or none to pick from the last check. */
export interface FindingRef {
  rule: string;
  at: { file: string; line: number; col: number };
}

/** What Show me returns (and the tests read). */
export interface ShowMeResult {
  at?: number;
  sentence: string;
  peer?: string;
  /** The scenario written and opened (the network with the mistake). */
  scenario: string;
}

async function measured(doctor: FabricDoctor, ref: FindingRef | undefined, title: string): Promise<{ finding: Finding; c: Consequence } | undefined> {
  const finding = ref ? doctor.findingAt(ref) : await pickFinding(doctor, title);
  if (!finding) {
    if (ref) void vscode.window.showErrorMessage(`Gossip Scope: no finding ${ref.rule} at ${vscode.workspace.asRelativePath(ref.at.file)}:${ref.at.line}:${ref.at.col} in the last check: check the network again.`);
    return undefined;
  }
  try {
    const c = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Gossip Scope: running the network with the mistake (${finding.rule})${finding.edit ? ' and with its fix' : ''}` }, () =>
      consequenceOf(finding, doctor.lastFiles()),
    );
    return { finding, c };
  } catch (e) {
    if (!(e instanceof ShowMeError)) throw e;
    void vscode.window.showErrorMessage(`Gossip Scope cannot show this finding: ${e.message}`);
    return undefined;
  }
}

async function pickFinding(doctor: FabricDoctor, title: string): Promise<Finding | undefined> {
  const all = doctor.lastFindings();
  if (all.length === 0) {
    void vscode.window.showInformationMessage('Gossip Scope: no finding to show: run Gossip Scope: Check Fabric Network… first.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    all.map((f) => ({ label: f.rule, description: `${vscode.workspace.asRelativePath(f.at.file)}:${f.at.line}:${f.at.col}`, detail: f.what, f })),
    { title },
  );
  return pick?.f;
}

/** A scenario text written where the panel can open it (the system's temporary folder). */
function written(name: string, text: string): vscode.Uri {
  const dir = join(tmpdir(), 'gossip-scope-show-me');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name.replace(/[^\w.@ -]+/g, '_')}.yaml`);
  writeFileSync(path, text);
  return vscode.Uri.file(path);
}

export async function showMe(controller: NetworkController, panel: NetworkPanel, doctor: FabricDoctor, ref?: FindingRef): Promise<ShowMeResult | undefined> {
  const m = await measured(doctor, ref, 'Gossip Scope: Show Me in the Network: which finding?');
  if (!m) return undefined;
  const { finding, c } = m;
  const uri = written(`${finding.rule} with the mistake`, c.scenario);
  panel.show(vscode.ViewColumn.Beside);
  if (!(await controller.open(uri))) return undefined;
  // As fast as possible to the moment it shows (or the end, when it shows none), then paused there.
  controller.setSpeed(0);
  controller.send({ type: 'control', action: 'run', until: c.at ?? c.until });
  const idx = controller.snapshot?.network.peers.findIndex((p) => p.id === c.peer) ?? -1;
  if (idx >= 0) {
    panel.post({ type: 'select', what: 'peer', idx });
    controller.send({ type: 'inspectPeer', idx });
  }
  void vscode.window.showInformationMessage(`Gossip Scope, Show me: ${c.sentence}.${c.at !== undefined && c.peer ? ` ${c.peer} is selected: its Members list is in the inspector.` : ''}`);
  return { at: c.at, sentence: c.sentence, peer: c.peer, scenario: uri.fsPath };
}

export async function fixAndCompare(extensionUri: vscode.Uri, doctor: FabricDoctor, ref?: FindingRef): Promise<RunDiff | undefined> {
  const m = await measured(doctor, ref, 'Gossip Scope: Fix and Compare: which finding?');
  if (!m) return undefined;
  const { finding, c } = m;
  if (c.fixed === undefined) {
    void vscode.window.showInformationMessage(`Gossip Scope: ${finding.rule} has no mechanical fix to run: ${finding.fix}.`);
    return undefined;
  }
  const a = written(`${finding.rule} with the mistake`, c.scenario);
  const b = written(`${finding.rule} fixed`, c.fixed);
  // At the end of the run: by then what the mistake withholds has stayed withheld (consequenceOf's measure).
  return compareCommand(extensionUri, { a: a.fsPath, b: b.fsPath, at: `${c.until / 1000}s` });
}
