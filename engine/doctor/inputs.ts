/**
 * The doctor's inputs, read as `gossip-scope import` reads them (the same file search, YAML
 * reader with positions, and kinds of file), but forgiving where the import must be strict: a
 * folder may hold YAML that is no Fabric configuration (it is skipped and said so), and no file
 * kind is required except what names at least one peer. Bad input is a DoctorInputError that
 * says which file and why: a binary file, a YAML syntax error, a folder with nothing to check.
 */
import { statSync } from 'node:fs';
import { readNetworkFiles } from '../import/files.js';
import { kindOf, type Kind, type NetworkFile } from '../import/network.js';
import { ImportError, YamlSource } from '../import/yaml-source.js';
import type { Diagnostic } from '../scenario/diagnostics.js';

export class DoctorInputError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
    this.name = 'DoctorInputError';
  }
}

export interface ReadSource {
  kind: Kind;
  src: YamlSource;
}

export interface DoctorFiles {
  /** Each file's text by path: edits are computed against it. */
  texts: Map<string, string>;
  sources: ReadSource[];
  /** What was read but not used, in words. */
  notes: string[];
  /** Every file read, used or not. */
  read: string[];
  /** Compose files without peers of their own (docker-compose-test-net.yaml): read for the volumes they add to peers' services. */
  overlays: YamlSource[];
}

/** Reads files and folders as the import does. */
export function readDoctorPaths(paths: string[]): NetworkFile[] {
  try {
    const files = readNetworkFiles(paths);
    if (files.length === 0) {
      const folders = paths.filter((p) => statSync(p, { throwIfNoEntry: false })?.isDirectory());
      throw new DoctorInputError([{ file: folders[0] ?? paths[0] ?? '<no files>', line: 1, col: 1, message: 'no Fabric configuration here: the doctor reads core.yaml, configtx.yaml, crypto-config*.yaml and compose*.yaml / docker-compose*.yaml (below a folder, up to 6 levels)' }]);
    }
    return files;
  } catch (e) {
    if (e instanceof ImportError) throw new DoctorInputError(e.diagnostics);
    throw e;
  }
}

/** Classifies and parses the files; a file given by name that is not Fabric configuration is bad input. */
export function parseDoctorFiles(files: NetworkFile[], explicit: Set<string> = new Set()): DoctorFiles {
  const out: DoctorFiles = { texts: new Map(), sources: [], notes: [], read: files.map((f) => f.path), overlays: [] };
  const problems: Diagnostic[] = [];
  for (const f of files) {
    if (f.text.includes('\u0000')) {
      problems.push({ file: f.path, line: 1, col: 1, message: 'a binary file, not YAML: the doctor reads core.yaml, configtx.yaml and compose files (certificates are read from their msp/ and tls/ folders)' });
      continue;
    }
    let src: YamlSource;
    try {
      src = YamlSource.parse(f.path, f.text);
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      // Found in a folder (an empty override file, a template): skipped and said; named: bad input.
      if (explicit.has(f.path)) problems.push(...e.diagnostics);
      else out.notes.push(`${f.path}: skipped: ${e.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`).join('; ')}`);
      continue;
    }
    const kind = kindOf(src);
    if (kind === undefined && src.root.get('services')?.isMap()) {
      out.overlays.push(src);
      out.texts.set(f.path, f.text);
      continue;
    }
    if (kind === undefined) {
      const message = 'not a core.yaml (peer.gossip), configtx.yaml (Organizations, Profiles), crypto-config.yaml (PeerOrgs) or compose file with peers (services with CORE_PEER_ variables)';
      if (explicit.has(f.path)) problems.push({ file: f.path, line: 1, col: 1, message });
      else out.notes.push(`${f.path}: skipped: ${message}`);
      continue;
    }
    out.texts.set(f.path, f.text);
    out.sources.push({ kind, src });
  }
  if (problems.length > 0) throw new DoctorInputError(problems);
  return out;
}
