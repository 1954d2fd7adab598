/**
 * Extension-host tests: they run inside VS Code's extension host, next to the extension, and
 * drive it through the `vscode` API — its commands with arguments, the debug API — checking the
 * network the extension reports. VS Code loads this file (bundled) as `extensionTestsPath` and
 * calls run(): under @vscode/test-electron (scripts/test-electron.mjs) where VS Code can be
 * downloaded, and in code-server (test/e2e/host.e2e.test.ts).
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { GossipScopeApi } from '../../extension/extension.js';

type Snapshot = NonNullable<ReturnType<GossipScopeApi['snapshot']>>;

/** fabric-samples' test network (compose, configtx.yaml, core.yaml), from the bundled suite in dist/test. */
const TEST_NETWORK = join(__dirname, '..', '..', 'test', 'doctor', 'fixtures', 'test-network');

async function api(): Promise<GossipScopeApi> {
  const ext = vscode.extensions.getExtension<GossipScopeApi>('gossip-scope.gossip-scope');
  assert.ok(ext, 'the extension is installed');
  return ext.isActive ? ext.exports : ext.activate();
}

/** Waits until the open network satisfies `ok`. */
async function until(ok: (s: Snapshot) => boolean, what: string, timeoutMs = 20_000): Promise<Snapshot> {
  const gs = await api();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = gs.snapshot();
    if (s && ok(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; last status ${JSON.stringify(s?.status)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const tests: [string, () => Promise<void>][] = [
  [
    'Open Network opens a bundled sample by name',
    async () => {
      // A name that is no sample is an error message and no network, not a failed command.
      assert.equal(await vscode.commands.executeCommand('gossipScope.openNetwork', 'no-such-lesson.yaml'), false);
      assert.equal((await api()).snapshot(), undefined);
      assert.equal(await vscode.commands.executeCommand('gossipScope.openNetwork', 'membership.yaml'), true);
      const s = await until((x) => x.network.scenario.name === 'membership', 'the membership sample is open');
      assert.equal(s.network.peers.length, 8);
      assert.equal(s.status.state, 'paused');
      assert.equal(s.status.events, 0);
    },
  ],
  [
    'Step executes events one at a time',
    async () => {
      for (let i = 0; i < 3; i++) await vscode.commands.executeCommand('gossipScope.step');
      await until((x) => x.status.events > 0, 'events happened');
    },
  ],
  [
    'Set Speed, Run and Pause',
    async () => {
      await vscode.commands.executeCommand('gossipScope.setSpeed', 0);
      await vscode.commands.executeCommand('gossipScope.run');
      await until((x) => x.status.simTime >= 6000, 'six simulated seconds passed');
      await vscode.commands.executeCommand('gossipScope.pause');
      const paused = await until((x) => x.status.state === 'paused', 'paused');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await api()).snapshot()!.status.simTime, paused.status.simTime, 'no time passes while paused');
    },
  ],
  [
    'Inject Fault with a fault as argument crashes a peer',
    async () => {
      await vscode.commands.executeCommand('gossipScope.injectFault', { kind: 'crash', peer: 'peer1.org2' });
      await vscode.commands.executeCommand('gossipScope.step');
      await until((x) => x.states[5].running === false, 'peer1.org2 is down');
    },
  ],
  [
    'Export Trace to a given file writes the run with its hash',
    async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'gossip-host-')), 'run.jsonl');
      await vscode.commands.executeCommand('gossipScope.exportTrace', vscode.Uri.file(file));
      assert.ok(existsSync(file));
      const header = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]);
      assert.equal(header.scenario, 'membership');
      assert.match(header.traceHash, /^[0-9a-f]{64}$/);
      assert.equal(header.faults.length, 1, 'the injected crash is recorded for replay');
    },
  ],
  [
    'Show Metrics opens the run summary',
    async () => {
      await vscode.commands.executeCommand('gossipScope.showMetrics');
      const deadline = Date.now() + 10_000;
      // A read-only report: not an untitled file that would ask to be saved.
      while (!vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'gossip-scope-metrics' && d.languageId === 'markdown' && !d.isDirty && d.getText().includes('# Gossip Scope metrics: membership'))) {
        assert.ok(Date.now() < deadline, 'no metrics document');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  ],
  [
    'Debug Scenario starts a gossip debug session the debug API can drive',
    async () => {
      const started = new Promise<vscode.DebugSession>((resolve) => {
        const sub = vscode.debug.onDidStartDebugSession((s) => {
          sub.dispose();
          resolve(s);
        });
      });
      assert.equal(await vscode.commands.executeCommand('gossipScope.debugScenario', 'two-orgs.yaml'), true);
      const session = await started;
      assert.equal(session.type, 'gossip');
      // The graph follows the session: the extension now reports the debugged network.
      await until((x) => x.network.scenario.name === 'two-orgs-partition', 'the panel follows the debug session');
      const threads = (await session.customRequest('threads')) as { threads: { name: string }[] };
      assert.equal(threads.threads.length, 9);
      await session.customRequest('next', { threadId: 1 });
      await until((x) => x.status.events > 0, 'the debugger stepped the network');
      const evaluated = (await session.customRequest('evaluate', { expression: 'height(peer0.org1)', context: 'repl' })) as { result: string };
      assert.match(evaluated.result, /^\d+$/);
      // The Pending Events view lists what waits once the session stops with messages on their way.
      const gs = await api();
      const waitFor = async (ok: (lines: string[]) => boolean, what: string) => {
        const deadline = Date.now() + 20_000;
        while (!ok(gs.pending())) {
          assert.ok(Date.now() < deadline, `${what}; the view lists:\n${gs.pending().join('\n')}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        return gs.pending();
      };
      let lines: string[] = [];
      for (let i = 0; i < 400 && !lines.some((l) => l.includes(' → ')); i++) {
        await session.customRequest('next', { threadId: 1 });
        lines = await waitFor((l) => l.length > 0, 'the view lists the pending events after a stop');
      }
      const message = lines.find((l) => l.includes(' → '));
      assert.ok(message, `a message on its way is listed:\n${lines.join('\n')}`);
      assert.ok(lines.some((l) => l.includes("'s timer ")), 'timers are listed');
      // Deliver it now from the view's menu: it leaves the list, and the trace says so.
      const [, seq, peer, label] = /^#(-?\d+) (\S+): (.*)$/.exec(message)!;
      await vscode.commands.executeCommand('gossipScope.pending.deliver', { entry: { seq: Number(seq), at: 0, peer, kind: 'message', label } });
      await session.customRequest('next', { threadId: 1 });
      await waitFor((l) => !l.some((x) => x.startsWith(`#${seq} `)), `#${seq} leaves the list once delivered`);
      await vscode.debug.stopDebugging(session);
    },
  ],
  [
    'Run Sweep with arguments runs every combination on workers and opens its report',
    async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'gossip-host-')), 'tiny.yaml');
      writeFileSync(
        file,
        'name: tiny\nseed: 2\nprofile: classic-gossip\norgs:\n  - { mspId: Org1MSP, peers: 4, anchorPeers: [peer0] }\nchannels:\n  - { name: ch, orgs: [Org1MSP] }\norderer: { start: 3s, batchTimeout: 1s, blocks: 2, txPerBlock: 1 }\nrun: { until: 6s }\n',
      );
      const sweep = (await vscode.commands.executeCommand('gossipScope.runSweep', { scenario: file, set: ['propagatePeerNum=1..2'], seeds: 2 })) as { runs: { values: Record<string, number>; seed: number }[] };
      assert.deepEqual(sweep.runs.map((r) => `${r.values.propagatePeerNum}/${r.seed}`), ['1/2', '1/3', '2/2', '2/3']);
      // The report's tab appears once the workbench has its webview.
      const deadline = Date.now() + 10_000;
      const seen = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => `${t.label} (${t.input instanceof vscode.TabInputWebview ? t.input.viewType : '-'})`);
      while (!seen().some((t) => t.startsWith('Sweep: tiny') && t.includes('gossipScope.sweepReport'))) {
        assert.ok(Date.now() < deadline, `no sweep report among the tabs: ${seen().join(', ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  ],
  [
    'Check Fabric Network puts each finding on its file at its line and column, and its Quick Fix edits the file',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gossip-doctor-'));
      cpSync(TEST_NETWORK, dir, { recursive: true });
      const compose = vscode.Uri.file(join(dir, 'compose', 'compose-test-net.yaml'));
      const configtx = vscode.Uri.file(join(dir, 'configtx', 'configtx.yaml'));
      const line = '      - CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org2.example.com:9051\n';
      writeFileSync(compose.fsPath, readFileSync(compose.fsPath, 'utf8').replace(line, ''));
      const result = (await vscode.commands.executeCommand('gossipScope.checkNetwork', vscode.Uri.file(dir))) as { findings: { rule: string }[] };
      assert.deepEqual(result.findings.map((f) => f.rule), ['external-endpoint-missing', 'anchor-not-a-peer']);
      // On peer0.org2's `environment:` key (line 189, column 5), an error, with Fabric's log line.
      const d = vscode.languages.getDiagnostics(compose).find((x) => x.code === 'external-endpoint-missing');
      assert.ok(d, 'the diagnostic is on the compose file');
      assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.character], [188, 4, 16]);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(d.source, 'Fabric Doctor');
      assert.equal(d.relatedInformation?.[0].message, 'Fabric logs "External endpoint is empty, peer will not be accessible outside of its organization" (gossip/gossip/gossip_impl.go)');
      const anchor = vscode.languages.getDiagnostics(configtx).find((x) => x.code === 'anchor-not-a-peer');
      assert.deepEqual([anchor?.range.start.line, anchor?.range.start.character], [108, 20]);
      // The Quick Fix adds the variable back; saving checks again, and nothing is left.
      const actions = (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', compose, d.range, vscode.CodeActionKind.QuickFix.value)) as vscode.CodeAction[];
      const fix = actions.find((a) => a.title === 'Add CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer0.org2.example.com:9051');
      assert.ok(fix?.edit, `a quick fix among: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      const doc = await vscode.workspace.openTextDocument(compose);
      assert.ok(await doc.save());
      assert.ok(readFileSync(compose.fsPath, 'utf8').includes(`      - CORE_CHAINCODE_EXECUTETIMEOUT=300s\n${line}    volumes:`));
      const deadline = Date.now() + 10_000;
      while (vscode.languages.getDiagnostics(compose).length + vscode.languages.getDiagnostics(configtx).length > 0) {
        assert.ok(Date.now() < deadline, 'the findings go once the fixed file is saved');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  ],
  [
    'Show Me in the Network and Fix and Compare on a Fabric Doctor finding: no anchor peer in either org',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gossip-show-me-'));
      cpSync(TEST_NETWORK, dir, { recursive: true });
      const configtx = vscode.Uri.file(join(dir, 'configtx', 'configtx.yaml'));
      // setAnchorPeer.sh never run: both orgs' AnchorPeers blocks (key, comments, entry) out.
      let text = readFileSync(configtx.fsPath, 'utf8');
      for (const org of ['Org1MSP', 'Org2MSP']) {
        const start = text.indexOf('        AnchorPeers:', text.indexOf(`ID: ${org}`));
        text = text.slice(0, start) + text.slice(text.indexOf('\n', text.indexOf('Port:', start)) + 1);
      }
      writeFileSync(configtx.fsPath, text);
      const result = (await vscode.commands.executeCommand('gossipScope.checkNetwork', vscode.Uri.file(dir))) as { findings: { rule: string; what: string }[] };
      assert.deepEqual(result.findings.map((f) => f.rule), ['anchor-missing', 'anchor-missing']);
      const d = vscode.languages.getDiagnostics(configtx).find((x) => x.message.startsWith('Org1MSP has no anchor peer'));
      assert.ok(d, 'the diagnostic is on configtx.yaml');
      const actions = (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', configtx, d.range, vscode.CodeActionKind.QuickFix.value)) as vscode.CodeAction[];
      const show = actions.find((a) => a.title === 'Show Me in the Network');
      const compare = actions.find((a) => a.title === "Fix and Compare (Add peer0.org1.example.com:7051 as Org1MSP's anchor peer)");
      assert.ok(show?.command && compare?.command, `Show me and Fix and compare among: ${actions.map((a) => a.title).join(', ')}`);
      // Show me: the network with the mistake opens, runs to 2 s and stops there, saying what to look at.
      const shown = (await vscode.commands.executeCommand(show.command.command, ...(show.command.arguments ?? []))) as { at?: number; sentence: string; peer?: string; scenario: string };
      assert.deepEqual(shown, { at: 2000, peer: 'peer0.org1', sentence: "at 2 s peer0.org1's membership lacks peer0.org2, which it holds by then with the fix, and at 60 s it still lacks it", scenario: shown.scenario });
      assert.match(shown.scenario, /anchor-missing with the mistake\.yaml$/);
      const s = await until((x) => x.network.scenario.name === 'anchor-missing with the mistake' && x.status.simTime >= 2000 && x.status.state !== 'running', 'Show me has run to 2 s');
      assert.equal(s.status.simTime, 2000);
      assert.match(s.network.scenario.description ?? '', /What to look at: at 2 s peer0\.org1's membership lacks peer0\.org2/);
      const p = s.network.peers.findIndex((x) => x.id === 'peer0.org1');
      assert.equal(s.states[p].alive, 0, "peer0.org1 sees no one alive at 2 s (its only possible member is peer0.org2)");
      // Fix and compare: the two runs' diff at 60 s: peer0.org1 holds peer0.org2 only with the fix.
      const diff = (await vscode.commands.executeCommand(compare.command.command, ...(compare.command.arguments ?? []))) as { at: number; peers: { id: string; fields: { field: string; a: unknown; b: unknown }[] }[] };
      assert.equal(diff.at, 60_000);
      const m = diff.peers.find((x) => x.id === 'peer0.org1')?.fields.find((f) => f.field === 'membership');
      assert.deepEqual(m, { field: 'membership', a: '0 alive', b: '1 alive (+peer0.org2)' });
    },
  ],
];

/** Runs every test; resolves when all pass, rejects listing the failures. */
export async function run(): Promise<void> {
  const results: { name: string; ok: boolean; error?: string; ms: number }[] = [];
  for (const [name, fn] of tests) {
    const t0 = Date.now();
    try {
      await fn();
      results.push({ name, ok: true, ms: Date.now() - t0 });
    } catch (err) {
      results.push({ name, ok: false, error: (err as Error).stack ?? String(err), ms: Date.now() - t0 });
    }
  }
  for (const r of results) console.log(`${r.ok ? 'ok' : 'not ok'} - ${r.name} (${r.ms} ms)${r.error ? `\n${r.error}` : ''}`);
  // A runner that cannot read VS Code's console (code-server) reads this file instead.
  const out = process.env.GOSSIP_SCOPE_HOST_RESULTS;
  if (out) writeFileSync(out, JSON.stringify(results, null, 2));
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) throw new Error(`${failed.length} of ${results.length} extension-host tests failed: ${failed.map((f) => f.name).join('; ')}`);
}
