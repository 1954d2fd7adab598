/**
 * gossip-scope: the headless CLI (DESIGN.md, "The headless CLI").
 *   gossip-scope run <scenario> [--seed N] [--until T] [--json] [--trace FILE.jsonl]
 *   gossip-scope defaults [--profile P] --json
 *   gossip-scope defaults --scenario S --peer ID [--json]   (one peer's values and where each came from)
 *   gossip-scope import <core.yaml|configtx.yaml|crypto-config.yaml|folder>... [--out FILE] [--name N] [--channel PROFILE=ID] [--blocks N]
 *   gossip-scope doctor <files or folder>... [--logs FILE...] [--json] [--matrix] [--show RULE]   (what is wrong with a real network's gossip)
 *   gossip-scope doctor <files or folder>... [--logs FILE...] [--json] [--matrix] [--show RULE]
                  (what is wrong with a real network's gossip: file:line:col findings; exit 1 on an error)
  gossip-scope logs <peer.log>... [--trace FILE.jsonl] [--shiviz FILE.log] [--json]
 *   gossip-scope dap   (the debug adapter over stdio)
 *   gossip-scope diff <A> <B> [--at T] [--json]   (two runs compared: first divergent event, peer states)
 *   gossip-scope shrink <scenario> [--out FILE] [--max-runs N] [--json]   (smallest failing schedule)
 *   gossip-scope live <scenario> [--until T] [--json]      (every peer a process, real sockets)
 *   gossip-scope peer --scenario S --id ID [--listen host:port] [--bootstrap host:port] ...
 * Exit status: 0 success, 1 run failure, 2 bad scenario or arguments (message on stderr).
 */
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, openSync, statSync, writeSync } from 'node:fs';
import pkg from '../../package.json';
import { dirname } from 'node:path';
import { runCostProblem } from '../scenario/run-cost.js';
import { seedOption, untilOption } from './bounded-options.js';
import { PROFILES, configToYamlShape, parseDuration, profileConfig, type ProfileName } from '../fabric/config.js';
import { ScenarioError, loadScenarioFile } from '../scenario/load.js';
import { effectiveEntries, peerConfig } from '../scenario/peer-config.js';
import { Simulation } from '../sim/simulation.js';
import { summarise, type RunSummary } from '../sim/summary.js';
import { runChecked } from '../sim/expectations.js';
import { InvariantWatch, stopOnViolation, violationSummary } from '../debug/invariants.js';
import { bigintToString } from '../trace/trace.js';
import { TRACE_VERSION } from '../trace/events.js';
import { serveDapOverStdio } from '../debug/stdio.js';
import { diffRuns, formatDiff, parseSide } from '../debug/diff.js';
import { LiveRunError, runLive } from '../live/launcher.js';
import { peerArgsProblem, runPeerProcess } from '../live/peer-process.js';
import { importCommand } from './import-command.js';
import { doctorCommand } from './doctor-command.js';
import { DoctorInputError } from '../doctor/inputs.js';
import { logsCommand } from './logs-command.js';
import { LogFileError } from '../logs/files.js';
import { UsageError, parseArgs } from './args.js';
import { checkNotInput } from './out-path.js';
import { ImportError } from '../import/yaml-source.js';
import { report } from './report-command.js';
import { sweep } from './sweep-command.js';
import { shrinkCommand } from './shrink-command.js';

