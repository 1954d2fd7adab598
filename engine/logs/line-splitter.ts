/**
 * Bytes in, lines out, one chunk at a time: what a saved file's stream and a followed file's
 * appended bytes are both fed through. A line longer than the bound is cut there (its start is
 * kept, the rest skipped to the next newline), so an endless line never grows memory.
 */
import { MAX_LINE_BYTES } from './limits.js';

export type LineSink = (text: string, lineNo: number, cut: boolean) => void;

export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private cut = false;
  private lineNo = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  /** Lines emitted so far. */
  get lines(): number {
    return this.lineNo;
  }

  push(chunk: Buffer): void {
    let from = 0;
    while (from < chunk.length) {
      const nl = chunk.indexOf(10, from);
      const end = nl < 0 ? chunk.length : nl;
      // A line's start that waits for its end is copied: the caller may reuse the chunk's memory.
      this.take(chunk, from, end, nl < 0);
      if (nl < 0) return;
      this.emit();
      from = nl + 1;
    }
  }

  /** The last line, when the input does not end with a newline. */
  end(): void {
    if (this.partBytes > 0 || this.cut) this.emit();
  }

  private take(chunk: Buffer, from: number, end: number, copy: boolean): void {
    if (this.cut || end === from) return;
    const room = this.maxLineBytes - this.partBytes;
    const n = Math.min(room, end - from);
    if (n > 0) {
      const piece = chunk.subarray(from, from + n);
      this.parts.push(copy ? Buffer.from(piece) : piece);
      this.partBytes += n;
    }
    if (end - from > room) this.cut = true;
  }

  private emit(): void {
    const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partBytes);
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const cut = this.cut;
    this.parts = [];
    this.partBytes = 0;
    this.cut = false;
    this.sink(text, ++this.lineNo, cut);
  }
}
