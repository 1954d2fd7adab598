/**
 * One job on a worker thread of the extension (dist/*-worker.js), so long engine work (shrink,
 * compare) never blocks VS Code's extension host. The worker posts progress messages, then one
 * with `result` or `error`; Cancel ends the thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';

export function runWorkerJob<R>(
  extensionUri: vscode.Uri,
  script: string,
  job: unknown,
  token: vscode.CancellationToken,
  onProgress: (m: Record<string, unknown>) => void = () => {},
): Promise<R> {
  const file = join(extensionUri.fsPath, 'dist', script);
  if (!existsSync(file)) return Promise.reject(new Error(`dist/${script} is not built: run node scripts/build.mjs`));
  return new Promise((resolve, reject) => {
    const worker = new Worker(file);
    let settled = false;
    const end = (f: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      f();
    };
    token.onCancellationRequested(() => end(() => reject(new vscode.CancellationError())));
    worker.on('message', (m: { result?: R; error?: string } & Record<string, unknown>) => {
      if ('result' in m) end(() => resolve(m.result as R));
      else if ('error' in m) end(() => reject(new Error(m.error ?? 'the worker stopped')));
      else onProgress(m);
    });
    worker.on('error', (e) => end(() => reject(e)));
    worker.on('exit', (code) => end(() => reject(new Error(`the worker stopped (exit ${code})`))));
    worker.postMessage(job);
  });
}
