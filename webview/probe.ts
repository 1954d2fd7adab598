/**
 * Counters the harness and the benchmark read from outside (window.gossipScopeProbe): frames
 * drawn, frames and events handled, dots in flight, time to the first painted graph. Cheap
 * enough to keep in production, where nothing reads them.
 */
export interface Probe {
  animationFrames: number;
  framesHandled: number;
  eventsHandled: number;
  dotsInFlight: number;
  dotsSkipped: number;
  edges: number;
  /** ms from receiving `init` to the first frame painted after the graph was drawn. */
  firstPaintMs: number | null;
  /** Where a peer is on screen (client coordinates), so a test can click it in the graph. */
  peerAt: (idx: number) => { x: number; y: number } | null;
  zoom: () => number;
  /** A peer's drawn classes ('peer', 'paused', 'faulted', …): what its look says. */
  peerClasses: (idx: number) => string[];
  /** A peer's label in the graph (its name, and who has declared it dead). */
  peerLabel: (idx: number) => string;
  /** Links drawn as cut by a partition. */
  cutLinks: number;
}

performance.mark('gossip-scope:script-start');

export const probe: Probe = { animationFrames: 0, framesHandled: 0, eventsHandled: 0, dotsInFlight: 0, dotsSkipped: 0, edges: 0, firstPaintMs: null, peerAt: () => null, zoom: () => 1, peerClasses: () => [], peerLabel: () => '', cutLinks: 0 };

(window as unknown as { gossipScopeProbe: Probe }).gossipScopeProbe = probe;

/** Marks `init` received, and the paint that follows the graph's first draw. */
export function measureFirstPaint(): void {
  const start = performance.now();
  performance.mark('gossip-scope:init');
  // Cytoscape draws in the next animation frame; the frame after that starts once it is painted.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      performance.mark('gossip-scope:graph-painted');
      if (probe.firstPaintMs === null) probe.firstPaintMs = performance.now() - start;
    }),
  );
}