const USAGE = `usage:
  gossip-scope run <scenario.yaml> [--seed N] [--until DURATION] [--json] [--trace FILE.jsonl] [--check]
  gossip-scope diff <A> <B> [--at DURATION] [--json]
                  (A, B: scenario.yaml, scenario.yaml@SEED or a saved trace.jsonl)
  gossip-scope shrink <scenario.yaml> [--out FILE.yaml] [--max-runs N] [--json]
                  (fewest faults, narrowest windows that still fail the same way)
  gossip-scope defaults [--profile fabric-v3|classic-gossip] [--json]
  gossip-scope defaults --scenario <scenario.yaml> --peer peer0.org1 [--json]
  gossip-scope import <files or folder>... [--out scenario.yaml] [--name NAME] [--channel PROFILE=ID] [--blocks N]
  gossip-scope logs <peer.log>... [--trace FILE.jsonl] [--shiviz FILE.log] [--json] [--follow]   (Fabric gossip debug logs; --follow: as written, tail -F, until Ctrl-C)
  gossip-scope report <scenario.yaml|trace.jsonl> [--seed N] [--until DURATION] [--bucket DURATION] [--out FILE.html] [--json]
  gossip-scope sweep <scenario.yaml> --set NAME=VALUES [--set ...] [--seeds N] [--jobs N] [--out DIR] [--json]
  gossip-scope dap                (Debug Adapter Protocol over stdin/stdout)
  gossip-scope live <scenario.yaml> [--until DURATION] [--json]
  gossip-scope peer --scenario S --id peer0.org1 [--listen host:port] [--advertise host:port]
                    [--bootstrap host:port] [--address id=host:port ...] [--orderer ws://host:port]
                    [--control URL --secrets stdin]`;

/** `wallMs` is the process's clock, for progress lines only (no run reads it); tests leave it out. */
export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void, wallMs?: () => number): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === 'run') return await run(rest, out, err);
    if (cmd === 'defaults') return defaults(rest, out);
    if (cmd === 'import') return importCommand(rest, out, err);
    if (cmd === 'doctor') return await doctorCommand(rest, out, err);
    if (cmd === 'logs') return await logsCommand(rest, out, err);
    if (cmd === 'report') return await report(rest, out);
    if (cmd === 'sweep') return await sweep(rest, out, err, wallMs);
    if (cmd === 'dap') return await serveDapOverStdio();
    if (cmd === 'diff') return await diff(rest, out);
    if (cmd === 'shrink') return await shrinkCommand(rest, out, err);
    if (cmd === 'live') return await live(rest, out, err);
    if (cmd === 'peer') return await peer(rest, err);
    if (cmd === undefined || cmd === '--help' || cmd === 'help') {
      out(USAGE);
      return cmd === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command '${cmd}'`);
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof ImportError || e instanceof LogFileError || e instanceof DoctorInputError) {
      err(e.message);
      return 2;
    }
    if (e instanceof LiveRunError) {
      err(`gossip-scope: ${e.message}`);
      return 1;
    }
    if (e instanceof UsageError) {
      err(`gossip-scope: ${e.message}\n${USAGE}`);
      return 2;
    }
    err(`gossip-scope: run failed: ${(e as Error).stack ?? e}`);
    return 1;
  }
}

async function diff(argv: string[], out: (s: string) => void): Promise<number> {
  const { positional, flags } = parseArgs(argv, new Set(['at']), new Set(['json']));
  if (positional.length !== 2) throw new UsageError('diff needs two runs: scenario.yaml, scenario.yaml@SEED or trace.jsonl');
  // --at is bounded as run's --until is, and a side's @SEED as run's --seed is.
  const atFlag = flags.get('at');
  const at = typeof atFlag === 'string' ? untilOption(atFlag, '--at') : undefined;
  const side = (text: string) => {
    const s = parseSide(text);
    if ('scenario' in s && s.seedText !== undefined) s.seed = seedOption(s.seedText, `${s.scenario}@SEED`);
    return s;
  };
  const a = side(positional[0]);
  const b = side(positional[1]);
  // A run to --at is a run as long: its cost is refused before it starts, as run --until's is.
  if (at !== undefined) {
    for (const s of [a, b]) {
      if (!('scenario' in s)) continue;
      const scenario = loadScenarioFile(s.scenario);
      scenario.run.until = at;
      const cost = runCostProblem(scenario);
      if (cost !== undefined) throw new UsageError(`--at ${atFlag as string}: ${s.scenario}: ${cost}`);
    }
  }
  const d = await diffRuns(a, b, { at });
  out(flags.has('json') ? JSON.stringify(d, null, 2) : formatDiff(d));
  return 0;
}

async function live(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { positional, flags } = parseArgs(argv, new Set(['until']), new Set(['json']));
  if (positional.length !== 1) throw new UsageError('live needs exactly one scenario file');
  const until = flags.has('until') ? untilOption(flags.get('until') as string) : undefined;
  const s = await runLive(positional[0], { until, cli: process.argv[1], log: err });
  if (flags.has('json')) out(JSON.stringify(s, null, 2));
  else {
    out(`${s.scenario} (live, seed ${s.seed}): ${s.peers.filter((p) => p.alive).length} of ${s.peers.length} peers up after ${(s.simTimeMs / 1000).toFixed(1)} s`);
    out(`  (the ${s.peers.length} processes took ${(s.startupMs / 1000).toFixed(1)} s to start listening; the run's clock starts once every one does)`);
    for (const p of s.peers) out(`  ${p.id.padEnd(14)} ${p.exited ?? (p.alive ? 'up  ' : 'down')} ${Object.entries(p.height).map(([ch, h]) => `${ch} ${h}`).join(', ')}  sees ${p.membership}`);
    out(s.converged ? 'converged' : `not converged:\n  ${s.notConverged.join('\n  ')}`);
  }
  if (s.unscripted.length === 0) return 0;
  err(`gossip-scope: the live run did not go as scripted: ${s.unscripted.join('; ')}`);
  return 1;
}

