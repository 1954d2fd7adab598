/**
 * Codec tests: exact 64-bit round trips, and byte-for-byte interop with the official
 * fabric-protos bindings (google-protobuf), both directions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as G from '@hyperledger/fabric-protos/lib/gossip/message_pb.js';
import * as C from '@hyperledger/fabric-protos/lib/common/common_pb.js';
import * as M from '@hyperledger/fabric-protos/lib/msp/identities_pb.js';
import * as P from '@hyperledger/fabric-protos/lib/peer/collection_pb.js';
import {
  WireError,
  decodeBlock,
  decodeEnvelope,
  decodeGossipMessage,
  decodeMetadata,
  decodeOrdererBlockMetadata,
  decodeSecret,
  decodeSerializedIdentity,
  decodeSignatureHeader,
  encodeBlock,
  encodeEnvelope,
  encodeGossipMessage,
  encodeMetadata,
  encodeOrdererBlockMetadata,
  encodeSecret,
  encodeSerializedIdentity,
  encodeSignatureHeader,
} from '../../engine/wire/codec.js';
import type {
  Block,
  ContentKind,
  ContentMap,
  Envelope,
  GossipMessage,
  Metadata,
  Payload,
  PeerTime,
  PvtDataDigest,
} from '../../engine/wire/messages.js';
import { BIG, U64_MAX, allMessages, contents, env, message, text, u8 } from './samples.js';

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

// ---------------------------------------------------------------------------------------------
// Round trips with 64-bit values above 2^53.

for (const big of [U64_MAX, BIG, 0n, 1n]) {
  test(`every content kind round-trips exactly with uint64 = ${big}`, () => {
    for (const m of allMessages(big)) {
      const bytes = encodeGossipMessage(m);
      assert.deepStrictEqual(decodeGossipMessage(bytes), m, m.content);
      assert.equal(hex(encodeGossipMessage(m)), hex(bytes), `${m.content}: deterministic`);
    }
  });
}

test('uint64 max is the 10-byte varint ff..ff 01', () => {
  const m = message('stateRequest', { startSeqNum: U64_MAX, endSeqNum: 0n }, 0n);
  // ... state_request: tag 92 01 (field 18, wire type 2), length 0b, start_seq_num 08 + ff×9 01; end 0 omitted
  assert.match(hex(encodeGossipMessage(m)), /92010b08ffffffffffffffffff01$/);
});

test('Envelope with SecretEnvelope, Secret, Block, Metadata, SignatureHeader, SerializedIdentity round-trip', () => {
  const e = env(9);
  assert.deepStrictEqual(decodeEnvelope(encodeEnvelope(e)), e);
  assert.deepStrictEqual(decodeSecret(encodeSecret({ internalEndpoint: 'peer0:7051' })), { internalEndpoint: 'peer0:7051' });
  const block: Block = {
    header: { number: U64_MAX, previousHash: u8(1), dataHash: u8(2) },
    data: { data: [u8(3), new Uint8Array(0)] },
    metadata: { metadata: [u8(4), new Uint8Array(0), new Uint8Array(0)] },
  };
  assert.deepStrictEqual(decodeBlock(encodeBlock(block)), block);
  const md: Metadata = { value: u8(5), signatures: [{ signatureHeader: u8(6), signature: u8(7), identifierHeader: u8(8) }] };
  assert.deepStrictEqual(decodeMetadata(encodeMetadata(md)), md);
  const sh = { creator: u8(1), nonce: u8(2) };
  assert.deepStrictEqual(decodeSignatureHeader(encodeSignatureHeader(sh)), sh);
  const id = { mspid: 'Org1MSP', idBytes: text('-----BEGIN CERTIFICATE-----') };
  assert.deepStrictEqual(decodeSerializedIdentity(encodeSerializedIdentity(id)), id);
  const obm = { lastConfig: { index: BIG }, consenterMetadata: u8(1) };
  assert.deepStrictEqual(decodeOrdererBlockMetadata(encodeOrdererBlockMetadata(obm)), obm);
});

// ---------------------------------------------------------------------------------------------
// Decoder conventions.

test('absent fields decode to proto3 defaults; absent nested messages stay undefined', () => {
  const m = decodeGossipMessage(u8(0x2a, 0x00)); // alive_msg = {} and nothing else
  assert.deepStrictEqual(m, { nonce: 0n, channel: new Uint8Array(0), tag: 0, content: 'aliveMsg', aliveMsg: { identity: new Uint8Array(0) } });
  assert.ok(m.content === 'aliveMsg' && m.aliveMsg.membership === undefined && !('timestamp' in m.aliveMsg));
  const s = decodeGossipMessage(u8(0x7a, 0x00)); // state_info = {}
  assert.deepStrictEqual(s.content === 'stateInfo' && s.stateInfo, { pkiId: new Uint8Array(0), channelMAC: new Uint8Array(0) });
  const d = decodeGossipMessage(u8(0x52, 0x00)); // data_dig = {}
  assert.ok(d.content === 'dataDig' && Array.isArray(d.dataDig.digests) && d.dataDig.digests.length === 0);
  assert.deepStrictEqual(decodeEnvelope(new Uint8Array(0)), { payload: new Uint8Array(0), signature: new Uint8Array(0) });
  assert.deepStrictEqual(decodeSecret(new Uint8Array(0)), { internalEndpoint: '' });
  assert.deepStrictEqual(decodeBlock(new Uint8Array(0)), {});
});

test('a GossipMessage without content is rejected', () => {
  assert.throws(() => decodeGossipMessage(new Uint8Array(0)), (e) => e instanceof WireError && /no content/.test(e.message));
  assert.throws(() => decodeGossipMessage(u8(0x08, 0x05)), WireError);
});

test('malformed input throws WireError with a clear message', () => {
  assert.throws(() => decodeEnvelope(u8(0x0a, 0x05, 1)), (e) => e instanceof WireError && /gossip\.Envelope/.test(e.message));
  assert.throws(() => decodeGossipMessage(u8(0x2a, 0x03, 0x0a, 0x01, 0xff)), WireError); // bad nested Member
  assert.throws(() => decodeSecret(u8(0x0a, 0x01, 0xff)), WireError); // invalid UTF-8: Go rejects it too
  assert.throws(() => decodeEnvelope('nope' as unknown as Uint8Array), WireError);
});

test('oneof: the last member on the wire wins, like Go', () => {
  const alive = encodeGossipMessage(message('aliveMsg', contents(1n).aliveMsg, 0n));
  const ack = encodeGossipMessage(message('ack', { error: 'x' }, 0n));
  const both = decodeGossipMessage(Buffer.concat([alive, ack]));
  assert.equal(both.content, 'ack');
  assert.ok(!('aliveMsg' in both));
  // A, B, A: the second A starts fresh (identity from the first A must not survive).
  const a1 = encodeGossipMessage(message('aliveMsg', { identity: u8(1) }, 0n));
  const a2 = encodeGossipMessage(message('aliveMsg', { membership: { endpoint: 'e', metadata: u8(), pkiId: u8(2) }, identity: u8() }, 0n));
  const aba = decodeGossipMessage(Buffer.concat([a1, ack, a2]));
  assert.deepStrictEqual(aba.content === 'aliveMsg' && aba.aliveMsg, { identity: u8(), membership: { endpoint: 'e', metadata: u8(), pkiId: u8(2) } });
  // A, A: same member twice merges (protobuf spec, Go). google-protobuf would replace instead.
  const aa = decodeGossipMessage(Buffer.concat([a1, a2]));
  assert.deepStrictEqual(aa.content === 'aliveMsg' && aa.aliveMsg, { identity: u8(1), membership: { endpoint: 'e', metadata: u8(), pkiId: u8(2) } });
});

test('decoding a Buffer yields plain Uint8Array fields', () => {
  const e = decodeEnvelope(Buffer.from(encodeEnvelope(env(1))));
  assert.equal(e.payload.constructor, Uint8Array);
  assert.equal(encodeEnvelope(e).constructor, Uint8Array);
});

test('encoding only writes the member named by `content`, and rejects bad uint64', () => {
  const m = { ...message('ack', { error: 'x' }, 0n), aliveMsg: contents(1n).aliveMsg } as GossipMessage;
  assert.equal(hex(encodeGossipMessage(m)), hex(encodeGossipMessage(message('ack', { error: 'x' }, 0n))));
  assert.throws(() => encodeGossipMessage(message('ack', { error: '' }, -1n)), WireError);
  assert.throws(() => encodeGossipMessage(message('ack', { error: '' }, 1n << 64n)), WireError);
  assert.throws(() => encodeGossipMessage({ ...m, content: 'bogus' } as unknown as GossipMessage), WireError);
});

// ---------------------------------------------------------------------------------------------
// Interop with the official bindings. google-protobuf exposes uint64 as a JS number, so these use
// values below 2^53.

const SAFE = 1732000000123456n;
const num = (v: bigint): number => Number(v);

function jEnv(e: Envelope): G.Envelope {
  const x = new G.Envelope();
  x.setPayload(e.payload);
  x.setSignature(e.signature);
  if (e.secretEnvelope) {
    const s = new G.SecretEnvelope();
    s.setPayload(e.secretEnvelope.payload);
    s.setSignature(e.secretEnvelope.signature);
    x.setSecretEnvelope(s);
  }
  return x;
}
function jTime(t: PeerTime): G.PeerTime {
  const x = new G.PeerTime();
  x.setIncNum(num(t.incNum));
  x.setSeqNum(num(t.seqNum));
  return x;
}
function jPayload(p: Payload): G.Payload {
  const x = new G.Payload();
  x.setSeqNum(num(p.seqNum));
  x.setData(p.data);
  x.setPrivateDataList(p.privateData);
  return x;
}
function jDigest(d: PvtDataDigest): G.PvtDataDigest {
  const x = new G.PvtDataDigest();
  x.setTxId(d.txId);
  x.setNamespace(d.namespace);
  x.setCollection(d.collection);
  x.setBlockSeq(num(d.blockSeq));
  x.setSeqInBlock(num(d.seqInBlock));
  return x;
}

/** Builds the official message for our content, using only the official setters. */
const OFFICIAL: { [K in ContentKind]: (c: ContentMap[K], m: G.GossipMessage) => void } = {
  aliveMsg: (c, m) => {
    const a = new G.AliveMessage();
    const mem = new G.Member();
    mem.setEndpoint(c.membership!.endpoint);
    mem.setMetadata(c.membership!.metadata);
    mem.setPkiId(c.membership!.pkiId);
    a.setMembership(mem);
    a.setTimestamp(jTime(c.timestamp!));
    a.setIdentity(c.identity);
    m.setAliveMsg(a);
  },
  memReq: (c, m) => {
    const r = new G.MembershipRequest();
    r.setSelfInformation(jEnv(c.selfInformation!));
    r.setKnownList(c.known);
    m.setMemReq(r);
  },
  memRes: (c, m) => {
    const r = new G.MembershipResponse();
    r.setAliveList(c.alive.map(jEnv));
    r.setDeadList(c.dead.map(jEnv));
    m.setMemRes(r);
  },
  dataMsg: (c, m) => {
    const d = new G.DataMessage();
    d.setPayload(jPayload(c.payload!));
    m.setDataMsg(d);
  },
  hello: (c, m) => {
    const h = new G.GossipHello();
    h.setNonce(num(c.nonce));
    h.setMetadata(c.metadata);
    h.setMsgType(c.msgType);
    m.setHello(h);
  },
  dataDig: (c, m) => {
    const d = new G.DataDigest();
    d.setNonce(num(c.nonce));
    d.setDigestsList(c.digests);
    d.setMsgType(c.msgType);
    m.setDataDig(d);
  },
  dataReq: (c, m) => {
    const d = new G.DataRequest();
    d.setNonce(num(c.nonce));
    d.setDigestsList(c.digests);
    d.setMsgType(c.msgType);
    m.setDataReq(d);
  },
  dataUpdate: (c, m) => {
    const d = new G.DataUpdate();
    d.setNonce(num(c.nonce));
    d.setDataList(c.data.map(jEnv));
    d.setMsgType(c.msgType);
    m.setDataUpdate(d);
  },
  empty: (_c, m) => m.setEmpty(new G.Empty()),
  conn: (c, m) => {
    const x = new G.ConnEstablish();
    x.setPkiId(c.pkiId);
    x.setIdentity(c.identity);
    x.setTlsCertHash(c.tlsCertHash);
    x.setProbe(c.probe);
    m.setConn(x);
  },
  stateInfo: (c, m) => {
    const s = new G.StateInfo();
    s.setTimestamp(jTime(c.timestamp!));
    s.setPkiId(c.pkiId);
    s.setChannelMac(c.channelMAC);
    const p = new G.Properties();
    p.setLedgerHeight(num(c.properties!.ledgerHeight));
    p.setLeftChannel(c.properties!.leftChannel);
    p.setChaincodesList(
      c.properties!.chaincodes.map((cc) => {
        const x = new G.Chaincode();
        x.setName(cc.name);
        x.setVersion(cc.version);
        x.setMetadata(cc.metadata);
        return x;
      }),
    );
    s.setProperties(p);
    m.setStateInfo(s);
  },
  stateSnapshot: (c, m) => {
    const s = new G.StateInfoSnapshot();
    s.setElementsList(c.elements.map(jEnv));
    m.setStateSnapshot(s);
  },
  stateInfoPullReq: (c, m) => {
    const s = new G.StateInfoPullRequest();
    s.setChannelMac(c.channelMAC);
    m.setStateInfoPullReq(s);
  },
  stateRequest: (c, m) => {
    const s = new G.RemoteStateRequest();
    s.setStartSeqNum(num(c.startSeqNum));
    s.setEndSeqNum(num(c.endSeqNum));
    m.setStateRequest(s);
  },
  stateResponse: (c, m) => {
    const s = new G.RemoteStateResponse();
    s.setPayloadsList(c.payloads.map(jPayload));
    m.setStateResponse(s);
  },
  leadershipMsg: (c, m) => {
    const l = new G.LeadershipMessage();
    l.setPkiId(c.pkiId);
    l.setTimestamp(jTime(c.timestamp!));
    l.setIsDeclaration(c.isDeclaration);
    m.setLeadershipMsg(l);
  },
  peerIdentity: (c, m) => {
    const p = new G.PeerIdentity();
    p.setPkiId(c.pkiId);
    p.setCert(c.cert);
    p.setMetadata(c.metadata);
    m.setPeerIdentity(p);
  },
  ack: (c, m) => {
    const a = new G.Acknowledgement();
    a.setError(c.error);
    m.setAck(a);
  },
  privateReq: (c, m) => {
    const r = new G.RemotePvtDataRequest();
    r.setDigestsList(c.digests.map(jDigest));
    m.setPrivatereq(r);
  },
  privateRes: (c, m) => {
    const r = new G.RemotePvtDataResponse();
    r.setElementsList(
      c.elements.map((el) => {
        const x = new G.PvtDataElement();
        x.setDigest(jDigest(el.digest!));
        x.setPayloadList(el.payload);
        return x;
      }),
    );
    m.setPrivateres(r);
  },
  privateData: (c, m) => {
    const p = new G.PrivatePayload();
    p.setCollectionName(c.payload!.collectionName);
    p.setNamespace(c.payload!.namespace);
    p.setTxId(c.payload!.txId);
    p.setPrivateRwset(c.payload!.privateRwset);
    p.setPrivateSimHeight(num(c.payload!.privateSimHeight));
    const pkg = new P.CollectionConfigPackage(); // our sample bytes 0a 00 = one empty CollectionConfig
    pkg.addConfig(new P.CollectionConfig());
    p.setCollectionConfigs(pkg);
    const d = new G.PrivateDataMessage();
    d.setPayload(p);
    m.setPrivateData(d);
  },
};

