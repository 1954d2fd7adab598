/**
 * Protobuf definitions, copied from fabric-protos (gossip/message.proto, common/common.proto,
 * msp/identities.proto) with Fabric's exact field numbers and types. Only field numbers and
 * wire types matter on the wire; names are kept so protobufjs renders the same camelCase
 * names as messages.ts.
 *
 * Deviations from fabric-protos, all wire-identical:
 *  - `PrivatePayload.collection_configs` is a `common.CollectionConfigPackage` in Fabric. We keep
 *    it as `optional bytes`: an embedded message and a bytes field share wire type 2, and
 *    `optional` keeps presence (a set-but-empty package still encodes as `32 00`, like Go).
 *  - The `Gossip` gRPC service and the `import` lines are left out (one Root holds all three).
 *  - Only the parts of common.proto that gossip touches are included.
 */

export const GOSSIP_PROTO = `
syntax = "proto3";
package gossip;

message Envelope {
  bytes payload   = 1;
  bytes signature = 2;
  SecretEnvelope secret_envelope = 3;
}

message SecretEnvelope {
  bytes payload   = 1;
  bytes signature = 2;
}

message Secret {
  oneof content {
    string internalEndpoint = 1;
  }
}

message GossipMessage {
  uint64 nonce  = 1;
  bytes channel = 2;

  enum Tag {
    UNDEFINED    = 0;
    EMPTY        = 1;
    ORG_ONLY     = 2;
    CHAN_ONLY    = 3;
    CHAN_AND_ORG = 4;
    CHAN_OR_ORG  = 5;
  }
  Tag tag = 3;

  // Field 4 is unused in Fabric.
  oneof content {
    AliveMessage alive_msg = 5;
    MembershipRequest mem_req = 6;
    MembershipResponse mem_res = 7;
    DataMessage data_msg = 8;
    GossipHello hello = 9;
    DataDigest  data_dig = 10;
    DataRequest data_req = 11;
    DataUpdate  data_update = 12;
    Empty empty = 13;
    ConnEstablish conn = 14;
    StateInfo state_info = 15;
    StateInfoSnapshot state_snapshot = 16;
    StateInfoPullRequest state_info_pull_req = 17;
    RemoteStateRequest state_request = 18;
    RemoteStateResponse state_response = 19;
    LeadershipMessage leadership_msg = 20;
    PeerIdentity peer_identity = 21;
    Acknowledgement ack = 22;
    RemotePvtDataRequest privateReq = 23;
    RemotePvtDataResponse privateRes = 24;
    PrivateDataMessage private_data = 25;
  }
}

message StateInfo {
  PeerTime timestamp = 2;
  bytes pki_id       = 3;
  bytes channel_MAC  = 4;
  Properties properties = 5;
}

message Properties {
  uint64 ledger_height = 1;
  bool left_channel = 2;
  repeated Chaincode chaincodes = 3;
}

message StateInfoSnapshot {
  repeated Envelope elements = 1;
}

message StateInfoPullRequest {
  bytes channel_MAC  = 1;
}

message ConnEstablish {
  bytes pki_id          = 1;
  bytes identity        = 2;
  bytes tls_cert_hash   = 3;
  bool  probe           = 4;
}

message PeerIdentity {
  bytes pki_id    = 1;
  bytes cert      = 2;
  bytes metadata  = 3;
}

enum PullMsgType {
  UNDEFINED     = 0;
  BLOCK_MSG     = 1;
  IDENTITY_MSG  = 2;
}

message DataRequest {
  uint64 nonce            = 1;
  repeated bytes digests  = 2;
  PullMsgType msg_type    = 3;
}

message GossipHello {
  uint64 nonce         = 1;
  bytes metadata       = 2;
  PullMsgType msg_type = 3;
}

message DataUpdate {
  uint64 nonce             = 1;
  repeated Envelope data   = 2;
  PullMsgType msg_type     = 3;
}

message DataDigest {
  uint64 nonce            = 1;
  repeated bytes digests  = 2;
  PullMsgType msg_type    = 3;
}

message DataMessage {
  Payload payload = 1;
}

message PrivateDataMessage {
  PrivatePayload payload = 1;
}

message Payload {
  uint64 seq_num              = 1;
  bytes data                  = 2;
  repeated bytes private_data = 3;
}

message PrivatePayload {
  string collection_name      = 1;
  string namespace            = 2;
  string tx_id                = 3;
  bytes private_rwset         = 4;
  uint64 private_sim_height   = 5;
  optional bytes collection_configs = 6; // common.CollectionConfigPackage in Fabric
}

message AliveMessage {
  Member membership  = 1;
  PeerTime timestamp = 2;
  bytes identity     = 4;
}

message LeadershipMessage {
  bytes pki_id        = 1;
  PeerTime timestamp  = 2;
  bool is_declaration = 3;
}

message PeerTime {
  uint64 inc_num = 1;
  uint64 seq_num = 2;
}

message MembershipRequest {
  Envelope self_information = 1;
  repeated bytes known      = 2;
}

message MembershipResponse {
  repeated Envelope alive = 1;
  repeated Envelope dead  = 2;
}

message Member {
  string endpoint = 1;
  bytes  metadata = 2;
  bytes  pki_id   = 3;
}

message Empty {}

message RemoteStateRequest {
  uint64 start_seq_num = 1;
  uint64 end_seq_num   = 2;
}

message RemoteStateResponse {
  repeated Payload payloads = 1;
}

message RemotePvtDataRequest {
  repeated PvtDataDigest digests = 1;
}

message PvtDataDigest {
  string tx_id        = 1;
  string namespace    = 2;
  string collection   = 3;
  uint64 block_seq    = 4;
  uint64 seq_in_block = 5;
}

message RemotePvtDataResponse {
  repeated PvtDataElement elements = 1;
}

message PvtDataElement {
  PvtDataDigest digest   = 1;
  repeated bytes payload = 2; // marshalled kvrwset.KVRWSet
}

message PvtDataPayload {
  uint64 tx_seq_in_block = 1;
  bytes payload          = 2; // marshalled rwset.TxPvtReadWriteSet
}

message Acknowledgement {
  string error = 1;
}

message Chaincode {
  string name    = 1;
  string version = 2;
  bytes metadata = 3;
}
`;

