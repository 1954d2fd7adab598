/** Log files from paths: plain text or gzip (`docker logs peer0 2>&1 | gzip`), read whole. */
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { LogFile } from './read-logs.js';

/** Bound on one file, uncompressed: a day of one peer's debug log is well below it. */
export const MAX_LOG_BYTES = 1 << 30;

export class LogFileError extends Error {}

export function readLogFiles(paths: string[]): LogFile[] {
  return paths.map((path) => {
    let buf: Buffer;
    try {
      if (statSync(path).isDirectory()) throw new LogFileError(`${path}:1:1: a folder: give the log files themselves`);
      buf = readFileSync(path);
      if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf, { maxOutputLength: MAX_LOG_BYTES });
    } catch (e) {
      if (e instanceof LogFileError) throw e;
      throw new LogFileError(`${path}:1:1: cannot read the log: ${(e as Error).message}`);
    }
    if (buf.length > MAX_LOG_BYTES) throw new LogFileError(`${path}:1:1: larger than ${MAX_LOG_BYTES} bytes`);
    return { path, text: buf.toString('utf8') };
  });
}
