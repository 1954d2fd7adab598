/**
 * A trace in ShiViz's log format (bestchai.bitbucket.io/shiviz, "What is the input log format"):
 * the first line is the parsing regular expression (ShiViz's default one, written out), the
 * second the multiple-executions delimiter (empty: one execution), then two lines per event:
 * its description, and `host {"host": n, ...}`, the host's vector clock as JSON. ShiViz needs
 * each host in its own clock, counting 1, 2, 3 ... by one per event; a receipt's clock takes in
 * its send's (happened-before), which is how ShiViz draws the message between them.
 */
import type { TraceEvent } from './events.js';

export const SHIVIZ_REGEX = '(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})';

/** ShiViz host names match `\S*`: a name with spaces would break the parse. */
function hostName(name: string): string {
  return name.replace(/\s+/g, '_') || 'unnamed';
}

function describe(e: TraceEvent, names: (i: number | undefined) => string): string {
  const parts: string[] = [e.kind];
  if (e.type) parts.push(e.type);
  if (e.other !== undefined) parts.push(e.kind === 'send' || e.kind === 'drop' ? `to ${names(e.other)}` : `from ${names(e.other)}`);
  if (e.reason) parts.push(`: ${e.reason}`);
  parts.push(`[t=${e.t}ms event ${e.id}${e.msg !== undefined ? ` msg ${e.msg}` : ''}]`);
  return parts.join(' ').replace(/[\r\n]+/g, ' ');
}

export function toShiViz(events: Iterable<TraceEvent>, peers: string[]): string {
  const hosts = peers.map(hostName);
  const orderer = 'orderer';
  const host = (i: number) => (i < 0 ? orderer : hosts[i] ?? `peer${i}`);
  const names = (i: number | undefined) => (i === undefined ? '?' : host(i));
  const clocks = new Map<string, Record<string, number>>();
  const sent = new Map<string, Record<string, number>>();
  const out: string[] = [SHIVIZ_REGEX, ''];
  for (const e of events) {
    const h = host(e.peer);
    const clock = { ...(clocks.get(h) ?? {}) };
    if (e.kind === 'deliver' || e.kind === 'reject' || e.kind === 'verify') {
      const from = e.msg !== undefined && e.other !== undefined ? sent.get(`${e.msg}|${e.other}|${e.peer}`) : undefined;
      if (from) for (const [k, v] of Object.entries(from)) clock[k] = Math.max(clock[k] ?? 0, v);
    }
    clock[h] = (clock[h] ?? 0) + 1;
    clocks.set(h, clock);
    if (e.kind === 'send' && e.msg !== undefined && e.other !== undefined) sent.set(`${e.msg}|${e.peer}|${e.other}`, clock);
    out.push(describe(e, names), `${h} ${JSON.stringify(clock)}`);
  }
  return out.join('\n') + '\n';
}

/** Export paths that ask for ShiViz's format rather than JSON Lines: `run.shiviz`, `run.shiviz.txt`. */
export function isShiVizPath(path: string): boolean {
  return /\.shiviz(\.txt|\.log)?$/i.test(path);
}
