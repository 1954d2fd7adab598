/**
 * Fidelity facts from shared/reference/fabric-gossip.md section 6, checked on the messages a
 * running network actually sent.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, test } from 'node:test';
import { Tag } from '../../engine/wire/messages.js';
import { decodeSerializedIdentity } from '../../engine/msp/index.js';
import type { SignedMessage } from '../../engine/fabric/message.js';
import { EPOCH_MS, unixNanoAt } from '../../engine/sim/runtime.js';
import { fromEnvelope } from '../../engine/fabric/message.js';
import type { Simulation } from '../../engine/sim/simulation.js';
import type { TraceEvent } from '../../engine/trace/events.js';
import { run, twoOrgs } from './helpers.js';

let sim: Simulation;
let events: TraceEvent[];
/** Every distinct message that was sent, with the time of its first send and its sender. */
const sent: { sm: SignedMessage; t: number; from: number }[] = [];

before(async () => {
  ({ sim, events } = await run(twoOrgs(), { until: 40_000 }));
  const seen = new Set<number>();
  for (const e of events) {
    if (e.kind !== 'send' || seen.has(e.msg!)) continue;
    seen.add(e.msg!);
    const sm = sim.messages.get(e.msg!);
    if (sm !== undefined) sent.push({ sm, t: e.t, from: e.peer });
  }
});

const ofType = (content: string) => sent.filter((x) => x.sm.msg.content === content);
const HALF_N = 0x7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8n;

/** r and s of a DER ECDSA signature. */
function rs(sig: Uint8Array): [bigint, bigint] {
  assert.equal(sig[0], 0x30);
  let i = 2;
  const ints: bigint[] = [];
  for (let k = 0; k < 2; k++) {
    assert.equal(sig[i], 0x02);
    const len = sig[i + 1];
    ints.push(BigInt('0x' + Buffer.from(sig.subarray(i + 2, i + 2 + len)).toString('hex')));
    i += 2 + len;
  }
  return [ints[0], ints[1]];
}

test('fact 9, 20: Alive, StateInfo, Leadership, PeerIdentity and ConnEstablish are signed (DER, low-S); DataMessage is not', () => {
  for (const kind of ['aliveMsg', 'stateInfo', 'leadershipMsg', 'conn']) {
    const msgs = ofType(kind);
    assert.ok(msgs.length > 0, `no ${kind} sent`);
    for (const { sm } of msgs) {
      assert.ok(sm.envelope.signature.length > 0, `${kind} unsigned`);
      const [, s] = rs(sm.envelope.signature);
      assert.ok(s <= HALF_N, `${kind} high-S`);
    }
  }
  const data = ofType('dataMsg');
  assert.ok(data.length > 0);
  for (const { sm } of data) assert.equal(sm.envelope.signature.length, 0);
  // Identity pull responses carry signed PeerIdentity envelopes.
  const updates = ofType('dataUpdate').filter((x) => x.sm.msg.content === 'dataUpdate' && x.sm.msg.dataUpdate.msgType === 2);
  assert.ok(updates.length > 0, 'no identity DataUpdate');
  for (const { sm } of updates) for (const env of (sm.msg as { dataUpdate: { data: { signature: Uint8Array }[] } }).dataUpdate.data) assert.ok(env.signature.length > 0);
  // Point-to-point messages travel noop-signed.
  for (const kind of ['hello', 'dataDig', 'dataReq', 'memReq', 'memRes', 'stateInfoPullReq', 'stateSnapshot']) {
    for (const { sm } of ofType(kind)) assert.equal(sm.envelope.signature.length, 0, kind);
  }
});

test('fact 10: PKI-ID = SHA-256(mspid ‖ PEM certificate)', () => {
  for (const p of sim.peers) {
    const sid = decodeSerializedIdentity(p.identity.serialized)!;
    const expected = createHash('sha256').update(sid.mspid).update(sid.idBytes).digest();
    assert.deepEqual(Buffer.from(p.identity.pkiId), expected);
    assert.match(Buffer.from(sid.idBytes).toString(), /^-----BEGIN CERTIFICATE-----/);
  }
});

test('fact 11, 12: StateInfo has an empty channel, MAC = SHA-256(pkiID ‖ channel), seq_num in UnixNano', () => {
  const infos = ofType('stateInfo');
  assert.ok(infos.length > 0);
  for (const { sm, t } of infos) {
    if (sm.msg.content !== 'stateInfo') continue;
    assert.equal(sm.msg.channel.length, 0);
    const si = sm.msg.stateInfo;
    assert.deepEqual(Buffer.from(si.channelMAC), createHash('sha256').update(si.pkiId).update('mychannel').digest());
    // Signed when published: the wall clock (simulated) in nanoseconds, not a counter.
    const ns = si.timestamp!.seqNum;
    assert.ok(ns >= BigInt(EPOCH_MS) * 1_000_000n && ns <= unixNanoAt(t), `seq_num ${ns}`);
  }
});

