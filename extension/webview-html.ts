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

/**
 * In VS Code for the Web (code-server), the bundle and stylesheet are fetched through the
 * webview's service worker; when the page loads before that worker is in control, the fetch goes
 * to the network and fails (net::ERR_NAME_NOT_RESOLVED offline), leaving "Loading…" for good. A
 * failed script or stylesheet is fetched again, a few times with growing pauses, and if it still
 * fails the page says so instead of waiting for ever. Resource errors do not bubble: listen in
 * the capture phase.
 */
const RETRY_LOADS = `(() => {
  const tries = new Map();
  addEventListener('error', (e) => {
    const el = e.target;
    if (!(el instanceof HTMLScriptElement || el instanceof HTMLLinkElement)) return;
    const url = el.src || el.href;
    const n = (tries.get(url) || 0) + 1;
    tries.set(url, n);
    if (n > 8) {
      const app = document.getElementById('app');
      if (app) app.textContent = 'Gossip Scope could not load ' + url + '. Close this panel and open it again, or reload the window.';
      return;
    }
    setTimeout(() => {
      const again = document.createElement(el.tagName);
      for (const a of el.attributes) again.setAttribute(a.name, a.value);
      again.nonce = el.nonce;
      el.replaceWith(again);
    }, 250 * n);
  }, true);
})();`;

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
  <script nonce="${nonce}">${RETRY_LOADS}</script>
  <script nonce="${nonce}" src="${escapeAttr(scriptUri)}"></script>
</body>
</html>
`;
}
