/**
 * The one door every request comes through. @vscode/debugadapter's DebugSession dispatches a
 * request to its handler as it comes: a missing field becomes a TypeError, a thrown error is
 * answered with its JavaScript stack, an async handler's rejection is unhandled (the process
 * dies), and a frame that is not JSON shuts the adapter down. Here, before any handler runs, a
 * message must be a request, its arguments must match the command's schema (request-schema.ts)
 * and, for most commands, a network must be running; whatever a handler throws, sync or async,
 * is answered once, in a sentence; and the adapter reads its own frames (framing.ts).
 */
import { PassThrough } from 'node:stream';
import { DebugSession, Event, OutputEvent, Response } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapFramer } from './framing.js';
import { argumentsProblem, REQUESTS } from './request-schema.js';

/** Handlers whose method name is not `<command>Request`. */
const HANDLER_NAMES: Record<string, string> = {
  setBreakpoints: 'setBreakPointsRequest',
  setFunctionBreakpoints: 'setFunctionBreakPointsRequest',
  setExceptionBreakpoints: 'setExceptionBreakPointsRequest',
};

/** Error ids of the answers given here (the adapter's own are 1001-1099). */
const REFUSED = 1100;
const FAILED = 1101;

/** The longest message an answer carries (a stray huge value is cut). */
const MAX_MESSAGE = 500;

type Handler = (response: DebugProtocol.Response, args: unknown, request: DebugProtocol.Request) => void | Promise<void>;

export abstract class GuardedDebugSession extends DebugSession {
  /** Responses already sent: a handler's second answer is dropped (and said). */
  private readonly answered = new WeakSet<DebugProtocol.Response>();

  /** Whether a network is running (requests that need one are refused until then). */
  protected abstract get running(): boolean;

