/**
 * The inspector: a peer's views (membership with last-seen times, height and leadership per
 * channel, StateInfo, world state) or a message's every decoded field, its bytes, signature
 * (DER, r, s, low-S), signer and verification verdicts, with its journey through the network.
 */
import type { MessageDetail, PeerDetail, UiEvent, UiNetwork } from '../extension/protocol.js';
import { noteOnReason } from '../extension/reason-notes.js';
import { el, secs } from './dom.js';
import { fieldTree } from './field-tree.js';
import { key, peerChanges } from './peer-changes.js';
import { tamperedSection } from './tampered-view.js';

type Row = [string, string | Node];

/** A two-column table of labels and values. */
function table(rows: Row[], attrs: Record<string, string> = {}): HTMLElement {
  return el('table', attrs, ...rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))));
}

function section(title: string, testid: string, ...body: (Node | string)[]): HTMLElement {
  return el('section', { 'data-testid': testid }, el('h3', {}, title), ...body);
}

/** The messages Fabric signs; any other is authenticated by the connection it came on. */
const SIGNED_TYPES = new Set(['AliveMessage', 'StateInfo', 'LeadershipMessage', 'PeerIdentity', 'ConnEstablish']);

const mark = (ok: boolean, text: string) => el('span', { class: ok ? 'ok' : 'bad' }, `${ok ? '✓' : '✗'} ${text}`);

/** Hex in lines of 16 bytes with offsets, like a hex dump (fits the inspector's width). */
function hexDump(hex: string): string {
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 32) lines.push(`${(i / 2).toString(16).padStart(5, '0')}  ${hex.slice(i, i + 32).replace(/(..)/g, '$1 ').trim()}`);
  return lines.join('\n');
}

/** A list that shows its first items and folds the rest away. */
function foldedList(tag: 'ul' | 'ol', items: HTMLElement[], attrs: Record<string, string>, shown = 8): HTMLElement {
  if (items.length <= shown) return el(tag, attrs, ...items);
  const { class: cls = '', ...rest } = attrs;
  return el('div', rest, el(tag, { class: cls }, ...items.slice(0, shown)), el('details', {}, el('summary', { class: 'hint' }, `${items.length - shown} more`), el(tag, { class: cls, start: String(shown + 1) }, ...items.slice(shown))));
}

