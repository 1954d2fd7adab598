/**
 * `gossip-scope dap`: the debug adapter over stdin/stdout, for any DAP client (other editors,
 * scripts, tests). Nothing else may write to stdout while it runs.
 */
import { GossipDebugSession } from './adapter.js';

export function serveDapOverStdio(): Promise<number> {
  const session = new GossipDebugSession();
  session.start(process.stdin, process.stdout);
  return new Promise((done) => {
    process.stdin.on('end', () => done(0));
    process.stdin.on('close', () => done(0));
  });
}
