// A stand-in for running peers: writes each peer's log lines into its file at the log's own pace,
// sped up, as a peer process would (appending, line by line in bursts). Halfway through, one
// file is rotated as logrotate does (renamed to .1, a new file created) and one is cut short as
// logrotate's copytruncate does; before each, a pause lets a follower read what was written.
// Usage: node replay-writer.mjs SRC_DIR DST_DIR SPEEDUP ROTATE_NAME TRUNCATE_NAME
import { appendFileSync, copyFileSync, readdirSync, readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [src, dst, speedupText, rotate, truncate] = process.argv.slice(2);
const speedup = Number(speedupText);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stamp = (l) => Date.parse(l.slice(0, 23).replace(' ', 'T') + 'Z');

const lines = [];
for (const name of readdirSync(src).sort()) {
  readFileSync(join(src, name), 'utf8').split('\n').filter(Boolean).forEach((text, i) => lines.push({ name, text, at: stamp(text), i }));
  writeFileSync(join(dst, name), '');
}
// In the log's time order (each file's own order kept), the half of it first.
lines.sort((a, b) => a.at - b.at || (a.name === b.name ? a.i - b.i : a.name < b.name ? -1 : 1));
const t0 = lines[0].at;
const start = Date.now();
const half = Math.floor(lines.length / 2);
let rotated = false;
for (let k = 0; k < lines.length; ) {
  if (!rotated && k >= half) {
    rotated = true;
    await sleep(500);
    renameSync(join(dst, rotate), join(dst, `${rotate}.1`));
    writeFileSync(join(dst, rotate), '');
    copyFileSync(join(dst, truncate), join(dst, `${truncate}.1`));
    truncateSync(join(dst, truncate), 0);
    await sleep(300);
  }
  // A burst: the lines due by now, each appended to its file.
  const due = (Date.now() - start) * speedup + t0;
  let n = 0;
  while (k < lines.length && (lines[k].at <= due || n === 0) && !(k >= half && !rotated)) {
    appendFileSync(join(dst, lines[k].name), lines[k].text + '\n');
    k++;
    n++;
  }
  await sleep(10);
}
process.stdout.write(`wrote ${lines.length} lines\n`);
