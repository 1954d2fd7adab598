/**
 * The certificates cryptogen or a Fabric CA writes for a network's peers, found in their folder
 * layout and read with the line of every PEM block:
 *   organizations/peerOrganizations/<org>/msp/cacerts/*.pem                  the org's MSP (configtx MSPDir)
 *   organizations/peerOrganizations/<org>/msp/tlscacerts/*.pem               the TLS CAs the channel trusts for it
 *   organizations/peerOrganizations/<org>/peers/<peer>/msp/signcerts/*.pem   the peer's enrollment certificate
 *   organizations/peerOrganizations/<org>/peers/<peer>/msp/cacerts/*.pem     its local MSP's CAs
 *   organizations/peerOrganizations/<org>/peers/<peer>/tls/server.crt, ca.crt
 * A file that is not PEM (binary, DER, empty, too big) is a problem with Fabric's own words
 * (msp/configbuilder.go "no pem content for file"), never a crash.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Diagnostic } from '../scenario/diagnostics.js';

/** One certificate: the file, the line of its `-----BEGIN CERTIFICATE-----`, its DER. */
export interface CertBlock {
  file: string;
  line: number;
  der: Uint8Array;
  /** The block as written (what Fabric puts in a SerializedIdentity). */
  pem: string;
}

export interface PeerCertFiles {
  /** The org folder: org1.example.com. */
  org: string;
  /** The peer folder: peer0.org1.example.com (CORE_PEER_ID in the test network). */
  peer: string;
  signcerts: CertBlock[];
  cacerts: CertBlock[];
  tlsServer: CertBlock[];
  tlsCa: CertBlock[];
}

export interface CertTree {
  peers: PeerCertFiles[];
  /** Per org folder, its MSP's cacerts (what the channel configuration, and so every other peer, trusts). */
  orgCacerts: Record<string, CertBlock[]>;
  /** Per org folder, its MSP's tlscacerts (the TLS roots other peers check its peers' TLS certificates against). */
  orgTlsCacerts: Record<string, CertBlock[]>;
  /** Files that could not be read as certificates, at file:line:col. */
  problems: Diagnostic[];
}

/** A certificate is about 1 KB; a file far bigger is something else. */
export const MAX_CERT_FILE_BYTES = 256 * 1024;
const MAX_DEPTH = 8;
const MAX_PEERS = 2000;
const SKIP = new Set(['node_modules', '.git', 'ordererOrganizations', 'fabric-ca', 'channel-artifacts']);

/**
 * Finds every `peerOrganizations` folder at or below the given folders (files among the paths are
 * skipped) and reads its certificates. No org found: `orgCacerts` is empty (say so as a note).
 */
export function collectCertificates(paths: string[]): CertTree {
  const tree: CertTree = { peers: [], orgCacerts: {}, orgTlsCacerts: {}, problems: [] };
  const orgs: string[] = [];
  const find = (dir: string, depth: number) => {
    if (basename(dir) === 'peerOrganizations') {
      for (const org of list(dir, tree)) if (isDir(join(dir, org))) orgs.push(join(dir, org));
      return;
    }
    if (basename(dirname(dir)) === 'peerOrganizations') return void orgs.push(dir); // an org folder itself
    if (depth >= MAX_DEPTH) return;
    for (const name of list(dir, tree)) {
      const p = join(dir, name);
      if (!SKIP.has(name) && !name.startsWith('.') && isDir(p)) find(p, depth + 1);
    }
  };
  // Files among the paths are the network's other inputs (core.yaml, compose): not certificates.
  for (const p of paths) if (isDir(p)) find(p, 0);
  for (const orgDir of orgs) {
    const org = basename(orgDir);
    tree.orgCacerts[org] = readDir(join(orgDir, 'msp', 'cacerts'), tree);
    tree.orgTlsCacerts[org] = readDir(join(orgDir, 'msp', 'tlscacerts'), tree);
    const peersDir = join(orgDir, 'peers');
    for (const peer of isDir(peersDir) ? list(peersDir, tree) : []) {
      const pd = join(peersDir, peer);
      if (!isDir(pd)) continue;
      if (tree.peers.length >= MAX_PEERS) {
        tree.problems.push({ file: peersDir, line: 1, col: 1, message: `more than ${MAX_PEERS} peers: give fewer folders` });
        return tree;
      }
      tree.peers.push({
        org,
        peer,
        signcerts: readDir(join(pd, 'msp', 'signcerts'), tree),
        cacerts: readDir(join(pd, 'msp', 'cacerts'), tree),
        tlsServer: readOne(join(pd, 'tls', 'server.crt'), tree),
        tlsCa: readOne(join(pd, 'tls', 'ca.crt'), tree),
      });
    }
  }
  return tree;
}

/** The certificates in one file's bytes, each with its line; or why there are none. */
export function readCertBytes(file: string, bytes: Uint8Array): { blocks: CertBlock[]; problem?: Diagnostic } {
  const at = (line: number, message: string) => ({ blocks: [], problem: { file, line, col: 1, message } });
  if (bytes.length === 0) return at(1, `empty file: Fabric skips it ("Failed reading file ${file}: no pem content for file ${file}", msp/configbuilder.go)`);
  if (bytes.length > MAX_CERT_FILE_BYTES) return at(1, `${bytes.length} bytes: too big for a certificate file (at most ${MAX_CERT_FILE_BYTES}); not read`);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const blocks: CertBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\sA-Za-z0-9+/=]*?)-----END \1-----/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const line = text.slice(0, m.index).split('\n').length;
    if (m[1] !== 'CERTIFICATE') continue; // a key or CSR beside the certificates: not ours to judge
    const b64 = m[2].replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) return at(line, 'a CERTIFICATE block whose base64 is damaged');
    blocks.push({ file, line, der: new Uint8Array(Buffer.from(b64, 'base64')), pem: m[0] + '\n' });
  }
  if (blocks.length > 0) return { blocks };
  const binary = bytes.includes(0) || bytes[0] === 0x30;
  const what = binary ? (bytes[0] === 0x30 ? 'a binary file (DER?), not PEM' : 'a binary file, not PEM') : 'no -----BEGIN CERTIFICATE----- block';
  return at(1, `${what}: Fabric's MSP skips it ("Failed reading file ${file}: no pem content for file ${file}", msp/configbuilder.go)`);
}

function readDir(dir: string, tree: CertTree): CertBlock[] {
  if (!isDir(dir)) return [];
  return list(dir, tree).flatMap((name) => (isDir(join(dir, name)) ? [] : readOne(join(dir, name), tree)));
}

function readOne(file: string, tree: CertTree): CertBlock[] {
  let bytes: Buffer;
  try {
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st) return [];
    if (st.size > MAX_CERT_FILE_BYTES) {
      tree.problems.push({ file, line: 1, col: 1, message: `${st.size} bytes: too big for a certificate file (at most ${MAX_CERT_FILE_BYTES}); not read` });
      return [];
    }
    bytes = readFileSync(file);
  } catch (e) {
    tree.problems.push({ file, line: 1, col: 1, message: `cannot read: ${(e as Error).message}` });
    return [];
  }
  const r = readCertBytes(file, bytes);
  if (r.problem) tree.problems.push(r.problem);
  return r.blocks;
}

function list(dir: string, tree: CertTree): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (e) {
    tree.problems.push({ file: dir, line: 1, col: 1, message: `cannot read the folder: ${(e as Error).message}` });
    return [];
  }
}

function isDir(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
