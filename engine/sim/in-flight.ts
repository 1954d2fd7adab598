/**
 * Messages in flight, as kernel records: a record's `a` is the receiving side of a stream (a
 * handle into this table), `b` the trace cause of the send, and its slot the message. So a
 * message waits in the queue in one slot, with no closure made for it, and a stopped network
 * can say what is on its way to whom.
 */
import type { Kernel, PendingWhat, RecordKind, Task } from '../kernel/kernel.js';
import { HAND_DROP, type Connection } from '../fabric/comm.js';
import type { SignedMessage } from '../fabric/message.js';

/** Bytes a tamper rule garbled, and the message they were (for saying what is on its way). */
interface Garbled {
  bytes: Uint8Array;
  was: SignedMessage;
}

/** A rare event (a handshake on its way) that says what it is: one object is fine there. */
interface Labelled {
  fn: Task;
  what: PendingWhat;
  /** What dropping it by hand means (a message lost, traced at its sender). */
  drop: Task;
}

export class InFlight {
  /**
   * Receiving sides of streams, by handle (a connection's `handle`, given on its first
   * message). Kept for the run: a stream is opened once per handshake, so they are few.
   */
  private readonly conns: Connection[] = [];
  private readonly messageCode: number;
  private readonly garbledCode: number;
  private readonly labelledCode: number;

  constructor(private readonly kernel: Kernel) {
    const conns = this.conns;
    const message: RecordKind<SignedMessage> = {
      run: (h, cause, sm) => conns[h].arrive(sm, cause),
      describe: (h, _cause, sm) => describe(conns[h], sm),
      discard: (h, cause, sm) => dropByHand(conns[h], sm, cause),
      copyable: true,
    };
    const garbled: RecordKind<Garbled> = {
      run: (h, cause, g) => conns[h].arriveRaw(g.bytes, cause, g.was),
      describe: (h, _cause, g) => describe(conns[h], g.was),
      discard: (h, cause, g) => dropByHand(conns[h], g.was, cause),
      copyable: true,
    };
    const labelled: RecordKind<Labelled> = { run: (_a, _b, l) => l.fn(), describe: (_a, _b, l) => l.what, discard: (_a, _b, l) => l.drop(), copyable: false };
    this.messageCode = kernel.kindCode(message);
    this.garbledCode = kernel.kindCode(garbled);
    this.labelledCode = kernel.kindCode(labelled);
  }

  /** `sm` reaches `to` (the receiving side of a stream) after `delay` ms. */
  carry(delay: number, to: Connection, sm: SignedMessage, cause: number): void {
    this.kernel.recordAfter(delay, this.messageCode, this.handleOf(to), cause, sm);
  }

  /** Bytes that no longer decode reach `to` after `delay` ms. */
  carryGarbled(delay: number, to: Connection, bytes: Uint8Array, was: SignedMessage, cause: number): void {
    this.kernel.recordAfter(delay, this.garbledCode, this.handleOf(to), cause, { bytes, was } satisfies Garbled);
  }

  /** A task after `delay` ms; listed as `what` while it waits, when given (`drop` is what dropping it by hand does). */
  schedule(delay: number, fn: Task, labelled?: { what: PendingWhat; drop: Task }): void {
    if (labelled === undefined) this.kernel.after(delay, fn);
    else this.kernel.recordAfter(delay, this.labelledCode, 0, 0, { fn, ...labelled } satisfies Labelled);
  }

  private handleOf(conn: Connection): number {
    if (conn.handle < 0) {
      conn.handle = this.conns.length;
      this.conns.push(conn);
    }
    return conn.handle;
  }
}

/** Lost: the sender's event, as every drop is. */
function dropByHand(to: Connection, sm: SignedMessage, cause: number): void {
  const tr = to.remote.env.tr;
  tr.within(cause, () => tr.emit('drop', to.owner.env.idx, sm.typeName, sm.id, HAND_DROP));
}

function describe(to: Connection, sm: SignedMessage): PendingWhat {
  return { kind: 'message', from: to.remoteIdx, to: to.owner.env.idx, type: sm.typeName, msg: sm.id };
}
