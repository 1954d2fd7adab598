/**
 * How large a frame a gossip socket takes. Before the signed handshake nobody is known, so the
 * first frame may hold only a ConnEstablish (a certificate and a signature, about 1 KB here):
 * 64 KiB. Once the remote peer has proved who it is, Fabric's own bound applies: gRPC's
 * peer.maxRecvMsgSize, 100 MiB by default (core.yaml; internal/peer/node/start.go).
 * ws refuses a frame over the limit from its header (close 1009), before buffering its payload.
 */
import type { WebSocket } from 'ws';

export const HANDSHAKE_FRAME_BYTES = 64 * 1024;
export const FABRIC_MAX_RECV_BYTES = 100 * 1024 * 1024;

/**
 * ws takes one maxPayload per server or client; this raises it for one authenticated socket.
 * ws keeps it on the socket's receiver (ws 8's `_receiver._maxPayload`); a test pins that.
 */
export function raiseFrameLimit(ws: WebSocket, bytes: number): void {
  const receiver = (ws as unknown as { _receiver?: { _maxPayload?: unknown } })._receiver;
  if (receiver === undefined || receiver === null || typeof receiver._maxPayload !== 'number') {
    throw new Error('ws no longer keeps maxPayload on the socket\'s receiver: the frame limit after the handshake cannot be raised');
  }
  receiver._maxPayload = bytes;
}
