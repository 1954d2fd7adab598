/**
 * Figures turned into uPlot's aligned columns (one x array, one y array per series). Pure
 * functions: the report page and the panel draw from the same data.
 */
import type { BlockCurve, Distribution, Figures } from '../../engine/figures/types.js';

/** Beyond this many blocks the infection chart draws an even sample of them. */
export const MAX_CURVES = 60;

export function sampleBlocks(blocks: BlockCurve[], max = MAX_CURVES): BlockCurve[] {
  if (blocks.length <= max) return blocks;
  return Array.from({ length: max }, (_, i) => blocks[Math.round((i * (blocks.length - 1)) / (max - 1))]);
}

/** x: seconds; one series per block: the fraction of its channel's peers holding it (null before it was cut). */
export function infectionColumns(blocks: BlockCurve[], endMs: number): [number[], ...(number | null)[][]] {
  const times = new Set<number>([endMs]);
  for (const b of blocks) {
    times.add(b.cutAtMs);
    for (const r of b.receipts) times.add(r.t);
  }
  const xs = [...times].sort((a, b) => a - b);
  const ys = blocks.map((b) => {
    const out: (number | null)[] = [];
    let k = 0;
    for (const x of xs) {
      if (x < b.cutAtMs) {
        out.push(null);
        continue;
      }
      while (k < b.receipts.length && b.receipts[k].t <= x) k++;
      out.push(b.members === 0 ? 0 : k / b.members);
    }
    return out;
  });
  return [xs.map((x) => x / 1000), ...ys];
}

/** x: latency ms; y: fraction of samples at or below, per distribution. */
export function cdfColumns(dists: Distribution[]): [number[], ...(number | null)[][]] {
  const xs = [...new Set(dists.flatMap((d) => d.samples))].sort((a, b) => a - b);
  const ys = dists.map((d) => {
    let k = 0;
    return xs.map((x) => {
      while (k < d.samples.length && d.samples[k] <= x) k++;
      return d.count === 0 ? null : k / d.count;
    });
  });
  return [xs, ...ys];
}

/** Equal-width bins over all samples; counts per bin for each distribution. x: bin start, ms. */
export function histogramColumns(dists: Distribution[], bins = 30): [number[], ...number[][]] {
  const all = dists.flatMap((d) => d.samples);
  if (all.length === 0) return [[]];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const w = hi > lo ? (hi - lo) / bins : 1;
  const xs = Array.from({ length: bins }, (_, i) => lo + i * w);
  const ys = dists.map((d) => {
    const c = new Array<number>(bins).fill(0);
    for (const s of d.samples) c[Math.min(bins - 1, Math.floor((s - lo) / w))]++;
    return c;
  });
  return [xs, ...ys];
}

/** x: seconds; sends per second of each type, then bytes per second (when known). */
export function rateColumns(f: Figures): { types: string[]; messages: [number[], ...number[][]]; bytes: [number[], number[]] | null } {
  const perSec = 1000 / f.rates.bucketMs;
  const xs = f.rates.t.map((t) => t / 1000);
  const types = Object.keys(f.rates.messages);
  return {
    types,
    messages: [xs, ...types.map((ty) => f.rates.messages[ty].map((n) => n * perSec))],
    bytes: f.rates.bytes === null ? null : [xs, f.rates.bytes.map((n) => n * perSec)],
  };
}

/** The block whose curve is nearest to (x seconds, y fraction), for hover text. */
export function describeReceipts(b: BlockCurve, atMs: number): string {
  const have = b.receipts.filter((r) => r.t <= atMs);
  const by = (v: string) => have.filter((r) => r.via === v).length;
  return `${b.channel} block ${b.seq}: ${have.length}/${b.members} peers at ${(atMs / 1000).toFixed(3)} s (orderer ${by('orderer')}, push ${by('push')}, pull ${by('pull')}, state ${by('state')})`;
}
