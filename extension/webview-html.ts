/**
 * The webview's page: the bundled script and stylesheet, nothing remote, and a
 * Content-Security-Policy that lets only this load's nonce run scripts. No `vscode` import, so
 * tests can check the policy.
 */
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlInput {
  /** webview.cspSource: the origin the webview serves local resources from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce?: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data: blob:`,
    // Fonts (codicons) may be inlined in the bundle's CSS as data: URLs.
    `font-src ${cspSource} data:`,
    // Layout may run in a worker built from the bundle (a blob: URL); nothing is fetched.
    'worker-src blob:',
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function webviewHtml({ cspSource, scriptUri, styleUri, nonce = newNonce() }: WebviewHtmlInput): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(cspSource, nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeAttr(styleUri)}" nonce="${nonce}">
  <title>Gossip Scope</title>
</head>
<body>
  <div id="app"><p class="gossip-scope-loading">Loading Gossip Scope…</p></div>
  <script nonce="${nonce}" src="${escapeAttr(scriptUri)}"></script>
</body>
</html>
`;
}
