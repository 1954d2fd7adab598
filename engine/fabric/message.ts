/**
 * SignedGossipMessage (gossip/protoext/signing.go): a decoded GossipMessage paired with the
 * Envelope it travels in. The simulator shares one immutable instance among all receivers:
 * a message is encoded and signed once at its sender, never per delivery.
 */
import { decodeEnvelope, decodeGossipMessage, decodeSecret, encodeGossipMessage, encodeSecret } from '../wire/codec.js';
import { TYPE_NAME, Tag, type Envelope, type GossipMessage, type SecretEnvelope } from '../wire/messages.js';

const EMPTY = new Uint8Array(0);

export class SignedMessage {
  /** Trace message id, given when it is first sent. */
  id = 0;
  private env?: Envelope;
  private stripped?: SignedMessage;
  private secretEp?: string;

  constructor(
    readonly msg: GossipMessage,
    envelope?: Envelope,
  ) {
    this.env = envelope;
  }

  /** Fabric's type name of the content (AliveMessage, DataMessage, ...). */
  get typeName(): string {
    return TYPE_NAME[this.msg.content];
  }

  /** The wire envelope. Noop-signed messages are encoded only when somebody asks for bytes. */
  get envelope(): Envelope {
    if (this.env === undefined) this.env = { payload: encodeGossipMessage(this.msg), signature: EMPTY };
    return this.env;
  }

  isSigned(): boolean {
    return this.envelope.signature.length > 0;
  }

  /** The internal endpoint carried in the SecretEnvelope, or '' (decoded once). */
  internalEndpoint(): string {
    if (this.secretEp === undefined) {
      const se = this.envelope.secretEnvelope;
      let ep = '';
      if (se !== undefined) {
        try {
          ep = decodeSecret(se.payload).internalEndpoint;
        } catch {
          ep = '';
        }
      }
      this.secretEp = ep;
    }
    return this.secretEp;
  }

  /** The same message without its SecretEnvelope, for peers of other orgs (sendAndFilterSecrets). */
  withoutSecret(): SignedMessage {
    const env = this.envelope;
    if (env.secretEnvelope === undefined) return this;
    if (this.stripped === undefined) {
      this.stripped = new SignedMessage(this.msg, { payload: env.payload, signature: env.signature });
    }
    return this.stripped;
  }
}

/** Sign: serialise the message, sign those exact bytes (protoext.SignedGossipMessage.Sign). */
export function signMessage(
  msg: GossipMessage,
  sign: (data: Uint8Array) => Uint8Array,
  secret?: { internalEndpoint: string },
): SignedMessage {
  const payload = encodeGossipMessage(msg);
  const env: Envelope = { payload, signature: sign(payload) };
  if (secret !== undefined) {
    const sp = encodeSecret(secret);
    const se: SecretEnvelope = { payload: sp, signature: sign(sp) };
    env.secretEnvelope = se;
  }
  return new SignedMessage(msg, env);
}

/** NoopSign: an envelope with an empty signature. */
export function noopSign(msg: GossipMessage): SignedMessage {
  return new SignedMessage(msg);
}

const decoded = new WeakMap<Envelope, SignedMessage>();

/**
 * EnvelopeToGossipMessage: decode the payload bytes as received, keeping them. Throws WireError.
 * Envelopes nested in membership responses, snapshots and pull updates are the senders' own
 * immutable objects, shared by every receiver: each is decoded once.
 */
export function fromEnvelope(env: Envelope): SignedMessage {
  let sm = decoded.get(env);
  if (sm === undefined) {
    sm = new SignedMessage(decodeGossipMessage(env.payload), env);
    decoded.set(env, sm);
  }
  return sm;
}

/** Decode a whole frame off the wire. Throws WireError. */
export function fromBytes(bytes: Uint8Array): SignedMessage {
  return fromEnvelope(decodeEnvelope(bytes));
}

/** gossip/protoext/message.go IsTagLegal: null when legal, else Fabric's error text. */
export function tagError(m: GossipMessage): string | null {
  if (m.tag === Tag.UNDEFINED) return 'Undefined tag';
  switch (m.content) {
    case 'dataMsg':
      return m.tag === Tag.CHAN_AND_ORG ? null : 'Tag should be CHAN_AND_ORG';
    case 'aliveMsg':
    case 'memReq':
    case 'memRes':
      return m.tag === Tag.EMPTY ? null : 'Tag should be EMPTY';
    case 'peerIdentity':
      return m.tag === Tag.ORG_ONLY ? null : 'Tag should be ORG_ONLY';
    case 'hello':
    case 'dataDig':
    case 'dataReq':
    case 'dataUpdate': {
      const t = pullMsgType(m);
      if (t === 1) return m.tag === Tag.CHAN_AND_ORG ? null : 'Tag should be CHAN_AND_ORG';
      if (t === 2) return m.tag === Tag.EMPTY ? null : 'Tag should be EMPTY';
      return `Invalid PullMsgType: ${t}`;
    }
    case 'stateInfo':
    case 'stateInfoPullReq':
    case 'stateSnapshot':
    case 'stateRequest':
    case 'stateResponse':
      return m.tag === Tag.CHAN_OR_ORG ? null : 'Tag should be CHAN_OR_ORG';
    case 'leadershipMsg':
      return m.tag === Tag.CHAN_AND_ORG ? null : 'Tag should be CHAN_AND_ORG';
    default:
      return `Unknown message type: ${TYPE_NAME[m.content]}`;
  }
}

export function pullMsgType(m: GossipMessage): number {
  switch (m.content) {
    case 'hello':
      return m.hello.msgType;
    case 'dataDig':
      return m.dataDig.msgType;
    case 'dataReq':
      return m.dataReq.msgType;
    case 'dataUpdate':
      return m.dataUpdate.msgType;
    default:
      return 0;
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const hexCache = new WeakMap<Uint8Array, string>();

/**
 * PKI-IDs are keyed by hex in maps, as Fabric keys them by string(pkiID). Decoded messages are
 * shared and immutable, so the hex of one byte array is computed once.
 */
export function hex(b: Uint8Array): string {
  let s = hexCache.get(b);
  if (s === undefined) {
    s = '';
    for (let i = 0; i < b.length; i++) s += HEX[b[i]];
    hexCache.set(b, s);
  }
  return s;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Bytewise comparison, as election compares PKI-IDs. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();
export const strBytes = (s: string): Uint8Array => utf8.encode(s);
export const bytesStr = (b: Uint8Array): string => utf8d.decode(b);
