/**
 * Every bound on what a user can set, in one table: the scenario schema takes its maxima from
 * here (validate.ts), the loader checks sizes, durations and the run's cost before anything runs
 * (load.ts, build.ts), and the CLI, the saved-trace reader and the extension check their inputs
 * against the same numbers. Figures measured on the dev machine (2 cores, 24 GB, Node 20): see
 * README "Limits".
 */

export interface Bound {
  max: number;
  /** Why this bound: what it protects, measured where it could be. */
  why: string;
}

const H = 3_600_000;

/**
 * The benchmark measures the engine past what a user may ask of it (issue 14's 1,000-peer
 * target): it raises the two cost bounds, peers and estimated events, in its own process only.
 * Nothing else calls this.
 */
export function liftCostBoundsForBenchmark(): void {
  LIMITS.peers.max = 5_000;
  LIMITS.events.max = Number.MAX_SAFE_INTEGER;
}

/** Largest safe integer: a seed (or any count) beyond it cannot be held exactly by a JS number. */
export const MAX_EXACT_INTEGER = Number.MAX_SAFE_INTEGER;

export const LIMITS = {
  scenarioBytes: { max: 1 << 20, why: 'the largest sample is 2 KB; a 50 MB scenario took 2.3 GB and minutes to parse' },
  nesting: { max: 32, why: 'the samples nest at most 6 levels; much deeper YAML exhausts the parser\'s stack' },
  peers: { max: 500, why: 'peers over all orgs: 500 peers for 10 s took 4 min and 1.2 GB here, and the cost grows with the square of the peers' },
  orgs: { max: 100, why: 'each org has its own CA and at least one peer' },
  channels: { max: 100, why: 'each channel has its own StateInfo, pull engine and ledger on every member' },
  blocks: { max: 100_000, why: 'blocks per channel' },
  txPerBlock: { max: 10_000, why: 'Fabric\'s own default BatchSize is 500 transactions' },
  peerTransactions: { max: 5_000_000, why: 'transactions committed, summed over the peers that commit them: 2 peers × 1 M transactions took 0.5 GB and 46 s here' },
  listItems: { max: 10_000, why: 'entries of one list (faults, links, expectations): far more than a lesson needs, and bounded by the file size' },
  count: { max: 1_000_000, why: 'a count in core.yaml (buffer sizes, attempts, factors)' },
  propagateIterations: { max: 100, why: 'each message is pushed this many times: the cost multiplies with it' },
  tamperCount: { max: 1_000_000, why: 'messages one tamper rule changes' },
  seed: { max: MAX_EXACT_INTEGER, why: '2^53 − 1: a larger integer cannot be held exactly, and two seeds would run as one' },
  duration: { max: 24 * H, why: 'every duration, run.until included: a day of simulated time (the trace ring keeps memory bounded, but the time to run grows with it)' },
  events: { max: 30_000_000, why: 'events of the run, estimated before it (≈ 12 × peers² × seconds ÷ aliveTimeInterval, plus ≈ 20 per periodic timer firing, more with a wider push fanout) and enforced as it runs: this machine gets through about 25,000 of them a second (4 peers for 1 h took 43 s, 500 peers for 10 s 4 min), so 30 M is about 20 min' },
  traceBytes: { max: 256 << 20, why: 'a saved trace is read whole to check each line; 100,000 events (the default gossipScope.maxTraceEvents) take about 30 MB' },
  reportBuckets: { max: 100_000, why: 'rate buckets of one report chart (run length ÷ --bucket): a day in 1 s buckets is 86,400' },
  injectedFaults: { max: 10_000, why: 'faults and hand-made choices made in one debug session: each is replayed on every rebuild a step back makes (about 200 bytes each)' },
  traceEvents: { max: 1_000_000, why: 'gossipScope.maxTraceEvents: events kept in memory, about 300 bytes each' },
} satisfies Record<string, Bound>;

export type LimitName = keyof typeof LIMITS;

/** The shortest non-zero gossip duration: the clock counts milliseconds, and a shorter period fires without end. */
export const MIN_PERIOD_MS = 1;

/** How a limit reads in a message: `at most 500 (why)`. */
export function atMost(name: LimitName, show: (n: number) => string = (n) => n.toLocaleString('en-US')): string {
  const b = LIMITS[name];
  return `at most ${show(b.max)} (${b.why})`;
}

/**
 * Maxima of the scenario schema, by JSON pointer into scenario.schema.json: `maximum` for numbers,
 * `maxItems` for lists. validate.ts applies them; a test keeps the shipped schema file equal.
 */
