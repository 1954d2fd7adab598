/** A theme colour made see-through, for bands and fills (theme variables are hex; others pass as they are). */
export function translucent(c: string, alpha: number): string {
  const a = Math.round(alpha * 255).toString(16).padStart(2, '0');
  if (/^#[0-9a-f]{6}$/i.test(c)) return c + a;
  if (/^#[0-9a-f]{3}$/i.test(c)) return `#${c[1]}${c[1]}${c[2]}${c[2]}${c[3]}${c[3]}${a}`;
  const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(c);
  return m ? `rgba(${m[1]}, ${m[2]}, ${m[3]}, ${alpha})` : c;
}
