/**
 * The network graph: orgs as compound nodes, peers inside, coloured by state; an edge for each
 * pair that has exchanged messages. Positions are computed here (orgs on a grid, peers on a
 * circle inside each), so no force layout ever blocks the view, whatever the size.
 */
import cytoscape from 'cytoscape';
import type { UiNetwork, UiPeerState } from '../extension/protocol.js';
import { color } from './theme.js';

/** Above this many edges, new ones are not drawn: the dots still show the traffic. */
const MAX_EDGES = 3000;

export class Graph {
  readonly cy: cytoscape.Core;
  private readonly edges = new Set<string>();
  private network: UiNetwork | null = null;
  onSelectPeer: (idx: number | null) => void = () => {};
  onContextPeer: (idx: number, x: number, y: number) => void = () => {};

  constructor(container: HTMLElement) {
    this.cy = cytoscape({
      container,
      style: this.style(),
      wheelSensitivity: 0.3,
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: true,
      selectionType: 'additive',
    });
    this.cy.on('tap', 'node.peer', (e) => this.onSelectPeer(Number(e.target.data('idx'))));
    this.cy.on('tap', (e) => {
      if (e.target === this.cy) this.onSelectPeer(null);
    });
    this.cy.on('cxttap', 'node.peer', (e) => {
      const p = e.renderedPosition ?? e.target.renderedPosition();
      this.onContextPeer(Number(e.target.data('idx')), p.x, p.y);
    });
  }

  private style(): cytoscape.StylesheetStyle[] {
    const fg = color('--vscode-editor-foreground');
    return [
      { selector: 'node.org', style: { label: 'data(label)', 'text-valign': 'top', 'font-size': 14, color: fg, 'background-opacity': 0.06, 'background-color': fg, 'border-width': 1, 'border-color': color('--vscode-panel-border'), shape: 'round-rectangle', padding: '16px' } },
      { selector: 'node.peer', style: { label: 'data(label)', 'font-size': 9, color: fg, 'text-valign': 'bottom', 'text-margin-y': 3, width: 18, height: 18, 'background-color': color('--vscode-charts-green'), 'border-width': 0 } },
      { selector: 'node.peer.leader', style: { shape: 'star', width: 24, height: 24, 'background-color': color('--vscode-charts-orange') } },
      { selector: 'node.peer.behind', style: { 'background-color': color('--vscode-charts-yellow') } },
      { selector: 'node.peer.down', style: { 'background-color': color('--vscode-charts-red'), 'background-opacity': 0.35, 'border-width': 2, 'border-color': color('--vscode-charts-red') } },
      { selector: 'node.peer:selected', style: { 'border-width': 3, 'border-color': color('--vscode-focusBorder') } },
      { selector: 'edge', style: { width: 1, 'line-color': color('--vscode-panel-border'), opacity: 0.5, 'curve-style': 'haystack' } },
    ];
  }

  /** Rebuilds styles after a theme change. */
  restyle(): void {
    this.cy.style(this.style());
  }

  load(network: UiNetwork): void {
    this.network = network;
    this.edges.clear();
    const els: cytoscape.ElementDefinition[] = [];
    const orgs = network.orgs;
    const cols = Math.ceil(Math.sqrt(orgs.length));
    const byOrg = new Map<string, number[]>();
    for (const p of network.peers) byOrg.set(p.mspId, [...(byOrg.get(p.mspId) ?? []), p.idx]);
    const biggest = Math.max(1, ...[...byOrg.values()].map((l) => l.length));
    // Room per org grows with the square root of its peers, as a circle's circumference must.
    const radius = Math.max(60, (biggest * 28) / (2 * Math.PI));
    const cell = radius * 2 + 120;
    orgs.forEach((o, i) => {
      els.push({ group: 'nodes', data: { id: `org:${o.mspId}`, label: o.mspId }, classes: 'org' });
      const cx = (i % cols) * cell;
      const cy = Math.floor(i / cols) * cell;
      const members = byOrg.get(o.mspId) ?? [];
      const r = Math.max(40, (members.length * 28) / (2 * Math.PI));
      members.forEach((idx, k) => {
        const a = (2 * Math.PI * k) / Math.max(1, members.length) - Math.PI / 2;
        const p = network.peers[idx];
        els.push({
          group: 'nodes',
          data: { id: `p${idx}`, idx, label: p.id, parent: `org:${o.mspId}` },
          classes: 'peer',
          position: { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) },
        });
      });
    });
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(els);
    });
    this.cy.layout({ name: 'preset', fit: true, padding: 30 }).run();
  }

  updateStates(states: UiPeerState[]): void {
    this.cy.batch(() => {
      for (const s of states) {
        const n = this.cy.getElementById(`p${s.idx}`);
        if (n.empty()) continue;
        n.toggleClass('down', !s.running);
        n.toggleClass('leader', s.running && Object.values(s.leader).some(Boolean));
        n.toggleClass('behind', s.running && s.behind);
      }
    });
  }

  /** A connection seen in the traffic: drawn once, kept. */
  connect(a: number, b: number): void {
    if (a < 0 || b < 0 || a === b || this.edges.size >= MAX_EDGES) return;
    const id = a < b ? `e${a}-${b}` : `e${b}-${a}`;
    if (this.edges.has(id)) return;
    this.edges.add(id);
    this.cy.add({ group: 'edges', data: { id, source: `p${a}`, target: `p${b}` } });
  }

  select(idx: number | null): void {
    this.cy.$(':selected').unselect();
    if (idx !== null) this.cy.getElementById(`p${idx}`).select();
  }

  /** Where a peer is drawn now (after pan and zoom), for the dot overlay. */
  position(idx: number): { x: number; y: number } | null {
    const n = this.cy.getElementById(`p${idx}`);
    return n.empty() ? null : n.renderedPosition();
  }

  selectedPeers(): number[] {
    return this.cy.$('node.peer:selected').map((n) => Number(n.data('idx')));
  }

  get peerCount(): number {
    return this.network?.peers.length ?? 0;
  }
}
