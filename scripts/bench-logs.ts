/**
 * How fast `gossip-scope logs` reads, and in how much memory: the real six-peer log shipped in
 * docs/reference/real-fabric/ repeated end to end (each copy's timestamps moved past the one
 * before, so it reads as one long run of the same six peers), written once as a plain file and
 * once gzipped, then read as the CLI reads it (streamed, line by line).
 *
 * Usage: npm run bench:logs -- [--mib N]   (the plain file's size; default 200)
 * Prints lines per second (reading alone, and reading plus matching and ordering), MiB per
 * second, and the process's peak RSS.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { checkLogPaths, streamLogFile } from '../engine/logs/files.js';
import { FabricLogReader } from '../engine/logs/log-reader.js';

const args = process.argv.slice(2);
const at = args.indexOf('--mib');
const MIB = at >= 0 ? Number(args[at + 1]) : 200;
if (!Number.isFinite(MIB) || MIB <= 0 || MIB > 1024) throw new Error(`--mib takes a size in MiB up to 1024, not "${args[at + 1]}"`);

const six = gunzipSync(readFileSync(join(__dirname, '..', 'docs', 'reference', 'real-fabric', 'gossip-debug-6peers.log.gz'))).toString('utf8').split('\n').filter(Boolean);
const STAMP = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})/;
const times = six.map((l) => {
  const m = STAMP.exec(l);
  return m ? Date.parse(m[1].replace(' ', 'T') + 'Z') : undefined;
});
const known = times.filter((t): t is number => t !== undefined);
const span = Math.max(...known) - Math.min(...known) + 1000;
const bytesPerCopy = Buffer.byteLength(six.join('\n') + '\n');
const copies = Math.max(1, Math.round((MIB * (1 << 20)) / bytesPerCopy));

/** Copy k of the log, its stamps k spans later. */
function* copy(k: number): Generator<string> {
  const lines: string[] = [];
  six.forEach((l, i) => {
    const t = times[i];
    lines.push(t === undefined ? l : new Date(t + k * span).toISOString().replace('T', ' ').slice(0, 23) + l.slice(23));
  });
  yield lines.join('\n') + '\n';
}
function* all(): Generator<string> {
  for (let k = 0; k < copies; k++) yield* copy(k);
}

async function read(path: string): Promise<{ lines: number; readMs: number; totalMs: number; events: number; matched: number }> {
  const t0 = performance.now();
  checkLogPaths([path]);
  const reader = new FabricLogReader([path]);
  let lines = 0;
  await streamLogFile(path, (text, lineNo, cut) => {
    lines++;
    reader.line(text, path, lineNo, cut);
  });
  const t1 = performance.now();
  const r = reader.finish();
  const t2 = performance.now();
  return { lines, readMs: t1 - t0, totalMs: t2 - t0, events: r.events.length, matched: r.stats.matched };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-logs-'));
  try {
    const plain = join(dir, 'six-repeated.log');
    const gz = join(dir, 'six-repeated.log.gz');
    await pipeline(Readable.from(all()), createWriteStream(plain));
    await pipeline(Readable.from(all()), createGzip({ level: 1 }), createWriteStream(gz));
    const size = statSync(plain).size / (1 << 20);
    console.log(`log: ${copies} copies of the six-peer log, ${size.toFixed(0)} MiB plain, ${(statSync(gz).size / (1 << 20)).toFixed(0)} MiB gzipped`);
    for (const [name, path] of [
      ['plain', plain],
      ['gzip', gz],
    ]) {
      const r = await read(path);
      const perSec = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');
      console.log(
        `${name.padEnd(5)}: ${r.lines.toLocaleString('en-US')} lines; read ${perSec(r.lines, r.readMs)} lines/s (${(size / (r.readMs / 1000)).toFixed(0)} MiB/s), ` +
          `read + match + order ${perSec(r.lines, r.totalMs)} lines/s (${(r.totalMs / 1000).toFixed(1)} s); ${r.events.toLocaleString('en-US')} events, ${r.matched.toLocaleString('en-US')} pairs`,
      );
    }
    console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (both readings in one process; the log itself is never held whole)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
