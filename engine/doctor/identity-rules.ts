/**
 * Fabric Doctor's identity rules (issue 30, rule 5), over the certificates cryptogen or a Fabric
 * CA wrote (cert-files.ts) and the endpoints the peers are dialled at:
 *   - the enrollment certificate (msp/signcerts) does not chain to a CA of its MSP: checked by the
 *     project's MSP code (engine/msp/msp.ts, Fabric's words for the chain error);
 *   - the TLS server certificate not issued by a TLS CA of its org (msp/tlscacerts, else tls/ca.crt);
 *   - the TLS server certificate's SANs do not cover a host others dial (Go's VerifyHostname);
 *   - certificates expired, or expiring within a window, with a timeline per peer.
 * No wall clock: `now` is a parameter (the CLI passes Date.now()). Findings sit on the PEM block.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { Finding, Severity } from './finding.js';
import type { CertBlock, CertTree, PeerCertFiles } from './cert-files.js';
import { certValidity } from '../msp/der.js';
import { parseIdentity } from '../msp/identity.js';
import { MSPRegistry } from '../msp/msp.js';
import { encodeSerializedIdentity } from '../msp/serialized.js';
import type { ComposePeer } from '../import/compose.js';
import type { Origin } from '../import/yaml-source.js';
import type { Diagnostic } from '../scenario/diagnostics.js';

/** A host:port a peer is dialled at, and where that is written. */
export interface DialledEndpoint {
  host: string;
  port: number;
  origin: Origin;
}

export interface PeerEndpoints {
  /** CORE_PEER_ID: peer0.org1.example.com (matches the peer's certificate folder). */
  peerId: string;
  /** CORE_PEER_LOCALMSPID. */
  mspId: string;
  endpoints: DialledEndpoint[];
  /** CORE_PEER_TLS_ENABLED; false skips the SAN rule. Default true. */
  tls?: boolean;
}

export interface IdentityInput {
  certs: CertTree;
  peers?: PeerEndpoints[];
  /** ms since the epoch. */
  now: number;
  /** A certificate whose notAfter is within this many ms of `now` is expiring. */
  windowMs: number;
  /** MSP ID → org folder whose msp/ is that MSP (configtx MSPDir); default: the peer's own org folder. */
  mspOrgs?: Record<string, string>;
}

export type CertRole = 'enrollment' | 'msp-ca' | 'tls-server' | 'tls-ca' | 'org-msp-ca' | 'org-tls-ca';

export interface TimelineEntry {
  role: CertRole;
  file: string;
  line: number;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

export interface PeerTimeline {
  /** The peer folder, or `<org> (MSP)` for the org's own msp/cacerts. */
  peer: string;
  org: string;
  /** By notAfter, soonest first. */
  certs: TimelineEntry[];
}

const DAY = 86_400_000;

/** notBefore/notAfter of every certificate, per peer (and per org MSP), soonest expiry first. */
export function certificateTimeline(tree: CertTree): PeerTimeline[] {
  const entries = (list: [CertRole, CertBlock[]][]) =>
    list
      .flatMap(([role, blocks]) => blocks.map((b) => entryOf(role, b)))
      .filter((e): e is TimelineEntry => e !== undefined)
      .sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime() || a.file.localeCompare(b.file));
  const out: PeerTimeline[] = tree.peers.map((p) => ({ peer: p.peer, org: p.org, certs: entries(roles(p)) }));
  for (const [org, blocks] of Object.entries(tree.orgCacerts)) out.push({ peer: `${org} (MSP)`, org, certs: entries([['org-msp-ca', blocks], ['org-tls-ca', tree.orgTlsCacerts[org] ?? []]]) });
  return out;
}

export function identityFindings(input: IdentityInput): Finding[] {
  const { certs, now, windowMs } = input;
  const byPeer = new Map((input.peers ?? []).map((p) => [p.peerId, p]));
  const out: Finding[] = [];
  for (const p of certs.peers) {
    const ep = byPeer.get(p.peer);
    const wrong = wrongCa(p, ep, input, certs);
    if (wrong) out.push(wrong);
    const wrongTls = wrongTlsCa(p, certs);
    if (wrongTls) out.push(wrongTls);
    if (ep && ep.tls !== false) {
      const san = sanMismatch(p, ep);
      if (san) out.push(san);
    }
  }
  // Every file once: the org MSP's CAs, then each peer's own files.
  const seen = new Set<string>();
  const expiry = (role: CertRole, b: CertBlock, who: string) => {
    const key = `${b.file}:${b.line}`;
    if (seen.has(key)) return;
    seen.add(key);
    const f = expiryFinding(role, b, who, now, windowMs);
    if (f) out.push(f);
  };
  for (const [org, blocks] of Object.entries(certs.orgCacerts)) for (const b of blocks) expiry('org-msp-ca', b, org);
  for (const [org, blocks] of Object.entries(certs.orgTlsCacerts)) for (const b of blocks) expiry('org-tls-ca', b, org);
  for (const p of certs.peers) for (const [role, blocks] of roles(p)) for (const b of blocks) expiry(role, b, p.peer);
  return out;
}

