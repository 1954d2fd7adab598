/**
 * From schema-valid scenario data (defaults filled in) to a `Scenario`: derive names and peer ids,
 * check what a schema cannot (references between parts, times, ranges), and apply the `gossip:`
 * overrides to the profile's configuration.
 */
import { MESSAGE_TYPES } from '../fabric/message-types.js';
import { DURATION_KEYS, formatDuration, parseDuration, profileConfig, type EffectiveConfig, type ProfileName } from '../fabric/config.js';
import { didYouMean, sortDiagnostics, type Diagnostic, type Locator, type Path } from './diagnostics.js';
import { INT_ZERO_IS_DEFAULT, LIMITS, MIN_PERIOD_MS, atMost, clip, showMs, zeroRule } from './bounds.js';
import { runCostProblem } from './run-cost.js';
import { codeDefault } from '../import/code-defaults.js';
import type { SchemaProblem } from './validate.js';
import type { ConfigSource, PeerConfig } from './peer-config.js';
import { DEFAULT_PROCESSING, type ProcessingSpec } from '../sim/processing.js';
import { tamperNeverTakes } from '../sim/tamper.js';
import { staticProblems } from '../debug/expr.js';
import { FUNCTIONS, VARIABLES } from '../debug/queries.js';
import type { ByzantineBehaviour, Expectation, Invariant, ExpectationCheck, FaultAction, FaultSpec, LatencySpec, OrgSpec, PeerStartSpec, Scenario, LinkSpec } from './types.js';

/** The scenario as the schema guarantees it, after ajv filled in the defaults. */
interface RawOrg {
  mspId: string;
  name?: string;
  domain?: string;
  peers: number;
  anchorPeers: string[];
  bootstrap: string[];
  externalEndpoints: 'all' | 'none' | string[];
  gossip?: Record<string, unknown>;
}
interface RawProcessing {
  handling?: { median?: string; sigma?: number };
  verify?: string;
  sign?: string;
}
interface RawLatency {
  min: string;
  max: string;
}
interface RawFault {
  at: string;
  until?: string;
  crash?: string;
  restart?: string;
  pause?: string;
  resume?: string;
  partition?: string[][];
  heal?: 'all';
  link?: { between?: [string, string]; loss?: number; delay?: string; jitter?: string; duplicate?: number; reorder?: number };
  tamper?: { from: string; to?: string; type?: string; mode: 'flip' | 'strip-signature'; count: number };
  byzantine?: { peer: string; behaviour: ByzantineBehaviour; target?: string; channel?: string };
  expire?: string;
}
interface RawScenario {
  name: string;
  seed: number;
  profile: ProfileName;
  description?: string;
  orgs: RawOrg[];
  channels: { name: string; orgs: string[]; collections?: { name: string; memberOrgs: string[]; requiredPeerCount: number; maxPeerCount: number; txPerBlock: number }[] }[];
  orderer: { batchTimeout: string; blocks: number; txPerBlock: number; start: string };
  gossip?: Record<string, unknown>;
  deliveryclient?: { blockGossipEnabled?: boolean };
  network: { latency: RawLatency; loss: number; links: { between: [string, string]; latency?: RawLatency; loss?: number }[] };
  peers: { startWindow: string; start: { peer: string; at: string }[]; certExpiry?: { peer: string; at: string }[]; config: { peers: string | string[]; start?: string; gossip?: Record<string, unknown>; processing?: RawProcessing }[]; processing?: RawProcessing };
  faults: RawFault[];
  run: { until: string };
  invariants?: { holds: string; name?: string }[];
  expect: { height?: number; channel?: string; dead?: string; alive?: string; leaderIn?: string; converged?: true; rejected?: string; noPrivateDataAt?: string; behind?: string; by?: string; text?: string }[];
}

/** peers.startWindow's bound: operators start a network within minutes, not hours. */
const MAX_START_WINDOW_MS = 600_000;

/** Org name from an MSP ID: Org1MSP → org1, AlphaMSP → alpha. */
export function defaultOrgName(mspId: string): string {
  return mspId.replace(/MSP$/i, '').toLowerCase();
}

