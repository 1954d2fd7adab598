/**
 * The webview's only channel to the extension host: typed messages (extension/protocol.ts) out
 * and in, and the state VS Code keeps for the view while the panel is hidden or the window reloads.
 */
import type { FromWebview, ToWebview } from '../extension/protocol.js';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// VS Code allows one call per page load.
const api = acquireVsCodeApi();

export function post(msg: FromWebview): void {
  api.postMessage(msg);
}

export function onMessage(handler: (msg: ToWebview) => void): void {
  window.addEventListener('message', (e: MessageEvent) => {
    const m = e.data as ToWebview | null;
    if (m !== null && typeof m === 'object' && typeof m.type === 'string') handler(m);
  });
}

export function readSavedState(): unknown {
  return api.getState();
}

export function writeSavedState(state: unknown): void {
  api.setState(state);
}
