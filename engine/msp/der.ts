/**
 * The little DER this package needs: ECDSA-Sig-Value {r INTEGER, s INTEGER} parsed the way
 * Go's encoding/asn1 does it (Fabric's UnmarshalECDSASignature), so malformed signatures are
 * rejected with the same words, and accepted where Go accepts them (Go ignores bytes after the
 * SEQUENCE and after s, where OpenSSL would refuse them).
 */
import { bytesToBigInt } from './keys.js';

export interface ParsedSig {
  /** Big-endian magnitudes, leading zeros stripped (r, s > 0 here). */
  r: Uint8Array;
  s: Uint8Array;
}

interface TagAndLength {
  cls: number;
  tag: number;
  length: number;
  compound: boolean;
  offset: number; // first content byte
}

const syntax = (m: string) => `asn1: syntax error: ${m}`;
const structural = (m: string) => `asn1: structure error: ${m}`;
// Go prints its fieldParameters struct with %+v in "tags don't match"; this is that text for `asn1:""`.
const GO_PARAMS =
  '{optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false}';

/** Go's parseTagAndLength (encoding/asn1/asn1.go); returns an error text or the header. */
function parseTagAndLength(b: Uint8Array, offset: number): TagAndLength | string {
  if (offset >= b.length) return 'asn1: internal error in parseTagAndLength';
  const first = b[offset++];
  let tag = first & 0x1f;
  if (tag === 0x1f) {
    // High tag number, base 128.
    let v = 0;
    for (let shifted = 0; ; shifted++) {
      if (offset >= b.length) return syntax('truncated base 128 integer');
      if (shifted === 5) return structural('base 128 integer too large');
      const c = b[offset];
      if (shifted === 0 && c === 0x80) return syntax('integer is not minimally encoded');
      v = v * 128 + (c & 0x7f);
      offset++;
      if ((c & 0x80) === 0) break;
    }
    if (v > 0x7fffffff) return structural('base 128 integer too large');
    if (v < 0x1f) return syntax('non-minimal tag');
    tag = v;
  }
  if (offset >= b.length) return syntax('truncated tag or length');
  const lb = b[offset++];
  let length = lb & 0x7f;
  if (lb & 0x80) {
    const n = lb & 0x7f;
    if (n === 0) return syntax('indefinite length found (not DER)');
    length = 0;
    for (let i = 0; i < n; i++) {
      if (offset >= b.length) return syntax('truncated tag or length');
      if (length >= 1 << 23) return structural('length too large');
      length = length * 256 + b[offset++];
      if (length === 0) return structural('superfluous leading zeros in length');
    }
    if (length < 0x80) return structural('non-minimal length');
  }
  return { cls: first >> 6, tag, length, compound: (first & 0x20) !== 0, offset };
}

/** One field of the struct as Go's parseField sees it; `name` is Go's fieldType.Name(). */
function parseField(
  b: Uint8Array,
  offset: number,
  want: { tag: number; compound: boolean; name: string },
): { t: TagAndLength; body: Uint8Array } | string {
  if (offset === b.length) return syntax('sequence truncated');
  const t = parseTagAndLength(b, offset);
  if (typeof t === 'string') return t;
  if (t.offset + t.length > b.length) return syntax('data truncated');
  if (t.cls !== 0 || t.tag !== want.tag || t.compound !== want.compound) {
    const tl = `{class:${t.cls} tag:${t.tag} length:${t.length} isCompound:${t.compound}}`;
    return structural(`tags don't match (${want.tag} vs ${tl}) ${GO_PARAMS} ${want.name} @${t.offset}`);
  }
  return { t, body: b.subarray(t.offset, t.offset + t.length) };
}

/** Go's checkInteger: non-empty and minimally encoded. */
function checkInteger(x: Uint8Array): string | null {
  if (x.length === 0) return structural('empty integer');
  if (x.length === 1) return null;
  if ((x[0] === 0 && (x[1] & 0x80) === 0) || (x[0] === 0xff && (x[1] & 0x80) === 0x80)) {
    return structural('integer not minimally-encoded');
  }
  return null;
}

/** Sign of a two's-complement DER integer: 1, 0 or −1 (Go's big.Int.Sign()). */
function signOf(x: Uint8Array): number {
  if (x[0] & 0x80) return -1;
  return x.some((v) => v !== 0) ? 1 : 0;
}

function stripZeros(x: Uint8Array): Uint8Array {
  let i = 0;
  while (i < x.length - 1 && x[i] === 0) i++;
  return x.subarray(i);
}

