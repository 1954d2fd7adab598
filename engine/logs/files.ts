/**
 * Log files from paths, read as streams: plain text or gzip (`docker logs peer0 2>&1 | gzip`),
 * each line handed on as it is read, so a file near the bound takes no more memory than a
 * small one. Only regular files are opened (a FIFO, a device such as /dev/zero or a socket
 * would block or never end), and without blocking, so a FIFO cannot hang the open itself.
 */
import { constants, createReadStream, fstatSync, openSync, readSync, closeSync, realpathSync, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { LineSplitter } from './line-splitter.js';
import { MAX_LOG_BYTES } from './limits.js';

export class LogFileError extends Error {}

/** What a line of a file is handed to. */
export type LineHandler = (text: string, lineNo: number, cut: boolean) => void;

const mib = (n: number) => `${n / (1 << 20)} MiB`;

/**
 * Refuses what cannot be read before anything is: a missing file, a folder, a path given twice,
 * anything but a regular file, a plain file over the bound.
 */
export function checkLogPaths(paths: string[]): void {
  const seen = new Map<string, string>();
  for (const path of paths) {
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      throw new LogFileError(`${path}:1:1: cannot read the log: ${(e as Error).message}`);
    }
    if (st.isDirectory()) throw new LogFileError(`${path}:1:1: a folder: give the log files themselves`);
    if (!st.isFile()) throw new LogFileError(`${path}:1:1: not a regular file (a device, FIFO or socket never ends or blocks): save the log to a file first`);
    if (st.size > MAX_LOG_BYTES) throw new LogFileError(`${path}:1:1: ${st.size} bytes, more than the ${mib(MAX_LOG_BYTES)} a log file may have: give a shorter part of it`);
    const real = realpathSync(path);
    const twice = seen.get(real);
    if (twice !== undefined) throw new LogFileError(`${path}:1:1: the same file as ${twice}: give each log once`);
    seen.set(real, path);
  }
}

/** Reads one file line by line; a gzip file is decompressed as it is read, up to the bound. */
export async function streamLogFile(path: string, onLine: LineHandler, maxBytes = MAX_LOG_BYTES): Promise<void> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new LogFileError(`${path}:1:1: cannot read the log: ${(e as Error).message}`);
  }
  let gzip: boolean;
  try {
    // Checked on the open file: the path may have been replaced since checkLogPaths.
    if (!fstatSync(fd).isFile()) throw new LogFileError(`${path}:1:1: not a regular file (a device, FIFO or socket never ends or blocks): save the log to a file first`);
    const magic = Buffer.alloc(2);
    gzip = readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } catch (e) {
    closeSync(fd);
    if (e instanceof LogFileError) throw e;
    throw new LogFileError(`${path}:1:1: cannot read the log: ${(e as Error).message}`);
  }
  const splitter = new LineSplitter(onLine);
  const file = createReadStream('', { fd, highWaterMark: 1 << 20 });
  const source = gzip ? file.pipe(createGunzip({ chunkSize: 1 << 16 })) : file;
  if (gzip) file.on('error', (e) => source.destroy(e));
  let bytes = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        throw new LogFileError(`${path}:${splitter.lines + 1}:1: ${gzip ? 'decompresses to' : 'grew to'} more than ${mib(maxBytes)}, the bound on one log file${gzip ? ' (a gzip bomb, or a log to split)' : ''}: give a shorter part of it`);
      }
      splitter.push(chunk);
    }
    splitter.end();
  } catch (e) {
    if (e instanceof LogFileError) throw e;
    throw new LogFileError(`${path}:${splitter.lines + 1}:1: cannot read the log: ${(e as Error).message}`);
  } finally {
    file.destroy();
    if (gzip) source.destroy();
  }
}