export function buildScenario(data: unknown, file: string, loc: Locator): { scenario?: Scenario; problems: SchemaProblem[] } {
  const raw = data as RawScenario;
  const problems: SchemaProblem[] = [];
  const report = (path: Path, message: string, which: 'key' | 'value' = 'value') =>
    problems.push({ pos: loc.pos(path, which), message });
  const warnings: Diagnostic[] = [];
  const warn = (path: Path, message: string) => warnings.push({ file, ...loc.pos(path), message });

  /** A duration in ms; negative and over-long ones are reported (the schema allows a sign so we can say why). */
  const ms = (text: string, path: Path): number => {
    const value = (text.startsWith('-') ? -1 : 1) * (parseDuration(text.replace(/^[-+]/, '')) ?? 0);
    if (value < 0) report(path, `a duration must not be negative, got '${clip(text)}'`);
    else if (!(value <= LIMITS.duration.max)) report(path, `a duration is ${atMost('duration', showMs)}, got '${clip(text)}'`);
    return Number.isFinite(value) ? value : LIMITS.duration.max;
  };
  const peerTotal = raw.orgs.reduce((n, o) => n + o.peers, 0);
  if (peerTotal > LIMITS.peers.max) {
    // Before any per-peer work: the ids and configs of a huge network are not built at all.
    report(['orgs'], `the orgs have ${peerTotal.toLocaleString('en-US')} peers in all; a network has ${atMost('peers')}`);
    return { problems };
  }

  // Orgs, their names and peer ids.
  const orgs: OrgSpec[] = [];
  const byMsp = new Map<string, number>();
  const byName = new Map<string, number>();
  const peerIds = new Set<string>();
  raw.orgs.forEach((o, i) => {
    const name = o.name ?? defaultOrgName(o.mspId);
    const namePath = o.name === undefined ? ['orgs', i, 'mspId'] : ['orgs', i, 'name'];
    if (byMsp.has(o.mspId)) report(['orgs', i, 'mspId'], `duplicate mspId '${o.mspId}' (also orgs[${byMsp.get(o.mspId)}])`);
    else if (!/^[A-Za-z0-9_-]+$/.test(name)) {
      report(namePath, `cannot use '${name}' as the org name in peer ids (letters, digits, - and _ only); set name:`);
    } else if (byName.has(name)) {
      report(namePath, `duplicate org name '${name}' (also orgs[${byName.get(name)}]): peer ids like peer0.${name} would clash; set name:`);
    }
    byMsp.set(o.mspId, byMsp.get(o.mspId) ?? i);
    byName.set(name, byName.get(name) ?? i);
    const names = Array.from({ length: o.peers }, (_, p) => `peer${p}`);
    const checkNames = (list: string[], key: string) =>
      list.forEach((n, j) => {
        if (!names.includes(n)) report(['orgs', i, key, j], `unknown peer '${n}' in ${o.mspId}, which has ${o.peers} peer${o.peers === 1 ? '' : 's'} (peer0..peer${o.peers - 1})`);
      });
    checkNames(o.anchorPeers, 'anchorPeers');
    checkNames(o.bootstrap, 'bootstrap');
    const external = o.externalEndpoints === 'all' ? names : o.externalEndpoints === 'none' ? [] : o.externalEndpoints;
    if (Array.isArray(o.externalEndpoints)) checkNames(o.externalEndpoints, 'externalEndpoints');
    names.forEach((n) => peerIds.add(`${n}.${name}`));
    orgs.push({
      mspId: o.mspId,
      name,
      domain: o.domain ?? `${name}.example.com`,
      peers: o.peers,
      anchorPeers: [...o.anchorPeers],
      bootstrap: [...o.bootstrap],
      externalEndpoints: [...external],
    });
  });

  const checkPeer = (id: string, path: Path): void => {
    if (!peerIds.has(id)) report(path, `unknown peer '${id}'${didYouMean(id, peerIds)}`);
  };

  // Channels.
  const channelNames = new Set<string>();
  raw.channels.forEach((c, i) => {
    if (channelNames.has(c.name)) report(['channels', i, 'name'], `duplicate channel '${c.name}'`);
    channelNames.add(c.name);
    c.orgs.forEach((m, j) => {
      if (!byMsp.has(m)) report(['channels', i, 'orgs', j], `unknown org '${m}' in channel ${c.name}${didYouMean(m, byMsp.keys())}`);
      else if (c.orgs.indexOf(m) !== j) report(['channels', i, 'orgs', j], `org '${m}' is listed twice in channel ${c.name}`);
    });
    const collectionNames = new Set<string>();
    (c.collections ?? []).forEach((col, k) => {
      const at = ['channels', i, 'collections', k];
      if (collectionNames.has(col.name)) report([...at, 'name'], `duplicate collection '${col.name}' in channel ${c.name}`);
      collectionNames.add(col.name);
      col.memberOrgs.forEach((m, j) => {
        if (!c.orgs.includes(m)) report([...at, 'memberOrgs', j], `org '${m}' is not a member of channel ${c.name}${didYouMean(m, c.orgs)}`);
      });
      if (col.maxPeerCount < col.requiredPeerCount) report([...at, 'maxPeerCount'], `maxPeerCount (${col.maxPeerCount}) must be at least requiredPeerCount (${col.requiredPeerCount})`);
    });
  });

  // Network.
  const latency = (l: RawLatency, path: Path): LatencySpec => {
    const spec = { min: ms(l.min, [...path, 'min']), max: ms(l.max, [...path, 'max']) };
    if (spec.min > spec.max) report([...path, 'min'], `latency min ${l.min} is greater than max ${l.max}`);
    return spec;
  };
  const links: LinkSpec[] = raw.network.links.map((l, i) => {
    l.between.forEach((p, j) => checkPeer(p, ['network', 'links', i, 'between', j]));
    if (l.between[0] === l.between[1]) report(['network', 'links', i, 'between'], `a link needs two different peers, got '${l.between[0]}' twice`);
    const link: LinkSpec = { between: [l.between[0], l.between[1]] };
    if (l.latency) link.latency = latency(l.latency, ['network', 'links', i, 'latency']);
    if (l.loss !== undefined) link.loss = l.loss;
    return link;
  });

  const until = ms(raw.run.until, ['run', 'until']);
  const checkTime = (at: number, text: string, path: Path, what: string) => {
    if (at > until) report(path, `${what} at ${text} is after the end of the run (run.until ${raw.run.until})`);
  };

  // Late joiners.
  const started = new Set<string>();
  const lateJoiners: PeerStartSpec[] = raw.peers.start.map((s, i) => {
    checkPeer(s.peer, ['peers', 'start', i, 'peer']);
    if (started.has(s.peer)) report(['peers', 'start', i, 'peer'], `peer '${s.peer}' already has a start time`);
    started.add(s.peer);
    const at = ms(s.at, ['peers', 'start', i, 'at']);
    checkTime(at, s.at, ['peers', 'start', i, 'at'], 'start');
    return { peer: s.peer, at };
  });
  raw.peers.config.forEach((c, i) => {
    if (c.start === undefined) return;
    const ids = typeof c.peers === 'string' ? [c.peers] : c.peers;
    const at = ms(c.start, ['peers', 'config', i, 'start']);
    checkTime(at, c.start, ['peers', 'config', i, 'start'], 'start');
    for (const id of ids) {
      if (started.has(id)) report(['peers', 'config', i, 'start'], `peer '${id}' already has a start time`);
      started.add(id);
      lateJoiners.push({ peer: id, at });
    }
  });
  // Processing time: the network's, then each peers.config entry's, key by key.
  const processingOver = (base: ProcessingSpec, r: RawProcessing | undefined, path: Path): ProcessingSpec => {
    if (r === undefined) return base;
    const bounded = (text: string | undefined, key: Path, max: number, fallback: number) => {
      if (text === undefined) return fallback;
      const v = ms(text, [...path, ...key]);
      if (v > max) report([...path, ...key], `${key.join('.')} must be at most ${max >= 1000 ? `${max / 1000}s` : `${max}ms`}, got '${text}'`);
      return v;
    };
    return {
      handling: { median: bounded(r.handling?.median, ['handling', 'median'], 10_000, base.handling.median), sigma: r.handling?.sigma ?? base.handling.sigma },
      verify: bounded(r.verify, ['verify'], 1000, base.verify),
      sign: bounded(r.sign, ['sign'], 1000, base.sign),
    };
  };
  const processing = processingOver(DEFAULT_PROCESSING, raw.peers.processing, ['peers', 'processing']);
  const peerProcessing: Record<string, ProcessingSpec> = {};
  raw.peers.config.forEach((c, i) => {
    if (c.processing === undefined) return;
    for (const id of typeof c.peers === 'string' ? [c.peers] : c.peers) peerProcessing[id] = processingOver(peerProcessing[id] ?? processing, c.processing, ['peers', 'config', i, 'processing']);
  });
  const startWindow = ms(raw.peers.startWindow, ['peers', 'startWindow']);
  if (startWindow > MAX_START_WINDOW_MS) report(['peers', 'startWindow'], `startWindow must be at most 10m, got '${raw.peers.startWindow}'`);
  const certExpiry: PeerStartSpec[] = (raw.peers.certExpiry ?? []).map((s, i) => {
    checkPeer(s.peer, ['peers', 'certExpiry', i, 'peer']);
    const at = ms(s.at, ['peers', 'certExpiry', i, 'at']);
    // Fabric would run it (a certificate valid for longer than the run): say it never shows.
    if (at > until) warn(['peers', 'certExpiry', i, 'at'], `${s.peer}'s certificate expires at ${s.at}, after the run ends (run.until ${raw.run.until}): the expiry will not be seen`);
    return { peer: s.peer, at };
  });

  // Faults, sorted by time (stable: same-time faults keep the file's order).
  const runEnd = until;
  const linkWindows: { key: string; at: number; until: number; line: number; col: number }[] = [];
  const faults: FaultSpec[] = raw.faults.map((f, i) => {
    const at = ms(f.at, ['faults', i, 'at']);
    checkTime(at, f.at, ['faults', i, 'at'], 'fault');
    return { at, action: faultAction(f, ['faults', i]), pos: loc.pos(['faults', i]) };
  });
  faults.sort((a, b) => a.at - b.at);

  function faultAction(f: RawFault, path: Path): FaultAction {
    if (f.crash !== undefined) {
      checkPeer(f.crash, [...path, 'crash']);
      return { kind: 'crash', peer: f.crash };
    }
    if (f.restart !== undefined) {
      checkPeer(f.restart, [...path, 'restart']);
      return { kind: 'restart', peer: f.restart };
    }
    if (f.pause !== undefined) {
      checkPeer(f.pause, [...path, 'pause']);
      return { kind: 'pause', peer: f.pause };
    }
    if (f.resume !== undefined) {
      checkPeer(f.resume, [...path, 'resume']);
      return { kind: 'resume', peer: f.resume };
    }
    if (f.partition !== undefined) {
      checkPartition(f.partition, [...path, 'partition']);
      return { kind: 'partition', groups: f.partition.map((g) => [...g]) };
    }
    if (f.link !== undefined) return linkFault(f, f.link, path);
    if (f.tamper !== undefined) {
      const t = f.tamper;
      checkPeer(t.from, [...path, 'tamper', 'from']);
      if (t.to !== undefined) checkPeer(t.to, [...path, 'tamper', 'to']);
      if (t.type !== undefined && !MESSAGE_TYPES.includes(t.type)) {
        report([...path, 'tamper', 'type'], `unknown message type '${t.type}'${didYouMean(t.type, MESSAGE_TYPES)}`);
      } else {
        const never = tamperNeverTakes(t.mode, t.type ?? null);
        if (never !== null) report([...path, 'tamper', 'type'], never);
      }
      return { kind: 'tamper', rule: { from: t.from, to: t.to ?? null, type: t.type ?? null, mode: t.mode, count: t.count } };
    }
    if (f.expire !== undefined) {
      checkPeer(f.expire, [...path, 'expire']);
      return { kind: 'expire', peer: f.expire };
    }
    if (f.byzantine !== undefined) {
      const b = f.byzantine;
      const at = [...path, 'byzantine'];
      checkPeer(b.peer, [...at, 'peer']);
      const needsTarget = b.behaviour === 'forge-alive' || b.behaviour === 'replay-alive';
      if (needsTarget && b.target === undefined) report(at, `${b.behaviour} needs a target: the peer to impersonate`);
      if (b.target !== undefined) {
        checkPeer(b.target, [...at, 'target']);
        if (b.target === b.peer) report([...at, 'target'], 'a peer cannot impersonate itself');
      }
      if (b.behaviour === 'wrong-channel') {
        const org = orgs.find((o) => b.peer.endsWith(`.${o.name}`));
        const ch = raw.channels.find((c) => c.name === b.channel);
        if (b.channel === undefined) report(at, 'wrong-channel needs a channel: one the peer is not in');
        else if (ch === undefined) report([...at, 'channel'], `unknown channel '${b.channel}'${didYouMean(b.channel, raw.channels.map((c) => c.name))}`);
        else if (org !== undefined && ch.orgs.includes(org.mspId)) report([...at, 'channel'], `${b.peer} is in channel ${b.channel}: wrong-channel needs a channel its org is not in`);
      }
      return { kind: 'byzantine', peer: b.peer, behaviour: b.behaviour, target: b.target ?? null, channel: b.channel ?? null };
    }
    return { kind: 'heal' };
  }

  function linkFault(f: RawFault, l: NonNullable<RawFault['link']>, path: Path): FaultAction {
    const at = ms(f.at, [...path, 'at']);
    if (f.until === undefined) report([...path, 'link'], 'a link rule needs until: the end of its time window');
    const until = f.until === undefined ? at : ms(f.until, [...path, 'until']);
    if (f.until !== undefined && until <= at) report([...path, 'until'], `the window ends (${f.until}) before it starts (${f.at})`);
    if (f.until !== undefined && until > runEnd) report([...path, 'until'], `the window ends after the run (run.until is ${raw.run.until})`);
    if (l.between !== undefined) {
      l.between.forEach((id, j) => checkPeer(id, [...path, 'link', 'between', j]));
      if (l.between[0] === l.between[1]) report([...path, 'link', 'between'], 'a link joins two different peers');
    }
    const rule = {
      between: l.between ? ([l.between[0], l.between[1]] as [string, string]) : null,
      loss: l.loss ?? 0,
      delay: l.delay === undefined ? 0 : ms(l.delay, [...path, 'link', 'delay']),
      jitter: l.jitter === undefined ? 0 : ms(l.jitter, [...path, 'link', 'jitter']),
      duplicate: l.duplicate ?? 0,
      reorder: l.reorder ?? 0,
    };
    if (rule.loss === 0 && rule.delay === 0 && rule.jitter === 0 && rule.duplicate === 0 && rule.reorder === 0) {
      report([...path, 'link'], 'a link rule needs at least one of loss, delay, jitter, duplicate or reorder');
    }
    // Two rules on the same link at the same time would be ambiguous.
    const key = rule.between ? [...rule.between].sort().join('|') : '*';
    for (const w of linkWindows) {
      if (w.key === key && at < w.until && w.at < until) report([...path, 'at'], `this link rule overlaps the one at ${w.line}:${w.col} on the same link`);
    }
    const pos = loc.pos(path);
    linkWindows.push({ key, at, until, line: pos?.line ?? 0, col: pos?.col ?? 0 });
    return { kind: 'link', rule, until };
  }

  function checkPartition(groups: string[][], path: Path): void {
    const groupOf = new Map<string, number>();
    groups.forEach((g, gi) =>
      g.forEach((entry, ei) => {
        const org = orgs.find((o) => o.mspId === entry);
        const members = entry === 'orderer' ? ['orderer'] : org ? Array.from({ length: org.peers }, (_, p) => `peer${p}.${org.name}`) : peerIds.has(entry) ? [entry] : [];
        const p = [...path, gi, ei];
        if (members.length === 0) {
          report(p, `'${entry}' is neither an MSP ID, a peer id nor 'orderer'${didYouMean(entry, [...byMsp.keys(), ...peerIds, 'orderer'])}`);
          return;
        }
        const clash = members.find((m) => groupOf.has(m));
        if (clash !== undefined) {
          const which = groupOf.get(clash) === gi ? 'twice in the same group' : 'in two partition groups';
          report(p, entry === clash ? `peer '${clash}' is ${which}` : `'${entry}' puts peer '${clash}' ${which}`);
        }
        members.forEach((m) => groupOf.set(m, groupOf.get(m) ?? gi));
      }),
    );
  }

  // Configuration: the profile, then the scenario's overrides.
  const config = profileConfig(raw.profile);
  const configSources: Record<string, ConfigSource> = {};
  const gossipValue = fabricReading(ms, report, warn);
  if (raw.gossip) applyOverrides(config.gossip as unknown as Record<string, unknown>, raw.gossip, ['gossip'], gossipValue, (k) => (configSources[k] = 'network'));
  if (raw.deliveryclient?.blockGossipEnabled !== undefined) {
    config.deliveryclient.blockGossipEnabled = raw.deliveryclient.blockGossipEnabled;
  }
  checkLeadership(config, raw, report);
  const peerConfigs = buildPeerConfigs(raw, orgs, config, configSources, checkPeer, report, gossipValue);

  const scenario: Scenario = {
    expect: [],
    invariants: [],
    name: raw.name,
    file,
    seed: raw.seed,
    profile: raw.profile,
    orgs,
    channels: raw.channels.map((c) => ({ name: c.name, orgs: [...c.orgs], collections: (c.collections ?? []).map((col) => ({ ...col, memberOrgs: [...col.memberOrgs] })) })),
    orderer: {
      batchTimeout: ms(raw.orderer.batchTimeout, ['orderer', 'batchTimeout']),
      blocks: raw.orderer.blocks,
      txPerBlock: raw.orderer.txPerBlock,
      start: ms(raw.orderer.start, ['orderer', 'start']),
    },
    config,
    configSources,
    peerConfigs,
    network: { latency: latency(raw.network.latency, ['network', 'latency']), loss: raw.network.loss, links },
    lateJoiners,
    startWindow,
    processing,
    peerProcessing,
    certExpiry,
    faults,
    run: { until },
  };
  if (raw.description !== undefined) scenario.description = raw.description;
  scenario.expect = raw.expect.map((e, i): Expectation => {
    const path: Path = ['expect', i];
    const by = e.by === undefined ? until : ms(e.by, [...path, 'by']);
    if (e.by !== undefined) checkTime(by, e.by, [...path, 'by'], 'expectation');
    const org = (id: string, key: string) => {
      if (!byMsp.has(id)) report([...path, key], `unknown org '${id}'${didYouMean(id, byMsp.keys())}`);
      return id;
    };
    const channel = (name: string | undefined) => {
      if (name !== undefined && !raw.channels.some((c) => c.name === name)) report([...path, 'channel'], `unknown channel '${name}'`);
      return name ?? null;
    };
    let check: ExpectationCheck;
    if (e.height !== undefined) check = { kind: 'height', height: e.height, channel: channel(e.channel) };
    else if (e.dead !== undefined) (checkPeer(e.dead, [...path, 'dead']), (check = { kind: 'dead', peer: e.dead }));
    else if (e.alive !== undefined) (checkPeer(e.alive, [...path, 'alive']), (check = { kind: 'alive', peer: e.alive }));
    else if (e.leaderIn !== undefined) check = { kind: 'leaderIn', org: org(e.leaderIn, 'leaderIn'), channel: channel(e.channel) };
    else if (e.rejected !== undefined) check = { kind: 'rejected', text: e.rejected };
    else if (e.noPrivateDataAt !== undefined) check = { kind: 'noPrivateDataAt', org: org(e.noPrivateDataAt, 'noPrivateDataAt') };
    else if (e.behind !== undefined) (checkPeer(e.behind, [...path, 'behind']), (check = { kind: 'behind', peer: e.behind }));
    else check = { kind: 'converged' };
    return { check, by, text: e.text ?? describeCheck(check, by), pos: loc.pos(path) };
  });
  // Invariants: queries checked before any network runs, so a typo is a file:line:col error.
  const known = {
    functions: Object.keys(FUNCTIONS),
    variables: Object.keys(VARIABLES),
    names: [...peerIds, ...channelNames, ...orgs.flatMap((o) => [o.mspId, o.name])],
  };
  scenario.invariants = (raw.invariants ?? []).map((inv, i): Invariant => {
    const path: Path = ['invariants', i, 'holds'];
    for (const e of staticProblems(inv.holds, known)) problems.push({ pos: loc.posIn(path, e.offset), message: `invariant: ${e.message}` });
    return { holds: inv.holds, name: inv.name ?? inv.holds, pos: loc.pos(['invariants', i]) };
  });
  if (problems.length === 0) {
    // The run's cost, once everything it depends on is known to be valid.
    const cost = runCostProblem(scenario);
    if (cost !== undefined) report(['run', 'until'], cost);
    const ptx = peerTransactions(scenario);
    if (ptx > LIMITS.peerTransactions.max) {
      report(['orderer', 'blocks'], `the peers would commit ${ptx.toLocaleString('en-US')} transactions in all (blocks × txPerBlock × the peers of each channel); a run commits ${atMost('peerTransactions')}`);
    }
  }
  if (warnings.length > 0) scenario.warnings = sortDiagnostics(warnings);
  return problems.length > 0 ? { problems } : { scenario, problems };
}

