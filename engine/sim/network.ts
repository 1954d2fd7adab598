import type { Kernel } from '../kernel/kernel.js';
import { Rng } from '../kernel/rng.js';
import type { Comm, CommNet } from '../fabric/comm.js';
import type { NetworkSpec, LatencySpec } from '../scenario/types.js';

/**
 * The simulated network between peers: seeded latency per message, loss, partitions, and what
 * a dial sees (refused by a stopped peer, a timeout across a partition or to an unknown host).
 * Streams are FIFO (the connection enforces it); latency is drawn per message.
 */
export class SimNetwork {
  private readonly rng: Rng;
  private readonly comms: (Comm | undefined)[] = [];
  private readonly endpoints = new Map<string, number>();
  private readonly up: boolean[] = [];
  /** Partition group of each peer; peers in different groups cannot reach each other. */
  private group: number[] | null = null;
  /** The orderer's group (index -1); null: every peer reaches it. */
  private ordererGroup: number | null = null;
  private readonly links = new Map<string, { latency?: LatencySpec; loss?: number }>();
  readonly sendCost = 0.02; // ms per message written to a stream: sets how fast a send buffer drains

  constructor(
    private readonly kernel: Kernel,
    private readonly spec: NetworkSpec,
    seed: number,
    peerIndex: (id: string) => number,
  ) {
    this.rng = new Rng(seed, 'network');
    for (const l of spec.links) {
      const a = peerIndex(l.between[0]);
      const b = peerIndex(l.between[1]);
      this.links.set(`${Math.min(a, b)}:${Math.max(a, b)}`, { latency: l.latency, loss: l.loss });
    }
  }

  register(idx: number, endpoint: string, comm: Comm): void {
    this.comms[idx] = comm;
    this.endpoints.set(endpoint, idx);
    this.up[idx] = true;
  }

  setUp(idx: number, up: boolean, comm?: Comm): void {
    this.up[idx] = up;
    if (comm !== undefined) this.comms[idx] = comm;
  }

  isUp(idx: number): boolean {
    return this.up[idx] === true;
  }

  /** Splits peers into groups (by index, -1 the orderer); null heals every partition. */
  setPartition(groups: number[][] | null, total: number): void {
    this.ordererGroup = null;
    if (groups === null) {
      this.group = null;
      return;
    }
    // Peers named in no group form one more group together.
    const g = new Array<number>(total).fill(groups.length);
    groups.forEach((members, i) =>
      members.forEach((p) => {
        if (p < 0) this.ordererGroup = i;
        else g[p] = i;
      }),
    );
    this.group = g;
  }

  partitioned(a: number, b: number): boolean {
    if (this.group === null) return false;
    const ga = a < 0 ? this.ordererGroup : this.group[a];
    const gb = b < 0 ? this.ordererGroup : this.group[b];
    return ga !== null && gb !== null && ga !== gb;
  }

  /** One-way latency from a to b (a or b may be -1: the orderer). */
  latency(a: number, b: number): number {
    const link = this.links.get(`${Math.min(a, b)}:${Math.max(a, b)}`);
    const l = link?.latency ?? this.spec.latency;
    // Microsecond resolution keeps times exact in binary floating point.
    return Math.round((l.min + this.rng.next() * (l.max - l.min)) * 1000) / 1000;
  }

  route(a: number, b: number): number | string {
    if (this.partitioned(a, b)) return 'partitioned';
    const link = this.links.get(`${Math.min(a, b)}:${Math.max(a, b)}`);
    const loss = link?.loss ?? this.spec.loss;
    if (loss > 0 && this.rng.next() < loss) return 'lost on the network';
    return this.latency(a, b);
  }

  forPeer(idx: number, dialTimeout: () => number): CommNet {
    return {
      sendCost: this.sendCost,
      route: (a, b) => this.route(a, b),
      schedule: (delay, fn) => this.kernel.after(delay, fn),
      dial: (from, endpoint, cb) => {
        const to = this.endpoints.get(endpoint);
        if (to === undefined || this.partitioned(from, to)) {
          this.kernel.after(dialTimeout(), () => cb(null, `context deadline exceeded (dialing ${endpoint})`));
          return;
        }
        const rtt = this.latency(from, to) + this.latency(to, from);
        this.kernel.after(rtt, () => {
          const comm = this.comms[to];
          if (!this.up[to] || comm === undefined || !comm.running) return cb(null, `connection refused (dialing ${endpoint})`);
          cb(comm, '');
        });
      },
    };
  }
}
