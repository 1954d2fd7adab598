/**
 * DAP's base protocol framing (`Content-Length: N\r\n\r\n` then N bytes of JSON), done here
 * rather than by @vscode/debugadapter: the library gives up on a frame it cannot parse (its
 * 'error' event shuts the adapter down), and a frame that is not JSON must be answered, not fatal.
 */

/** What one frame held: a parsed JSON value, or why it could not be read. */
export type Frame = { value: unknown } | { problem: string };

/** The largest frame taken in (bytes). A launch request or a breakpoint list is a few KB. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** The longest header block read before giving up on finding its end (bytes). */
const MAX_HEADER_BYTES = 8 * 1024;
const SEPARATOR = Buffer.from('\r\n\r\n');

export class DapFramer {
  private buf: Buffer = Buffer.alloc(0);
  /** Body length of the frame being read; -1 while reading a header. */
  private length = -1;
  /** Bytes still to throw away of a frame too big to take. */
  private skipping = 0;

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
      if (this.length < 0) {
        const end = this.buf.indexOf(SEPARATOR);
        if (end < 0) {
          if (this.buf.length > MAX_HEADER_BYTES) {
            out.push({ problem: `a header of more than ${MAX_HEADER_BYTES} bytes without its blank line; dropped` });
            this.buf = Buffer.alloc(0);
          }
          break;
        }
        const header = this.buf.toString('latin1', 0, end);
        this.buf = this.buf.subarray(end + SEPARATOR.length);
        const m = /^content-length:[ \t]*(\d+)[ \t]*$/im.exec(header);
        if (m === null) {
          out.push({ problem: `a header without a Content-Length (${JSON.stringify(header.slice(0, 80))}); skipped` });
          continue;
        }
        const n = Number(m[1]);
        if (n > MAX_FRAME_BYTES) {
          out.push({ problem: `a frame of ${m[1]} bytes, over the limit of ${MAX_FRAME_BYTES}; skipped` });
          const now = Math.min(n, this.buf.length);
          this.skipping = n - now;
          this.buf = this.buf.subarray(now);
          continue;
        }
        this.length = n;
      }
      if (this.buf.length < this.length) break;
      const body = this.buf.subarray(0, this.length);
      this.buf = this.buf.subarray(this.length);
      this.length = -1;
      out.push(parseBody(body));
    }
    return out;
  }
}

function parseBody(body: Buffer): Frame {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { problem: 'a frame that is not valid UTF-8' };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { problem: `a frame that is not valid JSON (${(err as Error).message})` };
  }
}
