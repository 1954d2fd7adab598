/**
 * Where every peer is drawn, computed in one pass with no force layout (cose takes seconds at
 * 500 peers and blocks the view): org groups sit on a grid, and each org's peers on a circle
 * when there are few of them, on a compact grid when there are many. Pure: no DOM.
 */
export const PEER_SPACING = 44;
const ORG_GAP = 90;
/** Up to this many peers an org is a circle (easy to read); beyond, a grid (compact). */
const CIRCLE_MAX = 12;

export interface OrgBox {
  /** Centre of the org's group. */
  x: number;
  y: number;
}

export interface Layout {
  /** x, y of peer i at [2i], [2i + 1]. */
  peers: Float64Array;
  orgs: OrgBox[];
}

/** The offsets of n peers around their org's centre, and the extent (half-width) they need. */
function arrange(n: number): { offsets: [number, number][]; half: number } {
  if (n <= 1) return { offsets: n === 1 ? [[0, 0]] : [], half: PEER_SPACING / 2 };
  if (n <= CIRCLE_MAX) {
    // Neighbours one spacing apart (the chord), but never a circle so small labels collide.
    const r = Math.max(PEER_SPACING, PEER_SPACING / (2 * Math.sin(Math.PI / n)));
    const offsets = Array.from({ length: n }, (_, k): [number, number] => {
      const a = (2 * Math.PI * k) / n - Math.PI / 2;
      return [r * Math.cos(a), r * Math.sin(a)];
    });
    return { offsets, half: r + PEER_SPACING / 2 };
  }
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const offsets = Array.from({ length: n }, (_, k): [number, number] => [
    ((k % cols) - (cols - 1) / 2) * PEER_SPACING,
    (Math.floor(k / cols) - (rows - 1) / 2) * PEER_SPACING,
  ]);
  return { offsets, half: (Math.max(cols, rows) * PEER_SPACING) / 2 };
}

/** The number of columns of orgs that lets square cells be biggest in a view of this aspect. */
export function bestColumns(orgCount: number, aspect: number): number {
  let best = 1;
  let bestScale = 0;
  for (let cols = 1; cols <= Math.max(1, orgCount); cols++) {
    const rows = Math.ceil(orgCount / cols);
    const scale = Math.min(aspect / cols, 1 / rows);
    // Strictly better only: on a tie, fewer columns (fewer empty cells in the last row).
    if (scale > bestScale + 1e-9) {
      best = cols;
      bestScale = scale;
    }
  }
  return best;
}

/**
 * @param orgOf  the org (index into the org list) of each peer, by peer index
 * @param orgCount  how many orgs
 * @param aspect  width / height of the view, so the grid of orgs fills it
 */
export function presetLayout(orgOf: readonly number[], orgCount: number, aspect = 16 / 9): Layout {
  const members: number[][] = Array.from({ length: orgCount }, () => []);
  orgOf.forEach((o, idx) => members[o]?.push(idx));
  const arranged = members.map((m) => arrange(m.length));
  // Every cell as big as the biggest org, so the grid stays regular and easy to scan.
  const cell = 2 * Math.max(PEER_SPACING, ...arranged.map((a) => a.half)) + ORG_GAP;
  const cols = bestColumns(orgCount, aspect);
  const peers = new Float64Array(orgOf.length * 2);
  const orgs: OrgBox[] = [];
  for (let o = 0; o < orgCount; o++) {
    const x = (o % cols) * cell;
    const y = Math.floor(o / cols) * cell;
    orgs.push({ x, y });
    members[o].forEach((idx, k) => {
      const [dx, dy] = arranged[o].offsets[k];
      peers[2 * idx] = x + dx;
      peers[2 * idx + 1] = y + dy;
    });
  }
  return { peers, orgs };
}
