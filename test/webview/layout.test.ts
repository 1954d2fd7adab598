/** The graph's preset layout: every peer placed, in its org's cell, never on top of another. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestColumns, PEER_SPACING, presetLayout } from '../../webview/layout.js';

function orgsOf(sizes: number[]): number[] {
  return sizes.flatMap((n, o) => new Array<number>(n).fill(o));
}

test('every peer gets a distinct place, at least the peer spacing from any other', () => {
  for (const sizes of [[1], [4, 4], [3, 7, 12], [25, 25, 25, 25], new Array(10).fill(50)]) {
    const orgOf = orgsOf(sizes);
    const { peers } = presetLayout(orgOf, sizes.length);
    assert.equal(peers.length, orgOf.length * 2);
    let min = Infinity;
    // Neighbours only matter within an org (cells are apart); 500 peers is 125k pairs, fine.
    for (let i = 0; i < orgOf.length; i++)
      for (let j = i + 1; j < orgOf.length; j++) min = Math.min(min, Math.hypot(peers[2 * i] - peers[2 * j], peers[2 * i + 1] - peers[2 * j + 1]));
    if (orgOf.length > 1) assert.ok(min >= PEER_SPACING * 0.99, `closest pair ${min} for ${sizes}`);
    assert.ok([...peers].every(Number.isFinite));
  }
});

test('peers sit around their own org centre, orgs do not overlap', () => {
  const sizes = [5, 30, 12, 50];
  const orgOf = orgsOf(sizes);
  const { peers, orgs } = presetLayout(orgOf, sizes.length);
  const extent = (o: number) => Math.max(...orgOf.flatMap((x, i) => (x === o ? [Math.abs(peers[2 * i] - orgs[o].x), Math.abs(peers[2 * i + 1] - orgs[o].y)] : [])));
  for (let a = 0; a < orgs.length; a++)
    for (let b = a + 1; b < orgs.length; b++) {
      const gap = Math.max(Math.abs(orgs[a].x - orgs[b].x), Math.abs(orgs[a].y - orgs[b].y));
      assert.ok(gap > extent(a) + extent(b) + PEER_SPACING, `orgs ${a} and ${b} overlap`);
    }
});

test('org columns follow the shape of the view', () => {
  assert.equal(bestColumns(4, 2.4), 4); // a wide pane: one row
  assert.equal(bestColumns(4, 1), 2); // a square: 2 × 2
  assert.equal(bestColumns(10, 2.4), 5); // 5 × 2
  assert.equal(bestColumns(3, 0.4), 1); // a tall pane: one column
  assert.equal(bestColumns(1, 3), 1);
});

test('a 500-peer layout takes milliseconds (no force layout)', () => {
  const orgOf = orgsOf(new Array(10).fill(50));
  const t0 = performance.now();
  for (let k = 0; k < 20; k++) presetLayout(orgOf, 10);
  assert.ok((performance.now() - t0) / 20 < 20);
});