async function peer(argv: string[], err: (s: string) => void): Promise<number> {
  // --address and --bootstrap repeat: take them out before the usual parsing.
  const addresses = new Map<string, string>();
  const bootstrap: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--address' || argv[i] === '--bootstrap') {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${argv[i - 1]} needs a value`);
      if (argv[i - 1] === '--bootstrap') bootstrap.push(v);
      else {
        const [id, addr] = v.split('=');
        if (!id || !addr) throw new UsageError(`--address ${v}: expected id=host:port`);
        addresses.set(id, addr);
      }
    } else rest.push(argv[i]);
  }
  const { positional, flags } = parseArgs(rest, new Set(['scenario', 'id', 'listen', 'advertise', 'orderer', 'control', 'secrets']), new Set());
  const secrets = flags.get('secrets');
  if (secrets !== undefined && secrets !== 'stdin') throw new UsageError(`--secrets ${String(secrets)}: only "stdin" (the launcher writes them there)`);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  if (!flags.has('scenario') || !flags.has('id')) throw new UsageError('peer needs --scenario and --id');
  const args = {
    scenario: flags.get('scenario') as string,
    id: flags.get('id') as string,
    listen: (flags.get('listen') as string | undefined) ?? '127.0.0.1:7051',
    advertise: flags.get('advertise') as string | undefined,
    addresses,
    bootstrap,
    orderer: flags.get('orderer') as string | undefined,
    control: flags.get('control') as string | undefined,
    secretsOnStdin: secrets === 'stdin',
  };
  const problem = peerArgsProblem(args, loadScenarioFile(args.scenario));
  if (problem !== null) throw new UsageError(problem);
  return runPeerProcess(args, err);
}

/** One peer's effective peer.gossip.* in a scenario, each value with where it came from. */
function peerDefaults(flags: Map<string, string | true>, out: (s: string) => void): number {
  const file = flags.get('scenario');
  const id = flags.get('peer');
  if (typeof file !== 'string' || typeof id !== 'string') throw new UsageError('defaults --scenario FILE --peer ID: both are needed');
  if (flags.has('profile')) throw new UsageError('--profile comes from the scenario; leave it out with --scenario');
  const scenario = loadScenarioFile(file);
  const known = scenario.orgs.flatMap((o) => Array.from({ length: o.peers }, (_, i) => `peer${i}.${o.name}`));
  if (!known.includes(id)) throw new UsageError(`unknown peer '${id}' in ${file}`);
  const entries = effectiveEntries(scenario, id);
  if (flags.has('json')) {
    const shape = { profile: scenario.profile, peerId: id, ...configToYamlShape(peerConfig(scenario, id)), sources: Object.fromEntries(entries.map((e) => [e.key, e.from])) };
    out(JSON.stringify(shape, null, 2));
  } else {
    const width = Math.max(...entries.map((e) => e.key.length + e.value.length)) + 4;
    out(`${id} (profile ${scenario.profile})\n` + entries.map((e) => `  ${`${e.key}: ${e.value}`.padEnd(width)}# ${e.from}`).join('\n') + '\n');
  }
  return 0;
}

