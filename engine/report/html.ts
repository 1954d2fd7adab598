/**
 * One self-contained HTML report: the report page's script and styles (uPlot inside them)
 * inlined, the figures as JSON beside them. No network, no other file: it opens from disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportData } from '../figures/types.js';

/** The report page bundle (dist/report-page.*): beside this bundle, or in dist/ when run from source. */
function pageAsset(ext: 'js' | 'css'): string {
  const candidates = [join(__dirname, `report-page.${ext}`), join(__dirname, '..', '..', 'dist', `report-page.${ext}`)];
  const file = candidates.find((f) => existsSync(f));
  if (file === undefined) throw new Error(`the report page (report-page.${ext}) is not built: run node scripts/build.mjs`);
  return readFileSync(file, 'utf8');
}

/** JSON safe inside <script>: no '</script>', no '<!--'. */
const scriptSafe = (s: string): string => s.replace(/</g, '\\u003c');

export interface ReportOptions {
  /** A nonce for the inline script and style (a VS Code webview's CSP). */
  nonce?: string;
}

export function reportHtml(data: ReportData, opts: ReportOptions = {}): string {
  const title = data.title;
  const n = opts.nonce === undefined ? '' : ` nonce="${opts.nonce}"`;
  const csp = opts.nonce === undefined ? "style-src 'unsafe-inline'; script-src 'unsafe-inline'" : `style-src 'nonce-${opts.nonce}'; script-src 'nonce-${opts.nonce}'`;
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; ${csp}">
<title>${esc(title)}</title>
<style${n}>${pageAsset('css')}</style>
</head>
<body>
<main id="report"></main>
<script type="application/json" id="gossip-scope-data">${scriptSafe(JSON.stringify(data))}</script>
<script${n}>${pageAsset('js')}</script>
</body>
</html>
`;
}
