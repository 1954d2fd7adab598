/**
 * Fabric block hashing, orderer signing and the peer's block check (MCS.VerifyBlock), as pure
 * functions. Sources: fabric `protoutil/blockutils.go` (BlockHeaderBytes, BlockDataHash,
 * BlockSignatureVerifier), `internal/peer/gossip/mcs.go` (VerifyBlock),
 * `orderer/common/multichannel/blockwriter.go` (addBlockSignature).
 */
import { createHash } from 'node:crypto';
import {
  decodeBlock,
  decodeMetadata,
  decodeSignatureHeader,
  encodeBlock,
  encodeMetadata,
  encodeOrdererBlockMetadata,
  encodeSignatureHeader,
} from '../wire/codec.js';
import type { Block, BlockData, BlockHeader, Metadata } from '../wire/messages.js';

/** common.BlockMetadataIndex_SIGNATURES. */
export const SIGNATURES_INDEX = 0;
/** Fabric's NewBlock/InitBlockMetadata make one metadata entry per BlockMetadataIndex value (0..4). */
const METADATA_ENTRIES = 5;

/**
 * What Fabric returns when no signature satisfies the orderer's BlockValidation policy. The
 * default policy is ImplicitMeta "ANY Writers" over the orderer orgs (configtxgen profiles), and
 * this is its error text (Fabric's orderer onboarding tests assert it for a block with no signatures).
 */
export const BLOCK_POLICY_FAILURE =
  "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied";

const sha256 = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const p of parts) {
    out.set(p, n);
    n += p.length;
  }
  return out;
}

const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** protoutil.BlockDataHash (v2+): SHA-256 over the concatenated data entries, no framing. */
export const blockDataHash = (data: BlockData): Uint8Array => sha256(...data.data);

// --- ASN.1 DER, just enough for asn1.Marshal(asn1Header{Number *big.Int; PreviousHash, DataHash []byte}).

/** DER TLV: tag, definite length (short form < 128, else 0x80|n followed by n big-endian bytes). */
function tlv(tag: number, content: Uint8Array): Uint8Array {
  const len: number[] = [];
  for (let n = content.length; n > 0; n = Math.floor(n / 256)) len.unshift(n % 256);
  const head = content.length < 0x80 ? [tag, content.length] : [tag, 0x80 | len.length, ...len];
  return concat(Uint8Array.from(head), content);
}

