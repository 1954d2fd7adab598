/**
 * The shape of a run's figures (what `gossip-scope report --json` prints, what the report page
 * and the panel's charts draw). Types and constants only: the webview and the report page
 * import this file, and no engine code comes with it.
 */
export type Via = 'orderer' | 'push' | 'pull' | 'state';
export const VIAS: readonly Via[] = ['orderer', 'push', 'pull', 'state'];

export interface Receipt {
  peer: number;
  /** Simulated ms. */
  t: number;
  via: Via;
  /** Trace id of the event that shows it (the verify, or the commit for the orderer). */
  event: number;
}

export interface BlockCurve {
  channel: string;
  seq: number;
  cutAtMs: number;
  /** Peers of the channel: the denominator of the infection curve. */
  members: number;
  /** Each member's first receipt, by time. */
  receipts: Receipt[];
  /** Receipts of a block the peer already had, by how they came. */
  redundant: Record<Via, number>;
}

export interface Distribution {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  /** Every sample, ascending (for the CDF and the histogram). */
  samples: number[];
}

export interface Rates {
  bucketMs: number;
  /** Start of each bucket, simulated ms. */
  t: number[];
  /** Sends per bucket, by Fabric message type. */
  messages: Record<string, number[]>;
  /** Bytes sent per bucket (the encoded envelopes); null when the trace cannot say. */
  bytes: number[] | null;
}

/** One number per run, the ones a sweep plots against its parameters. */
export interface Scalars {
  blocks: number;
  /** Of the peers that did not get a block from the orderer, the share whose first copy came by push (mean over blocks). */
  pushReach: number;
  /** The same share for pull. */
  pullShare: number;
  /** The same share for state transfer. */
  stateShare: number;
  /** Mean share of the channel's peers holding a block at the end. */
  coverage: number;
  /** Mean time from cut to the last member's receipt, over blocks that reached every member; null if none did. */
  fullCoverageMs: number | null;
  latencyP50: number | null;
  latencyP95: number | null;
  latencyP99: number | null;
  /** DataMessage sends per block cut (push traffic, forwards included). */
  dataMessagesPerBlock: number;
  /** Every message sent, per block cut. */
  messagesPerBlock: number;
  messagesPerSecond: number;
  /** Null when the trace has no sizes. */
  bytesPerSecond: number | null;
}

export const SCALAR_NAMES: readonly (keyof Scalars)[] = [
  'pushReach',
  'pullShare',
  'stateShare',
  'coverage',
  'fullCoverageMs',
  'latencyP50',
  'latencyP95',
  'latencyP99',
  'dataMessagesPerBlock',
  'messagesPerBlock',
  'messagesPerSecond',
  'bytesPerSecond',
  'blocks',
];

export interface Figures {
  figuresVersion: 1;
  scenario: string;
  seed: number;
  simTimeMs: number;
  peers: string[];
  /** Org of each peer (the part of its id after the first dot: org1). */
  orgOf: string[];
  blocks: BlockCurve[];
  latency: { overall: Distribution; byOrg: Record<string, Distribution> };
  rates: Rates;
  scalars: Scalars;
}


/** A swept parameter and the values it takes. */
export interface SweepParam {
  name: string;
  values: (number | string)[];
}

export interface SweepRun {
  /** The parameter values of this run, by parameter name. */
  values: Record<string, number | string>;
  seed: number;
  traceHash: string;
  events: number;
  scalars: Scalars;
}

/** What `gossip-scope sweep` computes: one run per combination and seed, in combination order. */
export interface Sweep {
  sweepVersion: 1;
  scenario: string;
  params: SweepParam[];
  seeds: number[];
  runs: SweepRun[];
}

/** What a report page draws: the JSON embedded in it. `facts` are the header table's rows. */
export type ReportData =
  | { kind: 'run'; title: string; facts: [string, string][]; figures: Figures }
  | { kind: 'sweep'; title: string; facts: [string, string][]; sweep: Sweep };
