/**
 * msp.SerializedIdentity {mspid = 1 (string), id_bytes = 2 (bytes)} and the PEM it carries.
 * Encoded here rather than through the wire codec so that identities do not depend on it:
 * the bytes are what Go's proto.Marshal produces (field order 1, 2; proto3 omits empty fields).
 */
import type { SerializedIdentity } from '../wire/messages.js';

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

export function encodeSerializedIdentity(id: SerializedIdentity): Uint8Array {
  const mspid = utf8.encode(id.mspid);
  const parts: Uint8Array[] = [];
  if (mspid.length) parts.push(Uint8Array.from([0x0a, ...varint(mspid.length)]), mspid);
  if (id.idBytes.length) parts.push(Uint8Array.from([0x12, ...varint(id.idBytes.length)]), id.idBytes);
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * Tolerant proto3 decoding, as Go's proto.Unmarshal: unknown fields are skipped, the last
 * occurrence of a field wins, a field with an unexpected wire type is an unknown field.
 * null when the bytes are not a well-formed message (or mspid is not UTF-8).
 */
export function decodeSerializedIdentity(b: Uint8Array): SerializedIdentity | null {
  let mspid: Uint8Array = new Uint8Array(0);
  let idBytes: Uint8Array = new Uint8Array(0);
  let i = 0;
  const readVarint = (): number | null => {
    let v = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (i >= b.length) return null;
      const c = b[i++];
      v += (c & 0x7f) * 2 ** shift; // lengths beyond 2^53 fail the bounds check below anyway
      if ((c & 0x80) === 0) return v;
    }
    return null; // more than 10 bytes
  };
  while (i < b.length) {
    const key = readVarint();
    if (key === null) return null;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) return null;
    if (wire === 0) {
      if (readVarint() === null) return null;
    } else if (wire === 1 || wire === 5) {
      i += wire === 1 ? 8 : 4;
      if (i > b.length) return null;
    } else if (wire === 2) {
      const len = readVarint();
      if (len === null || len > b.length - i) return null;
      const v = b.subarray(i, i + len);
      i += len;
      if (field === 1) mspid = v;
      else if (field === 2) idBytes = v;
    } else {
      return null; // groups (3, 4) and reserved wire types (6, 7): not in this message
    }
  }
  try {
    return { mspid: strictUtf8.decode(mspid), idBytes };
  } catch {
    return null;
  }
}

/** Go's pem.EncodeToMemory for a CERTIFICATE block: 64-column base64, '\n' line ends. */
export function pemEncode(der: Uint8Array, type = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

export interface PemBlock {
  type: string;
  der: Uint8Array;
  /** Bytes after the block; Fabric's IsWellFormed rejects an identity when this is not empty. */
  rest: string;
}

const PEM_RE = /(?:^|\n)-----BEGIN ([^\n-]*)-----[ \t\r]*\n([A-Za-z0-9+/=\s]*?)\n?-----END \1-----[ \t\r]*(?:\n|$)/;

/** The first PEM block, roughly as Go's pem.Decode (headers are not supported); null if none. */
export function pemDecode(text: string): PemBlock | null {
  const m = PEM_RE.exec(text);
  if (!m) return null;
  const b64 = m[2].replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) return null;
  return { type: m[1], der: new Uint8Array(Buffer.from(b64, 'base64')), rest: text.slice(m.index + m[0].length) };
}