function defaults(argv: string[], out: (s: string) => void): number {
  const { positional, flags } = parseArgs(argv, new Set(['profile', 'scenario', 'peer']), new Set(['json']));
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  if (flags.has('scenario') || flags.has('peer')) return peerDefaults(flags, out);
  const profile = (flags.get('profile') as string | undefined) ?? 'fabric-v3';
  if (!PROFILES.includes(profile as ProfileName)) throw new UsageError(`unknown profile '${profile}' (expected ${PROFILES.join(' or ')})`);
  const shape = { profile, ...configToYamlShape(profileConfig(profile as ProfileName)) };
  out(flags.has('json') ? JSON.stringify(shape, null, 2) : toYaml(shape));
  return 0;
}

function toYaml(v: unknown, indent = ''): string {
  if (v === null || typeof v !== 'object') return String(v);
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => (x !== null && typeof x === 'object' ? `${indent}${k}:\n${toYaml(x, indent + '  ')}` : `${indent}${k}: ${x}`))
    .join('\n');
}

async function run(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { positional, flags } = parseArgs(argv, new Set(['seed', 'until', 'trace']), new Set(['json', 'check']));
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'run needs a scenario file' : `unexpected argument '${positional[1]}'`);
  const scenario = loadScenarioFile(positional[0]);
  const seedFlag = flags.get('seed');
  if (typeof seedFlag === 'string') scenario.seed = seedOption(seedFlag);
  const untilFlag = flags.get('until');
  if (typeof untilFlag === 'string') {
    scenario.run.until = untilOption(untilFlag);
    const cost = runCostProblem(scenario);
    if (cost !== undefined) throw new UsageError(`--until ${untilFlag}: ${cost}`);
  }
  // Everything that can be refused is refused before the run: the trace file too.
  const tracePath = flags.get('trace');
  if (typeof tracePath === 'string') checkNotInput('--trace', tracePath, [positional[0]]);
  const traceFd = typeof tracePath === 'string' ? openTraceFile(tracePath) : undefined;
  for (const w of scenario.warnings ?? []) err(`${w.file}:${w.line}:${w.col}: warning: ${w.message}`);
  const sim = await Simulation.create(scenario);
  let closeTrace: (() => Promise<void>) | undefined;
  if (traceFd !== undefined) closeTrace = writeTrace(sim, traceFd);
  // --check also watches the invariants at every event, and stops at the first one broken.
  const invariants = flags.has('check') ? new InvariantWatch(sim) : undefined;
  const stop = invariants ? stopOnViolation(invariants) : undefined;
  // With expectations, the run is looked at as it goes, so each can be met at its time.
  const results =
    scenario.expect.length > 0 || stop !== undefined ? runChecked(sim, scenario.run.until, undefined, stop) : (sim.runUntil(scenario.run.until), undefined);
  await closeTrace?.();
  const summary = summarise(sim);
  if (results !== undefined && scenario.expect.length > 0) summary.expectations = results;
  const violation = invariants?.take()[0];
  if (invariants !== undefined) summary.violation = violation === undefined ? null : violationSummary(sim, violation);
  out(flags.has('json') ? JSON.stringify(summary, null, 2) : humanSummary(summary));
  // Stopped at the event bound: the summary is of a run cut short, and says so on stderr.
  if (sim.kernel.halted !== undefined) {
    err(`${positional[0]}: ${sim.kernel.halted}`);
    return 2;
  }
  if (flags.has('check')) return violation === undefined && results!.every((r) => r.status === 'met') ? 0 : 1;
  return 0;
}

/** Opens (creates or truncates) the trace file now, so a bad path is refused before the run with the reason. */
function openTraceFile(path: string): number {
  const reason = (e: NodeJS.ErrnoException): string => {
    if (e.code === 'ENOENT') return `the folder ${dirname(path)} does not exist`;
    if (e.code === 'EISDIR') return 'it is a directory; give a file name such as run.jsonl';
    if (e.code === 'ENOTDIR') return `${dirname(path)} is not a folder`;
    if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
    return e.code ?? e.message;
  };
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return openSync(path, 'w');
  } catch (e) {
    throw new UsageError(`--trace ${path}: cannot write the trace: ${reason(e as NodeJS.ErrnoException)}`);
  }
}

