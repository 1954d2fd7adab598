/**
 * `gossip-scope dap`: the debug adapter over stdin/stdout, for any DAP client (other editors,
 * scripts, tests). Nothing else may write to stdout while it runs.
 */
import { GossipDebugSession } from './adapter.js';

export function serveDapOverStdio(): Promise<number> {
  const session = new GossipDebugSession();
  // Work a handler left running (a continue, a rewind) that fails has no request to answer:
  // it is said, and the adapter keeps serving rather than dying with a stack trace.
  const said = (err: unknown) => session.notice(`internal error: ${err instanceof Error ? err.message : String(err)}`);
  process.on('unhandledRejection', said);
  process.on('uncaughtException', said);
  session.start(process.stdin, process.stdout);
  return new Promise((done) => {
    process.stdin.on('end', () => done(0));
    process.stdin.on('close', () => done(0));
  });
}
