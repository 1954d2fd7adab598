/**
 * Sample gossip messages shared by the wire tests: one per content kind, with every field set
 * to a non-default value so a dropped or misnumbered field shows up.
 */
import { PullMsgType, Tag, type ContentKind, type ContentMap, type Envelope, type GossipMessage } from '../../engine/wire/messages.js';

export const u8 = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export const U64_MAX = 0xffffffffffffffffn;
export const BIG = 1732000000123456789n; // a realistic PeerTime.inc_num (UnixNano), above 2^53

export const env = (n: number): Envelope => ({
  payload: u8(n, n + 1, n + 2),
  signature: u8(0x30, n),
  secretEnvelope: { payload: u8(0x0a, 1, 0x41), signature: u8(0x30, 0x45, n) },
});

/** Content of each kind, parameterised by the 64-bit value to put in every uint64 field. */
export function contents(big: bigint): { [K in ContentKind]: ContentMap[K] } {
  const below = (d: bigint) => (big >= d ? big - d : 0n); // other values, still in uint64 range
  const time = { incNum: big, seqNum: below(1n) };
  const payload = { seqNum: big, data: text('block'), privateData: [u8(1), new Uint8Array(0), u8(2, 3)] };
  const digest = { txId: 'tx1', namespace: 'mycc', collection: 'c1', blockSeq: big, seqInBlock: 7n };
  return {
    aliveMsg: {
      membership: { endpoint: 'peer0.org1.example.com:7051', metadata: u8(9), pkiId: u8(1, 2, 3, 4) },
      timestamp: time,
      identity: text('identity'),
    },
    memReq: { selfInformation: env(1), known: [u8(5), u8(6)] },
    memRes: { alive: [env(2), { payload: u8(3), signature: new Uint8Array(0) }], dead: [env(4)] },
    dataMsg: { payload },
    hello: { nonce: big, metadata: u8(8), msgType: PullMsgType.BLOCK_MSG },
    dataDig: { nonce: big, digests: [text('10'), text('11')], msgType: PullMsgType.IDENTITY_MSG },
    dataReq: { nonce: big, digests: [text('10')], msgType: PullMsgType.BLOCK_MSG },
    dataUpdate: { nonce: big, data: [env(5), env(6)], msgType: PullMsgType.BLOCK_MSG },
    empty: {},
    conn: { pkiId: u8(1), identity: text('cert'), tlsCertHash: u8(0xaa, 0xbb), probe: true },
    stateInfo: {
      timestamp: time,
      pkiId: u8(7, 7),
      channelMAC: u8(0xcc),
      properties: {
        ledgerHeight: big,
        leftChannel: true,
        chaincodes: [{ name: 'mycc', version: '1.0', metadata: u8(1) }],
      },
    },
    stateSnapshot: { elements: [env(7)] },
    stateInfoPullReq: { channelMAC: u8(0xdd, 0xee) },
    stateRequest: { startSeqNum: below(10n), endSeqNum: big },
    stateResponse: { payloads: [payload, { seqNum: 3n, data: u8(1), privateData: [] }] },
    leadershipMsg: { pkiId: u8(3), timestamp: time, isDeclaration: true },
    peerIdentity: { pkiId: u8(4), cert: text('pem'), metadata: u8(5) },
    ack: { error: 'timeout' },
    privateReq: { digests: [digest] },
    privateRes: { elements: [{ digest, payload: [u8(1), u8(2)] }] },
    privateData: {
      payload: {
        collectionName: 'c1',
        namespace: 'mycc',
        txId: 'tx1',
        privateRwset: u8(1, 2),
        privateSimHeight: big,
        collectionConfigs: u8(0x0a, 0x00),
      },
    },
  };
}

export function message<K extends ContentKind>(kind: K, content: ContentMap[K], nonce: bigint): GossipMessage {
  return { nonce, channel: text('mychannel'), tag: Tag.CHAN_AND_ORG, content: kind, [kind]: content } as unknown as GossipMessage;
}

/** One GossipMessage per content kind. */
export function allMessages(big: bigint): GossipMessage[] {
  const c = contents(big);
  return (Object.keys(c) as ContentKind[]).map((k) => message(k, c[k] as never, big));
}
