/**
 * The network graph: orgs as compound nodes, peers inside, coloured by state. Positions are
 * preset (layout.ts); colour changes are applied in batches a few times a second (flush), so
 * Cytoscape redraws rarely. The live connections (edges.ts) and the messages in flight
 * (dots.ts) are drawn on canvases under and over it, from the positions and viewport given here.
 */
import cytoscape from 'cytoscape';
import type { UiNetwork, UiPeerState } from '../extension/protocol.js';
import { presetLayout } from './layout.js';
import { declaredDeadLabel } from './peer-look.js';

import { color } from './theme.js';

/**
 * A peer's Cytoscape classes: leadership is the shape, lagging the colour; a peer not started
 * yet, crashed or paused looks like nothing else (a paused process still counts as up, but it
 * answers nothing, and that is what the others will see).
 */
function lookClasses(s: UiPeerState): string {
  if (!s.running) return s.started === false ? 'unstarted' : s.stopped ? 'stopped' : 'down';
  if (s.paused) return 'paused';
  return `${Object.values(s.leader).some(Boolean) ? 'leader ' : ''}${s.behind ? 'behind' : 'alive'}`;
}

/** A peer's label: its name, and under it who holds it dead (so "who was given up on first" reads off the graph). */
function labelOf(name: string, s: UiPeerState): string {
  const dead = declaredDeadLabel(s);
  return dead === '' ? name : `${name}\n${dead}`;
}

/** Zoom factor of one wheel notch (100 px of wheel delta). */
export const ZOOM_PER_NOTCH = 1.2;

export interface Viewport {
  zoom: number;
  pan: { x: number; y: number };
}

export class Graph {
  readonly cy: cytoscape.Core;
  private peers: cytoscape.NodeSingular[] = [];
  /** Model positions of the peers (x at 2i, y at 2i + 1); refreshed after the user drags. */
  private model: Float64Array = new Float64Array(0);
  private modelStale = false;
  /** Bumps whenever a peer moved (the user dragged it), for the canvases that follow them. */
  positionsVersion = 0;
  /** The classes each peer is drawn with now ('down', 'leader behind', ...), to touch only changes. */
  private looks: string[] = [];
  /** Each peer's name under it, and the label drawn now (the name, and who declared it dead). */
  private names: string[] = [];
  private labels: string[] = [];
  private pendingStates: UiPeerState[] | null = null;
  /** The user zoomed or panned: resizing no longer refits the graph. */
  private userViewport = false;
  onSelectPeer: (idx: number | null) => void = () => {};
  onSelectionChange: (idxs: number[]) => void = () => {};
  onContextPeer: (idx: number, x: number, y: number) => void = () => {};
  /** A right-click on the background (an edge of the edge layer may be under it). */
  onContextBackground: (x: number, y: number) => void = () => {};
  onViewport: (v: Viewport) => void = () => {};

  constructor(private readonly container: HTMLElement) {
    // Cytoscape adds an un-nonced <style> unless this id exists; the CSP would refuse it (and say so).
    if (!document.getElementById('__________cytoscape_stylesheet')) {
      const marker = document.createElement('meta');
      marker.id = '__________cytoscape_stylesheet';
      document.head.append(marker);
    }
    this.cy = cytoscape({
      container,
      style: this.style(),
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: true,
      selectionType: 'single',
      // Pan and zoom move a snapshot instead of redrawing 500 peers every frame.
      textureOnViewport: true,
    });
    this.cy.on('tap', 'node.peer', (e) => this.onSelectPeer(Number(e.target.data('idx'))));
    this.cy.on('tap', (e) => {
      if (e.target === this.cy) this.onSelectPeer(null);
    });
    this.cy.on('cxttap', 'node.peer', (e) => {
      const p = e.renderedPosition ?? e.target.renderedPosition();
      this.onContextPeer(Number(e.target.data('idx')), p.x, p.y);
    });
    // An org's box is background too: the edges drawn under it can be right-clicked through it.
    this.cy.on('cxttap', (e) => {
      const onBackground = e.target === this.cy || (e.target as cytoscape.NodeSingular).hasClass?.('org');
      if (onBackground && e.renderedPosition) this.onContextBackground(e.renderedPosition.x, e.renderedPosition.y);
    });
    this.cy.on('select unselect', 'node.peer', () => this.onSelectionChange(this.selectedPeers()));
    this.cy.on('position', 'node', () => {
      this.modelStale = true;
      this.positionsVersion++;
    });
    this.cy.on('viewport', () => {
      this.onViewport({ zoom: this.cy.zoom(), pan: { ...this.cy.pan() } });
    });
    // The wheel zooms as VS Code's own zoomable views do: a notch is a step of 20 %, about the
    // pointer (Cytoscape's own wheel zoom moved ~2 % a notch here). Trackpads scroll smoothly.
    // Caught on the way down, at the parent, so Cytoscape's own handler never sees the wheel.
    (container.parentElement ?? container).addEventListener(
      'wheel',
      (e) => {
        if (!container.contains(e.target as Node)) return;
        e.preventDefault();
        e.stopPropagation();
        this.userViewport = true;
        const pixels = e.deltaMode === 1 ? e.deltaY * 33 : e.deltaMode === 2 ? e.deltaY * 100 : e.deltaY;
        const r = container.getBoundingClientRect();
        const level = Math.min(this.cy.maxZoom(), Math.max(this.cy.minZoom(), this.cy.zoom() * Math.pow(ZOOM_PER_NOTCH, -pixels / 100)));
        this.cy.zoom({ level, renderedPosition: { x: e.clientX - r.left, y: e.clientY - r.top } });
      },
      { capture: true, passive: false },
    );
    container.addEventListener('pointerdown', () => (this.userViewport = true));
    new ResizeObserver(() => {
      this.cy.resize();
      if (!this.userViewport) this.fit();
    }).observe(container);
  }