test('fact 12, 14: alive seq_num counts from 1, inc_num is the start time; the certificate rides only the first 10s', () => {
  // Alive messages travel on their own and inside membership requests and responses.
  const seqs = new Map<string, bigint[]>();
  const note = (sm: SignedMessage) => {
    if (sm.msg.content !== 'aliveMsg') return;
    const am = sm.msg.aliveMsg;
    const k = Buffer.from(am.membership!.pkiId).toString('hex');
    seqs.set(k, [...(seqs.get(k) ?? []), am.timestamp!.seqNum]);
    // Peers start apart (peers.startWindow): each stamps its own process's start.
    const started = sim.peers.find((p) => Buffer.from(p.identity.pkiId).toString('hex') === k)!.startedAt!;
    assert.equal(am.timestamp!.incNum, unixNanoAt(started, EPOCH_MS), 'inc_num = start time in UnixNano');
  };
  for (const { sm, t, from } of sent) {
    const m = sm.msg;
    if (m.content === 'aliveMsg') {
      note(sm);
      // Alive messages created after publishCertPeriod (10s) carry no certificate.
      if (t - sim.peers[from].startedAt! > 10_100 && m.aliveMsg.timestamp!.seqNum > 3n) assert.equal(m.aliveMsg.identity.length, 0, `identity in an alive message sent at ${t}`);
    }
    if (m.content === 'memReq' && m.memReq.selfInformation) note(fromEnvelope(m.memReq.selfInformation));
    if (m.content === 'memRes') for (const env of m.memRes.alive) note(fromEnvelope(env));
  }
  assert.equal(seqs.size, sim.peers.length);
  // A counter from 1 (the first one or two may only live in a membership request never sent).
  for (const list of seqs.values()) {
    const min = list.reduce((a, b) => (a < b ? a : b));
    const max = list.reduce((a, b) => (a > b ? a : b));
    assert.ok(min >= 1n && min <= 3n, `first alive seq_num ${min}`);
    assert.ok(max < 100n, `alive seq_num ${max} is not a counter`);
  }
  const early = ofType('aliveMsg').filter((x) => x.from >= 0 && x.t - sim.peers[x.from].startedAt! < 5_100);
  assert.ok(early.some((x) => x.sm.msg.content === 'aliveMsg' && x.sm.msg.aliveMsg.identity.length > 0), 'early alive messages carry the certificate');
});

test('fact 5, 6: pull nonces live inside pull messages (outer nonce 0); block digests are decimal, identity digests 32-byte PKI-IDs', () => {
  const hellos = ofType('hello');
  assert.ok(hellos.length > 0);
  for (const { sm } of hellos) {
    assert.equal(sm.msg.nonce, 0n);
    if (sm.msg.content === 'hello') assert.notEqual(sm.msg.hello.nonce, 0n);
  }
  // A fresh nonce per target peer per round.
  const nonces = hellos.map((x) => (x.sm.msg as { hello: { nonce: bigint } }).hello.nonce);
  assert.equal(new Set(nonces).size, nonces.length);
  for (const { sm } of ofType('dataDig')) {
    if (sm.msg.content !== 'dataDig') continue;
    assert.equal(sm.msg.nonce, 0n);
    for (const d of sm.msg.dataDig.digests) {
      if (sm.msg.dataDig.msgType === 1) assert.match(Buffer.from(d).toString(), /^\d+$/);
      else assert.equal(d.length, 32);
    }
  }
});

test('fact 13: tags by message type', () => {
  const expected: Record<string, Tag> = {
    aliveMsg: Tag.EMPTY,
    memReq: Tag.EMPTY,
    memRes: Tag.EMPTY,
    dataMsg: Tag.CHAN_AND_ORG,
    leadershipMsg: Tag.CHAN_AND_ORG,
    stateInfo: Tag.CHAN_OR_ORG,
    stateInfoPullReq: Tag.CHAN_OR_ORG,
    stateSnapshot: Tag.CHAN_OR_ORG,
    conn: Tag.EMPTY,
  };
  for (const [kind, tag] of Object.entries(expected)) for (const { sm } of ofType(kind)) assert.equal(sm.msg.tag, tag, kind);
  for (const kind of ['hello', 'dataDig', 'dataReq', 'dataUpdate']) {
    for (const { sm } of ofType(kind)) {
      const t = (sm.msg as unknown as Record<string, { msgType: number }>)[kind].msgType;
      assert.equal(sm.msg.tag, t === 1 ? Tag.CHAN_AND_ORG : Tag.EMPTY, `${kind} type ${t}`);
    }
  }
});

