/**
 * A decoded message as a collapsible tree: objects and arrays are <details> (the first levels
 * open), leaves are "key: value". Long values (hex of certificates, payloads) are cut, with the
 * whole value one click away, so a 4 KB block does not flood the inspector.
 */
import { el } from './dom.js';

const OPEN_DEPTH = 2;
const SHORT = 96;

export function fieldTree(v: unknown, key: string, depth = 0): HTMLElement {
  if (v === null || typeof v !== 'object') return leaf(key, v);
  const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v as Record<string, unknown>);
  const summary = Array.isArray(v) ? `${key} [${v.length}]` : entries.length === 0 ? `${key} {}` : key;
  const d = el('details', depth < OPEN_DEPTH ? { open: '' } : {}, el('summary', {}, summary));
  for (const [k, x] of entries) d.append(fieldTree(x, k, depth + 1));
  return d;
}

function leaf(key: string, v: unknown): HTMLElement {
  const text = v === undefined ? 'undefined' : typeof v === 'string' ? v : String(v);
  const k = el('span', { class: 'key' }, `${key}: `);
  if (text.length <= SHORT) return el('div', { class: 'leaf' }, k, el('span', { class: `value ${typeof v}` }, text));
  // Cut long values; <details> shows the rest without any script.
  return el('div', { class: 'leaf' }, k, el('details', { class: 'long' }, el('summary', { class: 'value' }, `${text.slice(0, SHORT)}… (${text.length} chars)`), el('div', { class: 'mono full' }, text)));
}
