/**
 * Faults as the UI asks for them (extension/protocol.ts FaultRequest) turned into the engine's
 * fault actions. A UI link fault lasts "for the next N ms": its window is fixed when it is
 * applied, so a replay that applies it at the same moment gets the same window.
 */
import type { FaultRequest } from '../../extension/protocol.js';
import type { FaultAction } from '../scenario/types.js';

export function faultActionOf(f: FaultRequest, now: number): FaultAction {
  if (f.kind !== 'link') return f;
  return {
    kind: 'link',
    rule: { between: f.between, loss: f.loss, delay: f.delay, jitter: 0, duplicate: 0, reorder: 0 },
    until: now + f.forMs,
  };
}
