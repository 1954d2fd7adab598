/**
 * What the simulated comm (comm.ts) and the live one (engine/live/live-comm.ts) do alike:
 * the signed ConnEstablish, authenticateRemotePeer's checks, and SendWithAck's bookkeeping.
 */
import { Tag, type ConnEstablish, type GossipMessage } from '../wire/messages.js';
import type { ReceivedMessage, RemotePeer } from './comm.js';
import type { PeerEnv } from './env.js';
import { bytesEqual, hex, signMessage, type SignedMessage } from './message.js';

/** The peer's ConnEstablish (and its probe variant): its bytes never change, so each is signed once (RFC 6979). */
export class Handshake {
  private conn?: SignedMessage;
  private probe?: SignedMessage;

  constructor(private readonly env: PeerEnv) {}

  message(probe: boolean): SignedMessage {
    const cached = probe ? this.probe : this.conn;
    if (cached !== undefined) return cached;
    const e = this.env;
    const conn: ConnEstablish = { pkiId: e.pkiId, identity: e.identity, tlsCertHash: e.tlsCertHash, probe };
    const msg: GossipMessage = { nonce: 0n, channel: new Uint8Array(0), tag: Tag.EMPTY, content: 'conn', conn };
    const sm = signMessage(msg, (d) => e.mcs.sign(d));
    if (probe) this.probe = sm;
    else this.conn = sm;
    return sm;
  }
}

/**
 * authenticateRemotePeer's checks on the remote's first message; the reason on failure (also
 * traced as a rejection). `tlsCertHash` is the hash of the TLS certificate seen on the
 * connection, or null where there is no TLS (live mode's plain WebSocket).
 */
export function authenticateHandshake(
  env: PeerEnv,
  onIdentity: (pkiId: Uint8Array, identity: Uint8Array) => string | null,
  sm: SignedMessage,
  from: { idx: number; label: string; tlsCertHash: Uint8Array | null },
): (ConnEstablish & { org: string }) | string {
  const tr = env.tr;
  const fail = (reason: string) => {
    tr.reject(from.idx, sm, reason);
    return reason;
  };
  if (sm.msg.content !== 'conn') return fail('wrong type');
  const c = sm.msg.conn;
  if (c.pkiId.length === 0) return fail('no PKI-ID');
  const idErr = onIdentity(c.pkiId, c.identity);
  if (idErr !== null) return fail(`Identity store rejected ${from.label} : ${idErr}`);
  if (from.tlsCertHash !== null && !bytesEqual(c.tlsCertHash, from.tlsCertHash)) {
    return fail(`Expected ${hex(from.tlsCertHash)} in remote hash of TLS cert, but got ${hex(c.tlsCertHash)}`);
  }
  const e = sm.envelope;
  const sigErr = e.signature.length === 0 ? 'Empty signature' : env.mcs.verify(c.identity, e.signature, e.payload);
  tr.emit('verify', from.idx, sm.typeName, sm.id, sigErr ?? 'valid');
  if (sigErr !== null) return fail(`Failed verifying signature from ${from.label} : ${sigErr}`);
  return { ...c, org: env.mcs.orgOf(c.identity) ?? '' };
}

/** SendWithAck: waiting for an Acknowledgement carrying the message's nonce from one peer. */
export class AckWaiters {
  private readonly waiting = new Map<string, (err: string | null) => void>();

  constructor(private readonly env: PeerEnv) {}

  /** Calls `done` with null on an ack, the error of a NACK, or a timeout after `timeout` ms. */
  expect(sm: SignedMessage, p: RemotePeer, timeout: number, done: (err: string | null) => void): void {
    const k = `${sm.msg.nonce}/${p.id ?? this.env.members.idOf(p.pkiId)}`;
    const timer = this.env.rt.after(timeout, 'comm.ackTimeout', () => {
      if (this.waiting.delete(k)) done('timed out waiting for ack');
    });
    this.waiting.set(k, (err) => {
      timer.cancel();
      this.waiting.delete(k);
      done(err);
    });
  }

  /** interceptAcks: an Acknowledgement answers a SendWithAck. */
  received(m: ReceivedMessage): void {
    if (m.sm.msg.content !== 'ack') return;
    const err = m.sm.msg.ack.error;
    this.waiting.get(`${m.sm.msg.nonce}/${m.conn.remoteId}`)?.(err === '' ? null : err);
  }
}