export const COMMON_PROTO = `
syntax = "proto3";
package common;

message Metadata {
  bytes value = 1;
  repeated MetadataSignature signatures = 2;
}

message MetadataSignature {
  bytes signature_header  = 1; // marshalled SignatureHeader
  bytes signature         = 2;
  bytes identifier_header = 3; // marshalled IdentifierHeader (BFT, v3)
}

message LastConfig {
  uint64 index = 1;
}

// What the orderer puts in Metadata.value of the SIGNATURES entry.
message OrdererBlockMetadata {
  LastConfig last_config    = 1;
  bytes consenter_metadata  = 2;
}

message IdentifierHeader {
  uint32 identifier = 1;
  bytes nonce       = 2;
}

message SignatureHeader {
  bytes creator = 1; // marshalled msp.SerializedIdentity
  bytes nonce   = 2;
}

enum BlockMetadataIndex {
  SIGNATURES = 0;
  LAST_CONFIG = 1 [deprecated=true];
  TRANSACTIONS_FILTER = 2;
  ORDERER = 3 [deprecated=true];
  COMMIT_HASH = 4;
}

message Block {
  BlockHeader header     = 1;
  BlockData data         = 2;
  BlockMetadata metadata = 3;
}

message BlockHeader {
  uint64 number        = 1;
  bytes previous_hash  = 2;
  bytes data_hash      = 3;
}

message BlockData {
  repeated bytes data = 1;
}

message BlockMetadata {
  repeated bytes metadata = 1;
}
`;

export const MSP_PROTO = `
syntax = "proto3";
package msp;

message SerializedIdentity {
  string mspid    = 1;
  bytes id_bytes  = 2;
}
`;
