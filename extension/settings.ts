/** The extension's settings (contributes.configuration in package.json), read in one place. */
import * as vscode from 'vscode';
import { LIMITS } from '../engine/scenario/bounds.js';

export interface Settings {
  /** Simulated ms per real ms; 0 = as fast as possible. */
  defaultSpeed: number;
  /** Animate messages as dots in the graph. */
  animation: boolean;
  /** Trace events kept in memory for inspection and export. */
  maxTraceEvents: number;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('gossipScope');
  return {
    defaultSpeed: Math.max(0, c.get<number>('defaultSpeed', 1)),
    animation: c.get<boolean>('animation', true),
    // Bounded as package.json says: a hand-edited settings.json cannot exhaust memory.
    maxTraceEvents: Math.min(LIMITS.traceEvents.max, Math.max(1000, Math.floor(c.get<number>('maxTraceEvents', 100_000)))),
  };
}
