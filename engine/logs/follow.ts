/**
 * Following log files that are still being written, as `tail -F` does: each poll reads what was
 * appended since the last; a file renamed away and replaced (logrotate's rotation) is read to its
 * end and then the new file from its start; a file cut short (copytruncate) is read again from its
 * start; a file that is gone is waited for. Lines go to a FabricLogReader as they come, and the
 * line numbers of a followed path count on across rotations (its lines as one stream).
 *
 * Polling, not fs.watch: watch events are lost across renames and on network file systems, and
 * a poll bounds the work per tick (at most `maxBytesPerPoll` a file).
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { LineSplitter } from './line-splitter.js';

/** What happened to a followed file, said to the user. */
export interface FollowNotice {
  path: string;
  what: 'opened' | 'rotated' | 'truncated' | 'gone' | 'not a regular file' | 'unreadable';
  detail?: string;
}

export type FollowLine = (text: string, path: string, lineNo: number, cut: boolean) => void;

interface Followed {
  path: string;
  fd?: number;
  dev?: number;
  ino?: number;
  pos: number;
  splitter: LineSplitter;
  /** The last notice, so a state (gone, unreadable) is said once, not every poll. */
  state?: FollowNotice['what'];
}

export interface FollowOptions {
  /** Start at the end of files that exist when the follow starts (tail's default); false: read them from the start. */
  fromEnd?: boolean;
  maxBytesPerPoll?: number;
}

export class LogFollower {
  private readonly files: Followed[];
  private readonly buf: Buffer;
  private readonly maxBytes: number;

  constructor(
    paths: string[],
    private readonly onLine: FollowLine,
    private readonly onNotice: (n: FollowNotice) => void,
    private readonly options: FollowOptions = {},
  ) {
    this.maxBytes = options.maxBytesPerPoll ?? 4 << 20;
    this.buf = Buffer.alloc(Math.min(this.maxBytes, 1 << 20));
    this.files = paths.map((path) => {
      const f: Followed = { path, pos: 0, splitter: undefined! };
      f.splitter = new LineSplitter((text, lineNo, cut) => this.onLine(text, path, lineNo, cut));
      return f;
    });
    for (const f of this.files) this.open(f, options.fromEnd ?? false);
  }

  /** Reads what each file gained since the last poll; returns the bytes read. */
  poll(): number {
    let total = 0;
    for (const f of this.files) total += this.pollFile(f);
    return total;
  }

  /** Stops following: the partial last line of each file (no newline yet) is handed on, the files closed. */
  close(): void {
    for (const f of this.files) {
      f.splitter.end();
      if (f.fd !== undefined) closeSync(f.fd);
      f.fd = undefined;
    }
  }

  private say(f: Followed, what: FollowNotice['what'], detail?: string): void {
    if (f.state === what && (what === 'gone' || what === 'unreadable' || what === 'not a regular file')) return;
    f.state = what;
    this.onNotice(detail === undefined ? { path: f.path, what } : { path: f.path, what, detail });
  }

  /** Opens the file now at `path` (without blocking: a FIFO is refused, not waited on). */
  private open(f: Followed, atEnd: boolean): boolean {
    let fd: number;
    try {
      fd = openSync(f.path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.say(f, code === 'ENOENT' ? 'gone' : 'unreadable', code === 'ENOENT' ? undefined : (e as Error).message);
      return false;
    }
    const st = fstatSync(fd);
    if (!st.isFile()) {
      closeSync(fd);
      this.say(f, 'not a regular file', 'a device, FIFO or socket: follow the file its writer writes, or a command (docker logs -f)');
      return false;
    }
    f.fd = fd;
    f.dev = st.dev;
    f.ino = st.ino;
    f.pos = atEnd ? st.size : 0;
    this.say(f, 'opened', atEnd ? `from its end (${st.size} bytes)` : undefined);
    return true;
  }

  private pollFile(f: Followed): number {
    if (f.fd === undefined && !this.open(f, false)) return 0;
    let read = 0;
    let now: { dev: number; ino: number } | undefined;
    try {
      now = statSync(f.path);
    } catch {
      now = undefined;
    }
    const replaced = now === undefined || now.dev !== f.dev || now.ino !== f.ino;
    const size = fstatSync(f.fd!).size;
    if (size < f.pos) {
      this.say(f, 'truncated', `from ${f.pos} to ${size} bytes: read again from its start`);
      f.pos = 0;
    }
    read += this.drain(f);
    if (replaced && read === 0) {
      // Rotated (or removed): the old file is read to its end; the new one, once there, from its start.
      closeSync(f.fd!);
      f.fd = undefined;
      if (now === undefined) {
        this.say(f, 'gone');
        return read;
      }
      if (this.open(f, false)) {
        this.say(f, 'rotated', 'the new file is read from its start');
        read += this.drain(f);
      }
    }
    return read;
  }

  /** Reads from the position to the file's end (at most maxBytes), into the splitter. */
  private drain(f: Followed): number {
    let total = 0;
    while (total < this.maxBytes) {
      const n = readSync(f.fd!, this.buf, 0, Math.min(this.buf.length, this.maxBytes - total), f.pos);
      if (n <= 0) break;
      f.pos += n;
      total += n;
      f.splitter.push(this.buf.subarray(0, n));
    }
    return total;
  }
}