export function schemaMaxima(): Record<string, { keyword: 'maximum' | 'maxItems'; limit: LimitName }> {
  const out: Record<string, { keyword: 'maximum' | 'maxItems'; limit: LimitName }> = {};
  const num = (ptr: string, limit: LimitName) => (out[ptr] = { keyword: 'maximum', limit });
  const list = (ptr: string, limit: LimitName) => (out[ptr] = { keyword: 'maxItems', limit });
  const g = '/definitions/gossip/properties';
  for (const k of ['maxBlockCountToStore', 'maxPropagationBurstSize', 'recvBuffSize', 'sendBuffSize', 'maxConnectionAttempts', 'msgExpirationFactor']) num(`${g}/${k}`, 'count');
  num(`${g}/propagateIterations`, 'propagateIterations');
  num(`${g}/propagatePeerNum`, 'peers');
  num(`${g}/pullPeerNum`, 'peers');
  for (const k of ['transientstoreMaxBlockRetention', 'btlPullMargin', 'reconcileBatchSize']) num(`${g}/pvtData/properties/${k}`, 'count');
  for (const k of ['requiredPeerCount', 'maxPeerCount']) num(`${g}/pvtData/properties/implicitCollectionDisseminationPolicy/properties/${k}`, 'peers');
  for (const k of ['batchSize', 'blockBufferSize', 'maxRetries', 'channelSize']) num(`${g}/state/properties/${k}`, 'count');
  num('/properties/seed', 'seed');
  list('/properties/orgs', 'orgs');
  num('/properties/orgs/items/properties/peers', 'peers');
  for (const k of ['anchorPeers', 'bootstrap']) list(`/properties/orgs/items/properties/${k}`, 'peers');
  list('/properties/orgs/items/properties/externalEndpoints/anyOf/1', 'peers');
  list('/properties/channels', 'channels');
  list('/properties/channels/items/properties/orgs', 'orgs');
  const col = '/properties/channels/items/properties/collections';
  list(col, 'listItems');
  list(`${col}/items/properties/memberOrgs`, 'orgs');
  num(`${col}/items/properties/requiredPeerCount`, 'peers');
  num(`${col}/items/properties/maxPeerCount`, 'peers');
  num(`${col}/items/properties/txPerBlock`, 'txPerBlock');
  num('/properties/orderer/properties/blocks', 'blocks');
  num('/properties/orderer/properties/txPerBlock', 'txPerBlock');
  list('/properties/network/properties/links', 'listItems');
  for (const k of ['start', 'certExpiry']) list(`/properties/peers/properties/${k}`, 'peers');
  list('/properties/peers/properties/config', 'listItems');
  list('/properties/peers/properties/config/items/properties/peers/anyOf/1', 'peers');
  list('/properties/faults', 'listItems');
  list('/properties/faults/items/properties/partition', 'peers');
  list('/properties/faults/items/properties/partition/items', 'peers');
  num('/properties/faults/items/properties/tamper/properties/count', 'tamperCount');
  list('/properties/expect', 'listItems');
  num('/properties/expect/items/properties/height', 'blocks');
  return out;
}

/** The schema with every maximum of `schemaMaxima` set (a copy; the input is not changed). */
export function boundedSchema<T>(schema: T): T {
  const copy = structuredClone(schema) as Record<string, unknown>;
  for (const [ptr, { keyword, limit }] of Object.entries(schemaMaxima())) {
    let node: Record<string, unknown> = copy;
    for (const seg of ptr.split('/').slice(1)) node = node[seg] as Record<string, unknown>;
    if (node === undefined) throw new Error(`bounds: no schema node at ${ptr}`);
    node[keyword] = LIMITS[limit].max;
  }
  return copy as T;
}

