/**
 * How a run that cannot keep the chosen speed says so ("0.14× of 5× asked"), in the panel's
 * status line and the status bar alike. No vscode, no DOM: both sides import it.
 */
import type { UiStatus } from './protocol.js';

/** A speed as the speed list writes it: 5×, 0.25×, 0.14×. */
export function speedLabel(speed: number): string {
  const digits = speed >= 10 ? 0 : speed >= 1 ? 1 : 2;
  return `${Number(speed.toFixed(digits)) || Number(speed.toPrecision(2))}×`;
}

/** "0.14× of 5× asked" while a run falls short of its speed; undefined while it keeps it. */
export function keptSpeedText(s: UiStatus): string | undefined {
  if (s.state !== 'running' || s.keptSpeed === undefined || s.speed === 0) return undefined;
  return `${speedLabel(s.keptSpeed)} of ${speedLabel(s.speed)} asked`;
}
