/**
 * The files of a network, from paths the user gives: files as they are, folders searched (as
 * fabric-samples' test network lays them out: compose/docker/peercfg/core.yaml,
 * configtx/configtx.yaml, organizations/cryptogen/crypto-config-org1.yaml, ...).
 * Only regular files are read (a FIFO or a device would block or never end), each bounded in
 * size; below a folder, links to folders are not followed (one to `/` or to a parent would search
 * the whole disk or loop), and a link that leads nowhere is named.
 */
import { lstatSync, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { readRegularFile } from '../scenario/read-text.js';
import type { NetworkFile } from './network.js';
import { ImportError } from './yaml-source.js';

/** How deep a folder is searched, how many entries are looked at, and how many YAML files are read at most. */
const MAX_DEPTH = 6;
const MAX_ENTRIES = 20_000;
const MAX_FILES = 200;
/** A configuration file's size at most: fabric-samples' largest (configtx.yaml) is about 20 KB. */
const MAX_FILE_BYTES = 4 << 20;
const WANTED = /^(core|configtx|crypto-config.*|(docker-)?compose.*)\.ya?ml$/;
/** Folders that hold generated material or dependencies, never configuration. */
const SKIP = new Set(['node_modules', '.git', 'channel-artifacts', 'system-genesis-block', 'peerOrganizations', 'ordererOrganizations', 'fabric-ca']);

/** The network's files; what was passed over (links to folders) is added to `notes`. */
export function readNetworkFiles(paths: string[], notes: string[] = []): NetworkFile[] {
  const out: NetworkFile[] = [];
  let entries = 0;
  const refuse = (file: string, message: string): never => {
    throw new ImportError([{ file, line: 1, col: 1, message }]);
  };
  const read = (path: string) => {
    const bytes = readRegularFile(path, MAX_FILE_BYTES, 'a network configuration file');
    if (!(bytes instanceof Uint8Array)) throw new ImportError([{ file: path, ...bytes }]);
    // Decoded as before (a binary file is told apart by its readers, the doctor's included).
    out.push({ path, text: bytes.toString('utf8') });
  };
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      return refuse(dir, `cannot read the folder: ${why(e)}`);
    }
    for (const name of names) {
      if (++entries > MAX_ENTRIES) refuse(dir, `more than ${MAX_ENTRIES.toLocaleString('en-US')} entries searched below the folders given: give the configuration files themselves`);
      const p = join(dir, name);
      let st: Stats;
      try {
        st = lstatSync(p);
      } catch (e) {
        return refuse(p, `cannot read: ${why(e)}`);
      }
      if (st.isSymbolicLink()) {
        const to = linkTarget(p);
        const target = statSync(p, { throwIfNoEntry: false });
        if (target === undefined) {
          if (WANTED.test(name)) refuse(p, `a symbolic link to ${to}, which does not exist`);
          continue;
        }
        if (target.isDirectory()) {
          notes.push(`${p}: not searched: it is a link to the folder ${to}, and links to folders are not followed (give that folder itself to import it)`);
          continue;
        }
      }
      if (st.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIP.has(name) && !name.startsWith('.')) walk(p, depth + 1);
      } else if (WANTED.test(name)) {
        if (out.length >= MAX_FILES) refuse(dir, `more than ${MAX_FILES} configuration files below this folder: give the files themselves`);
        read(p);
      }
    }
  };
  for (const path of paths) {
    let st: Stats;
    try {
      st = statSync(path);
    } catch (e) {
      const dangling = lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() === true;
      return refuse(path, dangling ? `a symbolic link to ${linkTarget(path)}, which does not exist` : `cannot read: ${why(e)}`);
    }
    if (st.isDirectory()) walk(path, 0);
    else read(path);
  }
  return out;
}

function linkTarget(p: string): string {
  try {
    return readlinkSync(p);
  } catch {
    return '(unreadable)';
  }
}

function why(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'there is no such file or folder';
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  if (err.code === 'ELOOP') return 'a loop of symbolic links';
  return err.code ?? err.message;
}
