import type { SignedMessage } from '../fabric/message.js';

/**
 * Every message gets a trace id when first sent; the most recent ones are kept so the inspector
 * (and tests) can look at their bytes and signatures. Bounded, like the trace ring.
 */
export class MessageLog {
  private next = 0;
  private readonly ring: (SignedMessage | undefined)[];

  constructor(readonly capacity: number) {
    this.ring = new Array(capacity);
  }

  add(sm: SignedMessage): number {
    const id = ++this.next;
    this.ring[id % this.capacity] = sm;
    return id;
  }

  /** The message with this id, if it is still kept. */
  get(id: number): SignedMessage | undefined {
    const sm = this.ring[id % this.capacity];
    return sm !== undefined && sm.id === id ? sm : undefined;
  }

  get count(): number {
    return this.next;
  }
}