/** How long a received message waited in the peer's receive queue and took to handle (processing time). */
function handlingNote(data: Record<string, unknown> | undefined): string {
  if (data === undefined || typeof data.handlingMs !== 'number' || typeof data.queuedMs !== 'number') return '';
  const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)}ms`;
  const waited = data.queuedMs > 0 ? `waited ${ms(data.queuedMs)} in its receive queue${typeof data.waiting === 'number' && data.waiting > 0 ? ` behind ${data.waiting} from the same peer` : ''}, ` : '';
  return ` (${waited}handled in ${ms(data.handlingMs)})`;
}

/** A peer's peer.gossip.* values: what the scenario set for it first, the profile's folded away. */
function configSection(config: NonNullable<PeerDetail['config']>): HTMLElement {
  const set = config.filter((c) => c.from !== 'profile');
  const rows = (list: typeof config) => table(list.map((c): Row => [c.key, el('span', {}, el('span', { class: 'mono' }, c.value), ' ', el('span', { class: 'hint' }, `from ${c.from}`))]));
  return section(
    `Configuration (${set.length} set by the scenario)`,
    'peer-config',
    set.length === 0 ? el('p', { class: 'hint' }, 'every value is the profile\'s') : rows(set),
    el('details', {}, el('summary', { class: 'hint' }, `all ${config.length} peer.gossip values`), rows(config)),
  );
}

export class Inspector {
  private network: UiNetwork | null = null;
  /** What is shown, so a refresh of the same peer keeps the scroll position. */
  private showing: { peer: number } | { msg: number } | null = null;
  /** The peer view shown last and its simulated time: a refresh marks what changed since. */
  private lastPeerView: { detail: PeerDetail; at: number } | undefined;

  constructor(readonly root: HTMLElement) {
    root.setAttribute('data-testid', 'inspector');
    root.setAttribute('aria-live', 'polite');
    this.clear();
  }

  reset(network: UiNetwork): void {
    this.network = network;
    this.clear();
  }

  clear(): void {
    this.showing = null;
    this.lastPeerView = undefined;
    this.root.replaceChildren(el('p', { class: 'hint' }, 'Click a peer or a message to inspect it.', el('span', { class: 'changes-run' }, ' Right-click a peer or an edge for faults.')));
  }

  private name(i: number): string {
    return i < 0 ? 'orderer' : (this.network?.peers[i]?.id ?? `#${i}`);
  }

  /** Says what is being fetched, so a click always shows an answer at once. */
  loading(what: string): void {
    this.root.replaceChildren(el('p', { class: 'hint' }, `Loading ${what}…`));
  }

  showPeer(d: PeerDetail, simTime: number): void {
    const same = this.showing !== null && 'peer' in this.showing && this.showing.peer === d.idx;
    const scroll = same ? this.root.scrollTop : 0;
    // What changed since this peer was last shown (a step, or a refresh while running).
    const changes = same && this.lastPeerView !== undefined ? peerChanges(this.lastPeerView.detail, d) : undefined;
    const since = this.lastPeerView?.at;
    this.showing = { peer: d.idx };
    this.lastPeerView = { detail: d, at: simTime };
    const changed = (k: string, node: HTMLElement): HTMLElement => {
      if (changes?.keys.has(k)) node.classList.add('changed');
      return node;
    };
    const ago = (t: number) => `${secs(t)} (${secs(Math.max(0, simTime - t))} ago)`;
    const members = (list: { id: string; lastSeen: number }[], ok: boolean, which: 'alive' | 'dead') =>
      list.length === 0 ? el('p', { class: 'hint' }, 'none') : table(list.map((m): Row => [m.id, changed(key(which, m.id), el('span', { class: ok ? '' : 'bad' }, `last heard ${ago(m.lastSeen)}`))]), { class: 'members' });
    const changeNote =
      changes === undefined || changes.said.length === 0
        ? []
        : [el('p', { class: 'changes', 'data-testid': 'peer-changes' }, `Changed since ${secs(since ?? 0)}: ${changes.said.join('; ')}`)];
    this.root.replaceChildren(
      el('h2', { 'data-testid': 'inspector-title' }, d.id, ' ', changed('condition', el('span', { class: `chip ${d.paused ? 'paused' : d.running ? 'up' : 'down'}`, 'data-testid': 'peer-condition' }, d.paused ? 'paused' : d.running ? 'running' : d.started === false ? 'not started' : 'crashed'))),
      ...changeNote,
      table([['PKI-ID', el('span', { class: 'mono' }, d.pkiId)], ...(d.startedAt === undefined ? [] : [['started', `at ${secs(d.startedAt)}`] as Row])]),
      section(
        'Channels',
        'peer-channels',
        table(
          d.channels.map((c): Row => [
            c.name,
            el('span', {}, changed(key('height', c.name), el('span', {}, `height ${c.height}`)), ' · ', changed(key('leader', c.name), el('span', {}, c.leader ? 'leader (pulls blocks from the orderer)' : 'not leader'))),
          ]),
        ),
      ),
      ...this.declaredDeadSection(d, ago),
      section(`Alive members (${d.membership.alive.length})`, 'membership-alive', members(d.membership.alive, true, 'alive')),
      section(`Dead members (${d.membership.dead.length})`, 'membership-dead', members(d.membership.dead, false, 'dead')),
      ...d.channels.map((c) => {
        const behind = c.stateInfo.filter((s) => s.height < c.height).length;
        return section(
          `StateInfo on ${c.name} (${c.stateInfo.length} peers${behind ? `, ${behind} behind this one` : ''})`,
          'stateinfo',
          c.stateInfo.length === 0 ? el('p', { class: 'hint' }, 'no StateInfo received yet') : table(c.stateInfo.map((s): Row => [s.id, changed(key('stateinfo', c.name, s.id), el('span', { class: s.height < c.height ? 'warn' : '' }, `height ${s.height}`))])),
        );
      }),
      ...(d.config === undefined ? [] : [configSection(d.config)]),
      ...d.channels.map((c) =>
        section(
          `World state on ${c.name} (${c.worldState.length} keys)`,
          'world-state',
          c.worldState.length === 0 ? el('p', { class: 'hint' }, 'empty') : table(c.worldState.slice(0, 100).map((w): Row => [w.key, changed(key('world', c.name, w.key), el('span', { class: 'mono' }, w.value))])),
        ),
      ),
    );
    this.root.scrollTop = scroll;
  }

  /**
   * Who holds this peer dead now, and since when: the answer to "which peer did the others give
   * up on first". Shown once someone does, or while the peer is down or paused (then: nobody yet).
   */
  private declaredDeadSection(d: PeerDetail, ago: (t: number) => string): HTMLElement[] {
    const dd = d.declaredDead;
    if (dd === undefined) return [];
    const quiet = !d.running || d.paused === true;
    if (dd.by.length === 0 && !quiet) return [];
    if (dd.by.length === 0) return [section('Declared dead', 'declared-dead', el('p', { class: 'hint' }, `by none of the ${dd.of} other peers yet: they still hold it alive`))];
    const last = dd.by[dd.by.length - 1];
    const first = dd.by[0];
    const summary = `by ${dd.by.length} of ${dd.of} at ${secs(last.at)}${dd.by.length > 1 ? ` (the first at ${secs(first.at)})` : ''}`;
    return [
      section(
        `Declared dead ${summary}`,
        'declared-dead',
        foldedList('ol', dd.by.map((b) => el('li', {}, `${b.id} at ${ago(b.at)}`)), { class: 'journey' }),
      ),
    ];
  }

  showMessage(d: MessageDetail, journey: UiEvent[]): void {
    this.showing = { msg: d.msg };
    // The verdict: the signature checks, and the refusals the trace saw (some come before any check).
    const badSig = d.verdicts.filter((v) => !v.ok);
    const rejects = journey.filter((e) => e.kind === 'reject');
    const drops = journey.filter((e) => e.kind === 'drop');
    const verdict = el('div', { 'data-testid': 'verdict' });
    const mustSign = SIGNED_TYPES.has(d.type);
    if (d.tampered !== undefined && d.tampered.length > 0) {
      const n = d.tampered.length;
      verdict.append(el('div', { 'data-testid': 'tamper-verdict' }, mark(false, `tampered in flight: ${d.tampered[0].what}${n > 1 ? ` (and ${n - 1} more cop${n === 2 ? 'y' : 'ies'})` : ''}`)));
    }
    if (d.logged) verdict.append(el('div', { class: 'hint' }, `read from a Fabric log: ${d.logged.sent ? 'send' : 'no send'} and ${d.logged.received ? 'receipt' : 'no receipt'} logged; a log holds no bytes to check`));
    else if (d.signature === null) verdict.append(mustSign ? el('div', {}, mark(false, `no signature, yet Fabric signs every ${d.type}`)) : el('div', { class: 'hint' }, 'not signed (none needed)'));
    else if (d.verdicts.length === 0) verdict.append(el('div', { class: 'hint' }, 'no signature check in the recent trace'));
    else if (badSig.length === 0) verdict.append(el('div', {}, mark(true, `signature valid at ${d.verdicts.length} receiver${d.verdicts.length > 1 ? 's' : ''}`)));
    else verdict.append(el('div', {}, mark(false, `signature refused by ${badSig.length}: ${badSig[0].reason}`)));
    if (rejects.length > 0) {
      verdict.append(el('div', {}, mark(false, `rejected by ${rejects.length}: ${rejects[0].reason ?? ''}`)));
      const note = noteOnReason(rejects[0].reason);
      const benign = rejects.every((e) => e.benign);
      if (note) verdict.append(el('p', { class: 'hint', 'data-testid': 'reason-note' }, benign ? `Harmless at start-up. ${note}` : note));
    }
    if (drops.length > 0) verdict.append(el('div', {}, mark(false, `dropped ${drops.length}× on the way: ${drops[0].reason ?? ''}`)));
    const sig = d.logged
      ? el('p', { 'data-testid': 'signature' }, d.logged.signatureBytes ? `The log shows a signature of ${d.logged.signatureBytes} bytes; Fabric does not log its bytes.` : 'The log shows no signature (Signature: 0 bytes).')
      : d.signature
      ? table(
          [
            ['low-S', d.signature.lowS ? mark(true, 's ≤ n/2: Fabric accepts it') : mark(false, 'high S: Fabric rejects it')],
            ['r', el('span', { class: 'mono' }, d.signature.r)],
            ['s', el('span', { class: 'mono' }, d.signature.s)],
            ['DER', el('span', { class: 'mono' }, d.signature.derHex)],
          ],
          { 'data-testid': 'signature' },
        )
      : mustSign
        ? el('p', { 'data-testid': 'signature', class: 'bad' }, `No signature. Fabric signs every ${d.type}, so receivers refuse this one (stripped in flight?).`)
        : el('p', { 'data-testid': 'signature' }, 'Not signed: authenticated by the connection handshake (blocks carry the orderer\'s signature).');
    const signer = d.signer
      ? table([
          ['MSP ID', d.signer.mspId],
          ['subject', d.signer.subject],
          ['issuer', d.signer.issuer],
          ['valid', `${d.signer.notBefore} → ${d.signer.notAfter}`],
          ['PKI-ID', el('span', { class: 'mono' }, d.signer.pkiId)],
        ])
      : el('p', { class: 'hint' }, '—');
    const verdicts = d.verdicts.length
      ? foldedList('ul', d.verdicts.map((v) => el('li', {}, `${this.name(v.peer)}: `, v.ok ? mark(true, 'valid') : mark(false, v.reason))), { 'data-testid': 'verdicts', class: 'verdicts' })
      : el('p', { 'data-testid': 'verdicts', class: 'hint' }, 'No verification of it in the recent trace.');
    const steps = journey.map((e) => {
      const what =
        e.kind === 'send'
          ? `${this.name(e.peer)} → ${this.name(e.other ?? -1)} sent`
          : e.kind === 'drop'
            ? `${this.name(e.peer)} → ${this.name(e.other ?? -1)} dropped: ${e.reason ?? ''}`
            : e.kind === 'reject'
              ? `${this.name(e.peer)} rejected it: ${e.reason ?? ''}`
              : e.kind === 'fault'
                ? `${this.name(e.peer)} → ${this.name(e.other ?? -1)} tampered in flight: ${(e.reason ?? '').replace(/^tampered: /, '')}`
                : `${this.name(e.peer)} received it${handlingNote(e.data)}`;
      return el('li', { class: e.kind === 'drop' || e.kind === 'reject' || e.kind === 'fault' ? 'bad' : '' }, `${secs(e.t)} ${what}`);
    });
    // The fold never hides the first refusal: it is what the user came to see.
    const firstBad = steps.findIndex((li) => li.classList.contains('bad'));
    this.root.replaceChildren(
      el('h2', { 'data-testid': 'inspector-title' }, `Message #${d.msg}: ${d.type}`),
      table([
        ['verdict', verdict],
        ['size', `${d.size} bytes`],
        ['envelope', d.secretEnvelope ? 'with a secret envelope (internal endpoint, own org only)' : 'plain'],
      ]),
      ...(d.tampered !== undefined && d.tampered.length > 0 ? [tamperedSection(d.tampered, journey, (i) => this.name(i))] : []),
      section('Signature', 'signature-section', sig),
      section('Signer', 'signer', signer),
      section('Verification', 'verification', verdicts),
      section('Fields', 'fields', fieldTree(d.fields, 'GossipMessage')),
      d.logged
        ? section('Payload', 'payload', el('p', { class: 'hint', 'data-testid': 'payload-hex' }, `${d.size} bytes by the log's count; a log does not hold them`))
        : section(`Payload (${d.payloadHex.length / 2} bytes, hex${d.signature !== null ? ', exactly as signed' : ', as sent: not signed'})`, 'payload', el('pre', { class: 'mono hex', 'data-testid': 'payload-hex' }, hexDump(d.payloadHex))),
      section(`Journey (${journey.length} events in the list)`, 'journey', steps.length ? foldedList('ol', steps, { class: 'journey' }, Math.max(12, firstBad + 1)) : el('p', { class: 'hint' }, 'no longer in the list')),
    );
    this.root.scrollTop = 0;
  }

  /**
   * A row whose event names no message (bytes a live peer could not decode carry no id): what
   * the trace knows of it, so every row of the list opens something.
   */
  showEvent(e: UiEvent): void {
    this.showing = null;
    const words = e.kind === 'reject' ? 'Rejected' : e.kind === 'drop' ? 'Dropped' : e.kind === 'deliver' ? 'Delivered' : e.kind === 'send' ? 'Sent' : e.kind;
    const note = noteOnReason(e.reason);
    const [from, to] = e.kind === 'send' || e.kind === 'drop' || e.kind === 'fault' ? [e.peer, e.other ?? -1] : [e.other ?? -1, e.peer];
    this.root.replaceChildren(
      el('h2', { 'data-testid': 'inspector-title' }, `${words}: ${e.type ?? 'bytes that name no message'}`),
      table([
        ['time', secs(e.t)],
        ['from → to', `${this.name(from)} → ${this.name(to)}`],
        ...(e.reason !== undefined ? [['reason', el('span', { class: e.kind === 'reject' || e.kind === 'drop' ? 'bad' : '' }, e.reason)] as Row] : []),
        ['trace event', `#${e.id}`],
      ]),
      ...(note ? [el('p', { class: 'hint', 'data-testid': 'reason-note' }, note)] : []),
      el('p', { class: 'hint' }, 'The receiver could not tell which message these bytes were, so the trace gives them no message id: this event is all there is to show.'),
    );
    this.root.scrollTop = 0;
  }

  notFound(what: string): void {
    this.showing = null;
    this.root.replaceChildren(el('p', { class: 'hint' }, `${what} is no longer in memory (older than the kept trace).`));
  }

  get shownPeer(): number | null {
    return this.showing && 'peer' in this.showing ? this.showing.peer : null;
  }
}
