/**
 * The encoded size of a gossip Envelope without encoding it again: protobuf's length-delimited
 * fields (tag, length varint, bytes), empty ones left out as proto3 does. Bytes per second are
 * counted with it, once per send.
 */
import type { Envelope } from '../wire/messages.js';

const varintLen = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);
const field = (len: number): number => (len === 0 ? 0 : 1 + varintLen(len) + len);

export function envelopeSize(e: Envelope): number {
  let n = field(e.payload.length) + field(e.signature.length);
  if (e.secretEnvelope !== undefined) {
    const inner = field(e.secretEnvelope.payload.length) + field(e.secretEnvelope.signature.length);
    n += 1 + varintLen(inner) + inner;
  }
  return n;
}
