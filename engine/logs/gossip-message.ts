/**
 * A GossipMessage as Fabric prints it (`protoext` String() methods, or the protobuf text form
 * for the types without one, e.g. `hello:<nonce:… msg_type:IDENTITY_MSG >`): its Fabric type
 * name and the fields a reader wants (nonce, channel, PKI-ID, alive timestamps, heights, seq).
 */

export interface PrintedMessage {
  type: string;
  /** The message as printed, from `GossipMessage:` on: the same text at sender and receiver. */
  text: string;
  fields: Record<string, string>;
}

/** Fabric type name by a marker in the printed text, most specific first. */
const TYPES: [RegExp, string][] = [
  [/Membership Request with self information/, 'MembershipRequest'],
  [/MembershipResponse with Alive/, 'MembershipResponse'],
  [/Alive Message:/, 'AliveMessage'],
  [/StateInfoSnapshot with/, 'StateInfoSnapshot'],
  [/state_info_pull_req/, 'StateInfoPullRequest'],
  [/state_info_message:|state_info:</, 'StateInfo'],
  [/Block message:|data_msg:</, 'DataMessage'],
  [/\bhello:</, 'GossipHello'],
  [/data_dig:/, 'DataDigest'],
  [/data request:|data_req:</, 'DataRequest'],
  [/DataUpdate:|data_update:</, 'DataUpdate'],
  [/leadership_msg|Leadership Message/, 'LeadershipMessage'],
  [/\bconn:</, 'ConnEstablish'],
  [/state_request|Remote state request/, 'RemoteStateRequest'],
  [/state_response|Remote state response/, 'RemoteStateResponse'],
  [/peer_identity:</, 'PeerIdentity'],
  [/private_req|RemotePvtDataRequest/, 'RemotePvtDataRequest'],
  [/private_res|RemotePvtDataResponse/, 'RemotePvtDataResponse'],
  [/private_data:</, 'PrivateDataMessage'],
  [/\back:</, 'Acknowledgement'],
  [/\bempty:</, 'Empty'],
];

const FIELDS: [string, RegExp][] = [
  ['channel', /^GossipMessage: (?:Channel: ([^,]*),|channel:"([^"]*)")/],
  ['nonce', /nonce:\s*([0-9a-f]+)/],
  ['tag', /tag:\s*([A-Z_]+)/],
  ['endpoint', /Endpoint:([^\s,]+)/],
  ['pkiId', /PKI-id:([0-9a-f]+)/],
  ['incNum', /inc_num:(\d+)/],
  ['seqNum', /seq_num:(\d+)/],
  ['ledgerHeight', /ledger_height:(\d+)/],
  ['blockSeq', /Block message: \{Data: \d+ bytes, seq: (\d+)\}/],
  ['msgType', /msg_type:\s*([A-Z_]+)|Msg_type: ([A-Z_]+)|Type: ([A-Z_]+_MSG)/],
  ['digests', /digests: \[([^\]]*)\]/],
  ['items', /items: (\d+)|with (\d+) items/],
  ['alive', /with Alive: (\d+)/],
  ['dead', /Dead: (\d+)/],
];

/** The outer envelope's sizes: the last `Envelope: N bytes, Signature: M bytes` (an alive message inside a membership request prints its own first). */
const ENVELOPE = /Envelope: (\d+) bytes, Signature: (\d+) bytes/g;

/** The message printed from `GossipMessage:` to the end of `text`, or undefined. */
export function readPrintedMessage(text: string): PrintedMessage | undefined {
  const at = text.indexOf('GossipMessage:');
  if (at < 0) return undefined;
  const msg = text.slice(at).trimEnd();
  const type = TYPES.find(([re]) => re.test(msg))?.[1] ?? 'GossipMessage';
  const fields: Record<string, string> = {};
  for (const [name, re] of FIELDS) {
    const m = re.exec(msg);
    const v = m?.slice(1).find((x) => x !== undefined);
    if (v !== undefined && v !== '') fields[name] = v;
  }
  const envelopes = [...msg.matchAll(ENVELOPE)];
  const last = envelopes.at(-1);
  // An alive message's own envelope comes before its secret envelope's sizes.
  const own = /Alive Message:/.test(msg) && type === 'AliveMessage' ? envelopes[0] : last;
  if (own) [fields.envelopeBytes, fields.signatureBytes] = [own[1], own[2]];
  return { type, text: msg, fields };
}
