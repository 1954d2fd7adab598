/**
 * The inspector: a peer's views (membership with last-seen times, ledgers, leadership,
 * StateInfo, world state) or a message's every field, bytes, signature, signer and verdicts.
 */
import type { MessageDetail, PeerDetail, UiNetwork } from '../extension/protocol.js';
import { el, secs } from './dom.js';

/** A two-column table of labels and values. */
function kvTable(rows: [string, string][], valueClass = ''): HTMLElement {
  return el('table', {}, ...rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', valueClass ? { class: valueClass } : {}, v))));
}

export class Inspector {
  private network: UiNetwork | null = null;

  constructor(private readonly root: HTMLElement) {
    root.setAttribute('data-testid', 'inspector');
    this.clear();
  }

  reset(network: UiNetwork): void {
    this.network = network;
    this.clear();
  }

  clear(): void {
    this.root.replaceChildren(el('p', { class: 'hint' }, 'Click a peer or a message to inspect it.'));
  }

  private name(i: number): string {
    return this.network?.peers[i]?.id ?? `#${i}`;
  }

  showPeer(d: PeerDetail): void {
    const section = (title: string, ...body: (Node | string)[]) => el('section', {}, el('h3', {}, title), ...body);
    const table = (rows: [string, string][]) => kvTable(rows);
    this.root.replaceChildren(
      el('h2', { 'data-testid': 'inspector-title' }, `${d.id} ${d.running ? '' : '(down)'}`),
      table([['PKI-ID', d.pkiId]]),
      section(
        `Alive members (${d.membership.alive.length})`,
        table(d.membership.alive.map((m) => [m.id, `last heard ${secs(m.lastSeen)}`])),
      ),
      section(`Dead members (${d.membership.dead.length})`, table(d.membership.dead.map((m) => [m.id, `last heard ${secs(m.lastSeen)}`]))),
      ...d.channels.map((c) =>
        section(
          `Channel ${c.name}`,
          table([
            ['height', String(c.height)],
            ['leader', c.leader ? 'yes (pulls from the orderer)' : 'no'],
          ]),
          el('h4', {}, `StateInfo (${c.stateInfo.length} peers)`),
          table(c.stateInfo.map((s) => [s.id, `height ${s.height}`])),
          el('h4', {}, `World state (${c.worldState.length} keys)`),
          table(c.worldState.slice(0, 50).map((w) => [w.key, w.value])),
        ),
      ),
    );
  }

  showMessage(d: MessageDetail): void {
    const rows: [string, string][] = [
      ['type', d.type],
      ['size', `${d.size} bytes`],
      ['secret envelope', d.secretEnvelope ? 'yes (internal endpoint, same org only)' : 'no'],
    ];
    const sig = d.signature
      ? kvTable(
          [
            ['DER', d.signature.derHex],
            ['r', d.signature.r],
            ['s', d.signature.s],
            ['low-S', d.signature.lowS ? '✓ s ≤ n/2 (Fabric accepts)' : '✗ high S (Fabric rejects)'],
          ],
          'mono',
        )
      : el('p', {}, 'Not signed (noop-signed: authenticated by the connection handshake; blocks carry the orderer\'s signature).');
    const signer = d.signer
      ? kvTable([
          ['MSP ID', d.signer.mspId],
          ['subject', d.signer.subject],
          ['issuer', d.signer.issuer],
          ['valid', `${d.signer.notBefore} → ${d.signer.notAfter}`],
          ['PKI-ID', d.signer.pkiId],
        ])
      : el('p', {}, '—');
    const verdicts = d.verdicts.length
      ? el('ul', { 'data-testid': 'verdicts' }, ...d.verdicts.map((v) => el('li', { class: v.ok ? 'ok' : 'bad' }, `${this.name(v.peer)}: ${v.ok ? '✓ valid' : `✗ ${v.reason}`}`)))
      : el('p', {}, 'No verification of it in the recent trace.');
    this.root.replaceChildren(
      el('h2', { 'data-testid': 'inspector-title' }, `Message #${d.msg}: ${d.type}`),
      kvTable(rows),
      el('h3', {}, 'Signature'),
      sig,
      el('h3', {}, 'Signer'),
      signer,
      el('h3', {}, 'Verification'),
      verdicts,
      el('h3', {}, 'Fields'),
      tree(d.fields),
      el('h3', {}, 'Payload (hex, exactly as signed)'),
      el('pre', { class: 'mono hex' }, d.payloadHex.replace(/(.{64})/g, '$1\n')),
    );
  }

  notFound(what: string): void {
    this.root.replaceChildren(el('p', { class: 'hint' }, `${what} is no longer in memory (older than the kept trace).`));
  }
}

/** A collapsible tree of decoded fields. */
function tree(v: unknown, key = 'GossipMessage'): HTMLElement {
  if (v === null || typeof v !== 'object') return el('div', { class: 'leaf' }, el('span', { class: 'key' }, `${key}: `), el('span', { class: 'mono' }, String(v)));
  const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v as Record<string, unknown>);
  const d = el('details', { open: '' }, el('summary', {}, Array.isArray(v) ? `${key} [${v.length}]` : key));
  for (const [k, x] of entries) d.append(tree(x, k));
  return d;
}
