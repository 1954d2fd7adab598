/**
 * Fuzzing the decoders: whatever the bytes, they return a value or throw a WireError, nothing
 * else. Fixed seeds keep the runs deterministic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  WireError,
  decodeBlock,
  decodeEnvelope,
  decodeGossipMessage,
  decodeMetadata,
  decodeSecret,
  decodeSerializedIdentity,
  decodeSignatureHeader,
  encodeEnvelope,
  encodeGossipMessage,
} from '../../engine/wire/codec.js';
import { BIG, U64_MAX, allMessages, env } from './samples.js';

const DECODERS = [decodeEnvelope, decodeGossipMessage, decodeBlock, decodeMetadata, decodeSecret, decodeSerializedIdentity, decodeSignatureHeader];

/** Runs every decoder; fails on any exception that is not a WireError. */
function decodeAll(b: Uint8Array): void {
  for (const decode of DECODERS) {
    try {
      decode(b);
    } catch (e) {
      if (!(e instanceof WireError)) throw new Error(`${decode.name} threw ${String(e)} on ${Buffer.from(b).toString('hex')}`);
    }
  }
}

// Valid encodings to mutate: every content kind, bare and wrapped in an Envelope.
const VALID: Uint8Array[] = [...allMessages(BIG), ...allMessages(U64_MAX)].flatMap((m) => {
  const payload = encodeGossipMessage(m);
  return [payload, encodeEnvelope({ ...env(3), payload })];
});

const mutation = fc.record({
  op: fc.constantFrom('set', 'insert', 'delete', 'truncate'),
  at: fc.nat(),
  byte: fc.integer({ min: 0, max: 255 }),
});

function mutate(src: Uint8Array, muts: { op: string; at: number; byte: number }[]): Uint8Array {
  let b = Array.from(src);
  for (const { op, at, byte } of muts) {
    const i = b.length ? at % (b.length + (op === 'insert' ? 1 : 0)) : 0;
    if (op === 'set' && b.length) b[i] = byte;
    else if (op === 'insert') b.splice(i, 0, byte);
    else if (op === 'delete') b.splice(i, 1);
    else if (op === 'truncate') b = b.slice(0, i);
  }
  return Uint8Array.from(b);
}

test('random bytes: decoders only ever throw WireError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (b) => decodeAll(b)),
    { numRuns: 2000, seed: 20240601 },
  );
});

test('mutated valid encodings: decoders only ever throw WireError', () => {
  fc.assert(
    fc.property(fc.constantFrom(...VALID), fc.array(mutation, { minLength: 1, maxLength: 6 }), (src, muts) =>
      decodeAll(mutate(src, muts)),
    ),
    { numRuns: 2000, seed: 424242 },
  );
});

test('whatever decodes re-encodes to something that decodes to the same value', () => {
  fc.assert(
    fc.property(fc.constantFrom(...VALID), fc.array(mutation, { maxLength: 3 }), (src, muts) => {
      let m;
      try {
        m = decodeGossipMessage(mutate(src, muts));
      } catch (e) {
        if (e instanceof WireError) return;
        throw e;
      }
      assert.deepStrictEqual(decodeGossipMessage(encodeGossipMessage(m)), m);
    }),
    { numRuns: 2000, seed: 7 },
  );
});