test('fact 4, 7: pull timings and the emitter batching', () => {
  // Digest requests go out digestWaitTime (1s) after the Hellos of the same round.
  const hellos = events.filter((e) => e.kind === 'timer' && e.reason === 'pull.identities.initiatePull');
  const process = events.filter((e) => e.kind === 'timer' && e.reason === 'pull.identities.processIncomingDigests');
  assert.ok(hellos.length > 0 && process.length > 0);
  const near = (a: number, b: number) => Math.abs(a - b) < 1e-6;
  for (const p of process) assert.ok(hellos.some((h) => h.peer === p.peer && near(p.t - h.t, 1000)), 'processIncomingDigests 1s after initiatePull');
  const ends = events.filter((e) => e.kind === 'timer' && e.reason === 'pull.identities.endPull');
  for (const e of ends) assert.ok(process.some((p) => p.peer === e.peer && near(e.t - p.t, 2000)), 'endPull 2s after the requests');
  // Alive messages are pushed to propagatePeerNum (3) peers per emission.
  const own = ofType('aliveMsg').filter((x) => x.from >= 0);
  const fanout = new Map<number, number>();
  for (const e of events) if (e.kind === 'send' && e.type === 'AliveMessage') fanout.set(e.msg!, (fanout.get(e.msg!) ?? 0) + 1);
  assert.ok(own.length > 0);
  const emitterTicks = events.filter((e) => e.kind === 'timer' && e.reason === 'emitter.tick');
  for (const t of emitterTicks) {
    const k = (t.t - sim.peers[t.peer].startedAt!) / 10;
    assert.ok(Math.abs(k - Math.round(k)) < 1e-6, 'emitter ticks on its 10ms ticker, from its own peer\'s start');
  }
});

test('fact 19: the block store keeps blocks within maxBlockCountToStore of the newest', async () => {
  const yaml = twoOrgs().replace('orderer: { batchTimeout: 2s, blocks: 10, txPerBlock: 5 }', 'orderer: { batchTimeout: 1s, blocks: 25, txPerBlock: 1 }');
  const { sim: s } = await run(yaml, { until: 40_000, keep: false });
  assert.equal(s.peers[0].ledgers.get('mychannel')!.height, 26);
  for (const p of s.peers) {
    const ch = p.node!.channels.get('mychannel')!;
    const held = [...Array(30).keys()].filter((i) => ch.puller.has(String(i)));
    if (held.length === 0) continue;
    assert.ok(Math.max(...held) - Math.min(...held) <= 10, `${p.id} holds ${held}`);
  }
});

test("InitiateSync: one MembershipRequest (one signed alive message, nonce 0) goes to every target of a sync, as discovery_impl.go's", () => {
  // syncDiscovery's requests are the ones with nonce 0 (sendUntilAcked's carry a random nonce).
  const syncs = ofType('memReq').filter((x) => x.sm.msg.nonce === 0n);
  assert.ok(syncs.length > 0, 'no periodic membership sync was sent');
  const targets = new Map<number, Set<number>>();
  for (const e of events) {
    if (e.kind !== 'send' || e.type !== 'MembershipRequest') continue;
    if (!syncs.some((x) => x.sm.id === e.msg)) continue;
    let set = targets.get(e.msg!);
    if (set === undefined) targets.set(e.msg!, (set = new Set()));
    set.add(e.other!);
  }
  // Once every peer knows the others, a sync has pullPeerNum (3) targets, all sent the same message.
  assert.ok([...targets.values()].some((s) => s.size === 3), `targets per sync message: ${[...targets.values()].map((s) => s.size).join(', ')}`);
  // One alive message per sync: the alive seq_nums inside a peer's sync requests are all different.
  for (const from of new Set(syncs.map((x) => x.from))) {
    const seqs = syncs.filter((x) => x.from === from).map((x) => fromEnvelope(x.sm.msg.content === 'memReq' ? x.sm.msg.memReq.selfInformation! : x.sm.envelope));
    const nums = seqs.map((sm) => (sm.msg.content === 'aliveMsg' ? sm.msg.aliveMsg.timestamp!.seqNum : -1n));
    assert.equal(new Set(nums).size, nums.length, `peer ${from} signed one alive message per sync`);
  }
});
