/** Polls until `ok()` holds (live networks run on the wall clock); returns how long it took. */
export async function until(ok: () => boolean, what: string | (() => string), timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting until ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}
