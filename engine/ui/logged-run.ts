/**
 * What the UI shows of a network read from Fabric logs, in the shapes of extension/protocol.ts:
 * the same network, peer states, message and peer details as a simulated run, filled from the
 * log (a log holds no bytes: a message's detail is its printed fields and the log lines).
 * A log is a recording: everything here is as of a position in it (`upTo`: the events shown),
 * so it can be replayed, stepped and stepped back.
 */
import type { MessageDetail, PeerDetail, UiEvent, UiNetwork, UiPeerState, UiStatus } from '../../extension/protocol.js';
import { peerViews, publishedHeight } from '../logs/peer-view.js';
import type { LogReading } from '../logs/read-logs.js';

export class LoggedRun {
  constructor(
    readonly reading: LogReading,
    readonly files: string[],
  ) {}

  get events(): UiEvent[] {
    return this.reading.events as UiEvent[];
  }

  network(): UiNetwork {
    const r = this.reading;
    const s = r.stats;
    const orgOf = (i: number) => r.peers[i].org ?? 'unknown org';
    const orgs = [...new Set(r.peers.map((_, i) => orgOf(i)))];
    const channels = [...new Set(r.peers.flatMap((p) => p.channels))];
    const names = this.files.map((f) => f.split(/[\\/]/).pop()).join(', ');
    return {
      scenario: {
        name: `Fabric logs: ${names}`,
        file: this.files[0] ?? '',
        description:
          `Read from ${this.files.length} log file(s) starting ${new Date(r.start).toISOString()}: ${s.lines} lines, ${s.unparsed} unparsed, ` +
          `${s.unattributed} not attributable to a peer; ${s.matched} sends matched with their receipts, ${s.unmatchedSends.length} sends without a receipt, ` +
          `${s.unmatchedReceipts.length} receipts without a logged send; ${s.reordered} receipts logged before their send (drawn after it).`,
        seed: 0,
        profile: 'fabric logs',
      },
      recording: { files: this.files.map((f) => f.split(/[\\/]/).pop()!) },
      orgs: orgs.map((o) => ({ mspId: o, name: o.toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'unknown' })),
      channels: channels.map((c) => ({ name: c, orgs: [...new Set(r.peers.filter((p) => p.channels.includes(c)).map((p) => p.org ?? 'unknown org'))] })),
      peers: r.peers.map((p, i) => ({
        idx: p.idx,
        id: p.name,
        mspId: orgOf(i),
        org: orgOf(i).toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'unknown',
        endpoint: p.endpoint,
        internalEndpoint: p.internalEndpoint,
        channels: [...p.channels],
      })),
    };
  }

  /** The replay's status with the first `upTo` events shown: its end is the log's last line. */
  status(upTo = this.reading.events.length, state: 'paused' | 'running' = 'paused', speed = 1): UiStatus {
    const events = this.reading.events;
    const last = events.at(-1)?.t ?? 0;
    const at = upTo > 0 ? events[upTo - 1].t : 0;
    return { simTime: at, events: upTo, state: upTo >= events.length ? 'finished' : state, speed, until: last };
  }

  /**
   * Each peer as the log has it after `upTo` events: not started until it (or someone, of it)
   * logs, up while it logs, stopped once it logs "Stopping gossip" (a clean stop, not a crash).
   */
  states(upTo = this.reading.events.length): UiPeerState[] {
    const r = this.reading;
    const views = peerViews(r.events, r.peers.length, upTo);
    const seen = new Set<number>();
    const stopped = new Set<number>();
    for (let i = 0; i < upTo; i++) {
      const e = r.events[i];
      seen.add(e.peer);
      if (e.other !== undefined) seen.add(e.other);
      if (e.kind === 'state' && e.data?.what === 'stopped') stopped.add(e.peer);
    }
    const heights = r.peers.map((_, i) => publishedHeight(views, i));
    const top = Math.max(0, ...heights);
    return r.peers.map((p, i) => ({
      idx: i,
      running: seen.has(i) && !stopped.has(i),
      started: seen.has(i),
      ...(stopped.has(i) ? { stopped: true } : {}),
      height: Object.fromEntries(p.channels.map((c) => [c, heights[i]])),
      leader: Object.fromEntries(p.channels.map((c) => [c, views[i].leader === true])),
      alive: views[i].alive.size,
      dead: views[i].dead.size,
      behind: heights[i] < top,
    }));
  }

  messageDetail(msg: number): MessageDetail | null {
    const m = this.reading.messages.get(msg);
    if (!m) return null;
    const name = (i: number) => this.reading.peers[i]?.name ?? String(i);
    const at = (ref: { file: string; line: number; time: number; text: string } | undefined) =>
      ref ? { where: `${ref.file}:${ref.line}`, loggedAt: new Date(ref.time).toISOString(), line: ref.text } : 'not in the log';
    const signatureBytes = Number(m.fields.signatureBytes ?? NaN);
    return {
      msg,
      type: m.type,
      fields: { from: name(m.from), to: name(m.to), printed: m.text, ...m.fields, sent: at(m.sent), received: at(m.received) },
      payloadHex: '',
      size: Number(m.fields.envelopeBytes ?? 0),
      signature: null,
      signer: null,
      verdicts: [],
      secretEnvelope: /Secret payload/.test(m.text),
      logged: { signatureBytes: Number.isFinite(signatureBytes) ? signatureBytes : null, sent: m.sent !== undefined, received: m.received !== undefined },
    };
  }

  peerDetail(idx: number, upTo = this.reading.events.length): PeerDetail | null {
    const r = this.reading;
    const p = r.peers[idx];
    if (!p) return null;
    const views = peerViews(r.events, r.peers.length, upTo);
    const v = views[idx];
    const name = (m: number | string) => (typeof m === 'number' ? r.peers[m]?.name ?? String(m) : m);
    const lastSeen = (m: number | string) => {
      let t = 0;
      for (let i = 0; i < upTo; i++) {
        const e = r.events[i];
        if (e.peer === idx && e.kind === 'deliver' && e.other === m) t = e.t;
      }
      return t;
    };
    const state = this.states(upTo)[idx];
    return {
      idx,
      id: p.name,
      running: state.running,
      started: state.started,
      pkiId: p.pkiId,
      membership: { alive: [...v.alive].map((m) => ({ id: name(m), lastSeen: lastSeen(m) })), dead: [...v.dead].map((m) => ({ id: name(m), lastSeen: lastSeen(m) })) },
      channels: p.channels.map((c) => ({
        name: c,
        height: publishedHeight(views, idx),
        leader: v.leader === true,
        stateInfo: [...v.heights].map(([m, h]) => ({ id: name(m), height: h })),
        worldState: [],
      })),
    };
  }
}
