/**
 * Records what the extension host would send the webview for a real run of the engine: the
 * `init`, then one `frame` per 33 ms of simulated time (speed 1×, as the host batches them),
 * plus the `messageDetail` and `peerDetail` answers the inspector will ask for. The harness's
 * fake host replays these, so the webview is tested and benchmarked on real data.
 *
 *   node --import tsx test/webview/record-frames.ts [100|500 ...]   (default: both)
 *
 * Writes test-results/webview-data/net-<N>.js: `window.GOSSIP_SCOPE_RECORDING = {...}` (a
 * script, not JSON, because the webview's Content-Security-Policy forbids fetch).
 */
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROTOCOL_VERSION, type MessageDetail, type PeerDetail, type ToWebview, type UiEvent, type UiStatus } from '../../extension/protocol.js';
import { loadScenario } from '../../engine/scenario/load.js';
import { Simulation } from '../../engine/sim/simulation.js';
import type { TraceEvent } from '../../engine/trace/events.js';
import { describeMessage, describePeer, jsonSafe, networkOf, peerStates } from '../../engine/ui/inspect.js';
import { toUiEvent } from '../../engine/ui/ui-event.js';
import { watchDeadDeclarations } from '../../engine/ui/dead-declarations.js';
import { watchFigures } from '../../engine/figures/watch.js';
import type { Figures } from '../../engine/figures/types.js';

const REPO = join(__dirname, '..', '..');
export const DATA_DIR = join(REPO, 'test-results', 'webview-data');
/** Bump when the recording's shape or scenarios change, so stale files are rebuilt. */
export const RECORDING_VERSION = 11;

const FRAME_MS = 33;

export interface RecordingSpec {
  peers: number;
  orgs: number;
  /** Simulated ms recorded. */
  until: number;
  /** Events one frame carries at most (the newest are kept, the rest counted as skipped, as the host does). */
  maxFrameEvents: number;
  /** Peers whose peerDetail is recorded (all of them for small networks). */
  detailPeers: number;
}

export const SPECS: Record<string, RecordingSpec> = {
  '100': { peers: 100, orgs: 4, until: 8000, maxFrameEvents: 4096, detailPeers: 100 },
  '500': { peers: 500, orgs: 10, until: 5600, maxFrameEvents: 1500, detailPeers: 20 },
};

export interface Recording {
  version: number;
  init: Extract<ToWebview, { type: 'init' }>;
  frames: Extract<ToWebview, { type: 'frame' }>[];
  messageDetails: Record<number, MessageDetail>;
  peerDetails: Record<number, PeerDetail>;
  /** The charts' figures at the end of the recording (the fake host answers every figures request with them). */
  figures: Figures;
}

/** A classic-gossip network with a crash, tampered messages and a partition, so every colour and verdict shows up. */
function scenarioText(spec: RecordingSpec): string {
  const per = spec.peers / spec.orgs;
  const orgs = Array.from({ length: spec.orgs }, (_, i) => `Org${i + 1}MSP`);
  return [
    `name: harness-${spec.peers}`,
    'description: |',
    `  ${spec.peers} peers in ${spec.orgs} orgs, recorded for the webview harness.`,
    'seed: 11',
    'profile: classic-gossip',
    'orgs:',
    ...orgs.map((o) => `  - { mspId: ${o}, peers: ${per}, anchorPeers: [peer0] }`),
    'channels:',
    `  - { name: mychannel, orgs: [${orgs.join(', ')}] }`,
    'orderer: { batchTimeout: 1s, blocks: 6, txPerBlock: 3 }',
    // Peers start together, as the recording's faults were timed for (the tamper catches peer0.org1's first alive messages, at 5.25 s).
    'peers: { startWindow: 0s }',
    'faults:',
    '  - { at: 2s, crash: peer1.org2 }',
    '  - { at: 3s, tamper: { from: peer0.org1, type: AliveMessage, mode: strip-signature, count: 3 } }',
    `  - { at: 4s, partition: [[Org1MSP], [${orgs.slice(1).join(', ')}]] }`,
    // Thirty StateInfo copies with a bit flipped: one (to peer15.org2, at 4.71 s in the 100-peer run) no longer decodes.
    '  - { at: 4500ms, tamper: { from: peer0.org3, type: StateInfo, count: 30 } }',
    `run: { until: ${spec.until}ms }`,
  ].join('\n');
}


