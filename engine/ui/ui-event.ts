/** A trace event as the webview receives it: JSON-safe (VS Code serialises webview messages), start-up noise flagged. */
import type { UiEvent } from '../../extension/protocol.js';
import type { Simulation } from '../sim/simulation.js';
import type { TraceEvent } from '../trace/events.js';
import { isStartupNoise } from './benign.js';
import { jsonSafe } from './inspect.js';

export function toUiEvent(sim: Simulation, ev: TraceEvent): UiEvent {
  if (ev.kind === 'reject' && isStartupNoise(sim, ev)) return { ...(ev as UiEvent), benign: true };
  return ev.data === undefined ? (ev as UiEvent) : ({ ...ev, data: jsonSafe(ev.data) } as UiEvent);
}
