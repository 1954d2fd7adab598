/**
 * An organisation's CA and the certificates it issues, shaped like Fabric's cryptogen
 * (internal/cryptogen/ca/ca.go) but deterministic: keys and serial numbers come from the seed,
 * validity dates from the caller (simulated time), and the certificate signature from the
 * RFC 6979 signer. Built with @peculiar/x509, given a crypto object whose only job is to sign.
 */
import 'reflect-metadata'; // @peculiar/x509's DI container (tsyringe) needs it before import
import * as x509 from '@peculiar/x509';
import { createHmac } from 'node:crypto';
import { deriveKeyPair, type KeyPair } from './keys.js';
import { sha256, Signer, signDigest } from './signer.js';
import { parseECDSASignature } from './der.js';
import { encodeSerializedIdentity, pemEncode } from './serialized.js';
import { parseIdentity, type IdentityInfo, type SigningIdentity } from './identity.js';

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

export type Role = 'peer' | 'orderer';

/** cryptogen's subject template (subjectTemplate in ca.go). */
const BASE_SUBJECT = 'C=US, ST=California, L=San Francisco';

/** X.509 has whole seconds; truncating here keeps IdentityInfo equal to what the cert says. */
const toSecond = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

/**
 * The Crypto that X509CertificateGenerator.create is given. It calls exactly one method,
 * subtle.sign(algorithm, signingKey, tbs), and wants WebCrypto's raw r ‖ s back.
 */
function signingCrypto(privateKey: Uint8Array): Crypto {
  const sign = async (_alg: unknown, _key: unknown, tbs: BufferSource): Promise<ArrayBuffer> => {
    const bytes = ArrayBuffer.isView(tbs)
      ? new Uint8Array(tbs.buffer, tbs.byteOffset, tbs.byteLength)
      : new Uint8Array(tbs as ArrayBuffer);
    const p = parseECDSASignature(signDigest(privateKey, sha256(bytes)));
    if (typeof p === 'string') throw new Error(p); // cannot happen: we just encoded it
    const out = new Uint8Array(64);
    out.set(p.r, 32 - p.r.length);
    out.set(p.s, 64 - p.s.length);
    return out.buffer;
  };
  return { subtle: { sign } } as unknown as Crypto;
}

/** Stands in for a CryptoKey: @peculiar/x509 only reads `algorithm` to pick ecdsa-with-SHA256. */
const SIGNING_KEY = { algorithm: { name: 'ECDSA', namedCurve: 'P-256' }, type: 'private' } as unknown as CryptoKey;

function spkiOf(kp: KeyPair): ArrayBuffer {
  const der = kp.publicKey.export({ type: 'spki', format: 'der' });
  return der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer;
}

/** cryptogen computeSKI: SHA-256 of the uncompressed public point (RFC 7093 method 4). */
function skiOf(kp: KeyPair): string {
  return sha256(kp.publicRaw).toString('hex');
}

/** A 128-bit positive serial (cryptogen draws one below 2^128), derived instead of drawn. */
function serialOf(seed: string | number, what: string): string {
  const h = createHmac('sha256', `gossip-scope/msp/serial/${seed}`).update(what).digest().subarray(0, 16);
  h[0] = (h[0] & 0x7f) | 0x01; // positive and exactly 16 bytes in DER
  return h.toString('hex');
}

export class OrgCA {
  private constructor(
    private readonly seed: string | number,
    readonly mspId: string,
    readonly domain: string,
    private readonly keys: KeyPair,
    /** The CA certificate; `serialized` is what an MSP config's root cert would be wrapped in. */
    readonly identity: IdentityInfo,
    readonly ski: string,
  ) {}

  /** `subject` as written when issuing: the issuer of every certificate this CA signs. */
  get subjectName(): string {
    return `${BASE_SUBJECT}, O=${this.domain}, CN=ca.${this.domain}`;
  }

  get certPem(): string {
    return this.identity.certPem;
  }

  get publicKey() {
    return this.identity.publicKey;
  }

  /**
   * A self-signed CA as cryptogen's NewCA: CN=ca.<domain>, O=<domain>; keyUsage (critical)
   * digitalSignature, keyEncipherment, keyCertSign, cRLSign; extKeyUsage clientAuth, serverAuth;
   * basicConstraints (critical) CA; subjectKeyIdentifier. Different seeds give different keys
   * for the same MSP ID: that is how a rogue CA for an existing org is made.
   */
  static async create(seed: string | number, mspId: string, domain: string, validity: Validity): Promise<OrgCA> {
    const key = `ca|${typeof seed}:${seed}|${mspId}|${domain}|${+validity.notBefore}|${+validity.notAfter}`;
    const known = made.get(key) as OrgCA | undefined;
    if (known !== undefined) return known;
    const ca = await OrgCA.make(seed, mspId, domain, validity);
    remember(key, ca);
    return ca;
  }

