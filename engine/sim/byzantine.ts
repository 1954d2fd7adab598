/**
 * Byzantine peers: a peer that, from the fault's time on, attacks the protocol with its own
 * valid credentials (or, for untrusted-ca, with a certificate nobody trusts). The attacks go
 * through the same comm layer as honest traffic, so every honest peer's reaction is Fabric's.
 */
import { Tag, type GossipMessage } from '../wire/messages.js';
import { channelMAC } from '../fabric/channel.js';
import { noopSign, signMessage, strBytes } from '../fabric/message.js';
import type { NetworkMember } from '../fabric/discovery.js';
import { highS } from '../msp/index.js';
import type { GossipNode } from '../fabric/node.js';
import type { ByzantineBehaviour } from '../scenario/types.js';

/** The peer another one impersonates or replays: who it is and where it is reached. */
export interface Victim {
  pkiId: Uint8Array;
  endpoint: string;
  internalEndpoint: string;
}

export interface ByzantineTarget {
  /** The Byzantine peer's node, when it runs (simulated or live). */
  node: GossipNode | undefined;
  target: Victim | null;
  channel: string | null;
}

/** Starts a behaviour on a running peer; untrusted-ca is set up at creation instead. */
export function startByzantine(behaviour: ByzantineBehaviour, t: ByzantineTarget): void {
  const node = t.node;
  if (node === undefined) return;
  const env = node.env;
  const rt = env.rt;
  const everyone = (): NetworkMember[] => node.disc.getMembership();
  const sendAll = (sm: ReturnType<typeof noopSign>) => {
    for (const m of everyone()) node.comm.sendTo(sm, { endpoint: m.internalEndpoint || m.endpoint, pkiId: m.pkiId, idx: m.idx });
  };
  switch (behaviour) {
    case 'forge-alive': {
      // Alive messages in the target's name, signed with our own key; every other one also
      // carries our certificate under the target's PKI-ID.
      const victim = t.target!;
      let seq = 0n;
      rt.every(env.config.aliveTimeInterval, 'byzantine.forgeAlive', () => {
        seq++;
        const msg: GossipMessage = {
          nonce: 0n,
          channel: new Uint8Array(0),
          tag: Tag.EMPTY,
          content: 'aliveMsg',
          aliveMsg: {
            membership: { endpoint: victim.endpoint, metadata: new Uint8Array(0), pkiId: victim.pkiId },
            timestamp: { incNum: rt.unixNano(), seqNum: seq },
            identity: seq % 2n === 0n ? env.identity : new Uint8Array(0),
          },
        };
        sendAll(signMessage(msg, (d) => env.mcs.sign(d), { internalEndpoint: victim.internalEndpoint }));
      });
      return;
    }
    case 'replay-alive': {
      // The newest alive message of the target we hold now, sent again and again.
      const victim = env.members.idOf(t.target!.pkiId);
      const old = node.disc.aliveMembership.get(victim) ?? node.disc.deadMembership.get(victim);
      if (old === undefined) return;
      rt.every(env.config.aliveTimeInterval, 'byzantine.replayAlive', () => sendAll(old));
      return;
    }
    case 'high-s': {
      // Valid ECDSA signatures in their high-S form: Fabric's verifier refuses them.
      const sign = env.mcs.sign;
      env.mcs.sign = (d) => highS(sign(d));
      return;
    }
    case 'wrong-channel': {
      const channel = t.channel!;
      const chBytes = strBytes(channel);
      let seq = 0n;
      rt.every(2000, 'byzantine.wrongChannel', () => {
        seq++;
        sendAll(
          signMessage(
            { nonce: 0n, channel: chBytes, tag: Tag.CHAN_AND_ORG, content: 'leadershipMsg', leadershipMsg: { pkiId: env.pkiId, timestamp: { incNum: rt.unixNano(), seqNum: seq }, isDeclaration: true } },
            (d) => env.mcs.sign(d),
          ),
        );
        sendAll(
          signMessage(
            {
              nonce: 0n,
              channel: new Uint8Array(0),
              tag: Tag.CHAN_OR_ORG,
              content: 'stateInfo',
              stateInfo: { timestamp: { incNum: rt.unixNano(), seqNum: rt.unixNano() }, pkiId: env.pkiId, channelMAC: channelMAC(env.pkiId, channel), properties: { ledgerHeight: 1000n, leftChannel: false, chaincodes: [] } },
            },
            (d) => env.mcs.sign(d),
          ),
        );
      });
      return;
    }
    case 'withhold':
      node.withholdBlocks = true;
      return;
    case 'flood': {
      // Three send buffers' worth of Hellos to every member, every second.
      rt.every(1000, 'byzantine.flood', () => {
        const n = env.config.sendBuffSize * 3;
        for (let i = 0; i < n; i++) {
          sendAll(noopSign({ nonce: 0n, channel: new Uint8Array(0), tag: Tag.EMPTY, content: 'hello', hello: { nonce: rt.rng.u64(), metadata: new Uint8Array(0), msgType: 2 } }));
        }
      });
      return;
    }
    case 'untrusted-ca':
      return;
  }
}
