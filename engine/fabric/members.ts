/**
 * Member ids: every PKI-ID the engine meets gets a small integer, handed out when it is first
 * seen (a network's peers at start, a forged or foreign PKI-ID when a message names it). A
 * peer's stores are keyed by it; the PKI-ID's bytes and hex stay in this one table, for what a
 * user or a file sees (trace, UI, DAP, logs), which never shows an id.
 *
 * An id only names a PKI-ID: no decision depends on its value, and stores that are walked keep
 * the order Fabric's maps see (insertion), so the order ids are handed out in never reaches a
 * trace. Fabric's own stores key by string(pkiID); this is the engine's stand-in for that string.
 */
import { hex } from './message.js';

export type MemberId = number;

const HEX_PKI = /^(?:[0-9a-f]{2})+$/;

export class MemberTable {
  private readonly byHex = new Map<string, MemberId>();
  /** Decoded messages share their byte arrays: one array's id is found without its hex. */
  private readonly byBytes = new WeakMap<Uint8Array, MemberId>();
  private readonly hexes: string[] = [];
  private readonly pkiIds: Uint8Array[] = [];

  /** The id of a PKI-ID, a new one when it is first seen. */
  idOf(pkiId: Uint8Array): MemberId {
    const known = this.byBytes.get(pkiId);
    if (known !== undefined) return known;
    const k = hex(pkiId);
    let id = this.byHex.get(k);
    if (id === undefined) id = this.add(k, pkiId);
    this.byBytes.set(pkiId, id);
    return id;
  }

  /** The same, from a PKI-ID's hex (lowercase, as hex() prints it). */
  idOfHex(pkiHex: string): MemberId {
    const id = this.byHex.get(pkiHex);
    if (id !== undefined) return id;
    if (!HEX_PKI.test(pkiHex)) throw new Error(`member table: '${pkiHex}' is not a PKI-ID in lowercase hex`);
    return this.add(pkiHex, Uint8Array.from(Buffer.from(pkiHex, 'hex')));
  }

  /** The id of a PKI-ID already seen, without handing out one. */
  find(pkiHex: string): MemberId | undefined {
    return this.byHex.get(pkiHex);
  }

  /** The PKI-ID's bytes (the array it was first seen in). */
  pkiId(id: MemberId): Uint8Array {
    const b = this.pkiIds[id];
    if (b === undefined) throw new Error(`member table: no member ${id} (the table has ${this.pkiIds.length})`);
    return b;
  }

  /** The PKI-ID's hex, as the trace, the UI and the logs show it. */
  hex(id: MemberId): string {
    const h = this.hexes[id];
    if (h === undefined) throw new Error(`member table: no member ${id} (the table has ${this.hexes.length})`);
    return h;
  }

  get size(): number {
    return this.hexes.length;
  }

  private add(pkiHex: string, pkiId: Uint8Array): MemberId {
    const id = this.hexes.length;
    this.hexes.push(pkiHex);
    this.pkiIds.push(pkiId);
    this.byHex.set(pkiHex, id);
    return id;
  }
}