  /** Over a stream (stdio): frames are read here, so that a bad one is answered, not fatal. */
  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    // The library writes to outStream; it reads from a stream that never carries anything.
    super.start(new PassThrough(), outStream);
    const framer = new DapFramer();
    inStream.on('data', (chunk: Buffer | string) => {
      for (const frame of framer.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)) {
        // One frame's failure must not lose the frames after it in the same chunk.
        try {
          // A request too deep to parse is still answered, to its seq, when its top level names one.
          if ('problem' in frame && frame.request !== undefined) this.refuse(new Response({ ...frame.request, type: 'request' }), `"${cut(frame.request.command, 80)}" refused: ${frame.problem}`);
          else if ('problem' in frame) this.notice(`ignored ${frame.problem}`);
          else this.handleMessage(frame.value as DebugProtocol.ProtocolMessage);
        } catch (err) {
          this.notice(`internal error on a frame: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    });
    inStream.on('close', () => this.emit('close', new Event('close')));
    inStream.on('error', (err: Error) => this.emit('error', new Event('error', `inStream error: ${err.message}`)));
  }

  /** Every message, from a stream or inline from VS Code: only a well-formed request goes on. */
  override handleMessage(msg: DebugProtocol.ProtocolMessage): void {
    const m = msg as unknown;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) return this.notice(`ignored a message that is not a JSON object: ${preview(m)}`);
    const { type, seq, command } = m as Record<string, unknown>;
    if (type === 'response') {
      const requestSeq = (m as { request_seq?: unknown }).request_seq;
      // The adapter sends no requests of its own: a response to none is said, never dropped unheard.
      const pending = (this as unknown as { _pendingRequests?: Map<number, unknown> })._pendingRequests;
      if (Number.isSafeInteger(requestSeq) && pending?.has(requestSeq as number) === true) return super.handleMessage(msg);
      if (Number.isSafeInteger(requestSeq)) return this.notice(`ignored a response to request ${requestSeq as number}: the adapter sent no request with that seq`);
      return this.notice(`ignored a response without "request_seq" (an integer naming the request it answers): request_seq ${preview(requestSeq)}, command ${preview(command)}`);
    }
    if (type !== 'request') return this.notice(`ignored a message of type ${preview(type)}: the adapter takes requests`);
    if (typeof command !== 'string' || !Number.isSafeInteger(seq)) {
      const response = new Response({ seq: Number.isSafeInteger(seq) ? (seq as number) : 0, type: 'request', command: typeof command === 'string' ? command : '' });
      return this.refuse(response, `a request needs "command" (a string) and "seq" (an integer); this one has command ${preview(command)} and seq ${preview(seq)}`);
    }
    this.dispatchRequest(msg as DebugProtocol.Request);
  }

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const response = new Response(request);
    const { command } = request;
    const spec = Object.hasOwn(REQUESTS, command) ? REQUESTS[command] : undefined;
    if (spec === undefined) return this.refuse(response, `"${cut(command, 80)}" is not a request the gossip debugger supports`);
    const problem = argumentsProblem(command, request.arguments);
    if (problem !== null) return this.refuse(response, problem);
    if (spec.needsRun && !this.running) return this.refuse(response, `"${command}": no network is running; launch a scenario first`);
    if (command === 'initialize') {
      const args = request.arguments as DebugProtocol.InitializeRequestArguments;
      if (args.pathFormat === 'uri') return this.refuse(response, '"initialize": the gossip debugger takes file paths, not URIs (pathFormat "path")');
      // The protocol's default is "path"; the library refuses a request that leaves it out.
      return this.guard(response, () => super.dispatchRequest({ ...request, arguments: { ...args, pathFormat: 'path' } }), false);
    }
    const self = this as unknown as Record<string, Handler>;
    const call: () => void | Promise<void> = command.startsWith('gossipScope.')
      ? () => this.customRequest(command, response, request.arguments, request)
      : command === 'threads'
        ? () => this.threadsRequest(response as DebugProtocol.ThreadsResponse, request)
        : () => self[HANDLER_NAMES[command] ?? `${command}Request`].call(this, response, request.arguments, request);
    this.guard(response, call, true);
  }

  /** Runs a handler; what it throws (now or later) is answered, and an answer it forgot is given. */
  private guard(response: DebugProtocol.Response, call: () => void | Promise<void>, mustAnswer: boolean): void {
    const after = () => {
      if (mustAnswer && !this.answered.has(response)) this.refuse(response, `"${response.command}" ended without an answer`, FAILED);
    };
    try {
      const result = call();
      if (result instanceof Promise) result.then(after, (err: unknown) => this.failed(response, err));
      else after();
    } catch (err) {
      this.failed(response, err);
    }
  }

  private failed(response: DebugProtocol.Response, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    const text = `"${response.command}" failed: ${firstLine(message)}`;
    if (this.answered.has(response)) this.notice(`${text} (after it was answered)`);
    else this.refuse(response, text, FAILED);
  }

  private refuse(response: DebugProtocol.Response, message: string, id = REFUSED): void {
    this.sendErrorResponse(response, { id, format: cut(message, MAX_MESSAGE), showUser: false });
  }

  override sendResponse(response: DebugProtocol.Response): void {
    if (this.answered.has(response)) return this.notice(`dropped a second answer to "${response.command}" (request ${response.request_seq})`);
    this.answered.add(response);
    super.sendResponse(response);
  }

  /** Says something went wrong that has no request to answer: in the Debug Console, and on stderr. */
  notice(text: string): void {
    this.sendEvent(new OutputEvent(`Gossip Scope debug adapter: ${cut(text, MAX_MESSAGE)}\n`, 'important'));
    if (!this._isRunningInline()) process.stderr.write(`gossip-scope dap: ${cut(text, MAX_MESSAGE)}\n`);
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function cut(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

function preview(v: unknown): string {
  if (v === undefined) return 'none';
  const text = JSON.stringify(v) ?? String(v);
  return cut(text, 60);
}