/** Transactions committed over all peers: each channel's blocks on each of its members. */
function peerTransactions(s: Scenario): number {
  let n = 0;
  for (const ch of s.channels) {
    const members = s.orgs.filter((o) => ch.orgs.includes(o.mspId)).reduce((k, o) => k + o.peers, 0);
    const tx = s.orderer.txPerBlock + ch.collections.reduce((k, c) => k + c.txPerBlock, 0);
    n += Math.max(members, 1) * s.orderer.blocks * tx;
  }
  return n;
}

/** Reads one `gossip:` leaf the way Fabric would; `quiet` for the repeats of one entry (reported once). */
type GossipValue = (key: string, value: unknown, path: Path, quiet: boolean) => { value: unknown; zero?: (fabricValue: number) => void };

/**
 * Fabric's reading of `peer.gossip.*` values: a 0 duration or count read with GetDurationOrDefault /
 * GetIntOrDefault means "unset" and takes the code default (said as a warning, since Fabric does it
 * silently); a duration Go would truncate to 0 (below 1ns) counts as 0; any other non-zero duration
 * must be a period the millisecond clock can run. state.checkInterval 0 is refused: Fabric keeps it
 * and its anti-entropy loop spins.
 */
function fabricReading(
  ms: (text: string, path: Path) => number,
  report: (path: Path, message: string) => void,
  warn: (path: Path, message: string) => void,
): GossipValue {
  return (key, value, path, quiet) => {
    const say = quiet ? () => {} : report;
    if (!DURATION_KEYS.has(key)) {
      if (value !== 0 || !INT_ZERO_IS_DEFAULT.has(key)) return { value };
      return { value, zero: (d) => quiet || warn(path, `${key}: 0 is unset to Fabric (GetIntOrDefault), which uses its default ${d} instead; so does this run`) };
    }
    const text = String(value);
    const v = quiet ? quietMs(text) : ms(text, path);
    const subNs = v > 0 && v < 1e-6;
    if (v !== 0 && !subNs) {
      // A negative one was said already by ms(): once is enough.
      if (v > 0 && v < MIN_PERIOD_MS) say(path, `${key} must be 0 (Fabric's default) or between ${MIN_PERIOD_MS}ms and ${showMs(LIMITS.duration.max)}, got '${clip(text)}' (the clock counts milliseconds)`);
      return { value: v };
    }
    const rule = zeroRule(key);
    if (rule === 'literal') return { value: 0 };
    if (rule === 'refuse') {
      say(path, `${key} must be between ${MIN_PERIOD_MS}ms and ${showMs(LIMITS.duration.max)}, got '${clip(text)}' (Fabric keeps 0 here and its anti-entropy loop then spins without pause)`);
      return { value: 0 };
    }
    const why = `${subNs ? `'${clip(text)}' is 0 to Go (below 1ns), and ` : ''}0 is unset to Fabric (GetDurationOrDefault)`;
    return { value: 0, zero: (d) => quiet || warn(path, `${key}: ${why}, which uses its default ${formatDuration(d)} instead; so does this run`) };
  };
}

