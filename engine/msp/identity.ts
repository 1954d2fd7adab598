/**
 * An identity as gossip sees it: the serialised SerializedIdentity bytes, and what can be read
 * from them without asking any MSP (mspid, certificate, PKI-ID). The MSP-dependent checks
 * (is the MSP known, does the certificate chain to it) live in msp.ts.
 */
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import type { SerializedIdentity } from '../wire/messages.js';
import { decodeSerializedIdentity, pemDecode } from './serialized.js';
import { certSignature, certValidity, encodeECDSASignature, parseECDSASignature, sigToBigInts } from './der.js';

export interface IdentityInfo {
  mspId: string;
  /** The PEM text carried as id_bytes. */
  certPem: string;
  certDer: Uint8Array;
  /** The marshalled SerializedIdentity: the "peer identity" in ConnEstablish, Alive, PeerIdentity. */
  serialized: Uint8Array;
  /** SHA-256(UTF-8 mspid ‖ id_bytes), internal/peer/gossip/mcs.go GetPKIidOfCert. */
  pkiId: Uint8Array;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  /** "C=US, ST=California, L=San Francisco, OU=peer, CN=peer0.org1.example.com" */
  subject: string;
  issuer: string;
}

export interface SigningIdentity extends IdentityInfo {
  /** ECDSA P-256 / SHA-256, RFC 6979, low-S, DER; memoised. Treat the result as immutable. */
  sign(data: Uint8Array): Uint8Array;
}

/** What parsing the bytes gave, before any MSP is consulted. */
export interface Parsed {
  /** null: not a SerializedIdentity (then `error` says why). */
  sid: SerializedIdentity | null;
  pkiId: Uint8Array | null;
  /** null when the PEM or the certificate could not be read (`error` says why). */
  info: IdentityInfo | null;
  cert: X509Certificate | null;
  error: string | null;
  /** Fabric's IsWellFormed verdict (trailing bytes, PEM type, canonical signature). */
  wellFormed: string | null;
}

export function pkiIdOfParts(mspid: string, idBytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(mspid, 'utf8').update(idBytes).digest());
}

/** Node prints names one attribute per line; Fabric-style one-liners read better in a trace. */
const oneLine = (name: string) => name.split('\n').join(', ');

/** Reads everything that does not depend on an MSP; the error words are Fabric's. */
export function parseIdentity(serialized: Uint8Array): Parsed {
  const sid = decodeSerializedIdentity(serialized);
  if (!sid) {
    const error = 'error unmarshalling SerializedIdentity: proto: cannot parse invalid wire-format data';
    return { sid: null, pkiId: null, info: null, cert: null, error, wellFormed: null };
  }
  const pkiId = pkiIdOfParts(sid.mspid, sid.idBytes);
  const fail = (error: string): Parsed => ({ sid, pkiId, info: null, cert: null, error, wellFormed: null });
  const certPem = Buffer.from(sid.idBytes).toString('latin1');
  const block = pemDecode(certPem);
  if (!block) return fail('could not decode the PEM structure');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(block.der);
  } catch (e) {
    return fail(`parseCertificate failed: x509: malformed certificate (${(e as Error).message})`);
  }
  const validity = certValidity(block.der);
  if (!validity) return fail('parseCertificate failed: x509: malformed validity');
  // OpenSSL parses certificates lazily: a damaged key or name only throws when read.
  let publicKey: KeyObject;
  let subject: string;
  let issuer: string;
  try {
    publicKey = cert.publicKey;
    subject = oneLine(cert.subject);
    issuer = oneLine(cert.issuer);
  } catch (e) {
    return fail(`parseCertificate failed: x509: malformed certificate (${(e as Error).message})`);
  }
  if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    return fail("failed to import certificate's public key: gossip-scope supports ECDSA P-256 identities only");
  }
  const info: IdentityInfo = {
    mspId: sid.mspid,
    certPem,
    certDer: block.der,
    serialized,
    pkiId,
    publicKey,
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    subject,
    issuer,
  };
  return { sid, pkiId, info, cert, error: null, wellFormed: wellFormed(sid, block, certPem) };
}

/** msp/mspimpl.go IsWellFormed; null when well formed. */
function wellFormed(sid: SerializedIdentity, block: { type: string; der: Uint8Array; rest: string }, pem: string): string | null {
  if (block.rest.length > 0) return `identity ${pem} for MSP ${sid.mspid} has trailing bytes`;
  if (block.type !== 'CERTIFICATE' && block.type !== '') return `pem type is ${block.type}, should be 'CERTIFICATE' or missing`;
  const sig = certSignature(block.der);
  if (!sig) return 'x509: malformed certificate';
  // isECDSASignedCert: signature algorithm under 1.2.840.10045.4 (ecdsa-with-SHA*)
  if (!Buffer.from(sig.algOid).toString('hex').startsWith('2a8648ce3d04')) return null;
  const p = parseECDSASignature(sig.value);
  if (typeof p === 'string') return p;
  const { r, s } = sigToBigInts(p);
  const canonical = encodeECDSASignature(r, s);
  if (!Buffer.from(canonical).equals(Buffer.from(sig.value))) {
    return `identity ${pem} for MSP ${sid.mspid} has a non canonical signature`;
  }
  return null;
}

/** Go's %s of a []string: "[a b]" ("[]" when empty). */
const goList = (v: string[]) => `[${v.join(' ')}]`;

function attrs(name: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of name.split('\n')) {
    const i = line.indexOf('=');
    if (i < 0) continue;
    const k = line.slice(0, i);
    m.set(k, [...(m.get(k) ?? []), line.slice(i + 1)]);
  }
  return m;
}

/**
 * gossip/api/crypto.go PeerIdentityType.String(): how Fabric prints an identity in log lines
 * such as "Peer Identity %s cannot be validated. No MSP found able to do that.".
 * (Fabric's "L-ST-C" really is Locality-StreetAddress-Country.)
 */
export function identityString(serialized: Uint8Array): string {
  const b64 = Buffer.from(serialized).toString('base64');
  const sid = decodeSerializedIdentity(serialized);
  if (!sid) return `non SerializedIdentity: ${b64}`;
  const block = pemDecode(Buffer.from(sid.idBytes).toString('latin1'));
  if (!block) return `non PEM encoded identity: ${b64}`;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(block.der);
  } catch {
    return `non x509 identity: ${b64}`;
  }
  const s = attrs(cert.subject);
  const i = attrs(cert.issuer);
  const get = (a: Map<string, string[]>, k: string) => a.get(k) ?? [];
  const lstc = (a: Map<string, string[]>) => `${goList(get(a, 'L'))}-${goList(get(a, 'street'))}-${goList(get(a, 'C'))}`;
  // json.Marshal of a map sorts the keys; nil slices are null.
  const m: Record<string, unknown> = {
    CN: get(s, 'CN')[0] ?? '',
    'Issuer-CN': get(i, 'CN')[0] ?? '',
    'Issuer-L-ST-C': lstc(i),
    'Issuer-OU': i.has('OU') ? get(i, 'OU') : null,
    'L-ST-C': lstc(s),
    MSP: sid.mspid,
    OU: s.has('OU') ? get(s, 'OU') : null,
  };
  // Go's encoder escapes <, > and & for HTML safety.
  return JSON.stringify(m).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
