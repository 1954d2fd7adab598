/**
 * Reading a saved trace for replay: engine/trace/saved-trace.ts checks the whole file (header,
 * faults, every event line) before anything runs; here its refusal becomes the message shown.
 * No `vscode` here, so tests can use it.
 */
import { ScenarioError } from '../engine/scenario/load.js';
import { readSavedTrace as readChecked, type SavedTrace } from '../engine/trace/saved-trace.js';

export type { SavedTrace } from '../engine/trace/saved-trace.js';

/** The checked trace, or why it cannot be replayed (`file:line:col: message`). */
export async function readSavedTrace(path: string): Promise<SavedTrace | string> {
  try {
    return readChecked(path);
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    return `${path}:1:1: cannot read the trace: ${(e as Error).message}`;
  }
}
