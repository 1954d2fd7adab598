/**
 * Byte-exact protobuf codec for Fabric's gossip, common and msp messages (see gossip.proto.ts).
 *
 * Why the output matches Go byte for byte: protobufjs 8 writes known fields in field-number
 * order and skips proto3 default values (0, '', false, empty bytes), as Go's proto.Marshal does;
 * there are no map fields, so encoding is deterministic. Interop tests compare our bytes with the
 * official fabric-protos bindings.
 *
 * Conventions of the decoders:
 *  - absent scalars get proto3 defaults (0n, '', false, empty Uint8Array, []); absent nested
 *    messages are left out of the object (key absent, reads as undefined);
 *  - bytes fields are views into the input buffer (no copy): do not mutate the input afterwards;
 *  - strings are UTF-8 validated, like Go (protobufjs 8 verifies proto3 strings);
 *  - unknown fields are dropped; when two oneof members are on the wire, the last one wins (Go too);
 *  - any failure is a WireError.
 * Encoded output may be a view into a pooled slab: use byteOffset/byteLength if you touch `.buffer`.
 */
import * as protobuf from 'protobufjs';
import Long from 'long';
import { COMMON_PROTO, GOSSIP_PROTO, MSP_PROTO } from './gossip.proto.js';
import type {
  AliveMessage,
  Block,
  ContentKind,
  ContentMap,
  DataMessage,
  Envelope,
  GossipMessage,
  LeadershipMessage,
  MembershipRequest,
  Metadata,
  MetadataSignature,
  OrdererBlockMetadata,
  Payload,
  PeerTime,
  PrivateDataMessage,
  PrivatePayload,
  PvtDataDigest,
  PvtDataElement,
  Secret,
  SerializedIdentity,
  SignatureHeader,
  StateInfo,
} from './messages.js';

/** The only exception type our decoders throw. */
export class WireError extends Error {
  override name = 'WireError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

// Without Long, protobufjs decodes uint64 to a lossy JS number.
protobuf.util.Long = Long;
protobuf.configure();

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  for (const src of [GOSSIP_PROTO, COMMON_PROTO, MSP_PROTO]) protobuf.parse(src, root, { keepCase: false });
  root.resolveAll();
  return root;
}

const root = loadRoot();
const type = (name: string): protobuf.Type => root.lookupType(name);

/*
 * Oneof speed-up. protobufjs's stock oneof setter runs after every decoded member and `delete`s
 * the 20 sibling members of GossipMessage.content: that was half of all decode time. On the wire
 * a oneof member is just a message field with presence, so the fast copy drops the oneof from
 * the reflection (the fields stay) and we find the set member ourselves. The rare input that
 * carries several different members is re-decoded with a stock copy of the schema, whose
 * delete-on-switch matches Go exactly (last member wins; A,B,A yields a fresh A, not A merged).
 */
const gossipFast = type('gossip.GossipMessage');
const contentOneof = gossipFast.oneofs.content;
for (const f of [...contentOneof.fieldsArray]) contentOneof.remove(f);
gossipFast.remove(contentOneof);
let gossipExact: protobuf.Type | undefined;
const exactGossipType = () => (gossipExact ??= loadRoot().lookupType('gossip.GossipMessage'));

// Built once; setup() generates the encode/decode functions now rather than on first use.
const T = {
  envelope: type('gossip.Envelope').setup(),
  secret: type('gossip.Secret').setup(),
  gossip: gossipFast.setup(),
  block: type('common.Block').setup(),
  metadata: type('common.Metadata').setup(),
  ordererBlockMetadata: type('common.OrdererBlockMetadata').setup(),
  signatureHeader: type('common.SignatureHeader').setup(),
  serializedIdentity: type('msp.SerializedIdentity').setup(),
};

// ---------------------------------------------------------------------------------------------
// Scalars at the boundary.

