/**
 * The clients of the simulated network, as far as private data needs them: before each block,
 * for each collection, an endorsing peer of a member org simulates a transaction with a private
 * write, disseminates the write set by gossip, and, only if that succeeds, the transaction (with
 * just the hash of the write set) goes to the orderer for the next block.
 */
import { strBytes } from '../fabric/message.js';
import { rwsetHash } from '../fabric/privdata.js';
import type { Kernel } from '../kernel/kernel.js';
import { Rng } from '../kernel/rng.js';
import type { Scenario } from '../scenario/types.js';
import type { Orderer } from './orderer.js';
import type { PeerSlot } from './simulation.js';

export class Clients {
  private readonly rng: Rng;

  constructor(
    private readonly kernel: Kernel,
    private readonly scenario: Scenario,
    private readonly peers: PeerSlot[],
    private readonly orderer: Orderer,
  ) {
    this.rng = new Rng(scenario.seed, 'clients');
  }

  start(): void {
    const o = this.scenario.orderer;
    for (const ch of this.scenario.channels) {
      for (const col of ch.collections) {
        // Endorse half a batch before each cut, so the transaction makes it into that block.
        for (let k = 0; k < o.blocks; k++) {
          const at = Math.max(0, o.start + k * o.batchTimeout - o.batchTimeout / 2);
          for (let i = 0; i < col.txPerBlock; i++) this.kernel.at(at, () => this.endorse(ch.name, col.name, col.memberOrgs));
        }
      }
    }
  }

  private endorse(channel: string, collection: string, memberOrgs: string[]): void {
    const endorsers = this.peers.filter((p) => p.running && p.channels.includes(channel) && memberOrgs.includes(p.org.mspId));
    if (endorsers.length === 0) return;
    const endorser = endorsers[this.rng.int(endorsers.length)];
    const txId = this.rng.u64().toString(16).padStart(16, '0');
    const rwset = strBytes(JSON.stringify({ writes: [[`pvt-key${this.rng.int(100)}`, `secret-${txId}`]] }));
    const pd = endorser.node!.privdata.get(channel)!;
    pd.distribute({ txId, collection, rwset }, (err) => {
      if (err !== null) {
        endorser.node!.env.tr.log('error', 'gossip.privdata', `endorsement of ${txId} failed: ${err}`);
        return;
      }
      const tx = { txId, writes: [], pvt: [{ collection, hash: rwsetHash(rwset), endorser: endorser.node!.env.pkiHex }] };
      this.orderer.submit(channel, strBytes(JSON.stringify(tx)));
    });
  }
}
