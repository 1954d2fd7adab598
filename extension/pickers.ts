/** The quick picks behind the commands: which scenario, which fault on which peers, what speed. */
import { realpathSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { MESSAGE_TYPES } from '../engine/fabric/message-types.js';
import type { NetworkSnapshot } from './engine-client.js';
import { SPEED_CHOICES, type FaultRequest } from './protocol.js';
import { looksLikeScenario } from './scenario-diagnostics.js';
import { tryReadScenarioUri } from './scenario-text.js';
import { scenarioName } from './scenario-name.js';

interface ScenarioItem extends vscode.QuickPickItem {
  uri: vscode.Uri;
}

/** An unreadable file (too big, not UTF-8) is not listed: its own command says why when it is opened. */
async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ? open.getText() : ((await tryReadScenarioUri(uri)) ?? '');
}

/** The extension may be linked into VS Code's extensions folder: compare real paths. */
function sameFileKey(uri: vscode.Uri): string {
  if (uri.scheme !== 'file') return uri.toString();
  try {
    return realpathSync(uri.fsPath);
  } catch {
    return uri.fsPath;
  }
}

function scenarioItem(uri: vscode.Uri, text: string, where: string): ScenarioItem {
  const name = scenarioName(text);
  const label = uri.path.split('/').pop()!;
  return { label, description: where === label ? 'workspace' : where, detail: name ? `scenario ${name}` : undefined, uri };
}

/**
 * A scenario named by a command argument (a walkthrough link passes "membership.yaml"): a URI as
 * it is, a URI string parsed, an absolute path as that file, a relative path (a bare name) as the
 * bundled sample under the extension's own samples/ folder, so links work from an installed .vsix.
 */
function scenarioArgument(extensionUri: vscode.Uri, arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg !== 'string' || arg.trim() === '') return undefined;
  // A scheme of two letters or more: "C:\\x.yaml" is a Windows path, not a URI.
  if (/^[a-zA-Z][\w+.-]+:\/\//.test(arg)) return vscode.Uri.parse(arg, true);
  if (isAbsolute(arg)) return vscode.Uri.file(arg);
  return vscode.Uri.joinPath(extensionUri, 'samples', arg.replace(/\\/g, '/'));
}

/**
 * The scenario a command opens: the one its argument names, which must exist (a clear error
 * otherwise, rather than the command failing), or without an argument `otherwise()` (by
 * default the one the user picks).
 */
export async function chooseScenario(
  extensionUri: vscode.Uri,
  arg: unknown,
  otherwise: () => Promise<vscode.Uri | undefined> = () => pickScenario(extensionUri),
): Promise<vscode.Uri | undefined> {
  const named = scenarioArgument(extensionUri, arg);
  if (!named) return otherwise();
  try {
    await vscode.workspace.fs.stat(named);
    return named;
  } catch {
    void vscode.window.showErrorMessage(`Gossip Scope: there is no scenario file at ${named.scheme === 'file' ? named.fsPath : named.toString()}.`);
    return undefined;
  }
}

/**
 * The active editor's scenario first, then the workspace's scenario files, then the bundled
 * samples, under the title of the command that asks (each its own, so the user knows what for).
 */