export async function record(spec: RecordingSpec): Promise<Recording> {
  const sim = await Simulation.create(loadScenario(scenarioText(spec), `harness-${spec.peers}.yaml`), { traceCapacity: 50_000 });
  let pending: TraceEvent[] = [];
  let skipped = 0;
  const verifies = new Map<number, TraceEvent[]>();
  sim.trace.listen((ev) => {
    pending.push(ev);
    if (ev.kind === 'verify' && ev.msg !== undefined) {
      const list = verifies.get(ev.msg);
      if (list === undefined) verifies.set(ev.msg, [ev]);
      else if (list.length < 50) list.push(ev);
    }
    if (pending.length >= 4 * spec.maxFrameEvents) {
      const extra = pending.length - spec.maxFrameEvents;
      pending.splice(0, extra);
      skipped += extra;
    }
  });
  const figures = watchFigures(sim);
  watchDeadDeclarations(sim);
  sim.start();
  const status = (state: UiStatus['state']): UiStatus => ({ simTime: sim.kernel.now, events: sim.trace.count, state, speed: 1, until: spec.until });
  const init = { type: 'init' as const, protocolVersion: PROTOCOL_VERSION, network: networkOf(sim), status: status('paused'), states: peerStates(sim), settings: { animation: true } };
  const frames: Recording['frames'] = [];
  for (let t = FRAME_MS; t <= spec.until; t += FRAME_MS) {
    sim.runUntil(t);
    const events = pending.length > spec.maxFrameEvents ? pending.slice(-spec.maxFrameEvents) : pending;
    frames.push({ type: 'frame', status: status(t + FRAME_MS > spec.until ? 'finished' : 'running'), events: events.map((e) => toUiEvent(sim, e)), states: peerStates(sim), skipped: skipped + pending.length - events.length });
    pending = [];
    skipped = 0;
  }
  // The inspector's answers for the messages the list shows: the newest of each type and fate
  // (so every filter's first row has one), and the rejected ones (rare, and what one wants to look at).
  const messageDetails: Record<number, MessageDetail> = {};
  const perKey = new Map<string, number>();
  const describe = (msg: number) => {
    if (messageDetails[msg] !== undefined) return true;
    const d = describeMessage(sim, msg, verifies.get(msg) ?? []);
    if (d !== null) messageDetails[msg] = d;
    return d !== null;
  };
  const listed = frames.flatMap((f) => f.events).filter((e) => e.msg !== undefined && e.type !== undefined && ['send', 'deliver', 'drop', 'reject', 'fault'].includes(e.kind));
  for (let i = listed.length - 1; i >= 0; i--) {
    const e = listed[i];
    const key = `${e.type}/${e.kind}`;
    if ((perKey.get(key) ?? 0) < 30 && describe(e.msg!)) perKey.set(key, (perKey.get(key) ?? 0) + 1);
  }
  let rejected = 0;
  for (const e of listed) if ((e.kind === 'reject' || e.kind === 'fault') && rejected < 500 && describe(e.msg!)) rejected++;
  const peerDetails: Record<number, PeerDetail> = {};
  for (let i = 0; i < Math.min(spec.detailPeers, sim.peers.length); i++) {
    const d = describePeer(sim, i);
    if (d !== null) peerDetails[i] = d;
  }
  return { version: RECORDING_VERSION, init, frames, messageDetails, peerDetails, figures: figures() };
}

export function recordingPath(name: string): string {
  return join(DATA_DIR, `net-${name}.js`);
}

/** The recording's file, made if it is missing or from an older version of this script. */
export async function ensureRecording(name: string): Promise<string> {
  const path = recordingPath(name);
  if (existsSync(path) && readFileSync(path, 'utf8').slice(0, 200).includes(`"version":${RECORDING_VERSION},`)) return path;
  const spec = SPECS[name];
  if (spec === undefined) throw new Error(`no recording spec named ${name}`);
  const rec = await record(spec);
  mkdirSync(DATA_DIR, { recursive: true });
  // The version first, so ensureRecording can check it without parsing megabytes.
  writeFileSync(path, `window.GOSSIP_SCOPE_RECORDING = ${JSON.stringify(rec)};\n`);
  return path;
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(SPECS);
  for (const name of names) {
    const t0 = performance.now();
    const path = await ensureRecording(name);
    const rec = JSON.parse(readFileSync(path, 'utf8').replace(/^window\.GOSSIP_SCOPE_RECORDING = /, '').replace(/;\n$/, '')) as Recording;
    const events = rec.frames.reduce((n, f) => n + f.events.length, 0);
    console.log(`${path}: ${rec.init.network.peers.length} peers, ${rec.frames.length} frames, ${events} events, ${Object.keys(rec.messageDetails).length} message details (${Math.round(performance.now() - t0)} ms)`);
  }
}

if (require.main === module) void main();