/** Replaces each 0 that Fabric reads as unset by its code default, in Fabric's order (some derive from others). */
function resolveZeros(target: Record<string, unknown>, zeros: { key: string; said: (fabricValue: number) => void }[]): void {
  if (zeros.length === 0) return;
  const get = (k: string) => k.split('.').reduce<unknown>((o, s) => (o as Record<string, unknown>)[s], target);
  const setLeaf = (k: string, v: unknown) => {
    const parts = k.split('.');
    const parent = parts.slice(0, -1).reduce<unknown>((o, s) => (o as Record<string, unknown>)[s], target) as Record<string, unknown>;
    parent[parts[parts.length - 1]] = v;
  };
  const order = ['aliveTimeInterval', 'aliveExpirationTimeout', 'reconnectInterval'];
  const rank = (k: string) => order.indexOf(k) + 1 || 99;
  for (const { key: k, said } of [...zeros].sort((a, b) => rank(a.key) - rank(b.key))) {
    const read = new Map<string, number | boolean>([
      ['aliveTimeInterval', get('aliveTimeInterval') as number],
      ['aliveExpirationTimeout', get('aliveExpirationTimeout') as number],
    ]);
    // A 0 alive interval has already been replaced (it sorts first), so derived defaults see Fabric's value.
    const value = k === 'pvtData.reconcileBatchSize' ? 10 : k === 'pvtData.reconcileSleepInterval' ? 60_000 : (codeDefault(k, read).value as number);
    setLeaf(k, value);
    said(value);
  }
}