/** Each peer's endpoints as its compose service writes them (what other peers and clients dial). */
export function peerEndpointsFromCompose(peers: ComposePeer[]): PeerEndpoints[] {
  return peers.map((p) => {
    const get = (n: string) => p.env.find((e) => e.name === n);
    const endpoints: DialledEndpoint[] = [];
    for (const n of ['CORE_PEER_GOSSIP_EXTERNALENDPOINT', 'CORE_PEER_GOSSIP_ENDPOINT', 'CORE_PEER_ADDRESS']) {
      const s = get(n);
      const m = s && /^\[?([^\]\s]+?)\]?:(\d+)$/.exec(s.value.trim());
      if (m && !endpoints.some((e) => e.host === m[1] && e.port === Number(m[2]))) endpoints.push({ host: m[1], port: Number(m[2]), origin: s!.origin });
    }
    const tls = get('CORE_PEER_TLS_ENABLED')?.value;
    return { peerId: p.peerId, mspId: get('CORE_PEER_LOCALMSPID')?.value ?? '', endpoints, tls: tls === undefined ? undefined : /^true$/i.test(tls) };
  });
}

/** The fields of a peer as written that these rules read (the doctor's DoctorPeer has them). */
export interface PeerAsWritten {
  id: string;
  mspId?: string;
  /** peer.gossip.externalEndpoint, peer.gossip.endpoint (else peer.address), peer.address. */
  external?: DialledEndpoint;
  internal?: DialledEndpoint;
  address?: DialledEndpoint;
  settings?: Map<string, { text: string }>;
}

/**
 * The endpoints each peer is dialled at: its own external, internal and address, plus the
 * channel's anchor peers whose host is one of its names (configtx.yaml AnchorPeers, from `anchors`).
 */
export function identityPeersOf(peers: PeerAsWritten[], anchors: { host: string; port: string | number; origin: Origin }[] = []): PeerEndpoints[] {
  return peers.map((p) => {
    const endpoints: DialledEndpoint[] = [];
    const add = (e: DialledEndpoint | undefined) => {
      if (e && !endpoints.some((x) => x.host === e.host && x.port === e.port)) endpoints.push({ host: e.host, port: e.port, origin: e.origin });
    };
    [p.external, p.internal, p.address].forEach(add);
    const own = new Set([p.id, ...endpoints.map((e) => e.host)]);
    for (const a of anchors) if (own.has(a.host)) add({ host: a.host, port: Number(a.port), origin: a.origin });
    const tls = p.settings?.get('peer.tls.enabled')?.text;
    return { peerId: p.id, mspId: p.mspId ?? '', endpoints, tls: tls === undefined ? undefined : /^true$/i.test(tls.trim()) };
  });
}

