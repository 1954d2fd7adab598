/**
 * The MessageCryptoService each simulated peer uses: its own signer, and one shared MSP
 * registry (all peers trust the same CAs, so sharing the parse/chain/verify caches is exact).
 */
import type { CryptoService } from '../fabric/env.js';
import { verifyBlock } from '../fabric/block.js';
import type { MSPRegistry } from '../msp/index.js';
import { EPOCH_MS } from './runtime.js';

export class BlockVerifier {
  /** Same bytes, same verdict: each block is verified once however many peers receive it. */
  private readonly cache = new WeakMap<Uint8Array, Map<string, string | null>>();

  constructor(
    private readonly registry: MSPRegistry,
    private readonly ordererMsp: string,
    private readonly now: () => number,
  ) {}

  verify(channel: string, seq: bigint, block: Uint8Array): string | null {
    let perBlock = this.cache.get(block);
    if (perBlock === undefined) this.cache.set(block, (perBlock = new Map()));
    const key = `${channel}/${seq}`;
    const hit = perBlock.get(key);
    if (hit !== undefined) return hit;
    const verdict = verifyBlock(channel, seq, block, (identity, sig, data) => {
      // The BlockValidation policy: a valid signature by a member of the orderer org.
      if (this.registry.orgOf(identity) !== this.ordererMsp) return 'signer is not an orderer';
      return this.registry.validate(identity, EPOCH_MS + this.now()) ?? this.registry.verify(identity, sig, data);
    });
    perBlock.set(key, verdict);
    return verdict;
  }
}

export function peerCrypto(
  registry: MSPRegistry,
  blocks: BlockVerifier,
  sign: (data: Uint8Array) => Uint8Array,
  now: () => number,
): CryptoService {
  return {
    sign,
    verify: (identity, sig, data) => registry.verify(identity, sig, data),
    pkiIdOf: (identity) => registry.pkiIdOf(identity),
    orgOf: (identity) => registry.orgOf(identity),
    validateIdentity: (identity) => registry.validate(identity, EPOCH_MS + now()),
    expiresAt: (identity) => (registry.expiresAt(identity) ?? Infinity) - EPOCH_MS,
    verifyBlock: (channel, seq, block) => blocks.verify(channel, seq, block),
  };
}
