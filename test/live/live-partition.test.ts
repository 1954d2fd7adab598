/**
 * Partitions in live mode, applied in the transport of every peer process: across the cut,
 * messages are lost and dials time out, so each side declares the other dead; after the heal
 * they find each other again. Then link rules, tampering and a Byzantine process. Driven
 * through LiveRun, the controller `gossip-scope live` uses.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { LiveRun } from '../../engine/live/launcher.js';
import type { TraceEvent } from '../../engine/trace/events.js';
import { until, LIMIT_MS } from './helpers.js';

const ROOT = join(__dirname, '..', '..');
const FILE = join(mkdtempSync(join(tmpdir(), 'gossip-live-part-')), 'split.yaml');

before(() => {
  if (process.env.GOSSIP_SCOPE_BUILT !== '1') assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
  writeFileSync(
    FILE,
    `name: live-split
seed: 4
profile: fabric-v3
orgs:
  - { mspId: Org1MSP, peers: 2, anchorPeers: [peer0] }
  - { mspId: Org2MSP, peers: 2, anchorPeers: [peer0] }
channels:
  - { name: mychannel, orgs: [Org1MSP, Org2MSP] }
gossip: { aliveTimeInterval: 300ms, aliveExpirationTimeout: 1500ms, reconnectInterval: 1s, dialTimeout: 500ms }
run: { until: 60s }
`,
  );
});

const sees = (run: LiveRun, id: string) => run.reports.get(id)?.membership ?? [];

test('a live partition splits the orgs, the heal joins them again; link rules lose and duplicate messages; tampered and forged messages are refused', async () => {
  // Alive messages delivered, by receiver, sender and message: each is sent to a peer once, so
  // one delivered twice was duplicated on the way.
  const deliveries = new Map<string, number>();
  const onEvents = (_: number, events: TraceEvent[]) => {
    for (const e of events) {
      if (e.kind !== 'deliver' || e.type !== 'AliveMessage' || e.msg === undefined) continue;
      const k = `${e.peer}<${e.other}:${e.msg}`;
      deliveries.set(k, (deliveries.get(k) ?? 0) + 1);
    }
  };
  const run = await LiveRun.start(FILE, { cli: join(ROOT, 'dist', 'cli.js'), log: () => {}, onEvents });
  try {
    await until(() => run.ids.every((p) => sees(run, p.id).length === 3), 'everyone sees everyone', LIMIT_MS);
    run.partition([['Org1MSP'], ['Org2MSP']]);
    await until(() => sees(run, 'peer0.org1').join() === 'peer1.org1' && sees(run, 'peer0.org2').join() === 'peer1.org2', 'each org sees only itself', LIMIT_MS);
    const summary = run.summary();
    assert.ok((summary.messages.dropReasons.partitioned ?? 0) > 0, JSON.stringify(summary.messages.dropReasons));
    run.partition(null);
    await until(() => run.ids.every((p) => sees(run, p.id).length === 3), 'everyone sees everyone again', LIMIT_MS);
    // A link rule: everything between peer0.org1 and peer1.org1 is lost for a while.
    run.link(['peer0.org1', 'peer1.org1'], 1, 0, 60_000);
    await until(() => (run.summary().messages.dropReasons['lost by a link rule'] ?? 0) > 0, 'messages are lost on that link', LIMIT_MS);
    // Duplication, jitter and reordering: every message between the Org2 peers arrives twice.
    const twice = () => [...deliveries.values()].filter((n) => n >= 2).length;
    assert.equal(twice(), 0, 'no alive message arrives twice without a rule');
    run.link(['peer0.org2', 'peer1.org2'], 0, 0, 60_000, { duplicate: 1, jitter: 20, reorder: 0.5 });
    await until(() => twice() > 0, 'an alive message is delivered twice', LIMIT_MS);
    // Tampering in the sender's transport: alive messages without their signature are refused.
    const rejected = (why: RegExp) => Object.entries(run.summary().messages.rejected).some(([reason, n]) => why.test(reason) && n > 0);
    run.tamper({ from: 'peer0.org2', to: null, type: 'AliveMessage', mode: 'strip-signature', count: 10 });
    await until(() => rejected(/Invalid alive message/), 'a stripped alive message is rejected', LIMIT_MS);
    // A flipped payload bit: most of an alive message is the sender's certificate, so the
    // identity or the signature no longer checks out (or the bytes no longer decode).
    run.tamper({ from: 'peer1.org2', to: null, type: 'AliveMessage', mode: 'flip', count: 10 });
    await until(() => rejected(/^(?!Invalid alive message$)/), () => `a flipped alive message is rejected (${JSON.stringify(run.summary().messages.rejected)})`, LIMIT_MS);
    // A Byzantine process forges alive messages in another peer's name, signed with its own key.
    run.byzantine('peer1.org1', 'forge-alive', 'peer0.org2', null);
    await until(() => rejected(/^Failed verifying/) && rejected(/identity doesn't match the computed pkiID/), () => `the forgeries are refused (${JSON.stringify(run.summary().messages.rejected)})`, LIMIT_MS);
  } finally {
    await run.stop();
  }
});