/** The limit a schema node's maximum comes from (for the reason in a message), if any. */
export function limitOfSchemaPath(schemaPath: string): Bound | undefined {
  // ajv's schemaPath: '#/properties/orgs/items/properties/peers/maximum'.
  const ptr = schemaPath.replace(/^#/, '').replace(/\/(maximum|maxItems)$/, '');
  const m = schemaMaxima()[ptr];
  return m === undefined ? undefined : LIMITS[m.limit];
}

/** How Fabric reads a `peer.gossip.*` duration of 0 (gossip/util/misc.go, state/config.go). */
export type ZeroRule =
  /** GetDurationOrDefault: 0 means unset, and the code default applies. */
  | 'default'
  /** Read as written (plain viper.GetDuration): 0 is a real value. */
  | 'literal'
  /** Read as written and used as a period: Fabric would spin; refused. */
  | 'refuse';

/** Gossip duration keys whose 0 is not Fabric's "unset". Every other duration key uses GetDurationOrDefault. */
const ZERO_RULES: Record<string, ZeroRule> = {
  'pvtData.pullRetryThreshold': 'literal',
  'pvtData.pushAckTimeout': 'literal',
  // state/config.go reads these with IsSet, so 0 is kept: a 0 checkInterval makes the
  // anti-entropy loop (`time.After(0)`) spin; a 0 responseTimeout just times out at once.
  'state.checkInterval': 'refuse',
  'state.responseTimeout': 'literal',
};

export function zeroRule(key: string): ZeroRule {
  return ZERO_RULES[key] ?? 'default';
}

/** Gossip integer keys Fabric reads with GetIntOrDefault: 0 means unset (gossip/gossip/config.go, privdata/config.go). */
export const INT_ZERO_IS_DEFAULT = new Set([
  'maxBlockCountToStore',
  'maxPropagationBurstSize',
  'propagateIterations',
  'propagatePeerNum',
  'pullPeerNum',
  'recvBuffSize',
  'sendBuffSize',
  'maxConnectionAttempts',
  'msgExpirationFactor',
  'pvtData.reconcileBatchSize',
]);

/** Gossip duration keys that are periods: the events they cause grow with 1/period. */
export const PERIODIC_KEYS: Record<string, number> = {
  // key → how many times per period it fires on every peer
  membershipTrackerInterval: 1,
  pullInterval: 2, // block pull and identity pull
  requestStateInfoInterval: 1,
  publishStateInfoInterval: 1,
  aliveTimeInterval: 1,
  aliveExpirationTimeout: 10, // the expiry check runs every tenth of it
  reconnectInterval: 1,
  'election.membershipSampleInterval': 1,
  'election.leaderAliveThreshold': 2, // the leader re-declares every half of it
  'state.checkInterval': 1,
  'pvtData.reconcileSleepInterval': 1,
};

/** Push fanout of Fabric's defaults (propagatePeerNum 3 × propagateIterations 1): the alive figure's. */
export const DEFAULT_FANOUT = 3;

/** What a run pushes beyond its alive rounds: its widest push fanout and the blocks its peers receive. */
export interface PushLoad {
  /** Largest min(propagatePeerNum, peers − 1) × propagateIterations over the peers' configurations. */
  fanout: number;
  /** Blocks each channel's members receive, summed: blocks per channel × members. */
  blockDeliveries: number;
}

/**
 * How much more every pushed message costs at a wider fanout. Measured on 100 peers for 10 s
 * (alive, StateInfo and blocks are all pushed this way): fanout 3, 233 k events; fanout 30
 * (10 × 3 or 30 × 1), 0.70 M (×3.0); fanout 9,900 (100 × 100), 6.3 M (×27), and 45.4 M for 60 s.
 * Sends overflow buffers and membership collapses, so the cost grows less than linearly; the
 * square root is above every measurement, so the estimate errs on the side of refusing.
 */
export function fanoutFactor(fanout: number): number {
  return Math.sqrt(Math.max(1, fanout / DEFAULT_FANOUT));
}

/**
 * Events a run will cause, roughly: alive messages reach every peer from every peer (measured
 * ≈ 12 events per peer pair per alive round, samples/big-200 and 250- and 500-peer runs), and
 * every periodic timer causes a few sends and deliveries (≈ 20 events) on each firing. A wider
 * push fanout multiplies the alive figure (`fanoutFactor`), and every block a peer receives
 * costs ≈ 2 events at Fabric's fanout (200 blocks to 100 peers: 25 k events), times the same factor.
 */
export function estimateEvents(peers: number, untilMs: number, periods: Record<string, number>, push?: PushLoad): number {
  let firings = 0;
  for (const [key, perPeriod] of Object.entries(PERIODIC_KEYS)) {
    const p = periods[key];
    if (p !== undefined && p > 0) firings += perPeriod / p;
  }
  const factor = push === undefined ? 1 : fanoutFactor(push.fanout);
  const alive = periods.aliveTimeInterval > 0 ? (12 * peers * peers * factor) / periods.aliveTimeInterval : 0;
  const blocks = push === undefined ? 0 : 2 * push.blockDeliveries * factor;
  return untilMs * (alive + 20 * peers * firings) + blocks;
}

/** A duration in words for messages: 24h, 1ms, 1m30s. */
export function showMs(ms: number): string {
  if (ms >= H && ms % H === 0) return `${ms / H}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Long user text shown in a message, cut short: a 400-digit duration stays readable. */
export function clip(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 12)}…(${text.length} characters)`;
}