const CASE: Record<ContentKind, number> = {
  aliveMsg: 5, memReq: 6, memRes: 7, dataMsg: 8, hello: 9, dataDig: 10, dataReq: 11, dataUpdate: 12, empty: 13,
  conn: 14, stateInfo: 15, stateSnapshot: 16, stateInfoPullReq: 17, stateRequest: 18, stateResponse: 19,
  leadershipMsg: 20, peerIdentity: 21, ack: 22, privateReq: 23, privateRes: 24, privateData: 25,
};

const safe = contents(SAFE);
for (const kind of Object.keys(safe) as ContentKind[]) {
  test(`interop ${kind}: same bytes as fabric-protos, and each side decodes the other`, () => {
    const ours = message(kind, safe[kind] as never, SAFE);
    const theirs = new G.GossipMessage();
    theirs.setNonce(num(SAFE));
    theirs.setChannel(ours.channel);
    theirs.setTag(ours.tag);
    (OFFICIAL[kind] as (c: unknown, m: G.GossipMessage) => void)(safe[kind], theirs);

    const theirBytes = theirs.serializeBinary();
    const ourBytes = encodeGossipMessage(ours);
    assert.equal(hex(ourBytes), hex(theirBytes), 'byte-for-byte');
    assert.deepStrictEqual(decodeGossipMessage(theirBytes), ours, 'ours decodes theirs');
    const back = G.GossipMessage.deserializeBinary(ourBytes);
    assert.equal(back.getContentCase(), CASE[kind]);
    assert.deepStrictEqual(back.toObject(), theirs.toObject(), 'theirs decodes ours');
  });
}

