/**
 * Faults from the graph: a context menu on a peer (crash or restart, pause, resume, tamper with
 * its next message, make it Byzantine, isolate it), on a group of selected peers (partition them
 * from the rest, heal) and on an edge (tamper with the next message either way). Every action
 * is a `fault` message to the host, which applies it through the engine's fault API.
 */
import type { FaultRequest, UiNetwork, UiPeerState } from '../extension/protocol.js';
import { custom, el } from './dom.js';

interface Item {
  label: string;
  run?: () => void;
}

type Menu = HTMLElement & { data: { label?: string; value?: string; separator?: boolean }[]; show: boolean };

export class FaultMenu {
  readonly root: HTMLElement;
  private readonly menu: Menu;
  private items: Item[] = [];
  onInspect: (idx: number) => void = () => {};

  constructor(
    private readonly fault: (f: FaultRequest) => void,
    private readonly context: () => { network: UiNetwork | null; states: readonly UiPeerState[]; selected: readonly number[] },
  ) {
    this.menu = custom('vscode-context-menu', { 'data-testid': 'fault-menu' }) as Menu;
    this.menu.addEventListener('vsc-context-menu-select', (e) => {
      const i = Number((e as CustomEvent<{ value: string }>).detail.value);
      this.items[i]?.run?.();
    });
    this.root = el('div', { class: 'menu-anchor' }, this.menu);
  }

  private open(title: string, items: Item[], x: number, y: number): void {
    this.items = [{ label: title }, ...items];
    this.menu.data = this.items.map((it, i) => (it.run ? { label: it.label, value: String(i) } : i === 0 ? { label: it.label, value: '' } : { separator: true }));
    // Keep it inside the window.
    this.root.style.left = `${Math.max(0, Math.min(x, window.innerWidth - 280))}px`;
    this.root.style.top = `${Math.max(0, Math.min(y, window.innerHeight - 24 * items.length - 16))}px`;
    this.menu.show = true;
  }

  close(): void {
    this.menu.show = false;
  }

  /** x, y: client coordinates. */
  openForPeer(idx: number, x: number, y: number): void {
    const { network, states, selected } = this.context();
    const peer = network?.peers[idx];
    if (network === null || peer === undefined) return;
    const id = peer.id;
    const running = states[idx]?.running ?? true;
    const others = network.peers.filter((p) => p.idx !== idx).map((p) => p.id);
    const byz = (label: string, behaviour: Extract<FaultRequest, { kind: 'byzantine' }>['behaviour']): Item => ({
      label,
      run: () => this.fault({ kind: 'byzantine', peer: id, behaviour, target: null, channel: null }),
    });
    const items: Item[] = [
      { label: 'Inspect', run: () => this.onInspect(idx) },
      { label: '' },
      running ? { label: 'Crash', run: () => this.fault({ kind: 'crash', peer: id }) } : { label: 'Restart', run: () => this.fault({ kind: 'restart', peer: id }) },
      { label: 'Pause (stops answering)', run: () => this.fault({ kind: 'pause', peer: id }) },
      { label: 'Resume', run: () => this.fault({ kind: 'resume', peer: id }) },
      { label: 'Isolate (partition it from the rest)', run: () => this.fault({ kind: 'partition', groups: [[id], others] }) },
      { label: '' },
      { label: 'Tamper with its next alive message', run: () => this.fault({ kind: 'tamper', rule: { from: id, to: null, type: 'AliveMessage', mode: 'flip', count: 1 } }) },
      { label: 'Strip the signature of its next alive message', run: () => this.fault({ kind: 'tamper', rule: { from: id, to: null, type: 'AliveMessage', mode: 'strip-signature', count: 1 } }) },
      byz('Byzantine: sign with high-S', 'high-s'),
      byz('Byzantine: forge alive messages', 'forge-alive'),
      byz('Byzantine: replay old alive messages', 'replay-alive'),
      byz('Byzantine: withhold blocks', 'withhold'),
      byz('Byzantine: flood', 'flood'),
    ];
    if (selected.length > 1 && selected.includes(idx)) items.push({ label: '' }, ...this.groupItems(network, selected));
    this.open(id, items, x, y);
  }

  private groupItems(network: UiNetwork, selected: readonly number[]): Item[] {
    const picked = new Set(selected);
    const a = network.peers.filter((p) => picked.has(p.idx)).map((p) => p.id);
    const b = network.peers.filter((p) => !picked.has(p.idx)).map((p) => p.id);
    return [
      { label: `Partition these ${a.length} peers from the rest`, run: () => this.fault({ kind: 'partition', groups: [a, b] }) },
      { label: 'Heal every partition', run: () => this.fault({ kind: 'heal' }) },
    ];
  }

  openForEdge(a: number, b: number, x: number, y: number): void {
    const { network } = this.context();
    const pa = network?.peers[a];
    const pb = network?.peers[b];
    if (pa === undefined || pb === undefined) return;
    const tamper = (from: string, to: string, mode: 'flip' | 'strip-signature'): Item => ({
      label: mode === 'flip' ? `Flip a byte of the next message ${from} → ${to}` : `Strip the signature of the next signed message ${from} → ${to}`,
      run: () => this.fault({ kind: 'tamper', rule: { from, to, type: null, mode, count: 1 } }),
    });
    const link = (label: string, loss: number, delay: number, forMs: number): Item => ({
      label,
      run: () => this.fault({ kind: 'link', between: [pa.id, pb.id], loss, delay, forMs }),
    });
    this.open(
      `${pa.id} ↔ ${pb.id}`,
      [
        link('Drop every message on this link for 10 s', 1, 0, 10_000),
        link('Drop half the messages on this link for 30 s', 0.5, 0, 30_000),
        link('Delay messages on this link by 1 s, for 30 s', 0, 1000, 30_000),
        link('Delay messages on this link by 5 s, for 60 s', 0, 5000, 60_000),
        { label: '' },
        tamper(pa.id, pb.id, 'flip'),
        tamper(pb.id, pa.id, 'flip'),
        tamper(pa.id, pb.id, 'strip-signature'),
        tamper(pb.id, pa.id, 'strip-signature'),
      ],
      x,
      y,
    );
  }

  /** The partition tool in the toolbar: the selected peers against everyone else. */
  partitionSelected(): void {
    const { network, selected } = this.context();
    if (network === null || selected.length === 0 || selected.length === network.peers.length) return;
    this.groupItems(network, selected)[0].run!();
  }
}
