/**
 * `gossip-scope logs --follow FILE…`: peers' logs read as they are written (tail -F: across
 * rotation and truncation), a line of figures each second something came in, what happens to a
 * file said on stderr, and on Ctrl-C (or SIGTERM) the summary `logs` prints, and the trace.
 */
import { FabricLogReader } from '../logs/log-reader.js';
import { LogFollower } from '../logs/follow.js';
import { printable } from './printable.js';

export interface FollowRun {
  /** Resolves with the exit status once the follow is stopped. */
  done: Promise<number>;
  stop(): void;
}

const POLL_MS = 100;
const REPORT_MS = 1000;

export function followLogs(
  paths: string[],
  out: (s: string) => void,
  err: (s: string) => void,
  finish: (reading: ReturnType<FabricLogReader['finish']>) => void,
): FollowRun {
  const reader = new FabricLogReader(paths);
  let lines = 0;
  const follower = new LogFollower(
    paths,
    (text, path, lineNo, cut) => {
      lines++;
      reader.line(text, path, lineNo, cut);
    },
    (n) => err(`gossip-scope: ${printable(n.path)}: ${n.what}${n.detail ? ` (${printable(n.detail)})` : ''}`),
  );
  let reported = 0;
  let stopped = false;
  let resolve!: (code: number) => void;
  const done = new Promise<number>((r) => (resolve = r));
  const poll = setInterval(() => {
    try {
      follower.poll();
    } catch (e) {
      err(`gossip-scope: ${(e as Error).message}`);
      stop();
    }
  }, POLL_MS);
  const report = setInterval(() => {
    if (lines === reported) return;
    const r = reader.finish();
    out(`${new Date().toISOString().slice(11, 19)}  ${r.peers.length} peers, ${lines} lines, ${r.stats.sends} sends, ${r.stats.receipts} receipts, ${r.stats.matched} matched`);
    reported = lines;
  }, REPORT_MS);
  function stop(): void {
    if (stopped) return;
    stopped = true;
    clearInterval(poll);
    clearInterval(report);
    try {
      follower.poll();
    } finally {
      follower.close();
    }
    finish(reader.finish());
    resolve(0);
  }
  return { done, stop };
}