test('interop AliveMessage inside an Envelope with SecretEnvelope (and the Secret)', () => {
  const payload = encodeGossipMessage(message('aliveMsg', safe.aliveMsg, 0n));
  const secret = encodeSecret({ internalEndpoint: 'peer0.org1.example.com:7051' });
  const ours: Envelope = { payload, signature: u8(0x30, 0x44, 1), secretEnvelope: { payload: secret, signature: u8(0x30, 2) } };

  const s = new G.Secret();
  s.setInternalendpoint('peer0.org1.example.com:7051');
  assert.equal(hex(secret), hex(s.serializeBinary()));
  const theirs = jEnv(ours);
  assert.equal(hex(encodeEnvelope(ours)), hex(theirs.serializeBinary()));
  assert.deepStrictEqual(decodeEnvelope(theirs.serializeBinary()), ours);

  const back = G.Envelope.deserializeBinary(encodeEnvelope(ours));
  assert.equal(hex(back.getSecretEnvelope()!.getPayload_asU8()), hex(secret));
  assert.equal(G.Secret.deserializeBinary(back.getSecretEnvelope()!.getPayload_asU8()).getInternalendpoint(), 'peer0.org1.example.com:7051');
  const inner = G.GossipMessage.deserializeBinary(back.getPayload_asU8()).getAliveMsg()!;
  assert.equal(inner.getMembership()!.getEndpoint(), 'peer0.org1.example.com:7051');
  assert.equal(inner.getTimestamp()!.getIncNum(), num(SAFE));
  // An empty internal endpoint is still a set oneof member: Go and jspb both write 0a 00.
  assert.equal(hex(encodeSecret({ internalEndpoint: '' })), '0a00');
});

