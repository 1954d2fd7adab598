/**
 * `peer.gossip.*` configuration, with Fabric's core.yaml names, and the two named profiles.
 *
 * Durations are milliseconds internally and Go duration strings ("4s", "1500ms") at the edges,
 * as core.yaml writes them. Values come from ../shared/reference/fabric-gossip.md section 3.
 */

export interface ElectionConfig {
  startupGracePeriod: number;
  membershipSampleInterval: number;
  leaderAliveThreshold: number;
  leaderElectionDuration: number;
}

export interface StateConfig {
  enabled: boolean;
  checkInterval: number;
  responseTimeout: number;
  batchSize: number;
  blockBufferSize: number;
  maxRetries: number;
  channelSize: number;
}

export interface PvtDataConfig {
  pullRetryThreshold: number;
  transientstoreMaxBlockRetention: number;
  pushAckTimeout: number;
  btlPullMargin: number;
  reconcileBatchSize: number;
  reconcileSleepInterval: number;
  reconciliationEnabled: boolean;
  skipPullingInvalidTransactionsDuringCommit: boolean;
  implicitCollectionDisseminationPolicy: { requiredPeerCount: number; maxPeerCount: number };
}

export interface GossipConfig {
  useLeaderElection: boolean;
  orgLeader: boolean;
  membershipTrackerInterval: number;
  maxBlockCountToStore: number;
  maxPropagationBurstLatency: number;
  maxPropagationBurstSize: number;
  propagateIterations: number;
  propagatePeerNum: number;
  pullInterval: number;
  pullPeerNum: number;
  requestStateInfoInterval: number;
  publishStateInfoInterval: number;
  publishCertPeriod: number;
  skipBlockVerification: boolean;
  dialTimeout: number;
  connTimeout: number;
  recvBuffSize: number;
  sendBuffSize: number;
  digestWaitTime: number;
  requestWaitTime: number;
  responseWaitTime: number;
  aliveTimeInterval: number;
  aliveExpirationTimeout: number;
  reconnectInterval: number;
  maxConnectionAttempts: number;
  msgExpirationFactor: number;
  nonBlockingCommitMode: boolean;
  election: ElectionConfig;
  pvtData: PvtDataConfig;
  state: StateConfig;
}

/** `peer.deliveryclient.*` keys that decide how blocks enter gossip. */
export interface DeliveryConfig {
  blockGossipEnabled: boolean;
}

export interface EffectiveConfig {
  gossip: GossipConfig;
  deliveryclient: DeliveryConfig;
}

/** sampleconfig/core.yaml as shipped with Fabric v3: the `fabric-v3` profile. */
export function coreYamlDefaults(): EffectiveConfig {
  return {
    gossip: {
      useLeaderElection: false,
      orgLeader: true,
      membershipTrackerInterval: 5000,
      maxBlockCountToStore: 10,
      maxPropagationBurstLatency: 10,
      maxPropagationBurstSize: 10,
      propagateIterations: 1,
      propagatePeerNum: 3,
      pullInterval: 4000,
      pullPeerNum: 3,
      requestStateInfoInterval: 4000,
      publishStateInfoInterval: 4000,
      publishCertPeriod: 10000,
      skipBlockVerification: false,
      dialTimeout: 3000,
      connTimeout: 2000,
      recvBuffSize: 20,
      sendBuffSize: 200,
      digestWaitTime: 1000,
      requestWaitTime: 1500,
      responseWaitTime: 2000,
      aliveTimeInterval: 5000,
      aliveExpirationTimeout: 25000,
      reconnectInterval: 25000,
      maxConnectionAttempts: 120,
      msgExpirationFactor: 20,
      nonBlockingCommitMode: false,
      election: {
        startupGracePeriod: 15000,
        membershipSampleInterval: 1000,
        leaderAliveThreshold: 10000,
        leaderElectionDuration: 5000,
      },
      pvtData: {
        pullRetryThreshold: 60000,
        transientstoreMaxBlockRetention: 20000,
        pushAckTimeout: 3000,
        btlPullMargin: 10,
        reconcileBatchSize: 10,
        reconcileSleepInterval: 60000,
        reconciliationEnabled: true,
        skipPullingInvalidTransactionsDuringCommit: false,
        implicitCollectionDisseminationPolicy: { requiredPeerCount: 0, maxPeerCount: 1 },
      },
      state: {
        enabled: false,
        checkInterval: 10000,
        responseTimeout: 3000,
        batchSize: 10,
        blockBufferSize: 20,
        maxRetries: 3,
        channelSize: 100,
      },
    },
    deliveryclient: { blockGossipEnabled: false },
  };
}

export const PROFILES = ['fabric-v3', 'classic-gossip'] as const;
export type ProfileName = (typeof PROFILES)[number];

/**
 * `classic-gossip` is Fabric before v2.2 changed the defaults (FAB-16435, FAB-18378): leader
 * election picks one peer per org to pull from the orderer, blocks spread by push and pull, and
 * state transfer repairs gaps. Everything else keeps core.yaml's values.
 */
export function profileConfig(profile: ProfileName): EffectiveConfig {
  const cfg = coreYamlDefaults();
  if (profile === 'classic-gossip') {
    cfg.gossip.useLeaderElection = true;
    cfg.gossip.orgLeader = false;
    cfg.gossip.state.enabled = true;
    cfg.deliveryclient.blockGossipEnabled = true;
  }
  return cfg;
}

/** Which leaves are durations: they print as Go durations and parse from them. */
export const DURATION_KEYS = new Set([
  'membershipTrackerInterval',
  'maxPropagationBurstLatency',
  'pullInterval',
  'requestStateInfoInterval',
  'publishStateInfoInterval',
  'publishCertPeriod',
  'dialTimeout',
  'connTimeout',
  'digestWaitTime',
  'requestWaitTime',
  'responseWaitTime',
  'aliveTimeInterval',
  'aliveExpirationTimeout',
  'reconnectInterval',
  'election.startupGracePeriod',
  'election.membershipSampleInterval',
  'election.leaderAliveThreshold',
  'election.leaderElectionDuration',
  'pvtData.pullRetryThreshold',
  'pvtData.pushAckTimeout',
  'pvtData.reconcileSleepInterval',
  'state.checkInterval',
  'state.responseTimeout',
]);

/** Go's time.Duration.String() for whole milliseconds: 4s, 1.5s, 1m0s, 10ms. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = +(totalSeconds % 60).toFixed(3);
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

/** Parses a Go duration ("1m30s", "500ms", "2.5s"); returns null when it is not one. */
export function parseDuration(text: string): number | null {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += parseFloat(m[1]) * UNIT_MS[m[2]];
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== s.length) return null;
  return total;
}

/** The configuration as core.yaml would print it: durations as Go strings. */
export function configToYamlShape(cfg: EffectiveConfig): Record<string, unknown> {
  const render = (obj: Record<string, unknown>, prefix: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (v !== null && typeof v === 'object') out[k] = render(v as Record<string, unknown>, path);
      else out[k] = DURATION_KEYS.has(path) ? formatDuration(v as number) : v;
    }
    return out;
  };
  return {
    peer: {
      gossip: render(cfg.gossip as unknown as Record<string, unknown>, ''),
      deliveryclient: { ...cfg.deliveryclient },
    },
  };
}
