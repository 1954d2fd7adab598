/** `gossip-scope import`: a real network's files in, a scenario (YAML with its sources as comments) out. */
import { basename, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { readNetworkFiles } from '../import/files.js';
import { importNetwork } from '../import/network.js';
import { schemaFilePath, schemaReference } from '../scenario/schema-file.js';
import { UsageError, parseArgs } from './args.js';
import { checkNotInput, checkOutFile } from './out-path.js';

/** Bound on --blocks: the simulator's orderer cuts at most this many per channel in an import. */
const MAX_BLOCKS = 100_000;

export function importCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  // --channel repeats: PROFILE=ID for each application profile to rename.
  const channelNames: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--channel') {
      rest.push(argv[i]);
      continue;
    }
    const v = argv[++i];
    const [profile, id] = (v ?? '').split('=');
    if (!profile || !id) throw new UsageError(`--channel ${v ?? ''}: expected PROFILE=ID, e.g. TwoOrgsChannel=mychannel`);
    channelNames[profile] = id;
  }
  const { positional, flags } = parseArgs(rest, new Set(['out', 'name', 'blocks']), new Set());
  if (positional.length === 0) throw new UsageError('import needs core.yaml, configtx.yaml and crypto-config.yaml, or a folder holding them');
  const blocksFlag = flags.get('blocks') as string | undefined;
  if (blocksFlag !== undefined && !(/^\d+$/.test(blocksFlag) && Number(blocksFlag) <= MAX_BLOCKS)) throw new UsageError(`--blocks must be a whole number from 0 to ${MAX_BLOCKS}, got '${blocksFlag}'`);
  const name = (flags.get('name') as string | undefined) ?? defaultName(positional);
  const target = flags.get('out') as string | undefined;
  // The modeline points at the schema this CLI carries, from where the scenario is written.
  const schemaFile = schemaFilePath();
  const schema = schemaFile === undefined ? undefined : schemaReference(schemaFile, target);
  // The output is checked before anything is read, and again against every file read.
  if (target !== undefined) checkOutFile('--out', target, positional, 'scenario.yaml');
  const notes: string[] = [];
  const files = readNetworkFiles(positional, notes);
  for (const n of notes) err(`note: ${n}`);
  if (target !== undefined) checkNotInput('--out', target, files.map((f) => f.path));
  const result = importNetwork(files, { name, channelNames, blocks: blocksFlag === undefined ? undefined : Number(blocksFlag), schema });
  for (const n of result.notes) err(`note: ${n}`);
  if (target === undefined) out(result.text.trimEnd());
  else {
    writeFileSync(target, result.text);
    const s = result.scenario;
    err(`wrote ${target}: ${s.orgs.length} orgs, ${s.orgs.reduce((n, o) => n + o.peers, 0)} peers, channels ${s.channels.map((c) => c.name).join(', ')}`);
  }
  return 0;
}

/** The folder's name (a network is usually imported from its folder), else 'imported-network'. */
function defaultName(paths: string[]): string {
  const name = paths.length === 1 ? basename(resolve(paths[0])).replace(/\.ya?ml$/, '') : 'imported-network';
  return /^[A-Za-z0-9_.-]+$/.test(name) ? name : 'imported-network';
}
