/**
 * What a tamper fault does to a message in flight, in the simulator's network and in a live
 * peer's transport alike: strip its signature, or flip one bit of its signed payload (the
 * result may no longer decode: then the raw bytes travel, and the receiver's decoder rejects them).
 */
import type { Rng } from '../kernel/rng.js';
import { fromBytes, SignedMessage } from '../fabric/message.js';
import { encodeEnvelope } from '../wire/codec.js';

export interface Tampered {
  /** The altered message, or bytes that no longer decode. */
  out: SignedMessage | Uint8Array;
  /** For the trace: "signature stripped", "payload byte 12 flipped". */
  what: string;
}

export function tamperWith(sm: SignedMessage, mode: 'flip' | 'strip-signature', rng: Rng): Tampered {
  const env = sm.envelope;
  if (mode === 'strip-signature') {
    return { out: new SignedMessage(sm.msg, { payload: env.payload, signature: new Uint8Array(0), secretEnvelope: env.secretEnvelope }), what: 'signature stripped' };
  }
  const payload = Uint8Array.from(env.payload);
  const at = rng.int(payload.length);
  payload[at] ^= 0x01 << rng.int(8);
  const bytes = encodeEnvelope({ payload, signature: env.signature, secretEnvelope: env.secretEnvelope });
  let out: SignedMessage | Uint8Array;
  try {
    out = fromBytes(bytes);
  } catch {
    out = bytes;
  }
  return { out, what: `payload byte ${at} flipped` };
}