test('interop common.Block, Metadata, SignatureHeader and msp.SerializedIdentity', () => {
  const ours: Block = {
    header: { number: SAFE, previousHash: u8(1, 2), dataHash: u8(3, 4) },
    data: { data: [text('tx1'), new Uint8Array(0), text('tx3')] },
    metadata: { metadata: [u8(9), new Uint8Array(0), new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)] },
  };
  const h = new C.BlockHeader();
  h.setNumber(num(SAFE));
  h.setPreviousHash(u8(1, 2));
  h.setDataHash(u8(3, 4));
  const d = new C.BlockData();
  d.setDataList(ours.data!.data);
  const md = new C.BlockMetadata();
  md.setMetadataList(ours.metadata!.metadata);
  const theirs = new C.Block();
  theirs.setHeader(h);
  theirs.setData(d);
  theirs.setMetadata(md);
  assert.equal(hex(encodeBlock(ours)), hex(theirs.serializeBinary()));
  assert.deepStrictEqual(decodeBlock(theirs.serializeBinary()), ours);
  assert.deepStrictEqual(C.Block.deserializeBinary(encodeBlock(ours)).toObject(), theirs.toObject());

  const ourMd: Metadata = { value: u8(1), signatures: [{ signatureHeader: u8(2), signature: u8(3), identifierHeader: new Uint8Array(0) }] };
  const tMd = new C.Metadata();
  tMd.setValue(u8(1));
  const sig = tMd.addSignatures(new C.MetadataSignature());
  sig.setSignatureHeader(u8(2));
  sig.setSignature(u8(3));
  assert.equal(hex(encodeMetadata(ourMd)), hex(tMd.serializeBinary()));
  assert.deepStrictEqual(decodeMetadata(tMd.serializeBinary()), ourMd);

  const tSh = new C.SignatureHeader();
  tSh.setCreator(u8(7));
  tSh.setNonce(u8(8));
  assert.equal(hex(encodeSignatureHeader({ creator: u8(7), nonce: u8(8) })), hex(tSh.serializeBinary()));

  const tId = new M.SerializedIdentity();
  tId.setMspid('OrdererMSP');
  tId.setIdBytes(text('pem'));
  assert.equal(hex(encodeSerializedIdentity({ mspid: 'OrdererMSP', idBytes: text('pem') })), hex(tId.serializeBinary()));
  assert.deepStrictEqual(decodeSerializedIdentity(tId.serializeBinary()), { mspid: 'OrdererMSP', idBytes: text('pem') });
});