export async function pickScenario(extensionUri: vscode.Uri, title = 'Gossip Scope: Open Network'): Promise<vscode.Uri | undefined> {
  const items: ScenarioItem[] = [];
  const seen = new Set<string>();
  const add = (uri: vscode.Uri, text: string, where: string) => {
    const key = sameFileKey(uri);
    if (seen.has(key) || !looksLikeScenario(text)) return;
    seen.add(key);
    items.push(scenarioItem(uri, text, where));
  };
  const active = vscode.window.activeTextEditor?.document;
  if (active) add(active.uri, active.getText(), 'active editor');
  for (const uri of await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/node_modules/**', 200)) {
    add(uri, await readText(uri), vscode.workspace.asRelativePath(uri));
  }
  const samples = vscode.Uri.joinPath(extensionUri, 'samples');
  for (const [name] of await vscode.workspace.fs.readDirectory(samples).then(undefined, () => [] as [string, vscode.FileType][])) {
    if (/\.ya?ml$/.test(name)) add(vscode.Uri.joinPath(samples, name), await readText(vscode.Uri.joinPath(samples, name)), 'Gossip Scope sample');
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No scenario files found: a scenario is a YAML file with orgs: and channels: (see the samples).');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'Scenario file', matchOnDescription: true, matchOnDetail: true });
  return pick?.uri;
}

type PeerItem = vscode.QuickPickItem & { id: string };

async function pickPeer(snap: NetworkSnapshot, running: boolean, title: string, except?: string): Promise<string | undefined> {
  const items: PeerItem[] = snap.network.peers
    .filter((p) => (snap.states[p.idx]?.running ?? false) === running && p.id !== except)
    .map((p) => ({ label: p.id, description: p.mspId, id: p.id }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(running ? 'Every peer is already down.' : 'No peer is down.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Peer', ignoreFocusOut: true }))?.id;
}

/** Partition: the peers (or whole orgs) picked form one side, everyone else the other. */
async function pickPartition(snap: NetworkSnapshot): Promise<FaultRequest | undefined> {
  const items: PeerItem[] = [
    ...snap.network.orgs.map((o) => ({ label: `$(organization) ${o.mspId}`, description: 'whole org', id: o.mspId })),
    ...snap.network.peers.map((p) => ({ label: p.id, description: p.mspId, id: p.id })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Partition: pick one side (the rest form the other)', canPickMany: true, ignoreFocusOut: true });
  if (!picked || picked.length === 0) return undefined;
  const side = new Set(picked.flatMap((i) => snap.network.peers.filter((p) => p.id === i.id || p.mspId === i.id).map((p) => p.id)));
  const rest = snap.network.peers.filter((p) => !side.has(p.id)).map((p) => p.id);
  if (rest.length === 0) {
    void vscode.window.showWarningMessage('A partition needs peers on both sides.');
    return undefined;
  }
  return { kind: 'partition', groups: [[...side], rest] };
}

export async function pickFault(snap: NetworkSnapshot): Promise<FaultRequest | undefined> {
  const kinds = [
    { label: '$(debug-stop) Crash a peer', fault: 'crash' },
    { label: '$(debug-restart) Restart a peer', fault: 'restart' },
    { label: '$(debug-pause) Pause a peer', fault: 'pause' },
    { label: '$(debug-continue) Resume a paused peer', fault: 'resume' },
    { label: '$(split-horizontal) Partition the network', fault: 'partition' },
    { label: '$(link) Heal all partitions', fault: 'heal' },
    { label: '$(edit) Tamper with the next message from a peer', fault: 'tamper' },
    { label: '$(circle-slash) Drop or delay messages between two peers', fault: 'link' },
    { label: '$(bug) Make a peer Byzantine', fault: 'byzantine' },
  ] as const;
  // Every step of the fault wizard stays open when focus moves (a panel redrawing as the run
  // goes): a step that closed by itself dropped the whole fault. Escape still cancels.
  const kind = (await vscode.window.showQuickPick(kinds, { title: 'Gossip Scope: Inject Fault', ignoreFocusOut: true }))?.fault;
  switch (kind) {
    case 'crash':
    case 'restart': {
      const peer = await pickPeer(snap, kind === 'crash', kind === 'crash' ? 'Crash which peer?' : 'Restart which peer?');
      return peer ? { kind, peer } : undefined;
    }
    case 'pause':
    case 'resume': {
      // A paused peer still counts as running (its process is there), so both list running peers.
      const peer = await pickPeer(snap, true, kind === 'pause' ? 'Pause which peer?' : 'Resume which peer?');
      return peer ? { kind, peer } : undefined;
    }
    case 'tamper': {
      const from = await pickPeer(snap, true, 'Tamper with the next message sent by which peer?');
      if (!from) return undefined;
      const type = await vscode.window.showQuickPick(
        ['AliveMessage', 'StateInfo', 'LeadershipMessage', 'DataMessage', 'any message'].map((label) => ({ label })),
        { title: 'Which kind of message?', ignoreFocusOut: true },
      );
      if (!type) return undefined;
      const mode = await vscode.window.showQuickPick(
        [
          { label: 'Flip a byte of the payload', mode: 'flip' as const },
          { label: 'Strip the signature', mode: 'strip-signature' as const },
        ],
        { title: 'How?', ignoreFocusOut: true },
      );
      if (!mode) return undefined;
      // More than one: a tampered copy of a message the receiver already holds is dropped as a
      // duplicate before any check (msgStore.CheckValid), so one copy may pass unnoticed.
      const count = await vscode.window.showQuickPick(
        [
          { label: 'Only the next one', count: 1 },
          { label: 'The next 3', count: 3 },
          { label: 'The next 10', count: 10 },
        ],
        { title: 'How many of its messages?', ignoreFocusOut: true },
      );
      const only = type.label === 'any message' ? null : type.label;
      return count ? { kind: 'tamper', rule: { from, to: null, type: only, mode: mode.mode, count: count.count } } : undefined;
    }
    case 'byzantine': {
      const peer = await pickPeer(snap, true, 'Which peer turns Byzantine?');
      if (!peer) return undefined;
      const how = await vscode.window.showQuickPick(
        [
          { label: 'Forge alive messages for another peer', behaviour: 'forge-alive' as const },
          { label: "Replay another peer's old alive message", behaviour: 'replay-alive' as const },
          { label: 'Sign with high-S signatures', behaviour: 'high-s' as const },
          { label: 'Withhold blocks', behaviour: 'withhold' as const },
          { label: 'Flood its peers', behaviour: 'flood' as const },
        ],
        { title: `What does ${peer} do?`, ignoreFocusOut: true },
      );
      if (!how) return undefined;
      let target: string | null = null;
      if (how.behaviour === 'forge-alive' || how.behaviour === 'replay-alive') {
        target = (await pickPeer(snap, true, 'Impersonating which peer?')) ?? null;
        if (target === null) return undefined;
      }
      return { kind: 'byzantine', peer, behaviour: how.behaviour, target, channel: null };
    }
    case 'link': {
      const a = await pickPeer(snap, true, 'One end of the link');
      if (!a) return undefined;
      const b = await pickPeer(snap, true, `The other end (messages ${a} ↔ it)`, a);
      if (!b) return undefined;
      const how = await vscode.window.showQuickPick(
        [
          { label: 'Drop every message for 10 s', loss: 1, delay: 0, forMs: 10_000 },
          { label: 'Drop half the messages for 30 s', loss: 0.5, delay: 0, forMs: 30_000 },
          { label: 'Delay every message by 1 s, for 30 s', loss: 0, delay: 1000, forMs: 30_000 },
          { label: 'Delay every message by 5 s, for 60 s', loss: 0, delay: 5000, forMs: 60_000 },
        ],
        { title: `${a} ↔ ${b}`, ignoreFocusOut: true },
      );
      return how ? { kind: 'link', between: [a, b], loss: how.loss, delay: how.delay, forMs: how.forMs } : undefined;
    }
    case 'partition':
      return pickPartition(snap);
    case 'heal':
      return { kind: 'heal' };
    default:
      return undefined;
  }
}

/** Simulated ms per real ms; 0 = as fast as possible. The same choices as the panel's speed list. */
export async function pickSpeed(current: number): Promise<number | undefined> {
  const items = [
    ...SPEED_CHOICES.map((c) => ({ label: c.label, speed: c.speed as number | undefined })),
    { label: 'Other…', description: 'simulated ms per real ms', speed: undefined },
  ].map((i) => ({ ...i, picked: i.speed === current }));
  const pick = await vscode.window.showQuickPick(items, { title: `Gossip Scope: Set Speed (now ${current === 0 ? 'as fast as possible' : `${current}×`})` });
  if (!pick) return undefined;
  if (pick.speed !== undefined) return pick.speed;
  const typed = await vscode.window.showInputBox({
    title: 'Simulated milliseconds per real millisecond (0 = as fast as possible)',
    value: String(current),
    validateInput: (v) => (Number.isFinite(Number(v)) && Number(v) >= 0 && v.trim() !== '' ? undefined : 'a number, 0 or more'),
  });
  return typed === undefined ? undefined : Number(typed);
}

export async function pickMessageType(): Promise<string | undefined> {
  return vscode.window.showQuickPick([...MESSAGE_TYPES], { title: 'Gossip Scope: Step to the next message of type', placeHolder: 'Fabric message type' });
}
