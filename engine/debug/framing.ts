/**
 * DAP's base protocol framing (`Content-Length: N\r\n\r\n` then N bytes of JSON), done here
 * rather than by @vscode/debugadapter: the library gives up on a frame it cannot parse (its
 * 'error' event shuts the adapter down), and a frame that is not JSON must be answered, not fatal.
 *
 * A frame whose header lies (a length one too many or too few, a duplicate or negative length, a
 * NUL in the header) must not put the reader out of step for good: the broken frame is reported,
 * and reading starts again at the next `Content-Length:` header.
 */

import { jsonDepth, MAX_JSON_DEPTH, topLevelRequest } from '../scenario/json-depth.js';

export { jsonDepth } from '../scenario/json-depth.js';

/** What one frame held: a parsed JSON value, or why it could not be read (and, if it says, the request it was). */
export type Frame = { value: unknown } | { problem: string; request?: { seq: number; command: string } };

/** The largest frame taken in (bytes). A launch request or a breakpoint list is a few KB. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** The longest header block read before giving up on finding its end (bytes). */
const MAX_HEADER_BYTES = 8 * 1024;
const SEPARATOR = Buffer.from('\r\n\r\n');
const LENGTH_FIELD = 'content-length:';
/** A header line: a field name, a colon, a value of printable characters (no NUL, no control bytes). */
const HEADER_LINE = /^[A-Za-z][A-Za-z0-9-]*:[ \t]*[^\x00-\x1f\x7f]*$/;

export class DapFramer {
  private buf: Buffer = Buffer.alloc(0);
  /** Body length of the frame being read; -1 while reading a header. */
  private length = -1;
  /** Bytes still to throw away of a frame too big to take. */
  private skipping = 0;
  /** After a broken frame: bytes are dropped, unreported, up to the next `Content-Length:` from this offset. */
  private resyncFrom = -1;

  /** Takes in bytes; returns every frame they complete, in order. */
  push(chunk: Buffer): Frame[] {
    const out: Frame[] = [];
    if (this.skipping > 0) {
      const n = Math.min(this.skipping, chunk.length);
      this.skipping -= n;
      chunk = chunk.subarray(n);
    }
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.resyncFrom >= 0 && !this.resync()) break;
      if (this.length < 0) {
        const end = this.buf.indexOf(SEPARATOR);
        if (end < 0) {
          if (this.buf.length > MAX_HEADER_BYTES) {
            out.push({ problem: `a header of more than ${MAX_HEADER_BYTES} bytes without its blank line; skipped to the next Content-Length header` });
            this.resyncFrom = 1;
            continue;
          }
          break;
        }
        const header = this.buf.toString('latin1', 0, end);
        const read = readHeader(header);
        if ('problem' in read) {
          out.push({ problem: `${read.problem}; skipped to the next Content-Length header` });
          // A header of proper fields is one frame's: its body goes too. Bytes that are not a
          // header at all (the tail of a frame that claimed too few) may run into a good header.
          this.resyncFrom = HEADER_LINE.test(header.split('\r\n')[0]) ? end + SEPARATOR.length : 1;
          continue;
        }
        this.buf = this.buf.subarray(end + SEPARATOR.length);
        if (read.length > MAX_FRAME_BYTES) {
          out.push({ problem: `a frame of ${read.length} bytes, over the limit of ${MAX_FRAME_BYTES}; skipped` });
          const now = Math.min(read.length, this.buf.length);
          this.skipping = read.length - now;
          this.buf = this.buf.subarray(now);
          continue;
        }
        this.length = read.length;
      }
      if (this.buf.length < this.length) break;
      const body = this.buf.subarray(0, this.length);
      const frame = parseBody(body);
      if ('problem' in frame && !('request' in frame)) {
        // A length one too many took the next header's first byte; one too few left a tail.
        // Either way the next header is found by its name, from this body's start.
        out.push({ problem: `${frame.problem} (is its Content-Length right?); skipped to the next Content-Length header` });
        this.length = -1;
        this.resyncFrom = 0;
        continue;
      }
      this.buf = this.buf.subarray(this.length);
      this.length = -1;
      out.push(frame);
    }
    return out;
  }

  /** Drops bytes up to the next `Content-Length:` at or after resyncFrom; false while none has come. */
  private resync(): boolean {
    const at = indexOfField(this.buf, this.resyncFrom);
    if (at < 0) {
      // Keep what could be the start of the field name, split across chunks.
      this.buf = this.buf.subarray(Math.max(0, this.buf.length - (LENGTH_FIELD.length - 1)));
      this.resyncFrom = 0;
      return false;
    }
    this.buf = this.buf.subarray(at);
    this.resyncFrom = -1;
    return true;
  }
}

/** The body length a header block gives, or what is wrong with it. */
function readHeader(header: string): { length: number } | { problem: string } {
  const shown = JSON.stringify(header.slice(0, 80));
  const lines = header.split('\r\n');
  const bad = lines.find((l) => !HEADER_LINE.test(l));
  if (bad !== undefined) {
    const why = /\x00/.test(bad) ? 'a NUL byte in the header' : /[\x00-\x1f\x7f]/.test(bad) ? 'a control character in the header' : 'bytes that are not a header';
    return { problem: `${why} (${shown})` };
  }
  const lengths = lines.filter((l) => l.toLowerCase().startsWith(LENGTH_FIELD));
  if (lengths.length === 0) return { problem: `a header without a Content-Length (${shown})` };
  if (lengths.length > 1) return { problem: `a header with ${lengths.length} Content-Length fields (${shown})` };
  const value = lengths[0].slice(LENGTH_FIELD.length).trim();
  if (!/^\d{1,15}$/.test(value)) return { problem: `a Content-Length that is not a byte count (${JSON.stringify(value.slice(0, 40))})` };
  return { length: Number(value) };
}

/** Offset of the next `Content-Length:` (any case) at or after `from`, or -1. */
function indexOfField(buf: Buffer, from: number): number {
  const text = buf.toString('latin1').toLowerCase();
  return text.indexOf(LENGTH_FIELD, from);
}

function parseBody(body: Buffer): Frame {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { problem: 'a frame that is not valid UTF-8' };
  }
  const depth = jsonDepth(text);
  // Too deep, not broken: its length is taken as right, it is read past, and answered if it says its seq.
  if (depth > MAX_JSON_DEPTH) return { problem: `a frame whose JSON nests more than ${MAX_JSON_DEPTH} deep; a request nests a few levels`, request: topLevelRequest(text) };
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { problem: `a frame that is not valid JSON (${(err as Error).message})` };
  }
}
