/** Small helpers for building DOM without innerHTML (no injection, and CSP-friendly). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

export function custom(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

/** Simulated milliseconds as seconds with one decimal. */
export const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 3 : 1)}s`;

/** Matches a canvas's backing store to its CSS size and the screen's pixel ratio; returns its size in CSS pixels and the ratio. */
export function fitCanvas(c: HTMLCanvasElement): { w: number; h: number; dpr: number } {
  const w = c.clientWidth;
  const h = c.clientHeight;
  const dpr = window.devicePixelRatio || 1;
  if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
  }
  return { w, h, dpr };
}