/** Copies `gossip:` values onto a config as Fabric reads them (durations by core.yaml path, in ms); `set` hears each key set. */
function applyOverrides(target: Record<string, unknown>, source: Record<string, unknown>, at: Path, read: GossipValue, set: (key: string) => void, quiet = false): void {
  const zeros: { key: string; said: (fabricValue: number) => void }[] = [];
  const copy = (into: Record<string, unknown>, from: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(from)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (value !== null && typeof value === 'object') copy(into[key] as Record<string, unknown>, value as Record<string, unknown>, path);
      else {
        const r = read(path, value, [...at, ...path.split('.')], quiet);
        into[key] = r.value;
        if (r.zero) zeros.push({ key: path, said: r.zero });
        set(path);
      }
    }
  };
  copy(target, source, '');
  resolveZeros(target, zeros);
}

/**
 * Each peer's own core.yaml: the network's `gossip:`, then its org's, then every `peers.config`
 * entry naming it, in file order. Only peers with an org or peer value of their own get an entry.
 */
function buildPeerConfigs(
  raw: RawScenario,
  orgs: OrgSpec[],
  network: EffectiveConfig,
  networkSources: Record<string, ConfigSource>,
  checkPeer: (id: string, path: Path) => void,
  report: (path: Path, message: string, which?: 'key' | 'value') => void,
  read: GossipValue,
): Record<string, PeerConfig> {
  const out: Record<string, PeerConfig> = {};
  const forPeer = (id: string): PeerConfig => (out[id] ??= { config: structuredClone(network), sources: { ...networkSources } });
  raw.orgs.forEach((o, i) => {
    if (o.gossip === undefined) return;
    const org = orgs[i];
    for (let p = 0; p < org.peers; p++) {
      const pc = forPeer(`peer${p}.${org.name}`);
      applyOverrides(pc.config.gossip as unknown as Record<string, unknown>, o.gossip, ['orgs', i, 'gossip'], read, (k) => (pc.sources[k] = 'org'), p > 0);
    }
  });
  raw.peers.config.forEach((c, i) => {
    const ids = typeof c.peers === 'string' ? [c.peers] : c.peers;
    ids.forEach((id, j) => checkPeer(id, typeof c.peers === 'string' ? ['peers', 'config', i, 'peers'] : ['peers', 'config', i, 'peers', j]));
    if (c.gossip === undefined) return;
    ids.forEach((id, j) => {
      const pc = forPeer(id);
      applyOverrides(pc.config.gossip as unknown as Record<string, unknown>, c.gossip!, ['peers', 'config', i, 'gossip'], read, (k) => (pc.sources[k] = 'peer'), j > 0);
    });
  });
  for (const [id, pc] of Object.entries(out)) {
    const g = pc.config.gossip;
    if (!(g.useLeaderElection && g.orgLeader)) continue;
    const entry = raw.peers.config.findIndex((c) => (typeof c.peers === 'string' ? c.peers === id : c.peers.includes(id)) && c.gossip !== undefined);
    const org = orgs.findIndex((o) => id.endsWith(`.${o.name}`));
    const where: Path = entry >= 0 ? ['peers', 'config', entry, 'gossip'] : ['orgs', org, 'gossip'];
    report(where, `${id} would have useLeaderElection and orgLeader both true; Fabric refuses this: set the other one to false for it`);
  }
  return out;
}