/** Decoded protobufjs message: own props for set fields, prototype defaults otherwise. */
type Pb = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const EMPTY = new Uint8Array(0);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const U64_MAX = (1n << 64n) - 1n;

/** protobufjs's default for an absent bytes field is a plain `[]`: replace with a Uint8Array. */
const bytes = (v: Uint8Array): Uint8Array => (v.length ? v : EMPTY);
/** Generated constructors give each instance its own repeated arrays; this only guards against
 * ever handing out the shared prototype default. */
const list = <T>(v: T[]): T[] => (v.length ? v : []);

// A scratch DataView converts between 2×32 bits and bigint with one allocation (3× faster than shifts).
const scratch = new DataView(new ArrayBuffer(8));

const fromLong = (v: Long): bigint => {
  if (v.high === 0) return BigInt(v.low >>> 0);
  scratch.setInt32(0, v.low, true);
  scratch.setInt32(4, v.high, true);
  return scratch.getBigUint64(0, true);
};

/** bigint → what protobufjs's writer takes: a number when exact, else {low, high} bits. */
const toLong = (v: bigint): number | { low: number; high: number } => {
  if (v >= 0n && v <= MAX_SAFE) return Number(v);
  if (v < 0n || v > U64_MAX) throw new WireError(`uint64 out of range: ${v}`);
  scratch.setBigUint64(0, v, true);
  return { low: scratch.getInt32(0, true), high: scratch.getInt32(4, true) };
};

// ---------------------------------------------------------------------------------------------
// protobufjs object → our shapes.

const envelopeFrom = (p: Pb): Envelope => {
  const e: Envelope = { payload: bytes(p.payload), signature: bytes(p.signature) };
  const s = p.secretEnvelope;
  if (s) e.secretEnvelope = { payload: bytes(s.payload), signature: bytes(s.signature) };
  return e;
};
const envelopesFrom = (v: Pb[]): Envelope[] => v.map(envelopeFrom);

const peerTimeFrom = (p: Pb): PeerTime => ({ incNum: fromLong(p.incNum), seqNum: fromLong(p.seqNum) });

const payloadFrom = (p: Pb): Payload => ({
  seqNum: fromLong(p.seqNum),
  data: bytes(p.data),
  privateData: list(p.privateData),
});

const pvtDigestFrom = (p: Pb): PvtDataDigest => ({
  txId: p.txId,
  namespace: p.namespace,
  collection: p.collection,
  blockSeq: fromLong(p.blockSeq),
  seqInBlock: fromLong(p.seqInBlock),
});

/** Adds `key: conv(v)` only when the nested message is present. */
function withMsg<O>(o: O, key: keyof O & string, v: Pb, conv: (p: Pb) => unknown): O {
  if (v) (o as Record<string, unknown>)[key] = conv(v);
  return o;
}

