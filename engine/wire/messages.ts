/**
 * TypeScript shapes of Fabric's gossip wire messages (fabric-protos `gossip/message.proto`,
 * package `gossip`). Field names are the proto names in lowerCamelCase, as protobufjs renders
 * them. uint64 fields are `bigint` so nonces, inc_num and seq_num round-trip exactly;
 * `bytes` fields are `Uint8Array`.
 *
 * A GossipMessage carries exactly one content field; `content` names which one (the oneof).
 */

export enum Tag {
  UNDEFINED = 0,
  EMPTY = 1,
  ORG_ONLY = 2,
  CHAN_ONLY = 3,
  CHAN_AND_ORG = 4,
  CHAN_OR_ORG = 5,
}

export enum PullMsgType {
  UNDEFINED = 0,
  BLOCK_MSG = 1,
  IDENTITY_MSG = 2,
}

export interface SecretEnvelope {
  payload: Uint8Array; // serialised Secret
  signature: Uint8Array;
}

export interface Secret {
  internalEndpoint: string;
}

export interface Envelope {
  payload: Uint8Array; // serialised GossipMessage
  signature: Uint8Array; // empty for noop-signed messages
  secretEnvelope?: SecretEnvelope;
}

export interface PeerTime {
  incNum: bigint;
  seqNum: bigint;
}

export interface Member {
  endpoint: string;
  metadata: Uint8Array;
  pkiId: Uint8Array;
}

export interface AliveMessage {
  membership?: Member;
  timestamp?: PeerTime;
  identity: Uint8Array; // serialised SerializedIdentity; empty after publishCertPeriod
}

export interface MembershipRequest {
  selfInformation?: Envelope;
  known: Uint8Array[];
}

export interface MembershipResponse {
  alive: Envelope[];
  dead: Envelope[];
}

export interface Payload {
  seqNum: bigint;
  data: Uint8Array; // marshalled common.Block
  privateData: Uint8Array[];
}

export interface DataMessage {
  payload?: Payload;
}

export interface GossipHello {
  nonce: bigint;
  metadata: Uint8Array;
  msgType: PullMsgType;
}

export interface DataDigest {
  nonce: bigint;
  digests: Uint8Array[];
  msgType: PullMsgType;
}

export interface DataRequest {
  nonce: bigint;
  digests: Uint8Array[];
  msgType: PullMsgType;
}

export interface DataUpdate {
  nonce: bigint;
  data: Envelope[];
  msgType: PullMsgType;
}

export interface Empty {}

export interface ConnEstablish {
  pkiId: Uint8Array;
  identity: Uint8Array;
  tlsCertHash: Uint8Array;
  probe: boolean;
}

export interface Chaincode {
  name: string;
  version: string;
  metadata: Uint8Array;
}

export interface Properties {
  ledgerHeight: bigint;
  leftChannel: boolean;
  chaincodes: Chaincode[];
}

export interface StateInfo {
  timestamp?: PeerTime;
  pkiId: Uint8Array;
  channelMAC: Uint8Array;
  properties?: Properties;
}

export interface StateInfoSnapshot {
  elements: Envelope[];
}

export interface StateInfoPullRequest {
  channelMAC: Uint8Array;
}

export interface RemoteStateRequest {
  startSeqNum: bigint;
  endSeqNum: bigint;
}

export interface RemoteStateResponse {
  payloads: Payload[];
}

export interface LeadershipMessage {
  pkiId: Uint8Array;
  timestamp?: PeerTime;
  isDeclaration: boolean;
}

export interface PeerIdentity {
  pkiId: Uint8Array;
  cert: Uint8Array;
  metadata: Uint8Array;
}

export interface Acknowledgement {
  error: string;
}

export interface PvtDataDigest {
  txId: string;
  namespace: string;
  collection: string;
  blockSeq: bigint;
  seqInBlock: bigint;
}

export interface RemotePvtDataRequest {
  digests: PvtDataDigest[];
}

export interface PvtDataElement {
  digest?: PvtDataDigest;
  payload: Uint8Array[];
}

export interface RemotePvtDataResponse {
  elements: PvtDataElement[];
}

