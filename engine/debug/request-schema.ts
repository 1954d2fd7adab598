/**
 * What each request the gossip debugger takes may carry, as a JSON Schema per command (the
 * Debug Adapter Protocol's own argument types, narrowed to what this adapter reads, plus the
 * launch configuration and the panel's custom requests). Every request is checked here before
 * a handler sees it, so a handler never meets a missing or mistyped field.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { scenarioSchema } from '../scenario/validate.js';

type Schema = Record<string, unknown>;

const integer: Schema = { type: 'integer' };
const nonNegative: Schema = { type: 'integer', minimum: 0 };
const string: Schema = { type: 'string' };
const boolean: Schema = { type: 'boolean' };
/** An object with these fields (the required ones named); other fields are let through, as the protocol grows. */
const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', properties, required });
const arrayOf = (items: Schema, maxItems = 10_000): Schema => ({ type: 'array', items, maxItems });
/** Arguments that may be left out altogether (the protocol marks them optional). */
const optional = (s: Schema): Schema => ({ ...s, optional: true });
const thread = obj({ threadId: integer, singleThread: boolean, granularity: string }, ['threadId']);
const condition = { condition: string, hitCondition: string };

const name: Schema = { type: 'string', minLength: 1, maxLength: 200 };
const nameOrNull: Schema = { anyOf: [name, { type: 'null' }] };
const share: Schema = { type: 'number', minimum: 0, maximum: 1 };
/** The panel's faults (extension/protocol.ts FaultRequest), told apart by `kind`. */
const fault: Schema = {
  type: 'object',
  discriminator: { propertyName: 'kind' },
  required: ['kind'],
  oneOf: [
    ...['crash', 'restart', 'pause', 'resume'].map((kind) => obj({ kind: { const: kind }, peer: name }, ['peer'])),
    obj({ kind: { const: 'partition' }, groups: arrayOf(arrayOf(name, 100_000), 100) }, ['groups']),
    obj({ kind: { const: 'heal' } }),
    obj({ kind: { const: 'tamper' }, rule: obj({ from: name, to: nameOrNull, type: nameOrNull, mode: { enum: ['flip', 'strip-signature'] }, count: { type: 'integer', minimum: 1, maximum: 1_000_000 } }, ['from', 'to', 'type', 'mode', 'count']) }, ['rule']),
    obj({ kind: { const: 'link' }, between: { type: 'array', items: name, minItems: 2, maxItems: 2 }, loss: share, delay: { type: 'number', minimum: 0, maximum: 3_600_000 }, forMs: { type: 'number', exclusiveMinimum: 0, maximum: 86_400_000 } }, ['between', 'loss', 'delay', 'forMs']),
    obj({ kind: { const: 'hand' }, op: { enum: ['next', 'drop', 'duplicate', 'delay'] }, event: { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }, ms: { type: 'number', minimum: 0, maximum: 86_400_000 } }, ['op', 'event', 'ms']),
    obj({ kind: { const: 'byzantine' }, peer: name, behaviour: { enum: ['forge-alive', 'replay-alive', 'high-s', 'wrong-channel', 'withhold', 'flood'] }, target: nameOrNull, channel: nameOrNull }, ['peer', 'behaviour', 'target', 'channel']),
  ],
};

/**
 * The seed a launch may give: the scenario file's own rule (an integer from 0), and never past
 * what a double holds exactly (a larger one would silently run as another seed).
 */
const seed = (() => {
  const { description: _d, default: _v, ...rule } = (scenarioSchema as { properties: { seed: Schema } }).properties.seed;
  return { maximum: Number.MAX_SAFE_INTEGER, ...rule };
})();

export interface RequestSpec {
  /** The arguments' schema. */
  args: Schema;
  /** Whether the request means anything before a network runs (else it is refused until launch). */
  needsRun: boolean;
}