const CONTENT_FROM: { [K in ContentKind]: (p: Pb) => ContentMap[K] } = {
  aliveMsg: (p) => {
    const m = { identity: bytes(p.identity) } as AliveMessage;
    const mem = p.membership;
    if (mem) m.membership = { endpoint: mem.endpoint, metadata: bytes(mem.metadata), pkiId: bytes(mem.pkiId) };
    return withMsg(m, 'timestamp', p.timestamp, peerTimeFrom);
  },
  memReq: (p) => withMsg<MembershipRequest>({ known: list(p.known) }, 'selfInformation', p.selfInformation, envelopeFrom),
  memRes: (p) => ({ alive: envelopesFrom(p.alive), dead: envelopesFrom(p.dead) }),
  dataMsg: (p) => withMsg<DataMessage>({}, 'payload', p.payload, payloadFrom),
  hello: (p) => ({ nonce: fromLong(p.nonce), metadata: bytes(p.metadata), msgType: p.msgType }),
  dataDig: (p) => ({ nonce: fromLong(p.nonce), digests: list(p.digests), msgType: p.msgType }),
  dataReq: (p) => ({ nonce: fromLong(p.nonce), digests: list(p.digests), msgType: p.msgType }),
  dataUpdate: (p) => ({ nonce: fromLong(p.nonce), data: envelopesFrom(p.data), msgType: p.msgType }),
  empty: () => ({}),
  conn: (p) => ({
    pkiId: bytes(p.pkiId),
    identity: bytes(p.identity),
    tlsCertHash: bytes(p.tlsCertHash),
    probe: p.probe,
  }),
  stateInfo: (p) => {
    const m = withMsg<StateInfo>({ pkiId: bytes(p.pkiId), channelMAC: bytes(p.channel_MAC) }, 'timestamp', p.timestamp, peerTimeFrom);
    const pr = p.properties;
    if (pr) {
      m.properties = {
        ledgerHeight: fromLong(pr.ledgerHeight),
        leftChannel: pr.leftChannel,
        chaincodes: pr.chaincodes.map((c: Pb) => ({ name: c.name, version: c.version, metadata: bytes(c.metadata) })),
      };
    }
    return m;
  },
  stateSnapshot: (p) => ({ elements: envelopesFrom(p.elements) }),
  stateInfoPullReq: (p) => ({ channelMAC: bytes(p.channel_MAC) }),
  stateRequest: (p) => ({ startSeqNum: fromLong(p.startSeqNum), endSeqNum: fromLong(p.endSeqNum) }),
  stateResponse: (p) => ({ payloads: p.payloads.map(payloadFrom) }),
  leadershipMsg: (p) =>
    withMsg<LeadershipMessage>({ pkiId: bytes(p.pkiId), isDeclaration: p.isDeclaration }, 'timestamp', p.timestamp, peerTimeFrom),
  peerIdentity: (p) => ({ pkiId: bytes(p.pkiId), cert: bytes(p.cert), metadata: bytes(p.metadata) }),
  ack: (p) => ({ error: p.error }),
  privateReq: (p) => ({ digests: p.digests.map(pvtDigestFrom) }),
  privateRes: (p) => ({
    elements: p.elements.map((el: Pb) => withMsg<PvtDataElement>({ payload: list(el.payload) }, 'digest', el.digest, pvtDigestFrom)),
  }),
  privateData: (p) =>
    withMsg<PrivateDataMessage>({}, 'payload', p.payload, (pp: Pb): PrivatePayload => {
      const out: PrivatePayload = {
        collectionName: pp.collectionName,
        namespace: pp.namespace,
        txId: pp.txId,
        privateRwset: bytes(pp.privateRwset),
        privateSimHeight: fromLong(pp.privateSimHeight),
      };
      // `optional` field: null when absent, a (possibly empty) Uint8Array when present.
      if (pp.collectionConfigs != null) out.collectionConfigs = pp.collectionConfigs;
      return out;
    }),
};

// ---------------------------------------------------------------------------------------------
// Our shapes → protobufjs input. Types without uint64 fields (Envelope, Member, ConnEstablish, ...)
// already have protobufjs's property names and are passed through untouched.

const peerTimeTo = (t: PeerTime | undefined) => t && { incNum: toLong(t.incNum), seqNum: toLong(t.seqNum) };
const payloadTo = (p: Payload) => ({ seqNum: toLong(p.seqNum), data: p.data, privateData: p.privateData });
const pvtDigestTo = (d: PvtDataDigest) => ({
  txId: d.txId,
  namespace: d.namespace,
  collection: d.collection,
  blockSeq: toLong(d.blockSeq),
  seqInBlock: toLong(d.seqInBlock),
});

