/**
 * The webview's only channel to the extension host: typed messages (extension/protocol.ts) and
 * the view state VS Code keeps while the panel is hidden or the window reloads.
 */
import type { FromWebview, ToWebview } from '../extension/protocol.js';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(msg: FromWebview): void {
  api.postMessage(msg);
}

export function onMessage(handler: (msg: ToWebview) => void): void {
  window.addEventListener('message', (e: MessageEvent) => handler(e.data as ToWebview));
}

/** What the user chose in this view: survives hiding the panel and reloading the window. */
export interface ViewState {
  selectedPeer: number | null;
  selectedMessage: number | null;
  filterType: string;
  filterPeer: string;
  filterVerdict: 'all' | 'dropped' | 'rejected' | 'ok';
}

export function loadViewState(): ViewState {
  const s = api.getState() as Partial<ViewState> | undefined;
  return {
    selectedPeer: s?.selectedPeer ?? null,
    selectedMessage: s?.selectedMessage ?? null,
    filterType: s?.filterType ?? '',
    filterPeer: s?.filterPeer ?? '',
    filterVerdict: s?.filterVerdict ?? 'all',
  };
}

export function saveViewState(s: ViewState): void {
  api.setState(s);
}