/** Every request the adapter answers. Any other command is refused as not supported. */
export const REQUESTS: Record<string, RequestSpec> = {
  initialize: { args: obj({ adapterID: string, clientID: string, clientName: string, locale: string, linesStartAt1: boolean, columnsStartAt1: boolean, pathFormat: { enum: ['path', 'uri'] } }, ['adapterID']), needsRun: false },
  launch: {
    args: obj({ scenario: { type: 'string', minLength: 1 }, seed, until: { type: ['string', 'number'] }, stopOnEntry: boolean, noDebug: boolean }, ['scenario']),
    needsRun: false,
  },
  configurationDone: { args: optional(obj({})), needsRun: false },
  disconnect: { args: optional(obj({ restart: boolean, terminateDebuggee: boolean, suspendDebuggee: boolean })), needsRun: false },
  terminate: { args: optional(obj({ restart: boolean })), needsRun: false },
  setBreakpoints: {
    args: obj({ source: obj({ name: string, path: string, sourceReference: integer }), breakpoints: arrayOf(obj({ line: integer, column: integer, ...condition, logMessage: string }, ['line'])), lines: arrayOf(integer), sourceModified: boolean }, ['source']),
    needsRun: false,
  },
  setFunctionBreakpoints: { args: obj({ breakpoints: arrayOf(obj({ name: string, ...condition }, ['name'])) }, ['breakpoints']), needsRun: false },
  setExceptionBreakpoints: { args: obj({ filters: arrayOf(string) }, ['filters']), needsRun: false },
  setDataBreakpoints: { args: obj({ breakpoints: arrayOf(obj({ dataId: string, accessType: string, ...condition }, ['dataId'])) }, ['breakpoints']), needsRun: false },
  dataBreakpointInfo: { args: obj({ variablesReference: integer, name: string, frameId: integer }, ['name']), needsRun: false },
  threads: { args: optional(obj({})), needsRun: false },
  stackTrace: { args: obj({ threadId: integer, startFrame: nonNegative, levels: nonNegative }, ['threadId']), needsRun: false },
  scopes: { args: obj({ frameId: integer }, ['frameId']), needsRun: true },
  variables: { args: obj({ variablesReference: integer, filter: string, start: nonNegative, count: nonNegative }, ['variablesReference']), needsRun: true },
  continue: { args: thread, needsRun: true },
  next: { args: thread, needsRun: true },
  stepIn: { args: obj({ threadId: integer, singleThread: boolean, targetId: integer, granularity: string }, ['threadId']), needsRun: true },
  stepOut: { args: thread, needsRun: true },
  stepBack: { args: thread, needsRun: true },
  reverseContinue: { args: obj({ threadId: integer, singleThread: boolean }, ['threadId']), needsRun: true },
  pause: { args: obj({ threadId: integer }, ['threadId']), needsRun: true },
  evaluate: { args: obj({ expression: string, frameId: integer, context: string }, ['expression']), needsRun: true },
  completions: { args: obj({ text: string, column: integer, line: integer, frameId: integer }, ['text', 'column']), needsRun: false },
  exceptionInfo: { args: obj({ threadId: integer }, ['threadId']), needsRun: true },
  // The panel's own requests (extension/debugger.ts).
  'gossipScope.fault': { args: obj({ fault }, ['fault']), needsRun: true },
  'gossipScope.history': { args: optional(obj({ limit: nonNegative })), needsRun: true },
  'gossipScope.eventOf': { args: obj({ frameId: integer }, ['frameId']), needsRun: true },
  'gossipScope.inspectMessage': { args: obj({ msg: integer }, ['msg']), needsRun: true },
  'gossipScope.inspectPeer': { args: obj({ idx: nonNegative }, ['idx']), needsRun: true },
};

let validators: Map<string, ValidateFunction> | undefined;

function validatorOf(command: string): ValidateFunction {
  if (validators === undefined) {
    const ajv = new Ajv({ allErrors: false, strictTypes: false, discriminator: true });
    ajv.addVocabulary(['optional']);
    validators = new Map(Object.entries(REQUESTS).map(([c, spec]) => [c, ajv.compile(spec.args)]));
  }
  return validators.get(command)!;
}

/**
 * What is wrong with a request's arguments, in a sentence naming the field, or null when they
 * are as the command takes them. `command` must be one of REQUESTS.
 */
export function argumentsProblem(command: string, args: unknown): string | null {
  const spec = REQUESTS[command];
  if (args === undefined) return spec.args.optional === true ? null : `"${command}" needs its arguments (an object), and the request has none`;
  const validate = validatorOf(command);
  if (validate(args)) return null;
  return `"${command}": ${sentence(validate.errors![0], args)}`;
}

function sentence(e: ErrorObject, args: unknown): string {
  const path = `arguments${e.instancePath.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.')}`;
  if (e.keyword === 'required') return `${path} lacks "${(e.params as { missingProperty: string }).missingProperty}"`;
  const value = e.instancePath.split('/').slice(1).reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], args);
  return `${path} ${e.message ?? 'is not valid'}, not ${preview(value)}`;
}

function preview(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
