/**
 * Who can see whom: which peers' membership views will hold which peers, from the files alone.
 * Peers first meet through bootstrap entries (same org only: gossip_impl.go connect2BootstrapPeers
 * refuses others) and the channels' anchor peers (learnAnchorPeers; a peer without an external
 * endpoint skips other orgs' anchors). Two peers in contact learn each other whatever their
 * endpoints: a membership request carries the sender's own alive message, which the receiver
 * takes before it applies the disclosure policy (discovery_impl.go handleMsgFromComm), and a peer
 * that lost one it knew sends it membership requests again (periodicalReconnectToDead). What a
 * peer tells another about a third follows Fabric's disclosure policy (gossip_impl.go
 * disclosurePolicy): only about peers of its own org or of the asker's org, and across orgs only
 * when both the peer told about and the asker have an external endpoint. Anyone a peer learns of
 * it can contact in turn; this runs to a fixpoint.
 */
import { reach, isOwnEndpoint } from './endpoints.js';
import { parseEndpoint, type DoctorNetwork, type DoctorPeer } from './network-model.js';

export interface Visibility {
  /** Peer ids, in the files' order. */
  peers: string[];
  orgs: string[];
  /** sees[i][j]: peer i's membership view comes to hold peer j. */
  sees: boolean[][];
}

/** Past this many peers the matrix is not computed (the fixpoint is cubic). */
export const MAX_MATRIX_PEERS = 300;

export function orgOf(p: DoctorPeer): string {
  return p.mspId ?? `(no MSP ID: ${p.id})`;
}

/** The first contacts: [a, b] pairs of peer indexes, from bootstrap entries and anchor peers. */
export function firstContacts(net: DoctorNetwork): [number, number][] {
  const index = new Map(net.peers.map((p, i) => [p, i]));
  const out: [number, number][] = [];
  net.peers.forEach((p, i) => {
    for (const b of p.bootstrap) {
      if (!b.endpoint || isOwnEndpoint(p, b.text)) continue;
      const r = reach(net, b.endpoint);
      if (r && r.portOk && r.peer !== p && r.peer.mspId === p.mspId) out.push([i, index.get(r.peer)!]);
    }
    for (const ch of net.channels) {
      if (!p.mspId || !ch.orgs.includes(p.mspId)) continue;
      for (const org of net.orgs.filter((o) => ch.orgs.includes(o.mspId))) {
        const ownOrg = org.mspId === p.mspId;
        if (!ownOrg && !p.external) continue; // "isn't in our org(%v) and we have no external endpoint, skipping"
        for (const a of org.anchors) {
          const ep = parseEndpoint(`${a.host}:${a.port}`, a.origin);
          if (!ep || isOwnEndpoint(p, ep.text)) continue;
          const r = reach(net, ep);
          if (!r || !r.portOk || r.peer === p) continue;
          // An anchor claimed by my org that is not of my org is refused ("isn't in our org, but is claimed to be").
          if (ownOrg && r.peer.mspId !== p.mspId) continue;
          out.push([i, index.get(r.peer)!]);
        }
      }
    }
  });
  return out;
}

export function whoSeesWhom(net: DoctorNetwork): Visibility | undefined {
  const n = net.peers.length;
  if (n > MAX_MATRIX_PEERS) return undefined;
  const org = net.peers.map(orgOf);
  const ext = net.peers.map((p) => p.external !== undefined);
  const disclosed = (teller: number, asker: number, about: number) =>
    (org[about] === org[teller] || org[about] === org[asker]) && (org[about] === org[asker] || (ext[about] && ext[asker]));
  const sees = net.peers.map((_, i) => net.peers.map((__, j) => i === j));
  const talk = net.peers.map(() => new Set<number>());
  const contact = (a: number, b: number) => {
    talk[a].add(b);
    talk[b].add(a);
    sees[a][b] = true;
    sees[b][a] = true;
  };
  for (const [a, b] of firstContacts(net)) contact(a, b);
  for (let changed = true; changed; ) {
    changed = false;
    for (let r = 0; r < n; r++) {
      for (const s of [...talk[r]]) {
        for (let x = 0; x < n; x++) {
          if (sees[r][x] || !sees[s][x] || !disclosed(s, r, x)) continue;
          contact(r, x);
          changed = true;
        }
      }
    }
  }
  return { peers: net.peers.map((p) => p.id), orgs: org, sees };
}

/** The matrix as text: a row per peer, a column per peer (numbered), `x` where the row's peer sees the column's. */
export function formatVisibility(v: Visibility): string {
  const width = Math.max(...v.peers.map((p) => p.length));
  const lines = [`who sees whom (row's membership view comes to hold column: bootstrap, anchor peers, direct contact and Fabric's disclosure policy):`];
  lines.push(`${''.padEnd(width + 3)}${v.peers.map((_, j) => String(j + 1).padStart(3)).join('')}`);
  v.peers.forEach((p, i) => lines.push(`${String(i + 1).padStart(2)} ${p.padEnd(width)}${v.sees[i].map((s, j) => (i === j ? '  -' : s ? '  x' : '  .')).join('')}  ${v.orgs[i]}`));
  return lines.join('\n');
}
