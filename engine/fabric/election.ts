/**
 * gossip/election: per-channel leader election among the peers of our org. Propose, wait
 * leaderElectionDuration, declare if nobody lower proposed; the leader re-declares every half
 * leaderAliveThreshold; followers wait leaderAliveThreshold for a declaration before electing
 * again; a lower PKI-ID's declaration makes a leader step down. The lowest PKI-ID wins.
 *
 * Fabric runs this as a goroutine loop with sleeps; here each sleep is a timer and the loop
 * continues in its callback, with the same interruptible and uninterruptible waits.
 */
import { Tag, type GossipMessage } from '../wire/messages.js';
import type { PeerEnv } from './env.js';
import { SignedMessage, compareBytes, hex } from './message.js';
import type { Timer } from '../kernel/runtime.js';

export interface ElectionAdapter {
  /** Peers(): peers of the channel (with a StateInfo) in our org, including ourselves. */
  peers(): { pkiId: Uint8Array; pkiHex: string }[];
  /** Whether one peer is in that view. */
  inView(pkiId: Uint8Array): boolean;
  /** Node.Gossip: sign and push to all eligible peers of our org. */
  gossip(msg: GossipMessage): void;
  /** The leadership callback: start or stop pulling blocks from the orderer. */
  onLeadershipChange(isLeader: boolean): void;
}

export class LeaderElection {
  isLeader = false;
  private leaderExists = false;
  private readonly proposals = new Set<string>();
  private yielding = false;
  private sleeping: { timer: Timer; wake: () => void } | null = null;
  private seqNum = 0n;
  private readonly incTime: bigint;
  private stopped = false;
  private readonly channelBytes: Uint8Array;

  constructor(
    private readonly env: PeerEnv,
    readonly channel: string,
    private readonly adapter: ElectionAdapter,
  ) {
    this.incTime = env.rt.unixNano();
    this.channelBytes = new TextEncoder().encode(channel);
  }

  /** What the debugger shows of this election (read-only). */
  view(): { isLeader: boolean; leaderExists: boolean; yielding: boolean; proposals: number; seqNum: string } {
    return { isLeader: this.isLeader, leaderExists: this.leaderExists, yielding: this.yielding, proposals: this.proposals.size, seqNum: this.seqNum.toString() };
  }

  private get cfg() {
    return this.env.config.election;
  }

  private log(text: string): void {
    this.env.tr.log('info', 'gossip.election', `${this.env.pkiHex.slice(0, 16)} : ${text}`);
  }

  /** start: wait for a stable view (or a declaration, or the grace period), then run. */
  start(): void {
    const deadline = this.env.rt.now() + this.cfg.startupGracePeriod;
    let viewSize = this.adapter.peers().length;
    const sample = () => {
      const size = this.adapter.peers().length;
      if (size === viewSize || this.env.rt.now() > deadline || this.leaderExists) return this.run();
      viewSize = size;
      this.env.rt.after(this.cfg.membershipSampleInterval, 'election.membershipSample', sample);
    };
    this.env.rt.after(this.cfg.membershipSampleInterval, 'election.membershipSample', sample);
  }

  stop(): void {
    this.stopped = true;
    this.sleeping?.timer.cancel();
  }

  /** One iteration of the run loop. */
  private run(): void {
    if (this.stopped) return;
    if (!this.leaderExists) this.leaderElection(() => this.afterElection());
    else this.afterElection();
  }

  private afterElection(): void {
    if (this.stopped) return;
    if (this.leaderExists && this.yielding) this.yielding = false;
    if (this.isLeader) {
      // leader(): declare, then wait half the alive threshold (a declaration may interrupt).
      this.adapter.gossip(this.createMessage(true));
      this.waitForInterrupt(this.cfg.leaderAliveThreshold / 2, () => this.run());
    } else {
      // follower(): forget proposals, assume no leader, and sleep the whole threshold.
      this.proposals.clear();
      this.leaderExists = false;
      this.env.rt.after(this.cfg.leaderAliveThreshold, 'election.follower', () => this.run());
    }
  }

  private leaderElection(done: () => void): void {
    if (this.yielding) return done();
    this.adapter.gossip(this.createMessage(false));
    this.waitForInterrupt(this.cfg.leaderElectionDuration, () => {
      if (this.leaderExists) {
        this.log('Some peer is already a leader');
        return done();
      }
      if (this.yielding) return done();
      for (const p of this.proposals) if (p < this.env.pkiHex) return done();
      this.beLeader();
      this.leaderExists = true;
      done();
    });
  }

  /** waitForInterrupt: a timer that a declaration can cut short. */
  private waitForInterrupt(ms: number, next: () => void): void {
    const wake = () => {
      if (this.sleeping?.wake !== wake) return;
      this.sleeping.timer.cancel();
      this.sleeping = null;
      next();
    };
    const timer = this.env.rt.after(ms, 'election.wait', wake);
    this.sleeping = { timer, wake };
  }

  private createMessage(isDeclaration: boolean): GossipMessage {
    this.seqNum++;
    return {
      nonce: 0n,
      channel: this.channelBytes,
      tag: Tag.CHAN_AND_ORG,
      content: 'leadershipMsg',
      leadershipMsg: { pkiId: this.env.pkiId, timestamp: { incNum: this.incTime, seqNum: this.seqNum }, isDeclaration },
    };
  }

  /** handleMessages + handleMessage: only from peers in the view. */
  handleMessage(sm: SignedMessage): void {
    if (sm.msg.content !== 'leadershipMsg') return;
    const lm = sm.msg.leadershipMsg;
    const sender = hex(lm.pkiId);
    if (!this.adapter.inView(lm.pkiId)) {
      this.env.tr.log('debug', 'gossip.election', `Got message from ${sender} but it is not in the view`);
      return;
    }
    if (!lm.isDeclaration) {
      this.proposals.add(sender);
      return;
    }
    this.leaderExists = true;
    if (compareBytes(lm.pkiId, this.env.pkiId) < 0 && this.isLeader) this.stopBeingLeader();
    // Interrupts a waitForInterrupt in progress (not the follower's sleep).
    this.sleeping?.wake();
  }

  private beLeader(): void {
    this.log('Becoming a leader');
    this.isLeader = true;
    this.env.tr.state('leader', { channel: this.channel, leader: true });
    this.adapter.onLeadershipChange(true);
  }

  private stopBeingLeader(): void {
    this.log('Stopped being a leader');
    this.isLeader = false;
    this.env.tr.state('leader', { channel: this.channel, leader: false });
    this.adapter.onLeadershipChange(false);
  }

  /** Yield: the delivery client gave up on the orderer; stay out of elections for a while. */
  yield(): void {
    if (!this.isLeader || this.yielding) return;
    this.yielding = true;
    this.stopBeingLeader();
    this.leaderExists = false;
    this.env.rt.after(this.cfg.leaderAliveThreshold * 6, 'election.stopYielding', () => (this.yielding = false));
  }
}
