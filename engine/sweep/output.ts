/** A sweep written out: CSV (one row per run), a text table (one row per combination, mean over seeds), the report's data. */
import { SCALAR_NAMES, type ReportData, type Scalars, type Sweep } from '../figures/types.js';
import { reportHtml } from '../report/html.js';

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function sweepCsv(s: Sweep): string {
  const head = [...s.params.map((p) => p.name), 'seed', 'traceHash', 'events', ...SCALAR_NAMES];
  const rows = s.runs.map((r) => [...s.params.map((p) => r.values[p.name]), r.seed, r.traceHash, r.events, ...SCALAR_NAMES.map((k) => r.scalars[k])]);
  return [head, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

const TABLE_COLUMNS: [keyof Scalars, string][] = [
  ['pushReach', 'push reach'],
  ['pullShare', 'pull'],
  ['coverage', 'coverage'],
  ['latencyP50', 'p50 ms'],
  ['latencyP99', 'p99 ms'],
  ['dataMessagesPerBlock', 'DataMsg/block'],
  ['messagesPerBlock', 'msgs/block'],
];

/** Mean over seeds, with the spread (min–max) where the seeds differ. */
export function sweepTable(s: Sweep): string {
  const groups = new Map<string, Sweep['runs']>();
  for (const r of s.runs) {
    const k = s.params.map((p) => String(r.values[p.name])).join('\u0000');
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const head = [...s.params.map((p) => p.name), ...TABLE_COLUMNS.map(([, h]) => h)];
  const rows = [...groups.values()].map((runs) => [
    ...s.params.map((p) => String(runs[0].values[p.name])),
    ...TABLE_COLUMNS.map(([k]) => {
      const xs = runs.map((r) => r.scalars[k]).filter((x): x is number => x !== null);
      if (xs.length === 0) return '—';
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const fmt = (x: number) => (Math.abs(x) < 10 ? x.toFixed(3) : x.toFixed(0));
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      return lo === hi ? fmt(mean) : `${fmt(mean)} (${fmt(lo)}–${fmt(hi)})`;
    }),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function sweepReportData(s: Sweep, file: string): ReportData {
  return {
    kind: 'sweep',
    title: `Gossip Scope sweep: ${s.scenario}`,
    facts: [
      ['scenario', `${s.scenario} (${file})`],
      ...s.params.map((p): [string, string] => [`swept ${p.name}`, p.values.join(', ')]),
      ['seeds', s.seeds.join(', ')],
      ['runs', String(s.runs.length)],
    ],
    sweep: s,
  };
}

/** The three files a sweep is saved as (the CLI's --out folder, VS Code's Save…): name and text. */
export function sweepFiles(s: Sweep, scenarioFile: string): { name: 'sweep.csv' | 'sweep.json' | 'sweep.html'; text: string }[] {
  return [
    { name: 'sweep.csv', text: sweepCsv(s) },
    { name: 'sweep.json', text: JSON.stringify(s, null, 1) },
    { name: 'sweep.html', text: reportHtml(sweepReportData(s, scenarioFile)) },
  ];
}