/**
 * JSON Lines: a header line, then one event per line, as they happen. The header carries what a
 * reader needs to check the file (the count, the run's hash, a hash of the event lines), known
 * only at the end: it is written first with room to spare and written over in place at the end.
 */
function writeTrace(sim: Simulation, fd: number): () => Promise<void> {
  const stream = createWriteStream('', { fd, autoClose: false });
  let failure: Error | undefined;
  stream.on('error', (e) => (failure = e));
  const header = (linesHash: string, events: number, simTime: number, traceHash: string) =>
    JSON.stringify({ gossipScope: pkg.version, linesHash, traceVersion: TRACE_VERSION, scenario: sim.scenario.name, seed: sim.scenario.seed, peers: sim.peers.map((p) => p.id), simTime, events, traceHash });
  const zeros = '0'.repeat(64);
  // Room for the count and the end time to grow to their longest (30,000,000 events, a day in ms with decimals).
  const reserved = Buffer.byteLength(header(zeros, 0, 0, zeros)) + 48;
  stream.write(' '.repeat(reserved) + '\n');
  const hash = createHash('sha256');
  let chunk: string[] = [];
  const unlisten = sim.trace.listen((ev) => {
    const line = JSON.stringify(ev, bigintToString);
    hash.update(line).update('\n');
    chunk.push(line);
    if (chunk.length >= 4096) {
      stream.write(chunk.join('\n') + '\n');
      chunk = [];
    }
  });
  return () =>
    new Promise((resolve, reject) => {
      unlisten();
      if (chunk.length > 0) stream.write(chunk.join('\n') + '\n');
      stream.end(() => {
        try {
          if (failure) throw failure;
          const text = header(hash.digest('hex'), sim.trace.count, sim.kernel.now, sim.trace.hash());
          const bytes = Buffer.from(text.padEnd(reserved, ' '));
          if (bytes.length > reserved) throw new Error(`the trace header (${bytes.length} bytes) outgrew its room (${reserved})`);
          writeSync(fd, bytes, 0, bytes.length, 0);
          closeSync(fd);
          resolve();
        } catch (e) {
          reject(e as Error);
        }
      });
    });
}

function humanSummary(s: RunSummary): string {
  const lines = [
    `${s.scenario}  seed ${s.seed}  profile ${s.profile}`,
    `simulated ${(s.simTimeMs / 1000).toFixed(1)}s, ${s.events} events, trace ${s.traceHash.slice(0, 16)}`,
    `converged: ${s.converged ? 'yes' : 'no'}`,
    ...s.notConverged.slice(0, 10).map((p) => `  - ${p}`),
    '',
    'peer                 alive  height               leader  members',
    ...s.peers.map(
      (p) =>
        `${p.id.padEnd(20)} ${(p.alive ? 'yes' : 'no').padEnd(6)} ${Object.entries(p.height).map(([c, h]) => `${c}:${h}`).join(' ').padEnd(20)} ${Object.entries(p.leader).filter(([, l]) => l).map(([c]) => c).join(',').padEnd(7)} ${p.membership}`,
    ),
    '',
    'messages (sent / delivered / dropped):',
    ...Object.keys(s.messages.sent).map((t) => `  ${t.padEnd(22)} ${s.messages.sent[t]} / ${s.messages.delivered[t] ?? 0} / ${s.messages.dropped[t] ?? 0}`),
  ];
  if (s.expectations) {
    lines.push('', 'expectations:');
    for (const r of s.expectations) lines.push(`  ${r.status === 'met' ? '✓' : '✗'} ${r.text}${r.status === 'met' && r.at !== null ? ` (at ${(r.at / 1000).toFixed(1)}s)` : r.detail ? `: ${r.detail}` : ''}`);
  }
  if (s.violation) lines.push('', `invariant broken at ${(s.violation.t / 1000).toFixed(3)}s (event ${s.violation.eventId}): ${s.violation.invariant}: ${s.violation.detail}`);
  const rejected = Object.entries(s.messages.rejected);
  if (rejected.length > 0) lines.push('rejected:', ...rejected.map(([r, n]) => `  ${n}  ${r}`));
  return lines.join('\n');
}
