/**
 * Member ids are the engine's own names for PKI-IDs: what a user or a file sees (the exported
 * trace, the inspector, the debugger's variables, log lines) names peers by trace index, peer
 * name or PKI-ID, never by member id. The ids are shifted past any trace index first, so one
 * that leaked could not pass for a peer index.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { peerStateTree } from '../../engine/debug/peer-state.js';
import { loadScenario } from '../../engine/scenario/load.js';
import { Simulation } from '../../engine/sim/simulation.js';
import { bigintToString } from '../../engine/trace/trace.js';
import { describeMessage, describePeer } from '../../engine/ui/inspect.js';

const SHIFT = 1000;
const PKI_HEX = /^[0-9a-f]{64}$/;
const ENDPOINT = /^[\w.-]+:\d+$/;
/** Where log and rejection texts print a PKI-ID (or, where Fabric prefers it, an endpoint). */
const PKI_PLACES = [
  /PKIID: (\S*)/,
  /PKIid:(\S*)/,
  /Purging (\S+) from membership/,
  /Haven't heard from (\S+) for/,
  /peer (\S+) 's organization/,
  /Peer (\S+) is not in an eligible org/,
  /Don't have certificate for (\S+)/,
  /expected (\S+) but got (\S+)/,
];

/** The byzantine sample (forge-alive: alive messages under another peer's PKI-ID) with a certificate that expires. */
async function byzantineRun(shift: boolean): Promise<{ sim: Simulation; lines: string[] }> {
  const text = readFileSync('samples/byzantine.yaml', 'utf8') + 'peers: { certExpiry: [{ peer: peer1.org2, at: 30s }] }\n';
  const sim = await Simulation.create(loadScenario(text, 'byzantine.yaml'), { traceCapacity: 10 });
  if (shift) for (let i = 0; i < SHIFT; i++) sim.members.idOfHex('e' + i.toString(16).padStart(63, '0'));
  const lines: string[] = [];
  sim.trace.listen((ev) => lines.push(JSON.stringify(ev, bigintToString)));
  sim.runUntil(sim.scenario.run.until);
  return { sim, lines };
}

test('member ids never reach the exported trace, the inspector or the debugger; PKI-IDs and peer names do', async () => {
  const { sim, lines } = await byzantineRun(true);
  const n = sim.peers.length;
  const names = new Set(sim.peers.map((p) => p.id));
  const isPeerIndex = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) >= -1 && (v as number) < n);
  assert.ok(sim.members.size > SHIFT, 'the peers took ids past the shift');

  // The exported trace (the CLI's JSON Lines: one event per line).
  let pkiPlaces = 0;
  let purged = 0;
  for (const line of lines) {
    const e = JSON.parse(line) as { id: number; peer: number; other?: number; reason?: string; data?: Record<string, unknown> };
    assert.ok(isPeerIndex(e.peer) && isPeerIndex(e.other), `event ${e.id}: peer ${e.peer}, other ${e.other}`);
    for (const k of ['member', 'peer'] as const) {
      const v = e.data?.[k];
      assert.ok(isPeerIndex(v) || names.has(v as string), `event ${e.id}: data.${k} ${String(v)}`);
    }
    if (e.data?.pkiId !== undefined) {
      purged++;
      assert.match(String(e.data.pkiId), PKI_HEX, `event ${e.id}: data.pkiId`);
    }
    for (const re of PKI_PLACES) {
      const m = re.exec(e.reason ?? '');
      if (m === null) continue;
      for (const who of m.slice(1)) {
        pkiPlaces++;
        assert.ok(PKI_HEX.test(who) || ENDPOINT.test(who), `event ${e.id}: '${who}' in "${e.reason}"`);
      }
    }
  }
  assert.ok(purged >= 5, `identityPurged events with a pkiId: ${purged}`);
  assert.ok(pkiPlaces >= 10, `texts naming a peer by PKI-ID: ${pkiPlaces}`);

  // The inspector and the debugger's variables.
  let signers = 0;
  for (const p of sim.peers) {
    const d = describePeer(sim, p.idx)!;
    assert.match(d.pkiId, PKI_HEX);
    for (const m of [...d.membership.alive, ...d.membership.dead]) assert.ok(names.has(m.id), `${p.id} inspector: member '${m.id}'`);
    for (const ch of d.channels) for (const s of ch.stateInfo) assert.ok(names.has(s.id), `${p.id} inspector: StateInfo of '${s.id}'`);
    const vars = peerStateTree(sim, p.idx);
    assert.match(String(vars.pkiId), PKI_HEX);
    for (const c of vars.connections as string[]) assert.ok(names.has(c), `${p.id} variables: connection '${c}'`);
    const membership = vars.membership as { alive: object; dead: object };
    for (const k of [...Object.keys(membership.alive), ...Object.keys(membership.dead)]) assert.ok(names.has(k), `${p.id} variables: member '${k}'`);
  }
  for (let msg = Math.max(1, sim.messages.count - 2000); msg <= sim.messages.count; msg++) {
    const detail = describeMessage(sim, msg);
    if (detail?.signer == null) continue;
    signers++;
    assert.match(detail.signer.pkiId, PKI_HEX, `message ${msg}: signer`);
  }
  assert.ok(signers > 100, `messages with a signer: ${signers}`);
});

test('the ids a run hands out change nothing in its trace', async () => {
  const [shifted, plain] = [await byzantineRun(true), await byzantineRun(false)];
  assert.equal(shifted.lines.length, plain.lines.length);
  assert.equal(shifted.sim.trace.hash(), plain.sim.trace.hash());
});
