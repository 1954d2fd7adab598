/**
 * Reading a user's text file safely: its size is checked before a byte is read, a directory or a
 * missing file is said in words, and the bytes must be UTF-8: a UTF-16 or UTF-32 file is named as
 * such, and an invalid byte is reported where it is (line:col), never turned into U+FFFD.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

export interface TextProblem {
  line: number;
  col: number;
  message: string;
}

/** The file's text, or what is wrong with it (at 1:1 unless it is a place in the text). */
export function readBoundedText(path: string, maxBytes: number, what: string): string | TextProblem {
  const bytes = readRegularFile(path, maxBytes, what);
  return bytes instanceof Uint8Array ? decodeUtf8(bytes) : bytes;
}

/**
 * A regular file's bytes, at most `maxBytes`, or what is wrong (at 1:1). Every reader of a file
 * the user names goes through this: a FIFO, a device or a socket is refused before a byte is read
 * (opened without blocking, so a named pipe nobody writes to cannot freeze the reader), a
 * directory or a missing file is said in words, and the size bound holds before reading.
 */
export function readRegularFile(path: string, maxBytes: number, what: string): Buffer | TextProblem {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { line: 1, col: 1, message: cannotRead(err) };
  }
  try {
    const st = fstatSync(fd);
    const notRegular = notRegularFile(st);
    if (notRegular !== undefined) return { line: 1, col: 1, message: notRegular };
    if (st.size > maxBytes) {
      return { line: 1, col: 1, message: `the file is ${st.size.toLocaleString('en-US')} bytes; ${what} is at most ${showBytes(maxBytes)}` };
    }
    // Read at most one byte more than allowed: a file that grows while read is still bounded.
    const buf = Buffer.alloc(Math.min(maxBytes + 1, Math.max(st.size, 0) + 1));
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, n);
      if (r === 0) break;
      n += r;
      if (n === buf.length) break;
    }
    if (n > maxBytes) return { line: 1, col: 1, message: `the file is over ${showBytes(maxBytes)}, the most ${what} may be` };
    return buf.subarray(0, n);
  } catch (err) {
    return { line: 1, col: 1, message: cannotRead(err) };
  } finally {
    closeSync(fd);
  }
}

/** Why a file of this kind is not read (undefined for a regular file). */
export function notRegularFile(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'this is a directory, not a file';
  const kind = st.isFIFO() ? 'a named pipe (FIFO)' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : st.isSocket() ? 'a socket' : 'not a regular file';
  return `this is ${kind}, not a regular file: only regular files are read (a pipe or device could block or never end)`;
}

function cannotRead(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'cannot read the file: there is no such file';
  if (e.code === 'EISDIR') return 'this is a directory, not a file';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'cannot read the file: permission denied';
  return `cannot read the file: ${e.code ?? e.message}`;
}

export function showBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** UTF-8 text without its BOM, or where and why it is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | TextProblem {
  const bom = byteOrderMark(bytes);
  if (bom !== undefined) return { line: 1, col: 1, message: `the file is ${bom} (by its byte-order mark); save it as UTF-8` };
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const sixteen = looksUtf16(bytes);
  if (sixteen !== undefined) return { line: 1, col: 1, message: `the file looks like ${sixteen} (every other byte is 0); save it as UTF-8` };
  const bad = firstInvalidUtf8(bytes, start);
  if (bad >= 0) {
    const before = Buffer.from(bytes.subarray(start, bad)).toString('utf8');
    const lines = before.split('\n');
    return { line: lines.length, col: lines[lines.length - 1].length + 1, message: `the file is not valid UTF-8: byte 0x${bytes[bad].toString(16).padStart(2, '0')} at offset ${bad} cannot start or continue a character; save it as UTF-8` };
  }
  return Buffer.from(bytes.subarray(start)).toString('utf8');
}

function byteOrderMark(b: Uint8Array): string | undefined {
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32 (big-endian)';
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00) return 'UTF-32 (little-endian)';
  if (b[0] === 0xff && b[1] === 0xfe) return 'UTF-16 (little-endian)';
  if (b[0] === 0xfe && b[1] === 0xff) return 'UTF-16 (big-endian)';
  return undefined;
}

/** UTF-16 without a BOM: ASCII text has a 0 in every other byte. */
function looksUtf16(b: Uint8Array): string | undefined {
  const n = Math.min(b.length, 512) & ~1;
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZero++;
    if (b[i + 1] === 0) oddZero++;
  }
  const half = n / 2;
  if (oddZero > half * 0.8 && evenZero === 0) return 'UTF-16 (little-endian)';
  if (evenZero > half * 0.8 && oddZero === 0) return 'UTF-16 (big-endian)';
  return undefined;
}

/** Offset of the first byte that breaks UTF-8 (overlong forms and surrogates included), or -1. */
function firstInvalidUtf8(b: Uint8Array, from: number): number {
  let i = from;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= b.length) return i;
    let cp = c & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const x = b[i + k];
      if (x === undefined || (x & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (x & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