/** Problems a tree's certificates have beyond the collector's (a PEM block that is not a P-256 certificate). */
export function certificateProblems(tree: CertTree): Diagnostic[] {
  const out = [...tree.problems];
  const seen = new Set<string>();
  const all = [...Object.values(tree.orgCacerts).flat(), ...Object.values(tree.orgTlsCacerts).flat(), ...tree.peers.flatMap((p) => roles(p).flatMap(([, b]) => b))];
  for (const b of all) {
    const key = `${b.file}:${b.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const err = parseError(b);
    if (err) out.push({ file: b.file, line: b.line, col: 1, message: err });
  }
  return out;
}

// --- rules ------------------------------------------------------------------------------

function roles(p: PeerCertFiles): [CertRole, CertBlock[]][] {
  return [
    ['enrollment', p.signcerts],
    ['msp-ca', p.cacerts],
    ['tls-server', p.tlsServer],
    ['tls-ca', p.tlsCa],
  ];
}

function wrongCa(p: PeerCertFiles, ep: PeerEndpoints | undefined, input: IdentityInput, tree: CertTree): Finding | undefined {
  const sign = p.signcerts[0];
  if (!sign || parseError(sign)) return undefined;
  const mspId = ep?.mspId || `${p.org} MSP`;
  const mspOrg = (ep?.mspId && input.mspOrgs?.[ep.mspId]) || p.org;
  const orgCas = tree.orgCacerts[mspOrg] ?? [];
  const roots = orgCas.length > 0 ? orgCas : mspOrg === p.org ? p.cacerts : [];
  const where = orgCas.length > 0 ? `peerOrganizations/${mspOrg}/msp/cacerts` : `the peer's msp/cacerts`;
  const registry = new MSPRegistry();
  for (const r of roots) {
    const info = parseIdentity(encodeSerializedIdentity({ mspid: mspId, idBytes: new TextEncoder().encode(r.pem) })).info;
    if (info) registry.addCA({ mspId, identity: info });
  }
  const serialized = encodeSerializedIdentity({ mspid: mspId, idBytes: new TextEncoder().encode(sign.pem) });
  const why = roots.length === 0 ? `no CA certificate found for ${mspId}` : registry.validate(serialized);
  if (why === null) return undefined;
  const cert = new X509Certificate(sign.der);
  const signer = [...Object.entries(tree.orgCacerts).flatMap(([org, bs]) => bs.map((b) => ({ org, b }))), ...tree.peers.flatMap((q) => q.tlsCa.map((b) => ({ org: `${q.org} TLS`, b })))].find(({ b }) => {
    try {
      return cert.verify(new X509Certificate(b.der).publicKey);
    } catch {
      return false;
    }
  });
  const issuer = cn(cert.issuer);
  return {
    rule: 'cert-wrong-ca',
    severity: 'error',
    at: { file: sign.file, line: sign.line, col: 1 },
    what: `The enrollment certificate of ${p.peer} (issuer ${issuer}) is not issued by a CA of ${mspId} (${where})${signer ? `: ${signer.b.file} signed it (${signer.org})` : ''}`,
    fabric: {
      log: `Could not validate identity: ${why} (certificate subject=${goName(cert.subject)} issuer=${goName(cert.issuer)} serialnumber=${BigInt('0x' + cert.serialNumber)})`,
      effect: `every peer refuses ${p.peer}'s identity: its alive messages, StateInfo and handshakes are rejected ("Identity store rejected"), so it is in no one's membership view`,
      source: 'msp/mspimplvalidate.go',
    },
    affected: [p.peer, mspId],
    fix: `Enroll ${p.peer} again with ${mspId}'s CA (cryptogen generate, or fabric-ca-client enroll against ${mspOrg}'s CA) and put the result in ${dirOf(sign.file)}; or set CORE_PEER_LOCALMSPID to the MSP whose CA issued it`,
  };
}

function wrongTlsCa(p: PeerCertFiles, tree: CertTree): Finding | undefined {
  const tls = p.tlsServer[0];
  if (!tls || parseError(tls)) return undefined;
  const orgRoots = tree.orgTlsCacerts[p.org] ?? [];
  const roots = (orgRoots.length > 0 ? orgRoots : p.tlsCa).filter((b) => !parseError(b));
  if (roots.length === 0) return undefined; // nothing to check against: not a finding of this rule
  const where = orgRoots.length > 0 ? `peerOrganizations/${p.org}/msp/tlscacerts` : 'its tls/ca.crt';
  const cert = new X509Certificate(tls.der);
  const issued = (b: CertBlock) => {
    const ca = new X509Certificate(b.der);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  };
  if (roots.some(issued)) return undefined;
  const others = [...Object.values(tree.orgTlsCacerts).flat(), ...tree.peers.flatMap((q) => q.tlsCa), ...Object.values(tree.orgCacerts).flat()];
  const signer = others.find((b) => !parseError(b) && issued(b));
  return {
    rule: 'cert-wrong-ca',
    severity: 'error',
    at: { file: tls.file, line: tls.line, col: 1 },
    what: `The TLS certificate of ${p.peer} (issuer ${cn(cert.issuer)}) is not issued by a TLS CA of its org (${where})${signer ? `: ${signer.file} signed it` : ''}`,
    fabric: {
      log: 'Could not connect to Endpoint: …, PKI-ID: <nil>, Metadata:  : … tls: failed to verify certificate: x509: certificate signed by unknown authority',
      effect: `every peer that dials ${p.peer} fails the TLS handshake (it checks the certificate against ${p.org}'s TLS roots from the channel configuration): ${p.peer} is unreachable`,
      source: 'gossip/discovery/discovery_impl.go',
    },
    affected: [p.peer],
    fix: `Issue ${p.peer}'s tls/server.crt from ${p.org}'s TLS CA (cryptogen generate, or fabric-ca-client enroll --enrollment.profile tls against ${p.org}'s TLS CA)`,
  };
}

function sanMismatch(p: PeerCertFiles, ep: PeerEndpoints): Finding | undefined {
  const tls = p.tlsServer[0];
  if (!tls || parseError(tls)) return undefined;
  const cert = new X509Certificate(tls.der);
  const sans = subjectAltNames(cert);
  const bad = ep.endpoints.filter((e) => verifyHostname(sans, e.host) !== null);
  if (bad.length === 0) return undefined;
  const first = bad[0];
  const err = verifyHostname(sans, first.host)!;
  const list = bad.map((e) => `${e.host}:${e.port} (${e.origin.file}:${e.origin.line}:${e.origin.col})`).join(', ');
  return {
    rule: 'tls-san-mismatch',
    severity: 'error',
    at: { file: tls.file, line: tls.line, col: 1 },
    what: `The TLS certificate of ${p.peer} is valid for ${[...sans.dns, ...sans.ip].join(', ') || 'no name at all'}, but it is dialled at ${list}`,
    fabric: {
      log: `Could not connect to Endpoint: ${first.host}:${first.port}, InternalEndpoint: …, PKI-ID: <nil>, Metadata:  : … tls: failed to verify certificate: ${err}`,
      effect: `the TLS handshake of every peer that dials ${bad.map((e) => e.host).join(', ')} fails: ${p.peer} is unreachable at that name (gossip, and clients that use it)`,
      source: 'gossip/discovery/discovery_impl.go',
    },
    affected: [p.peer],
    fix: `Issue ${p.peer}'s TLS certificate with ${bad.map((e) => e.host).join(', ')} among its SANs (cryptogen: SANS under the peer's Specs or Template in crypto-config.yaml; Fabric CA: --csr.hosts ${first.host}), or dial it at a name the certificate holds`,
  };
}

const ROLE_TEXT: Record<CertRole, string> = {
  enrollment: 'enrollment certificate (msp/signcerts)',
  'msp-ca': 'local MSP CA certificate (msp/cacerts)',
  'org-msp-ca': 'MSP CA certificate (the channel trusts it)',
  'tls-server': 'TLS server certificate',
  'tls-ca': 'TLS CA certificate',
  'org-tls-ca': 'TLS CA certificate (msp/tlscacerts: the channel trusts it)',
};

function expiryFinding(role: CertRole, b: CertBlock, who: string, now: number, windowMs: number): Finding | undefined {
  const v = certValidity(b.der);
  if (!v || parseError(b)) return undefined;
  const end = v.notAfter.getTime();
  if (end > now + windowMs) return undefined;
  const expired = end < now;
  const when = v.notAfter.toISOString().replace('.000Z', 'Z');
  const ago = Math.abs(end - now);
  const span = ago >= DAY ? `${Math.floor(ago / DAY)} days` : `${Math.max(1, Math.round(ago / 3_600_000))} hours`;
  const consequence: Record<CertRole, { severity: Severity; log?: string; effect: string; source: string }> = {
    enrollment: { severity: 'error', log: `signing identity expired ${span} ago`, effect: `${who} does not start (its local MSP refuses it); a running one is dropped by every other peer ("gossipping peer identity expired", gossip/identity/identity.go)`, source: 'msp/mspimplsetup.go' },
    'tls-server': { severity: 'error', log: 'x509: certificate has expired or is not yet valid', effect: `every TLS handshake with ${who} fails: no peer or client can connect to it`, source: 'gossip/discovery/discovery_impl.go' },
    'tls-ca': { severity: 'error', log: 'x509: certificate has expired or is not yet valid', effect: `TLS chains through this CA fail at the current time: ${who} cannot verify the peers it dials, nor they it`, source: 'gossip/discovery/discovery_impl.go' },
    'org-tls-ca': { severity: 'error', log: 'x509: certificate has expired or is not yet valid', effect: `TLS chains through this CA fail at the current time: peers cannot connect to ${who}'s peers`, source: 'gossip/discovery/discovery_impl.go' },
    'msp-ca': { severity: 'warning', effect: 'Fabric\'s MSP validates identities as of their own notBefore, so gossip goes on; but a Fabric CA with this root cannot enroll anyone, and tools that check the chain at the current time refuse it', source: 'msp/mspimplsetup.go' },
    'org-msp-ca': { severity: 'warning', effect: 'Fabric\'s MSP validates identities as of their own notBefore, so gossip goes on; but a Fabric CA with this root cannot enroll anyone, and tools that check the chain at the current time refuse it', source: 'msp/mspimplsetup.go' },
  };
  const c = consequence[role];
  const subject = cn(new X509Certificate(b.der).subject);
  return {
    rule: expired ? 'cert-expired' : 'cert-expiring',
    severity: expired ? c.severity : 'warning',
    at: { file: b.file, line: b.line, col: 1 },
    what: expired
      ? `The ${ROLE_TEXT[role]} of ${who} (${subject}) expired ${span} ago, at ${when}`
      : `The ${ROLE_TEXT[role]} of ${who} (${subject}) expires in ${span}, at ${when}`,
    fabric: expired ? { ...(c.log ? { log: c.log } : {}), effect: c.effect, source: c.source } : { effect: `from ${when}: ${c.effect}`, source: c.source },
    affected: [who],
    fix: `Renew it before ${when} (cryptogen extend, or fabric-ca-client reenroll) and restart ${who}`,
  };
}

// --- X.509 details -----------------------------------------------------------------------

function entryOf(role: CertRole, b: CertBlock): TimelineEntry | undefined {
  const v = certValidity(b.der);
  if (!v || parseError(b)) return undefined;
  return { role, file: b.file, line: b.line, subject: cn(new X509Certificate(b.der).subject), ...v };
}

/** Why a block is not a certificate this doctor can read, or null. */
function parseError(b: CertBlock): string | null {
  try {
    const c = new X509Certificate(b.der);
    void c.publicKey;
    return certValidity(b.der) ? null : 'x509: malformed validity';
  } catch (e) {
    return `not a readable X.509 certificate: ${(e as Error).message}`;
  }
}

function subjectAltNames(cert: X509Certificate): { dns: string[]; ip: string[] } {
  const dns: string[] = [];
  const ip: string[] = [];
  for (const part of (cert.subjectAltName ?? '').split(/,\s*/)) {
    if (part.startsWith('DNS:')) dns.push(part.slice(4));
    else if (part.startsWith('IP Address:')) ip.push(part.slice(11));
  }
  return { dns, ip };
}

/**
 * Go's (*x509.Certificate).VerifyHostname: null when `host` is covered, else Go's error text.
 * SANs only (Go ignores the Common Name since 1.15); a wildcard is a whole leftmost label.
 */
export function verifyHostname(sans: { dns: string[]; ip: string[] }, host: string): string | null {
  const h = host.replace(/^\[|\]$/g, '');
  if (isIP(h)) {
    if (sans.ip.length === 0) return `x509: cannot validate certificate for ${h} because it doesn't contain any IP SANs`;
    return sans.ip.some((i) => normIp(i) === normIp(h)) ? null : `x509: certificate is valid for ${sans.ip.join(', ')}, not ${h}`;
  }
  const want = h.toLowerCase().replace(/\.$/, '');
  const match = (pattern: string) => {
    const p = pattern.toLowerCase().replace(/\.$/, '').split('.');
    const w = want.split('.');
    if (p.length !== w.length) return false;
    return p.every((l, i) => (i === 0 && l === '*' ? w[i] !== '' : l === w[i]));
  };
  if (sans.dns.some(match)) return null;
  if (sans.dns.length === 0) return 'x509: certificate relies on legacy Common Name field, use SANs instead';
  return `x509: certificate is valid for ${sans.dns.join(', ')}, not ${h}`;
}

function normIp(ip: string): string {
  return ip.toLowerCase().replace(/^::ffff:/, '');
}

function cn(name: string): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(name)?.[1] ?? oneLine(name);
}

function oneLine(name: string): string {
  return name.split('\n').join(',');
}

/** Go's pkix.Name.String(): the RDNs last first, comma-separated (as Fabric's log prints them). */
function goName(name: string): string {
  return name.split('\n').reverse().join(',');
}

function dirOf(file: string): string {
  return file.slice(0, Math.max(0, file.lastIndexOf('/'))) || '.';
}
