/**
 * "Show me": a finding's consequence measured in the engine. The network's own files are imported
 * (engine/import) with the mistake and, when the finding carries a mechanical edit, again with it
 * fixed; both run side by side and every peer's membership and height are sampled each simulated
 * second. The consequence is the first moment a peer lacks, to the end of the run, what the fixed
 * network gives it (a member, blocks). Without a fix to compare with, it is a member a peer never
 * holds or a height that stays below the others'. Nothing is claimed that the run does not show.
 */
import { hex } from '../fabric/message.js';
import { importNetwork, type NetworkFile } from '../import/network.js';
import { yamlString } from '../import/scenario-text.js';
import { ImportError } from '../import/yaml-source.js';
import { loadScenario } from '../scenario/load.js';
import { Simulation } from '../sim/simulation.js';
import type { Finding, FindingEdit } from './finding.js';

/** How often peers' state is looked at, in simulated ms. */
const SAMPLE_MS = 1000;

export interface Consequence {
  /** Simulated ms at which it shows; undefined when the run shows none. */
  at?: number;
  /** What shows, one sentence: "at 1 s peer0.org2's membership lacks peer1.org1 …". */
  sentence: string;
  /** The peer to look at (scenario id, peer0.org2), when one. */
  peer?: string;
  /** The network with the mistake, as a scenario text whose description says what to look at. */
  scenario: string;
  /** The same with the finding's edit applied (absent when it has no mechanical fix). */
  fixed?: string;
  /** How long both were run, in simulated ms. */
  until: number;
}

/** One moment of one run: each peer's members and height (on its first channel). */
interface Sample {
  t: number;
  members: Map<string, Set<string>>;
  height: Map<string, number>;
}

/** The files with an edit applied, as VS Code's WorkspaceEdit would (positions 1-based). */
export function applyFindingEdit(files: NetworkFile[], e: FindingEdit): NetworkFile[] {
  if (!files.some((f) => f.path === e.file)) throw new Error(`the fix edits ${e.file}, which is not among the network's files`);
  return files.map((f) => {
    if (f.path !== e.file) return f;
    const lines = f.text.split('\n');
    if (e.line < 1 || e.line > lines.length + 1) throw new Error(`the fix edits ${e.file}:${e.line}, past its end`);
    const offset = lines.slice(0, e.line - 1).reduce((n, l) => n + l.length + 1, 0) + e.col - 1;
    return { path: f.path, text: f.text.slice(0, offset) + e.text + f.text.slice(offset + e.length) };
  });
}

/** Thrown when the files cannot run in the engine (the import refuses them): says why, where. */
export class ShowMeError extends Error {}

function imported(files: NetworkFile[], name: string, what: string) {
  try {
    return importNetwork(files, { name });
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    const d = e.diagnostics[0];
    throw new ShowMeError(`${what} cannot run in the simulator: ${d ? `${d.file}:${d.line}:${d.col}: ${d.message}` : e.message}`);
  }
}

async function samples(text: string, until: number): Promise<{ peers: string[]; at: Sample[] }> {
  const sim = await Simulation.create(loadScenario(text, 'imported scenario'), { traceCapacity: 16 });
  sim.start();
  const byPki = new Map(sim.peers.map((p) => [hex(p.identity.pkiId), p.id]));
  const at: Sample[] = [];
  for (let t = SAMPLE_MS; t <= until; t += SAMPLE_MS) {
    sim.runUntil(t);
    const members = new Map<string, Set<string>>();
    const height = new Map<string, number>();
    for (const p of sim.peers) {
      const node = p.running ? p.node : undefined;
      members.set(p.id, new Set(node ? node.disc.getMembership().map((m) => byPki.get(m.pkiHex) ?? m.pkiHex) : []));
      height.set(p.id, p.ledgers.get(p.channels[0])?.height ?? 0);
    }
    at.push({ t, members, height });
  }
  return { peers: sim.peers.map((p) => p.id), at };
}

const secs = (ms: number) => `${ms / 1000} s`;

