/** What the live-mode tests share: polling on the wall clock, and a network of peers in this process. */
import { Credentials, newSecret } from '../../engine/live/credentials.js';
import { startOrdererService } from '../../engine/live/orderer-service.js';
import { peerIds, startLivePeer, type LivePeer } from '../../engine/live/peer.js';
import { freePort } from '../../engine/live/ports.js';
import type { Scenario } from '../../engine/scenario/types.js';
import type { TraceEvent } from '../../engine/trace/events.js';

/**
 * The limit for a live condition: generous, since a loaded 2-core machine runs real processes
 * and timers late (a healthy run meets each in a few seconds). A limit, never a sleep.
 */
export const LIMIT_MS = 60_000;

/** Polls until `ok()` holds (live networks run on the wall clock); returns how long it took. */
export async function until(ok: () => boolean, what: string | (() => string), timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting until ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}

export interface LocalNetwork {
  /** The running peers (a test may stop one and take it out). */
  peers: LivePeer[];
  /** The run's key secret (every identity derives from it, as in a live run). */
  keys: string;
  stop(): Promise<void>;
}

/**
 * Every peer of a scenario started in this process on 127.0.0.1 (each with its own kernel,
 * sockets, identity and credential, as separate processes would have), with an ordering service.
 */
export async function startLocalNetwork(scenario: Scenario, onTrace?: (peer: string, ev: TraceEvent) => void): Promise<LocalNetwork> {
  const all = peerIds(scenario);
  const addresses = new Map<string, string>();
  for (const p of all) addresses.set(p.id, `127.0.0.1:${await freePort()}`);
  const credentials = new Credentials();
  const keys = newSecret();
  const orderer = await startOrdererService(scenario, { credentials, keys });
  const peers: LivePeer[] = [];
  const stop = async () => {
    for (const p of peers) await p.stop().catch(() => {});
    await orderer.close().catch(() => {});
  };
  try {
    for (const p of all) {
      const port = Number(addresses.get(p.id)!.split(':')[1]);
      peers.push(await startLivePeer({ scenario, id: p.id, port, addresses, orderer: orderer.url, keys, credential: credentials.issue(p.id), onTrace: onTrace && ((ev) => onTrace(p.id, ev)) }));
    }
    orderer.go();
  } catch (err) {
    await stop();
    throw err;
  }
  return { peers, keys, stop };
}