const CONTENT_TO: { [K in ContentKind]: (m: ContentMap[K]) => object } = {
  aliveMsg: (m) => ({ membership: m.membership, timestamp: peerTimeTo(m.timestamp), identity: m.identity }),
  memReq: (m) => m,
  memRes: (m) => m,
  dataMsg: (m) => ({ payload: m.payload && payloadTo(m.payload) }),
  hello: (m) => ({ nonce: toLong(m.nonce), metadata: m.metadata, msgType: m.msgType }),
  dataDig: (m) => ({ nonce: toLong(m.nonce), digests: m.digests, msgType: m.msgType }),
  dataReq: (m) => ({ nonce: toLong(m.nonce), digests: m.digests, msgType: m.msgType }),
  dataUpdate: (m) => ({ nonce: toLong(m.nonce), data: m.data, msgType: m.msgType }),
  empty: (m) => m,
  conn: (m) => m,
  stateInfo: (m) => ({
    timestamp: peerTimeTo(m.timestamp),
    pkiId: m.pkiId,
    channel_MAC: m.channelMAC,
    properties: m.properties && {
      ledgerHeight: toLong(m.properties.ledgerHeight),
      leftChannel: m.properties.leftChannel,
      chaincodes: m.properties.chaincodes,
    },
  }),
  stateSnapshot: (m) => m,
  stateInfoPullReq: (m) => ({ channel_MAC: m.channelMAC }),
  stateRequest: (m) => ({ startSeqNum: toLong(m.startSeqNum), endSeqNum: toLong(m.endSeqNum) }),
  stateResponse: (m) => ({ payloads: m.payloads.map(payloadTo) }),
  leadershipMsg: (m) => ({ pkiId: m.pkiId, timestamp: peerTimeTo(m.timestamp), isDeclaration: m.isDeclaration }),
  peerIdentity: (m) => m,
  ack: (m) => m,
  privateReq: (m) => ({ digests: m.digests.map(pvtDigestTo) }),
  privateRes: (m) => ({
    elements: m.elements.map((el) => ({ digest: el.digest && pvtDigestTo(el.digest), payload: el.payload })),
  }),
  privateData: (m) => ({
    payload: m.payload && {
      collectionName: m.payload.collectionName,
      namespace: m.payload.namespace,
      txId: m.payload.txId,
      privateRwset: m.payload.privateRwset,
      privateSimHeight: toLong(m.payload.privateSimHeight),
      collectionConfigs: m.payload.collectionConfigs,
    },
  }),
};

// ---------------------------------------------------------------------------------------------
// Entry points.