/** Parses a duration already checked (and reported) for the first peer of the same entry. */
const quietMs = (text: string): number => parseDuration(text.replace(/^[-+]/, '')) ?? 0;

/** Fabric refuses to start with both set ("isn't supported, aborting execution"). */
function checkLeadership(config: EffectiveConfig, raw: RawScenario, report: (path: Path, message: string, which?: 'key' | 'value') => void) {
  if (!(config.gossip.useLeaderElection && config.gossip.orgLeader)) return;
  const setByUser = raw.gossip?.useLeaderElection !== undefined ? 'useLeaderElection' : raw.gossip?.orgLeader !== undefined ? 'orgLeader' : undefined;
  report(
    setByUser ? ['gossip', setByUser] : ['profile'],
    `useLeaderElection and orgLeader are both true (profile ${raw.profile}${setByUser ? ` with gossip.${setByUser}` : ''}); Fabric refuses this: set the other one to false`,
  );
}

/** The words for an expectation the lesson did not word itself. */
function describeCheck(c: ExpectationCheck, by: number): string {
  const when = `by ${by / 1000}s`;
  switch (c.kind) {
    case 'height':
      return `every live peer reaches height ${c.height}${c.channel ? ` on ${c.channel}` : ''} ${when}`;
    case 'dead':
      return `${c.peer} is declared dead by every live peer ${when}`;
    case 'alive':
      return `every live peer sees ${c.peer} alive ${when}`;
    case 'leaderIn':
      return `${c.org} has a leader${c.channel ? ` on ${c.channel}` : ''} ${when}`;
    case 'converged':
      return `the network has converged ${when}`;
    case 'rejected':
      return `a message is rejected with "${c.text}" ${when}`;
    case 'noPrivateDataAt':
      return `no private data ever reaches ${c.org}`;
    case 'behind':
      return `${c.peer} is behind ${when}`;
  }
}