  private static async make(seed: string | number, mspId: string, domain: string, validity: Validity): Promise<OrgCA> {
    const keys = deriveKeyPair(seed, `${mspId}/ca.${domain}`);
    const ski = skiOf(keys);
    const name = `${BASE_SUBJECT}, O=${domain}, CN=ca.${domain}`;
    const cert = await x509.X509CertificateGenerator.create(
      {
        serialNumber: serialOf(seed, `${mspId}/ca.${domain}/${+validity.notBefore}/${+validity.notAfter}`),
        subject: name,
        issuer: name,
        notBefore: toSecond(validity.notBefore),
        notAfter: toSecond(validity.notAfter),
        publicKey: spkiOf(keys),
        signingKey: SIGNING_KEY,
        extensions: [
          new x509.KeyUsagesExtension(
            x509.KeyUsageFlags.digitalSignature |
              x509.KeyUsageFlags.keyEncipherment |
              x509.KeyUsageFlags.keyCertSign |
              x509.KeyUsageFlags.cRLSign,
            true,
          ),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth], false),
          new x509.BasicConstraintsExtension(true, undefined, true),
          new x509.SubjectKeyIdentifierExtension(ski, false),
        ],
      },
      signingCrypto(keys.privateKey),
    );
    const identity = toIdentity(mspId, new Uint8Array(cert.rawData));
    return new OrgCA(seed, mspId, domain, keys, identity, ski);
  }

  /**
   * A signing certificate as cryptogen's signcerts: CN=<name>.<domain>, OU=<role> (NodeOUs),
   * keyUsage (critical) digitalSignature, basicConstraints (critical) CA:FALSE,
   * authorityKeyIdentifier = the CA's SKI. `keyLabel` picks a different key for the same name
   * (a re-keyed renewal); by default a renewal keeps the key and changes only dates and serial.
   * `sans` adds subjectAltName DNS names, as cryptogen writes on a TLS server certificate
   * (tls/server.crt: the peer's FQDN and hostname).
   */
  async issue(name: string, role: Role, validity: Validity, opts: { keyLabel?: string; sans?: string[] } = {}): Promise<SigningIdentity> {
    const cn = `${name}.${this.domain}`;
    const keys = deriveKeyPair(this.seed, opts.keyLabel ?? `${this.mspId}/${cn}`);
    const sans = opts.sans ? `/san:${opts.sans.join(',')}` : ''; // absent: the serial of every certificate issued before SANs stays the same
    const what = `${this.mspId}/${cn}/${role}/${opts.keyLabel ?? ''}/${+validity.notBefore}/${+validity.notAfter}${sans}`;
    // A fresh signer each time (its memo belongs to one network); the certificate is the same.
    const key = `cert|${typeof this.seed}:${this.seed}|${this.ski}|${what}`;
    let info = made.get(key) as IdentityInfo | undefined;
    if (info === undefined) {
      info = await this.certify(cn, role, validity, keys, what, opts.sans);
      remember(key, info);
    }
    const signer = new Signer(keys.privateKey);
    return { ...info, sign: (data) => signer.sign(data) };
  }

  private async certify(cn: string, role: Role, validity: Validity, keys: KeyPair, what: string, sans: string[] | undefined): Promise<IdentityInfo> {
    const opts = { sans };
    const cert = await x509.X509CertificateGenerator.create(
      {
        serialNumber: serialOf(this.seed, what),
        subject: `${BASE_SUBJECT}, OU=${role}, CN=${cn}`,
        issuer: this.subjectName,
        notBefore: toSecond(validity.notBefore),
        notAfter: toSecond(validity.notAfter),
        publicKey: spkiOf(keys),
        signingKey: SIGNING_KEY,
        extensions: [
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.AuthorityKeyIdentifierExtension(this.ski, false),
          ...(opts.sans ? [new x509.SubjectAlternativeNameExtension(opts.sans.map((value) => ({ type: 'dns' as const, value })), false)] : []),
        ],
      },
      signingCrypto(this.keys.privateKey),
    );
    return toIdentity(this.mspId, new Uint8Array(cert.rawData));
  }
}

/**
 * CAs and certificates already made, by everything they derive from: the same inputs give the
 * same bytes, and making them (an ECDSA signature through x509 per certificate) is what a
 * rebuilt network spends its time on: a step back rebuilds the whole network. Oldest out first.
 */
const made = new Map<string, OrgCA | IdentityInfo>();
const MADE_MAX = 4096;

function remember(key: string, value: OrgCA | IdentityInfo): void {
  if (made.size >= MADE_MAX) made.delete(made.keys().next().value!);
  made.set(key, value);
}

/** Wraps a certificate as Fabric's identity.Serialize does and reads it back. */
function toIdentity(mspId: string, der: Uint8Array): IdentityInfo {
  const idBytes = new TextEncoder().encode(pemEncode(der));
  const p = parseIdentity(encodeSerializedIdentity({ mspid: mspId, idBytes }));
  if (!p.info) throw new Error(`generated certificate does not parse: ${p.error}`);
  return p.info;
}