/** Go's asn1 encoding of a non-negative big.Int: minimal big-endian, 0x00 prefix if the top bit is set, 0 → 00. */
function derUint(v: bigint): Uint8Array {
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = '00' + hex;
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** protoutil.BlockHeaderBytes: DER of SEQUENCE { INTEGER number, OCTET STRING previousHash, OCTET STRING dataHash }. */
export const blockHeaderBytes = (h: BlockHeader): Uint8Array =>
  tlv(0x30, concat(tlv(0x02, derUint(h.number)), tlv(0x04, h.previousHash), tlv(0x04, h.dataHash)));

/** protoutil.BlockHeaderHash: what the next block carries as previousHash. */
export const blockHeaderHash = (h: BlockHeader): Uint8Array => sha256(blockHeaderBytes(h));

/** The bytes an orderer signs for one MetadataSignature (non-BFT branch of BlockSignatureVerifier). */
export const blockSignedBytes = (value: Uint8Array, signatureHeader: Uint8Array, header: BlockHeader): Uint8Array =>
  concat(value, signatureHeader, blockHeaderBytes(header));

export interface MakeBlockOptions {
  number: bigint;
  previousHash: Uint8Array;
  data: Uint8Array[];
  sign: (bytes: Uint8Array) => Uint8Array;
  /** Serialised msp.SerializedIdentity of the orderer: the SignatureHeader's creator. */
  signerIdentity: Uint8Array;
  nonce: Uint8Array;
  /** Index of the last config block, recorded in the signed OrdererBlockMetadata (default 0). */
  lastConfigIndex?: bigint;
}

/** An orderer-cut block, signed the way BlockWriter.addBlockSignature does it. */
export function makeSignedBlock(o: MakeBlockOptions): { block: Block; bytes: Uint8Array } {
  const header: BlockHeader = { number: o.number, previousHash: o.previousHash, dataHash: blockDataHash({ data: o.data }) };
  const signatureHeader = encodeSignatureHeader({ creator: o.signerIdentity, nonce: o.nonce });
  // Fabric's ConsenterMetadata is Marshal(Metadata{Value: consenterMetadata}); with none that is empty.
  const value = encodeOrdererBlockMetadata({ lastConfig: { index: o.lastConfigIndex ?? 0n }, consenterMetadata: new Uint8Array(0) });
  const signature = o.sign(blockSignedBytes(value, signatureHeader, header));
  const signatures: Metadata = { value, signatures: [{ signatureHeader, signature, identifierHeader: new Uint8Array(0) }] };
  const metadata: Uint8Array[] = Array.from({ length: METADATA_ENTRIES }, () => new Uint8Array(0));
  metadata[SIGNATURES_INDEX] = encodeMetadata(signatures);
  const block: Block = { header, data: { data: o.data }, metadata: { metadata } };
  return { block, bytes: encodeBlock(block) };
}

/**
 * MCS.VerifyBlock after the gossip layer's protoutil.UnmarshalBlock, in Fabric's order and words.
 * Returns null when the block is acceptable, else the reason.
 *
 * `verifySig(identity, signature, data)` stands for the orderer BlockValidation policy's check of
 * one signature (identity deserialisation, orderer-org membership, ECDSA): null = valid. The
 * policy is satisfied by at least one valid signature (ANY Writers).
 *
 * Not modelled: the BFT branch (IdentifierHeader instead of SignatureHeader), and parsing the
 * channel ID out of data[0] (Envelope → Payload → ChannelHeader): our data entries are opaque
 * transaction bytes. Only the "block is empty" half of that check is kept, since it is free.
 */
export function verifyBlock(
  channel: string,
  seq: bigint,
  blockBytes: Uint8Array,
  verifySig: (identity: Uint8Array, sig: Uint8Array, data: Uint8Array) => string | null,
): string | null {
  let block: Block;
  try {
    block = decodeBlock(blockBytes);
  } catch (e) {
    return `error unmarshalling Block: ${(e as Error).message}`;
  }
  const h = block.header;
  if (!h) return `Invalid Block on channel [${channel}]. Header must be different from nil.`;
  if (seq !== h.number) return `Claimed seqNum is [${seq}] but actual seqNum inside block is [${h.number}]`;
  const n = h.number;

  // protoutil.GetChannelIDFromBlock, first step only (see above).
  if (!block.data || block.data.data.length === 0) {
    return `Failed getting channel id from block with id [${n}] on channel [${channel}]: [failed to retrieve channel id - block is empty]`;
  }
  const md = block.metadata?.metadata;
  if (!md || md.length === 0) return `Block with id [${n}] on channel [${channel}] does not have metadata. Block not valid.`;
  if (!bytesEqual(blockDataHash(block.data), h.dataHash)) {
    return `Header.DataHash is different from Hash(block.Data) for block with id [${n}] on channel [${channel}]`;
  }

  // protoutil.BlockSignatureVerifier. Go's errors.Wrapf(err, "...: %v", err) prints the cause twice.
  let sigs: Metadata;
  try {
    sigs = decodeMetadata(md[SIGNATURES_INDEX]);
  } catch (e) {
    const msg = (e as Error).message;
    return `error unmarshalling signatures from metadata: ${msg}: ${msg}`;
  }
  // Fabric builds the whole signature set (all headers must parse) before evaluating the policy.
  const headerBytes = blockHeaderBytes(h);
  const set: { identity: Uint8Array; data: Uint8Array; signature: Uint8Array }[] = [];
  for (const s of sigs.signatures) {
    let creator: Uint8Array;
    try {
      creator = decodeSignatureHeader(s.signatureHeader).creator;
    } catch (e) {
      return `failed unmarshalling signature header for block ${n}: error unmarshalling SignatureHeader: ${(e as Error).message}`;
    }
    set.push({ identity: creator, data: concat(sigs.value, s.signatureHeader, headerBytes), signature: s.signature });
  }
  // ANY: the first valid signature satisfies the policy (no need to verify the rest).
  for (const s of set) if (verifySig(s.identity, s.signature, s.data) === null) return null;
  return BLOCK_POLICY_FAILURE;
}
