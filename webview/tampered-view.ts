/**
 * The inspector's account of a message a tamper fault altered in flight, copy by copy: the
 * envelope as sent and as received, the bytes that changed, and what the receiver did with it
 * (refused, and why; or took it in).
 */
import type { UiEvent, UiTamperedCopy } from '../extension/protocol.js';
import { noteOnReason } from '../extension/reason-notes.js';
import { el, secs } from './dom.js';

const BYTES_PER_LINE = 16;

/**
 * A hex dump with the bytes [at, at + len) marked. `lines`: only the lines around the change
 * (one either side), or all of them.
 */
export function markedDump(hex: string, at: number, len: number, lines: 'around' | 'all', testid: string): HTMLElement {
  const total = hex.length / 2;
  const first = lines === 'all' ? 0 : Math.max(0, Math.floor(at / BYTES_PER_LINE) - 1);
  const last = lines === 'all' ? Math.ceil(total / BYTES_PER_LINE) - 1 : Math.min(Math.ceil(total / BYTES_PER_LINE) - 1, Math.floor((at + Math.max(len, 1) - 1) / BYTES_PER_LINE) + 1);
  const pre = el('pre', { class: 'mono hex', 'data-testid': testid });
  if (first > 0) pre.append(el('span', { class: 'hint' }, '…\n'));
  for (let line = first; line <= last; line++) {
    const start = line * BYTES_PER_LINE;
    pre.append(`${start.toString(16).padStart(5, '0')}  `);
    for (let i = start; i < Math.min(total, start + BYTES_PER_LINE); i++) {
      const byte = hex.slice(2 * i, 2 * i + 2);
      const sep = i + 1 < Math.min(total, start + BYTES_PER_LINE) ? ' ' : '';
      if (i >= at && i < at + len) pre.append(el('mark', { class: 'changed-byte' }, byte), sep);
      else pre.append(byte + sep);
    }
    pre.append('\n');
  }
  if (last < Math.ceil(total / BYTES_PER_LINE) - 1) pre.append(el('span', { class: 'hint' }, '…'));
  return pre;
}

/** What changed, in words: "envelope byte 0x2a: 3f → 3e" or "72 bytes removed at byte 0x31c". */
export function changeWords(c: UiTamperedCopy['changed']): string {
  const sent = c.sentHex.length / 2;
  const received = c.receivedHex.length / 2;
  const where = `byte ${c.at} (0x${c.at.toString(16)})`;
  if (received === 0) return `${sent} byte${sent === 1 ? '' : 's'} removed at envelope ${where}`;
  if (sent === 0) return `${received} byte${received === 1 ? '' : 's'} inserted at envelope ${where}`;
  const spaced = (h: string) => h.replace(/(..)(?=.)/g, '$1 ');
  return `envelope ${where}${sent > 1 ? ` and the ${sent - 1} after it` : ''}: ${spaced(c.sentHex)} → ${spaced(c.receivedHex)}`;
}

/** The receiver's answer to one tampered copy, from the events of the message's journey. */
function outcome(copy: UiTamperedCopy, journey: readonly UiEvent[], name: (i: number) => string): HTMLElement {
  const at = journey.filter((e) => e.peer === copy.to && e.other === copy.from && e.t >= copy.t);
  const reject = at.find((e) => e.kind === 'reject');
  const failed = at.find((e) => e.kind === 'verify' && e.reason !== 'valid');
  const why = reject?.reason ?? failed?.reason;
  const li = el('div', { 'data-testid': 'tamper-outcome' });
  if (why !== undefined) {
    li.append(el('span', { class: 'bad' }, `✗ ${name(copy.to)} refused it: ${why}`));
    const note = noteOnReason(why);
    if (note) li.append(el('p', { class: 'hint' }, note));
    if (!copy.decodes) li.append(el('p', { class: 'hint' }, 'The changed bytes no longer decode as a GossipMessage: the receiver could not even read it, so no signature was checked.'));
    return li;
  }
  const drop = at.find((e) => e.kind === 'drop') ?? journey.find((e) => e.kind === 'drop' && e.peer === copy.from && e.other === copy.to && e.t >= copy.t);
  if (drop) li.append(el('span', { class: 'bad' }, `✗ lost before ${name(copy.to)} handled it: ${drop.reason ?? ''}`));
  else if (at.some((e) => e.kind === 'deliver')) li.append(el('span', { class: 'warn' }, `${name(copy.to)} took it in`), el('p', { class: 'hint' }, 'A copy of a message the receiver already holds is dropped as a duplicate before any check; a type Fabric does not sign is authenticated only by its connection.'));
  else li.append(el('span', { class: 'hint' }, `no answer from ${name(copy.to)} in the list yet (on its way, or dropped unchecked as a duplicate)`));
  return li;
}

/** The section: one block per tampered copy (the first few open, the rest folded). */
export function tamperedSection(copies: readonly UiTamperedCopy[], journey: readonly UiEvent[], name: (i: number) => string): HTMLElement {
  const blocks = copies.map((c, i) => {
    const len = Math.max(c.changed.sentHex.length, c.changed.receivedHex.length) / 2;
    const body = [
      el('p', { 'data-testid': 'tamper-what' }, `${secs(c.t)} ${name(c.from)} → ${name(c.to)}: ${c.what}`),
      el('p', { 'data-testid': 'tamper-changed' }, `Changed: ${changeWords(c.changed)}`),
      outcome(c, journey, name),
      el('div', { class: 'hint' }, `As sent (${c.sentHex.length / 2} bytes):`),
      markedDump(c.sentHex, c.changed.at, c.changed.sentHex.length / 2, 'around', 'tamper-sent'),
      el('div', { class: 'hint' }, `As received (${c.receivedHex.length / 2} bytes${c.decodes ? '' : ', no longer a GossipMessage'}):`),
      markedDump(c.receivedHex, c.changed.at, c.changed.receivedHex.length / 2, 'around', 'tamper-received'),
      el(
        'details',
        {},
        el('summary', { class: 'hint' }, 'whole envelopes'),
        el('div', { class: 'hint' }, 'as sent'),
        markedDump(c.sentHex, c.changed.at, c.changed.sentHex.length / 2, 'all', 'tamper-sent-all'),
        el('div', { class: 'hint' }, 'as received'),
        markedDump(c.receivedHex, c.changed.at, len === 0 ? 0 : c.changed.receivedHex.length / 2, 'all', 'tamper-received-all'),
      ),
    ];
    return i < 3 ? el('div', { class: 'tampered-copy' }, ...body) : el('details', { class: 'tampered-copy' }, el('summary', {}, `${secs(c.t)} ${name(c.from)} → ${name(c.to)}: ${c.what}`), ...body);
  });
  return el(
    'section',
    { 'data-testid': 'tampered' },
    el('h3', {}, `Tampered in flight (${copies.length} cop${copies.length === 1 ? 'y' : 'ies'})`),
    el('p', { class: 'hint' }, 'The fields, signature and payload below are the message as its sender wrote it; each copy below is what a receiver got instead.'),
    ...blocks,
  );
}
