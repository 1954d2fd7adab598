/**
 * The test-network fixture (fabric-samples' compose file, the two-org configtx.yaml, Fabric's
 * sampleconfig core.yaml) as texts, broken copies made by string edits, and where a string sits
 * in them (file:line:col, 1-based) found by searching, not by the doctor.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkFile } from '../../engine/import/network.js';
import type { Finding, FindingEdit } from '../../engine/doctor/finding.js';

export const DIR = join(__dirname, 'fixtures', 'test-network');
export const COMPOSE = join(DIR, 'compose', 'compose-test-net.yaml');
export const CONFIGTX = join(DIR, 'configtx', 'configtx.yaml');
export const CORE = join(DIR, 'compose', 'docker', 'peercfg', 'core.yaml');

export type Texts = Record<string, string>;

export function clean(): Texts {
  return Object.fromEntries([COMPOSE, CONFIGTX, CORE].map((p) => [p, readFileSync(p, 'utf8')]));
}

export function files(t: Texts): NetworkFile[] {
  return Object.entries(t).map(([path, text]) => ({ path, text }));
}

/** Replaces one occurrence (exactly one must exist) in one file. */
export function edit(t: Texts, file: string, from: string, to: string): Texts {
  const text = t[file];
  const at = text.indexOf(from);
  assert.ok(at >= 0 && text.indexOf(from, at + 1) < 0, `exactly one '${from}' in ${file}`);
  return { ...t, [file]: text.slice(0, at) + to + text.slice(at + from.length) };
}

/** file:line:col of `needle` in a file (the nth occurrence after `after`, if given), plus `offset` columns. */
export function where(t: Texts, file: string, needle: string, opts: { after?: string; offset?: number } = {}): string {
  const text = t[file];
  const start = opts.after === undefined ? 0 : text.indexOf(opts.after);
  assert.ok(start >= 0, `'${opts.after}' in ${file}`);
  const at = text.indexOf(needle, start);
  assert.ok(at >= 0, `'${needle}' in ${file}`);
  const before = text.slice(0, at).split('\n');
  return `${file}:${before.length}:${before[before.length - 1].length + 1 + (opts.offset ?? 0)}`;
}

export const place = (f: Finding) => `${f.at.file}:${f.at.line}:${f.at.col}`;

/** The edit applied to the texts, as VS Code's WorkspaceEdit would. */
export function applyEdit(t: Texts, e: FindingEdit): Texts {
  const lines = t[e.file].split('\n');
  const offset = lines.slice(0, e.line - 1).reduce((n, l) => n + l.length + 1, 0) + e.col - 1;
  const text = t[e.file];
  return { ...t, [e.file]: text.slice(0, offset) + e.text + text.slice(offset + e.length) };
}

/** fabric-samples' peer0.org1 service, copied as peer1.org1 at port 8051 (as its addOrg and older samples lay out a second peer). */
export function withPeer1Org1(t: Texts, env: (block: string) => string = (b) => b): Texts {
  const text = t[COMPOSE];
  const start = text.indexOf('  peer0.org1.example.com:\n    container_name');
  const end = text.indexOf('  peer0.org2.example.com:\n    container_name');
  const block = text.slice(start, end).replace(/peer0\.org1/g, 'peer1.org1').replace(/peer0org1/g, 'peer1org1').replace(/7051/g, '8051').replace(/7052/g, '8052').replace(/9444/g, '9446');
  return { ...t, [COMPOSE]: text.slice(0, end) + env(block) + text.slice(end) };
}

export const CRYPTO1 = join(DIR, 'organizations', 'cryptogen', 'crypto-config-org1.yaml');
export const CRYPTO2 = join(DIR, 'organizations', 'cryptogen', 'crypto-config-org2.yaml');

/** The texts with cryptogen's two files (the import, and so Show me, needs them). */
export function withCrypto(t: Texts): Texts {
  return { ...t, [CRYPTO1]: t[CRYPTO1] ?? readFileSync(CRYPTO1, 'utf8'), [CRYPTO2]: t[CRYPTO2] ?? readFileSync(CRYPTO2, 'utf8') };
}

/** peer1.org1 added (compose service and cryptogen Count: 2) with no external endpoint, bootstrapping to peer0.org1. */
export function hiddenPeer1Org1(): Texts {
  const hidden = (b: string) =>
    b.replace('      - CORE_PEER_GOSSIP_EXTERNALENDPOINT=peer1.org1.example.com:8051\n', '').replace('CORE_PEER_GOSSIP_BOOTSTRAP=peer1.org1.example.com:8051', 'CORE_PEER_GOSSIP_BOOTSTRAP=peer0.org1.example.com:7051');
  return edit(withCrypto(withPeer1Org1(clean(), hidden)), CRYPTO1, 'Template:\n      Count: 1', 'Template:\n      Count: 2');
}

/** An org's whole AnchorPeers block (key, comments, entry) taken out of configtx.yaml. */
export function withoutAnchors(t: Texts, mspId: string): Texts {
  const x = t[CONFIGTX];
  const start = x.indexOf('        AnchorPeers:', x.indexOf(`ID: ${mspId}`));
  const end = x.indexOf('\n', x.indexOf('Port:', start)) + 1;
  assert.ok(start >= 0 && end > start, `${mspId}'s AnchorPeers in configtx.yaml`);
  return { ...t, [CONFIGTX]: x.slice(0, start) + x.slice(end) };
}