  private style(): cytoscape.StylesheetStyle[] {
    const fg = color('--vscode-editor-foreground');
    const hc = color('--vscode-contrastBorder') !== '';
    return [
      {
        selector: 'node.org',
        style: {
          label: 'data(label)',
          'text-valign': 'top',
          'text-halign': 'center',
          'font-size': 13,
          'min-zoomed-font-size': 4,
          color: fg,
          'background-color': fg,
          'background-opacity': 0.04,
          'border-width': hc ? 2 : 1,
          'border-color': hc ? color('--vscode-contrastBorder') : color('--vscode-panel-border'),
          shape: 'round-rectangle',
          padding: '14px',
          // Explicit depths: with 'auto', every redraw walks each element's compound parents.
          'z-compound-depth': 'bottom',
        },
      },
      {
        selector: 'node.peer',
        style: {
          label: 'data(label)',
          'font-size': 8,
          'min-zoomed-font-size': 7,
          color: fg,
          'text-wrap': 'wrap',
          'text-valign': 'bottom',
          'text-margin-y': 2,
          width: 16,
          height: 16,
          'background-color': color('--vscode-charts-green'),
          'border-width': hc ? 1 : 0,
          'border-color': fg,
          'z-compound-depth': 'top',
        },
      },
      { selector: 'node.peer.leader', style: { shape: 'star', width: 22, height: 22, 'background-color': color('--vscode-charts-blue') } },
      { selector: 'node.peer.behind', style: { 'background-color': color('--vscode-charts-yellow') } },
      {
        selector: 'node.peer.down',
        style: { shape: 'ellipse', width: 16, height: 16, 'background-color': color('--vscode-charts-red'), 'background-opacity': 0.25, 'border-width': 2, 'border-color': color('--vscode-charts-red') },
      },
      {
        selector: 'node.peer.paused',
        style: { 'background-color': color('--vscode-charts-orange'), 'background-opacity': 0.35, 'border-width': 2, 'border-style': 'double', 'border-color': color('--vscode-charts-orange') },
      },
      // Stopped cleanly (a log's "Stopping gossip"): grey, solid, not the red of a crash.
      { selector: 'node.peer.stopped', style: { 'background-opacity': 0, 'border-width': 2, 'border-color': color('--vscode-disabledForeground') || fg } },
      {
        selector: 'node.peer.unstarted',
        style: { 'background-opacity': 0, 'border-width': 1.5, 'border-style': 'dashed', 'border-color': color('--vscode-disabledForeground') || fg },
      },
      // A fault in force: a dashed ring outside the peer, kept as long as the fault lasts.
      { selector: 'node.peer.faulted', style: { 'outline-width': 2, 'outline-style': 'dashed', 'outline-color': color('--vscode-charts-orange'), 'outline-offset': 3, 'outline-opacity': 1 } },
      // What the last step did: its peers stand out until the next step.
      { selector: 'node.peer.stepped', style: { 'outline-width': 3, 'outline-style': 'solid', 'outline-color': color('--vscode-charts-purple'), 'outline-offset': 2, 'outline-opacity': 1 } },
      // Selection is a halo around the peer, so its own ring (crashed, paused) still shows.
      { selector: 'node.peer:selected', style: { 'underlay-color': color('--vscode-focusBorder'), 'underlay-opacity': 0.45, 'underlay-padding': 6, 'underlay-shape': 'ellipse' } },
    ];
  }

  /** Rebuilds the styles after a theme change. */
  restyle(): void {
    this.cy.style(this.style());
  }