/** Runs the network with the mistake (and with its fix) and says when and how the mistake shows. */
export async function consequenceOf(finding: Finding, files: NetworkFile[], opts: { until?: number } = {}): Promise<Consequence> {
  const broken = imported(files, `${finding.rule} with the mistake`, 'the network as written');
  const until = opts.until ?? broken.scenario.run.until;
  const fixedText = finding.edit ? imported(applyFindingEdit(files, finding.edit), `${finding.rule} fixed`, `the network with "${finding.edit.title}"`).text : undefined;
  const a = await samples(broken.text, until);
  const b = fixedText === undefined ? undefined : await samples(fixedText, until);
  const found = b ? againstFix(a.peers, a.at, b.at, finding.affected[0]) : againstAll(a.peers, a.at);
  const end = secs(until);
  const none = b ? 'no peer lacks, to the end of the run, a member or a block that the fixed network gives it' : 'every peer holds every other and reaches the same height';
  const sentence = found?.sentence ?? `in this network the mistake shows no consequence in gossip within ${end}: ${none}`;
  const note = (t: string) => `${t}\n\ndescription: ${yamlString(`Fabric Doctor, Show me: ${finding.what}\n\nWhat to look at: ${sentence}.\n\nFabric: ${finding.fabric.effect}. Fix: ${finding.fix}.`)}\n`;
  return { at: found?.t, sentence, peer: found?.peer, scenario: note(broken.text), fixed: fixedText === undefined ? undefined : note(fixedText), until };
}

interface Found {
  t: number;
  peer: string;
  sentence: string;
}

/**
 * The first moment the fixed run gives a peer something the broken run lacks from then to its end;
 * at one moment, a gap about the finding's own peer (its first affected, peer1.org1.example.com) first.
 */
function againstFix(peers: string[], a: Sample[], b: Sample[], subject: string | undefined): Found | undefined {
  const last = a.length - 1;
  const end = secs(a[last].t);
  const about = (q: string) => subject !== undefined && (subject === q || subject.startsWith(`${q}.`));
  for (let i = 0; i <= last; i++) {
    const gaps: (Found & { q?: string })[] = [];
    for (const p of peers) {
      for (const q of b[i].members.get(p) ?? []) {
        if (a.slice(i).every((s) => !s.members.get(p)?.has(q))) {
          gaps.push({ q, t: a[i].t, peer: p, sentence: `at ${secs(a[i].t)} ${p}'s membership lacks ${q}, which it holds by then with the fix, and at ${end} it still lacks it` });
        }
      }
      const h = a[i].height.get(p)!;
      if (b[i].height.get(p)! > h && a[last].height.get(p)! < b[last].height.get(p)!) {
        gaps.push({ t: a[i].t, peer: p, sentence: `at ${secs(a[i].t)} ${p}'s height is ${h} where with the fix it is ${b[i].height.get(p)}, and at ${end} it is ${a[last].height.get(p)} (${b[last].height.get(p)} with the fix)` });
      }
    }
    const pick = gaps.find((g) => g.q !== undefined && about(g.q)) ?? gaps.find((g) => about(g.peer)) ?? gaps[0];
    if (pick) return { t: pick.t, peer: pick.peer, sentence: pick.sentence };
  }
  return undefined;
}

/** Without a fix: a peer that never holds another to the end, or whose height stays below the others'. */
function againstAll(peers: string[], a: Sample[]): Found | undefined {
  const last = a[a.length - 1];
  const end = secs(last.t);
  for (const p of peers) {
    for (const q of peers) {
      if (q !== p && !last.members.get(p)?.has(q)) return { t: last.t, peer: p, sentence: `at ${end} ${p}'s membership still lacks ${q}` };
    }
  }
  const top = Math.max(...last.height.values());
  for (const p of peers) {
    const h = last.height.get(p)!;
    if (h < top) {
      const since = a.find((s) => Math.max(...s.height.values()) > h)!;
      return { t: since.t, peer: p, sentence: `at ${secs(since.t)} another peer is past ${p}'s height, and ${p}'s height stays at ${h} to ${end} while others reach ${top}` };
    }
  }
  return undefined;
}
