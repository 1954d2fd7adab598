/**
 * Who may connect to a live run's sockets. Every socket is on 127.0.0.1, so the ones to keep
 * out are other local users' processes and web pages in the user's browser (a page may open a
 * WebSocket to 127.0.0.1; the browser then sends an Origin header, which no peer process does).
 * Each peer process gets its own random credential from the launcher, over its stdin (never in
 * argv or the environment, which other users can read with `ps`), and presents it as a bearer
 * token when it opens the control channel or a Deliver stream.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What the launcher hands a peer process on its stdin, as one JSON line. */
export interface PeerSecrets {
  /** This process's credential for the control channel and the Deliver streams. */
  credential: string;
  /** The run's secret every key and certificate is derived from (not the scenario's public seed). */
  keys: string;
}

export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

/** One credential per holder (a peer id); issuing a new one revokes the holder's last. */
export class Credentials {
  private readonly tokenOf = new Map<string, string>();

  issue(holder: string): string {
    const token = newSecret();
    this.tokenOf.set(holder, token);
    return token;
  }

  revoke(holder: string): void {
    this.tokenOf.delete(holder);
  }

  /** The holder a token belongs to, or undefined. */
  holderOf(token: string | undefined): string | undefined {
    if (token === undefined) return undefined;
    const given = Buffer.from(token);
    for (const [holder, t] of this.tokenOf) {
      const mine = Buffer.from(t);
      if (mine.length === given.length && timingSafeEqual(mine, given)) return holder;
    }
    return undefined;
  }
}

/** The bearer token of an upgrade request (`Authorization: Bearer …`). */
export function bearerOf(req: IncomingMessage): string | undefined {
  const m = /^Bearer ([0-9a-f]{64})$/.exec(req.headers.authorization ?? '');
  return m?.[1];
}

type VerifyClient = (info: { req: IncomingMessage; origin: string }, cb: (ok: boolean, code?: number, message?: string) => void) => void;

/**
 * A `verifyClient` for a ws server: refuses any browser (an Origin header) with 403 and, given
 * credentials, any connection without a valid one with 401; `admit` may refuse more (its reason,
 * with 409). The holder is left on the request for the connection handler (`holderOfRequest`).
 */
export function guardUpgrade(opts: { credentials?: Credentials; admit?: (holder: string) => string | null; log?: (s: string) => void }): VerifyClient {
  return (info, cb) => {
    const { req } = info;
    const from = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const refuse = (code: number, reason: string) => {
      opts.log?.(`refused a connection from ${from}: ${reason}`);
      cb(false, code, reason);
    };
    if (req.headers.origin !== undefined) return refuse(403, `a browser page (Origin ${req.headers.origin.slice(0, 100)}) may not connect`);
    if (opts.credentials === undefined) return cb(true);
    const holder = opts.credentials.holderOf(bearerOf(req));
    if (holder === undefined) return refuse(401, 'missing or wrong credential');
    const problem = opts.admit?.(holder) ?? null;
    if (problem !== null) return refuse(409, problem);
    HOLDERS.set(req, holder);
    cb(true);
  };
}

const HOLDERS = new WeakMap<IncomingMessage, string>();

/** Whose credential opened a connection that guardUpgrade let in. */
export function holderOfRequest(req: IncomingMessage): string | undefined {
  return HOLDERS.get(req);
}

/** The headers a peer process sends to prove who it is. */
export function bearerHeaders(credential: string | undefined): Record<string, string> {
  return credential === undefined ? {} : { authorization: `Bearer ${credential}` };
}
