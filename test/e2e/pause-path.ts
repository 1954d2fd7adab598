/**
 * Pause along the user's path, measured inside the webview: the real Pause button is clicked
 * there (its own click handler, no Playwright actionability waits in between), and the status
 * line is watched until it says "paused". What it measures: the wall time from the click to
 * "paused" on screen, and the simulated time the panel showed at the click against where the run
 * stopped. Shared by the e2e test (which bounds the overshoot) and scripts/bench-pause.ts.
 */
import type { Frame } from 'playwright-core';

export interface PauseFigure {
  /** Wall ms from the click to the status line saying "paused". */
  wallMs: number;
  /** Simulated seconds the panel showed when Pause was clicked, and where the run stopped. */
  clickedAt: number;
  pausedAt: number;
  /** pausedAt − clickedAt, simulated seconds. */
  overshoot: number;
  /** What the status line said just before the click and once paused. */
  before: string;
  after: string;
}

/** Clicks Pause in the webview now and waits (up to `timeoutMs`) for the status to say paused. */
export async function clickPauseAndMeasure(webview: Frame, timeoutMs = 60_000): Promise<PauseFigure> {
  // A string, not a function: the test loader's helpers (keepNames) do not exist in the page.
  const r = (await webview.evaluate(`new Promise((resolve) => {
    const timeout = ${timeoutMs};
    const status = document.querySelector('[data-testid=status]');
    const pause = document.querySelector('[data-testid=pause]');
    if (!status || !pause) return resolve({ error: 'no status line or Pause button in the webview' });
    if (!/ · running\\b/.test(status.textContent ?? '')) return resolve({ error: 'not running: "' + status.textContent + '"' });
    const before = status.textContent ?? '';
    const t0 = performance.now();
    const observer = new MutationObserver(() => {
      const text = status.textContent ?? '';
      if (!/ · paused\\b/.test(text)) return;
      observer.disconnect();
      resolve({ wallMs: performance.now() - t0, before, after: text });
    });
    observer.observe(status, { childList: true, characterData: true, subtree: true });
    setTimeout(() => {
      observer.disconnect();
      resolve({ error: 'still "' + status.textContent + '" ' + timeout + ' ms after the click' });
    }, timeout);
    pause.click();
  })`)) as { wallMs: number; before: string; after: string } | { error: string };
  if ('error' in r) throw new Error(`Pause: ${r.error}`);
  const clickedAt = simSeconds(r.before);
  const pausedAt = simSeconds(r.after);
  return { wallMs: r.wallMs, clickedAt, pausedAt, overshoot: pausedAt - clickedAt, before: r.before, after: r.after };
}

/** The simulated seconds a status line shows ("12.345s of 60.0s · 1,234 events · running"). */
export function simSeconds(status: string): number {
  const m = /^([\d.]+)s of /.exec(status);
  if (!m) throw new Error(`the status line "${status}" does not start with the simulated time`);
  return Number(m[1]);
}

/** Waits until the panel's status line says running and shows at least `seconds` of simulated time. */
export async function waitRunningPast(webview: Frame, seconds: number, timeoutMs = 120_000): Promise<void> {
  await webview.waitForFunction(
    (s) => {
      const text = document.querySelector('[data-testid=status]')?.textContent ?? '';
      const m = /^([\d.]+)s of .* · running\b/.exec(text);
      return m !== null && Number(m[1]) >= s;
    },
    seconds,
    { timeout: timeoutMs, polling: 50 },
  );
}
