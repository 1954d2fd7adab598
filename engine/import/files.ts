/**
 * The files of a network, from paths the user gives: files as they are, folders searched (as
 * fabric-samples' test network lays them out: compose/docker/peercfg/core.yaml,
 * configtx/configtx.yaml, organizations/cryptogen/crypto-config-org1.yaml, ...).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkFile } from './network.js';
import { ImportError } from './yaml-source.js';

/** How deep a folder is searched, and how many YAML files are read at most. */
const MAX_DEPTH = 6;
const MAX_FILES = 200;
const WANTED = /^(core|configtx|crypto-config.*)\.ya?ml$/;
/** Folders that hold generated material or dependencies, never configuration. */
const SKIP = new Set(['node_modules', '.git', 'channel-artifacts', 'system-genesis-block', 'peerOrganizations', 'ordererOrganizations', 'fabric-ca']);

export function readNetworkFiles(paths: string[]): NetworkFile[] {
  const out: NetworkFile[] = [];
  const read = (path: string) => {
    try {
      out.push({ path, text: readFileSync(path, 'utf8') });
    } catch (e) {
      throw new ImportError([{ file: path, line: 1, col: 1, message: `cannot read the file: ${(e as Error).message}` }]);
    }
  };
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIP.has(name) && !name.startsWith('.')) walk(p, depth + 1);
      } else if (WANTED.test(name)) {
        if (out.length >= MAX_FILES) throw new ImportError([{ file: dir, line: 1, col: 1, message: `more than ${MAX_FILES} configuration files below this folder: give the files themselves` }]);
        read(p);
      }
    }
  };
  for (const path of paths) {
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      throw new ImportError([{ file: path, line: 1, col: 1, message: `cannot read: ${(e as Error).message}` }]);
    }
    if (st.isDirectory()) walk(path, 0);
    else read(path);
  }
  return out;
}