function decode<R>(t: protobuf.Type, b: Uint8Array, conv: (p: Pb, b: Uint8Array) => R): R {
  if (!(b instanceof Uint8Array)) throw new WireError(`cannot decode ${t.fullName.slice(1)}: input is not a Uint8Array`);
  // A Buffer would make protobufjs return Buffers; a plain view keeps every bytes field a Uint8Array.
  if (b.constructor !== Uint8Array) b = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  try {
    return conv(t.decode(b), b);
  } catch (e) {
    if (e instanceof WireError) throw e;
    throw new WireError(`cannot decode ${t.fullName.slice(1)}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
}

// The base Writer, not Writer.create()'s BufferWriter, so callers get a plain Uint8Array rather than
// a Buffer (same speed, measured). Held in a const: a namespace import's members can be getters
// once transpiled, and that lookup was 7% of encode time.
const Writer = protobuf.Writer;
const encode = (t: protobuf.Type, o: object): Uint8Array => t.encode(o, new Writer()).finish();

export const encodeEnvelope = (e: Envelope): Uint8Array => encode(T.envelope, e);
export const decodeEnvelope = (b: Uint8Array): Envelope => decode(T.envelope, b, envelopeFrom);

export const encodeSecret = (s: Secret): Uint8Array => encode(T.secret, s);
export const decodeSecret = (b: Uint8Array): Secret => decode(T.secret, b, (p) => ({ internalEndpoint: p.internalEndpoint ?? '' }));

export function encodeGossipMessage(m: GossipMessage): Uint8Array {
  const kind = m.content;
  const to = CONTENT_TO[kind] as ((c: unknown) => object) | undefined;
  if (!to) throw new WireError(`cannot encode gossip.GossipMessage: unknown content '${String(kind)}'`);
  const c = (m as unknown as Record<ContentKind, unknown>)[kind];
  if (c == null) throw new WireError(`cannot encode gossip.GossipMessage: content '${kind}' is not set`);
  // Only the member named by `content` is copied, so stray oneof members can never leak onto the wire.
  return encode(T.gossip, { nonce: toLong(m.nonce), channel: m.channel, tag: m.tag, [kind]: to(c) });
}

const KINDS = Object.keys(CONTENT_FROM) as ContentKind[];

export const decodeGossipMessage = (b: Uint8Array): GossipMessage =>
  decode(T.gossip, b, (p, bytes) => {
    let kind: ContentKind | undefined;
    for (const k of KINDS) {
      if (p[k] == null) continue;
      if (kind !== undefined) return gossipFrom(exactGossipType().decode(bytes), undefined); // see gossipFast
      kind = k;
    }
    return gossipFrom(p, kind);
  });

function gossipFrom(p: Pb, kind: ContentKind | undefined = p.content): GossipMessage {
  if (kind === undefined) throw new WireError('cannot decode gossip.GossipMessage: no content');
  const conv = CONTENT_FROM[kind] as (q: Pb) => unknown;
  return { nonce: fromLong(p.nonce), channel: bytes(p.channel), tag: p.tag, content: kind, [kind]: conv(p[kind]) } as GossipMessage;
}

export function encodeBlock(b: Block): Uint8Array {
  const h = b.header;
  const header = h && { number: toLong(h.number), previousHash: h.previousHash, dataHash: h.dataHash };
  return encode(T.block, { header, data: b.data, metadata: b.metadata });
}

export const decodeBlock = (b: Uint8Array): Block =>
  decode(T.block, b, (p) => {
    const out: Block = {};
    const h = p.header;
    if (h) out.header = { number: fromLong(h.number), previousHash: bytes(h.previousHash), dataHash: bytes(h.dataHash) };
    if (p.data) out.data = { data: list(p.data.data) };
    if (p.metadata) out.metadata = { metadata: list(p.metadata.metadata) };
    return out;
  });

export const encodeSerializedIdentity = (s: SerializedIdentity): Uint8Array => encode(T.serializedIdentity, s);
export const decodeSerializedIdentity = (b: Uint8Array): SerializedIdentity =>
  decode(T.serializedIdentity, b, (p) => ({ mspid: p.mspid, idBytes: bytes(p.idBytes) }));

export const encodeMetadata = (m: Metadata): Uint8Array => encode(T.metadata, m);
export const decodeMetadata = (b: Uint8Array): Metadata =>
  decode(T.metadata, b, (p) => ({
    value: bytes(p.value),
    signatures: p.signatures.map(
      (s: Pb): MetadataSignature => ({
        signatureHeader: bytes(s.signatureHeader),
        signature: bytes(s.signature),
        identifierHeader: bytes(s.identifierHeader),
      }),
    ),
  }));

export const encodeSignatureHeader = (h: SignatureHeader): Uint8Array => encode(T.signatureHeader, h);
export const decodeSignatureHeader = (b: Uint8Array): SignatureHeader =>
  decode(T.signatureHeader, b, (p) => ({ creator: bytes(p.creator), nonce: bytes(p.nonce) }));

export const encodeOrdererBlockMetadata = (m: OrdererBlockMetadata): Uint8Array =>
  encode(T.ordererBlockMetadata, {
    lastConfig: m.lastConfig && { index: toLong(m.lastConfig.index) },
    consenterMetadata: m.consenterMetadata,
  });
export const decodeOrdererBlockMetadata = (b: Uint8Array): OrdererBlockMetadata =>
  decode(T.ordererBlockMetadata, b, (p) => {
    const out: OrdererBlockMetadata = { consenterMetadata: bytes(p.consenterMetadata) };
    if (p.lastConfig) out.lastConfig = { index: fromLong(p.lastConfig.index) };
    return out;
  });