export interface PrivatePayload {
  collectionName: string;
  namespace: string;
  txId: string;
  privateRwset: Uint8Array;
  privateSimHeight: bigint;
  /** protos.CollectionConfigPackage, kept as raw bytes. */
  collectionConfigs?: Uint8Array;
}

export interface PrivateDataMessage {
  payload?: PrivatePayload;
}

/** The oneof `content` of GossipMessage, field numbers 5..25. */
export interface ContentMap {
  aliveMsg: AliveMessage; // 5
  memReq: MembershipRequest; // 6
  memRes: MembershipResponse; // 7
  dataMsg: DataMessage; // 8
  hello: GossipHello; // 9
  dataDig: DataDigest; // 10
  dataReq: DataRequest; // 11
  dataUpdate: DataUpdate; // 12
  empty: Empty; // 13
  conn: ConnEstablish; // 14
  stateInfo: StateInfo; // 15
  stateSnapshot: StateInfoSnapshot; // 16
  stateInfoPullReq: StateInfoPullRequest; // 17
  stateRequest: RemoteStateRequest; // 18
  stateResponse: RemoteStateResponse; // 19
  leadershipMsg: LeadershipMessage; // 20
  peerIdentity: PeerIdentity; // 21
  ack: Acknowledgement; // 22
  privateReq: RemotePvtDataRequest; // 23
  privateRes: RemotePvtDataResponse; // 24
  privateData: PrivateDataMessage; // 25
}

export type ContentKind = keyof ContentMap;

export type GossipMessage = {
  nonce: bigint;
  channel: Uint8Array;
  tag: Tag;
} & {
  [K in ContentKind]: { content: K } & { [P in K]: ContentMap[K] };
}[ContentKind];

/** The Fabric type name of each content kind, as Fabric's logs and metrics print it. */
export const TYPE_NAME: Record<ContentKind, string> = {
  aliveMsg: 'AliveMessage',
  memReq: 'MembershipRequest',
  memRes: 'MembershipResponse',
  dataMsg: 'DataMessage',
  hello: 'GossipHello',
  dataDig: 'DataDigest',
  dataReq: 'DataRequest',
  dataUpdate: 'DataUpdate',
  empty: 'Empty',
  conn: 'ConnEstablish',
  stateInfo: 'StateInfo',
  stateSnapshot: 'StateInfoSnapshot',
  stateInfoPullReq: 'StateInfoPullRequest',
  stateRequest: 'RemoteStateRequest',
  stateResponse: 'RemoteStateResponse',
  leadershipMsg: 'LeadershipMessage',
  peerIdentity: 'PeerIdentity',
  ack: 'Acknowledgement',
  privateReq: 'RemotePvtDataRequest',
  privateRes: 'RemotePvtDataResponse',
  privateData: 'PrivateDataMessage',
};

/** Fabric `common.Block` and friends (fabric-protos `common/common.proto`), the parts gossip touches. */
export interface BlockHeader {
  number: bigint;
  previousHash: Uint8Array;
  dataHash: Uint8Array;
}
export interface BlockData {
  data: Uint8Array[];
}
export interface BlockMetadata {
  metadata: Uint8Array[];
}
export interface Block {
  header?: BlockHeader;
  data?: BlockData;
  metadata?: BlockMetadata;
}

/** common.Metadata: what `BlockMetadata.metadata[SIGNATURES]` holds, marshalled. */
export interface Metadata {
  value: Uint8Array; // marshalled common.OrdererBlockMetadata (opaque here)
  signatures: MetadataSignature[];
}
export interface MetadataSignature {
  signatureHeader: Uint8Array; // marshalled SignatureHeader
  signature: Uint8Array;
  identifierHeader: Uint8Array; // marshalled common.IdentifierHeader (BFT orderers, Fabric v3); empty otherwise
}
export interface SignatureHeader {
  creator: Uint8Array; // marshalled msp.SerializedIdentity
  nonce: Uint8Array;
}

/** common.OrdererBlockMetadata: the orderer's `Metadata.value` in the SIGNATURES entry. */
export interface OrdererBlockMetadata {
  lastConfig?: { index: bigint }; // common.LastConfig
  consenterMetadata: Uint8Array;
}

/** msp.SerializedIdentity (fabric-protos `msp/identities.proto`). */
export interface SerializedIdentity {
  mspid: string;
  idBytes: Uint8Array; // PEM certificate
}
