// The webview page's security: only this load's nonce runs scripts, nothing remote is allowed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentSecurityPolicy, webviewHtml } from '../../extension/webview-html.js';

const SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

test('the page loads the bundle with a nonce under a strict Content-Security-Policy', () => {
  const html = webviewHtml({ cspSource: SOURCE, scriptUri: `${SOURCE}/dist/webview.js`, styleUri: `${SOURCE}/dist/webview.css`, nonce: 'abc123' });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
  assert.equal(csp, contentSecurityPolicy(SOURCE, 'abc123'));
  assert.match(csp!, /default-src 'none'/);
  assert.match(csp!, /script-src 'nonce-abc123'(;|$)/);
  assert.doesNotMatch(csp!, /unsafe-inline|unsafe-eval|https?:\/\/(?!file\+)/);
  // The bundle, after the nonce'd inline loader that fetches it again if it fails (a service
  // worker not yet in control, in VS Code for the Web).
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
  assert.deepEqual(scripts, [' nonce="abc123"', ` nonce="abc123" src="${SOURCE}/dist/webview.js"`]);
  assert.ok(html.includes(`<link rel="stylesheet" href="${SOURCE}/dist/webview.css"`));
});

test('every load gets a fresh nonce', () => {
  const nonceOf = (html: string) => /nonce-([^';]+)/.exec(html)?.[1];
  const a = webviewHtml({ cspSource: SOURCE, scriptUri: 'a.js', styleUri: 'a.css' });
  const b = webviewHtml({ cspSource: SOURCE, scriptUri: 'a.js', styleUri: 'a.css' });
  assert.notEqual(nonceOf(a), nonceOf(b));
  assert.ok(nonceOf(a)!.length >= 16);
});
