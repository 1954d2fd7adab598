/**
 * Which peer an endpoint written somewhere (a bootstrap entry, an anchor peer) reaches, and
 * whether anything listens at its port. A host that is a compose service's name (or its
 * container_name, hostname, CORE_PEER_ID) reaches that container directly, so the port must be
 * the one the peer listens on; another host name goes through the ports the service publishes.
 */
import type { DoctorNetwork, DoctorPeer, Endpoint } from './network-model.js';

export interface Reached {
  peer: DoctorPeer;
  /** false: the host is the peer's, but nothing of it listens at that port. */
  portOk: boolean;
  /** What the port should be, when portOk is false. */
  expectedPort?: number;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The peer an endpoint names, by host; undefined when no peer of the files has that host. */
export function reach(net: DoctorNetwork, ep: Endpoint): Reached | undefined {
  const direct = net.peers.filter((p) => p.names.some((n) => same(n, ep.host)));
  const own = (p: DoctorPeer) => [p.address, p.internal, p.external].filter((e): e is Endpoint => e !== undefined);
  const byEndpoint = net.peers.filter((p) => own(p).some((e) => same(e.host, ep.host) && !isWildcard(e.host)));
  const candidates = direct.length > 0 ? direct : byEndpoint;
  if (candidates.length === 0) return undefined;
  // Several peers on one host (localhost:7051, localhost:8051): the port picks.
  const peer =
    candidates.find((p) => own(p).some((e) => same(e.text, ep.text))) ??
    candidates.find((p) => p.listenPort === ep.port) ??
    candidates.find((p) => p.ports.some((m) => m.host === ep.port)) ??
    candidates[0];
  if (peer.listenPort === undefined) return { peer, portOk: true };
  if (direct.includes(peer)) return { peer, portOk: ep.port === peer.listenPort, expectedPort: peer.listenPort };
  if (own(peer).some((e) => same(e.text, ep.text))) return { peer, portOk: true };
  const published = peer.ports.filter((m) => m.container === peer.listenPort && m.host !== undefined);
  if (published.length > 0) return { peer, portOk: published.some((m) => m.host === ep.port), expectedPort: published[0].host };
  return { peer, portOk: ep.port === peer.listenPort, expectedPort: peer.listenPort };
}

/** 0.0.0.0 and friends: a listen address, never a host others dial. */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
}

/** Fabric's discovery skips these (gossip/discovery/discovery_impl.go, isMyOwnEndpoint). */
export function isOwnEndpoint(p: DoctorPeer, text: string): boolean {
  const port = p.internal?.port;
  return (port !== undefined && (text === `127.0.0.1:${port}` || text === `localhost:${port}`)) || text === p.internal?.text || text === p.external?.text;
}
