/**
 * What a tamper fault does to a message in flight, in the simulator's network and in a live
 * peer's transport alike: strip its signature, or flip one bit of its signed payload (the
 * result may no longer decode: then the raw bytes travel, and the receiver's decoder rejects them).
 */
import type { Rng } from '../kernel/rng.js';
import { fromBytes, SignedMessage } from '../fabric/message.js';
import { encodeEnvelope } from '../wire/codec.js';

export type TamperMode = 'flip' | 'strip-signature';

/**
 * The message types Fabric signs (reference: AliveMessage, StateInfo, LeadershipMessage,
 * PeerIdentity, ConnEstablish); every other one is noop-signed, authenticated by its connection.
 */
export const SIGNED_TYPES: ReadonlySet<string> = new Set(['AliveMessage', 'StateInfo', 'LeadershipMessage', 'PeerIdentity', 'ConnEstablish']);

export interface Tampered {
  /** The altered message, or bytes that no longer decode. */
  out: SignedMessage | Uint8Array;
  /** For the trace: "signature stripped", "payload byte 12 flipped". */
  what: string;
  /** The envelope's bytes as the sender wrote them, and as they reach the receiver. */
  sent: Uint8Array;
  received: Uint8Array;
}

/**
 * Whether a rule of this mode takes this message: stripping a signature takes only a signed
 * message (Fabric's IsSigned: a non-empty signature), so the fault is never spent on a message
 * that has nothing to strip.
 */
export function tamperTakes(mode: TamperMode, sm: SignedMessage): boolean {
  return mode !== 'strip-signature' || sm.envelope.signature.length > 0;
}

/** Why a rule can never take a message (a signature to strip from a type Fabric never signs), or null. */
export function tamperNeverTakes(mode: TamperMode, type: string | null): string | null {
  if (mode !== 'strip-signature' || type === null || SIGNED_TYPES.has(type)) return null;
  return `${type} is not signed (Fabric noop-signs it): there is no signature to strip; signed types are ${[...SIGNED_TYPES].join(', ')}`;
}

export function tamperWith(sm: SignedMessage, mode: TamperMode, rng: Rng): Tampered {
  const env = sm.envelope;
  const sent = encodeEnvelope(env);
  if (mode === 'strip-signature') {
    const out = new SignedMessage(sm.msg, { payload: env.payload, signature: new Uint8Array(0), secretEnvelope: env.secretEnvelope });
    return { out, what: 'signature stripped', sent, received: encodeEnvelope(out.envelope) };
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
  return { out, what: `payload byte ${at} flipped`, sent, received: bytes };
}

/** The one stretch where two byte strings differ: after their common start, before their common end. */
export function changedSpan(a: Uint8Array, b: Uint8Array): { at: number; sent: Uint8Array; received: Uint8Array } {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return { at: start, sent: a.subarray(start, a.length - end), received: b.subarray(start, b.length - end) };
}
