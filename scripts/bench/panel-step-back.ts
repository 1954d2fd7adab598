/**
 * The panel's Step Back on its own network (the engine worker's EngineSession, as the extension
 * drives it): samples/two-orgs.yaml run to 30 s, a few steps, then Step Back, each timed from the
 * request to the frame that shows the moment before. Spares are made once the user has been
 * quiet a moment (rewind.ts); the first step backs find them ready, a burst past them does not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineSession } from '../../extension/engine-session.js';
import type { FromWorker } from '../../extension/worker-protocol.js';

export interface PanelStepBackResult {
  /** Step backs with the user quiet before each (spares ready), ms. */
  readyMs: number[];
  /** Three step backs in a row, no pause between them, ms. */
  burstMs: number[];
  /** Events back at the moment before each step (same as before the step). */
  exact: boolean;
}

export async function panelStepBackBenchmark(): Promise<PanelStepBackResult> {
  const file = join(__dirname, '..', 'samples', 'two-orgs.yaml');
  let last: FromWorker | undefined;
  const session = new EngineSession((m) => (last = m));
  await session.handle({ type: 'open', file, text: readFileSync(file, 'utf8'), speed: 0, maxTraceEvents: 100_000 });
  await session.handle({ type: 'control', action: 'run', until: 30_000 });
  while (!(last?.type === 'frame' && last.status.state === 'finished')) await new Promise((r) => setTimeout(r, 50));
  const counts: number[] = [];
  for (let i = 0; i < 8; i++) {
    counts.push((last as Extract<FromWorker, { type: 'frame' }>).status.events);
    await session.handle({ type: 'control', action: 'step' });
  }
  const events = () => (last?.type === 'frame' ? last.status.events : -1);
  const rewind = (session as unknown as { rewind: { spares: unknown[]; preparing: boolean } }).rewind;
  const timed = async () => {
    const t = performance.now();
    await session.handle({ type: 'control', action: 'stepBack' });
    return performance.now() - t;
  };
  const readyMs: number[] = [];
  let exact = true;
  for (let i = 0; i < 3; i++) {
    while (rewind.spares.length < 2 || rewind.preparing) await new Promise((r) => setTimeout(r, 20));
    readyMs.push(await timed());
    exact &&= events() === counts.at(-1 - i);
  }
  const burstMs: number[] = [];
  while (rewind.spares.length < 2 || rewind.preparing) await new Promise((r) => setTimeout(r, 20));
  for (let i = 0; i < 3; i++) {
    burstMs.push(await timed());
    exact &&= events() === counts.at(-4 - i);
  }
  session.dispose();
  return { readyMs, burstMs, exact };
}
