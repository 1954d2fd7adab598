/** Command-line values that set a bounded quantity: refused with the bound, as a scenario's would be. */
import { parseDuration } from '../fabric/config.js';
import { LIMITS, MAX_EXACT_INTEGER, MIN_PERIOD_MS, showMs } from '../scenario/bounds.js';
import { UsageError } from './args.js';

/** --seed: an integer the seed streams can hold exactly. */
export function seedOption(text: string, name = '--seed'): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !(n <= MAX_EXACT_INTEGER)) throw new UsageError(`${name} must be an integer between 0 and ${MAX_EXACT_INTEGER} (${LIMITS.seed.why}), got '${text.length > 40 ? `${text.slice(0, 28)}…` : text}'`);
  return n;
}

/** --until: a duration within the bound every duration has. */
export function untilOption(text: string, name = '--until'): number {
  const ms = parseDuration(text);
  if (ms === null) throw new UsageError(`${name} must be a duration like 90s or 2m, got '${text.length > 40 ? `${text.slice(0, 28)}…` : text}'`);
  const shown = text.length > 40 ? `${text.slice(0, 28)}…` : text;
  if (!(ms <= LIMITS.duration.max)) throw new UsageError(`${name} must be at most ${showMs(LIMITS.duration.max)} (${LIMITS.duration.why}), got '${shown}'`);
  // run, live and report alike: a run of no time (0s, 0.000001ns) shows nothing, and the clock counts ms.
  if (!(ms >= MIN_PERIOD_MS)) throw new UsageError(`${name} must be between ${MIN_PERIOD_MS}ms and ${showMs(LIMITS.duration.max)}, got '${shown}'`);
  return ms;
}