  /** Draws a network; the peers start with their looks from `states` (one style pass, not two). */
  load(network: UiNetwork, viewport: Viewport | null, states: readonly UiPeerState[]): void {
    this.looks = new Array(network.peers.length).fill('');
    this.names = network.peers.map((p) => p.id.split('.')[0]);
    this.labels = [...this.names];
    for (const s of states) {
      if (s.idx >= this.looks.length) continue;
      this.looks[s.idx] = lookClasses(s);
      this.labels[s.idx] = labelOf(this.names[s.idx], s);
    }
    this.pendingStates = null;
    const orgIndex = new Map(network.orgs.map((o, i) => [o.mspId, i]));
    const r = this.container.getBoundingClientRect();
    const layout = presetLayout(
      network.peers.map((p) => orgIndex.get(p.mspId) ?? 0),
      network.orgs.length,
      r.width > 0 && r.height > 0 ? r.width / r.height : 16 / 9,
    );
    this.model = layout.peers;
    const els: cytoscape.ElementDefinition[] = network.orgs.map((o) => ({ group: 'nodes', data: { id: `org:${o.mspId}`, label: o.mspId }, classes: 'org', selectable: false }));
    for (const p of network.peers) {
      els.push({
        group: 'nodes',
        data: { id: `p${p.idx}`, idx: p.idx, label: this.labels[p.idx], parent: `org:${p.mspId}` },
        classes: `peer ${this.looks[p.idx]}`,
        position: { x: layout.peers[2 * p.idx], y: layout.peers[2 * p.idx + 1] },
      });
    }
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(els);
    });
    this.marked.clear();
    this.peers = network.peers.map((p) => this.cy.getElementById(`p${p.idx}`) as cytoscape.NodeSingular);
    this.modelStale = false;
    this.positionsVersion++;
    if (viewport) {
      this.userViewport = true;
      this.cy.viewport({ zoom: viewport.zoom, pan: viewport.pan });
    } else {
      this.userViewport = false;
      this.fit();
    }
  }

  fit(): void {
    this.cy.fit(undefined, 24);
    // Org names stay readable however far out a big network is zoomed.
    const size = Math.min(80, Math.max(13, 12 / this.cy.zoom()));
    this.cy.nodes('.org').style('font-size', size);
  }

  get peerCount(): number {
    return this.peers.length;
  }

  /** The latest peer states; applied at the next flush (only the peers whose look changed). */
  setStates(states: UiPeerState[]): void {
    this.pendingStates = states;
  }

  /** Applies the latest peer states (one Cytoscape redraw, if any peer's look changed). */
  flush(): void {
    const states = this.pendingStates;
    this.pendingStates = null;
    if (states !== null) this.cy.batch(() => this.applyStates(states));
  }

  private applyStates(states: UiPeerState[]): void {
    for (const s of states) {
      const node = this.peers[s.idx];
      if (node === undefined) continue;
      const label = labelOf(this.names[s.idx], s);
      if (this.labels[s.idx] !== label) {
        node.data('label', label);
        this.labels[s.idx] = label;
      }
      const look = lookClasses(s);
      if (this.looks[s.idx] === look) continue;
      if (this.looks[s.idx] !== '') node.removeClass(this.looks[s.idx]);
      node.addClass(look);
      this.looks[s.idx] = look;
    }
  }

  /** Peers that carry a mark class ('faulted', 'stepped'), to touch only what changes. */
  private readonly marked = new Map<string, Set<number>>();

  /** A peer's label as drawn now (after the pending states are applied). */
  labelOf(idx: number): string {
    this.flush();
    return this.labels[idx] ?? '';
  }

  /** A peer's classes as drawn now (after the pending states are applied). */
  classesOf(idx: number): string[] {
    this.flush();
    return this.peers[idx]?.classes() ?? [];
  }

  /** Marks exactly these peers with `cls` (and unmarks the rest), in one Cytoscape batch. */
  mark(cls: 'faulted' | 'stepped', idxs: Iterable<number>): void {
    const next = new Set(idxs);
    const prev = this.marked.get(cls) ?? new Set<number>();
    this.cy.batch(() => {
      for (const i of prev) if (!next.has(i)) this.peers[i]?.removeClass(cls);
      for (const i of next) if (!prev.has(i)) this.peers[i]?.addClass(cls);
    });
    this.marked.set(cls, next);
  }

  select(idx: number | null): void {
    this.cy.$('node.peer:selected').unselect();
    if (idx !== null) this.peers[idx]?.select();
  }

  toggleSelected(idx: number): void {
    const node = this.peers[idx];
    if (node) (node.selected() ? node.unselect() : node.select());
  }

  selectedPeers(): number[] {
    return this.cy.$('node.peer:selected').map((node) => Number(node.data('idx')));
  }

  /** Peer positions in the model (pan and zoom not applied), for the dot overlay. */
  positions(): Float64Array {
    if (this.modelStale) {
      this.modelStale = false;
      this.peers.forEach((node, i) => {
        const p = node.position();
        this.model[2 * i] = p.x;
        this.model[2 * i + 1] = p.y;
      });
    }
    return this.model;
  }

  viewport(): { zoom: number; x: number; y: number } {
    const pan = this.cy.pan();
    return { zoom: this.cy.zoom(), x: pan.x, y: pan.y };
  }

  /** Where a peer is drawn, in client coordinates. */
  clientPosition(idx: number): { x: number; y: number } | null {
    const node = this.peers[idx];
    if (node === undefined) return null;
    const r = this.container.getBoundingClientRect();
    const p = node.renderedPosition();
    return { x: r.left + p.x, y: r.top + p.y };
  }

  /** Centres the view on a peer without changing the zoom. */
  reveal(idx: number): void {
    const node = this.peers[idx];
    if (node === undefined) return;
    const r = this.container.getBoundingClientRect();
    const p = node.renderedPosition();
    if (p.x < 0 || p.y < 0 || p.x > r.width || p.y > r.height) this.cy.center(node);
  }
}