/**
 * fabric-lib-go bccsp/utils UnmarshalECDSASignature: the (r, s) pair, or the error text that
 * function returns (before verifyECDSA wraps it in "Failed unmashalling signature [...]").
 */
export function parseECDSASignature(raw: Uint8Array): ParsedSig | string {
  const seq = parseField(raw, 0, { tag: 16, compound: true, name: 'ECDSASignature' });
  if (typeof seq === 'string') return `failed unmashalling signature [${seq}]`;
  const ints: Uint8Array[] = [];
  let off = 0;
  for (let i = 0; i < 2; i++) {
    // *big.Int is a pointer type, whose reflect Name() is "".
    const f = parseField(seq.body, off, { tag: 2, compound: false, name: '' });
    if (typeof f === 'string') return `failed unmashalling signature [${f}]`;
    const bad = checkInteger(f.body);
    if (bad) return `failed unmashalling signature [${bad}]`;
    ints.push(f.body);
    off = f.t.offset + f.t.length;
  }
  // Go allows extra elements at the end of a SEQUENCE and ignores what follows it.
  if (signOf(ints[0]) !== 1) return 'invalid signature, R must be larger than zero';
  if (signOf(ints[1]) !== 1) return 'invalid signature, S must be larger than zero';
  return { r: stripZeros(ints[0]), s: stripZeros(ints[1]) };
}

function derInteger(x: bigint): Buffer {
  let hex = x.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = '00' + hex;
  const v = Buffer.from(hex, 'hex');
  return Buffer.concat([Buffer.of(0x02, v.length), v]);
}

/** Go's asn1.Marshal(ECDSASignature{r, s}) for P-256 sized values (always short-form lengths). */
export function encodeECDSASignature(r: bigint, s: bigint): Uint8Array {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return new Uint8Array(Buffer.concat([Buffer.of(0x30, body.length), body]));
}

/** r and s of an already-parsed signature as bigints (for messages and re-encoding). */
export function sigToBigInts(p: ParsedSig): { r: bigint; s: bigint } {
  return { r: bytesToBigInt(p.r), s: bytesToBigInt(p.s) };
}

/** Plain DER TLV reader for well-formed input (certificates we parse after Node accepted them). */
export function readTLV(b: Uint8Array, offset: number): { tag: number; start: number; end: number } | null {
  const t = parseTagAndLength(b, offset);
  if (typeof t === 'string' || t.offset + t.length > b.length) return null;
  return { tag: b[offset], start: t.offset, end: t.offset + t.length };
}


/** signatureAlgorithm OID bytes and the signature of a certificate DER; null if malformed. */
export function certSignature(der: Uint8Array): { algOid: Uint8Array; value: Uint8Array } | null {
  const cert = readTLV(der, 0);
  if (!cert || cert.tag !== 0x30) return null;
  const tbs = readTLV(der, cert.start);
  const alg = tbs && readTLV(der, tbs.end);
  const oid = alg && readTLV(der, alg.start);
  const sig = alg && readTLV(der, alg.end);
  if (!oid || oid.tag !== 0x06 || !sig || sig.tag !== 0x03 || sig.end - sig.start < 1) return null;
  return { algOid: der.subarray(oid.start, oid.end), value: der.subarray(sig.start + 1, sig.end) };
}

/** ASN.1 UTCTime (YYMMDDHHMMSSZ, 1950–2049) or GeneralizedTime (YYYYMMDDHHMMSSZ) to a Date. */
function parseTime(tag: number, s: string): Date | null {
  const m = tag === 0x17 ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s) : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
  if (!m) return null;
  let year = Number(m[1]);
  if (tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/** notBefore / notAfter of a certificate DER (Node 20's X509Certificate has only display strings). */
export function certValidity(der: Uint8Array): { notBefore: Date; notAfter: Date } | null {
  const cert = readTLV(der, 0);
  const tbs = cert && readTLV(der, cert.start);
  if (!tbs) return null;
  let f = readTLV(der, tbs.start);
  if (f && f.tag === 0xa0) f = readTLV(der, f.end); // explicit version
  // serial, signature, issuer, validity
  for (let i = 0; i < 3 && f; i++) f = readTLV(der, f.end);
  if (!f || f.tag !== 0x30) return null;
  const a = readTLV(der, f.start);
  const b = a && readTLV(der, a.end);
  if (!a || !b) return null;
  const text = (t: { start: number; end: number }) => Buffer.from(der.subarray(t.start, t.end)).toString('latin1');
  const notBefore = parseTime(a.tag, text(a));
  const notAfter = parseTime(b.tag, text(b));
  return notBefore && notAfter ? { notBefore, notAfter } : null;
}
