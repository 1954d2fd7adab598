/**
 * JSON Schema validation of a scenario, with ajv's errors turned into plain sentences that point
 * at the YAML node they are about. The schema also fills in the defaults it documents.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from './scenario.schema.json';
import { didYouMean, show, where, type Locator, type Path } from './diagnostics.js';
import { boundedSchema, limitOfSchemaPath } from './bounds.js';
import type { SourcePos } from './types.js';

export { schema as scenarioSchema };

export interface SchemaProblem {
  pos: SourcePos;
  message: string;
}

type SubSchema = Record<string, unknown> & {
  type?: string;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  properties?: Record<string, unknown>;
  errorMessage?: string;
  patternErrorMessage?: string;
};

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    // verbose: errors carry their schema node (for our messages) and the offending data.
    const ajv = new Ajv({ allErrors: true, verbose: true, useDefaults: true, strictTypes: false });
    // VS Code's own message keywords: annotations for ajv, used below for our messages too.
    ajv.addVocabulary(['errorMessage', 'patternErrorMessage']);
    compiled = ajv.compile(boundedSchema(schema));
  }
  return compiled;
}

/** Validates `data` in place (defaults are filled in); returns the problems, empty when valid. */
export function validateSchema(data: unknown, loc: Locator): SchemaProblem[] {
  const validate = validator();
  if (validate(data)) return [];
  return selectErrors(validate.errors ?? []).map((e) => describe(e, loc));
}

function pathOf(e: ErrorObject): string[] {
  if (e.instancePath === '') return [];
  return e.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const BRANCH = /\/(anyOf|oneOf)\/(\d+)\//;

/**
 * ajv reports a failed anyOf/oneOf plus every branch's errors. Keep the branch whose type matches
 * the data (a list given where a list is allowed: say what is wrong inside it), else the summary.
 */
function selectErrors(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  // Branch errors share the schemaPath across array items, so a kept branch is (instance, schema) prefixes.
  const kept: { instance: string; schema: string }[] = [];
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
    const branches = (e.schema as SubSchema[]) ?? [];
    const matching = branches.map((b, i) => [b, i] as const).filter(([b]) => typeMatches(b, e.data));
    if (matching.length === 1) kept.push({ instance: e.instancePath, schema: `${e.schemaPath}/${matching[0][1]}/` });
    else out.push(e);
  }
  const inKeptBranch = (e: ErrorObject) =>
    kept.some(
      (k) => (e.instancePath === k.instance || e.instancePath.startsWith(`${k.instance}/`)) && e.schemaPath.startsWith(k.schema),
    );
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    if (BRANCH.test(e.schemaPath) && !inKeptBranch(e)) continue;
    out.push(e);
  }
  return out;
}

function typeMatches(branch: SubSchema, data: unknown): boolean {
  const t = Array.isArray(data) ? 'array' : data === null ? 'null' : typeof data;
  if (branch.type === undefined) return false;
  return branch.type === t || (branch.type === 'integer' && t === 'number');
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'text',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
};

/** The expectation of a numeric schema in words: `must be an integer ≥ 1`, `must be a number between 0 and 1`. */
function numberRule(s: SubSchema): string {
  const kind = s.type === 'integer' ? 'an integer' : 'a number';
  if (s.minimum !== undefined && s.maximum !== undefined) return `must be ${kind} between ${s.minimum} and ${s.maximum.toLocaleString('en-US')}`;
  if (s.minimum !== undefined) return `must be ${kind} ≥ ${s.minimum}`;
  return `must be ${kind}`;
}

function describe(e: ErrorObject, loc: Locator): SchemaProblem {
  const path: Path = pathOf(e);
  const s = (e.parentSchema ?? {}) as SubSchema;
  const got = `, got ${show(e.data)}`;
  const at = (p: Path, which: 'key' | 'value' = 'value') => loc.pos(p, which);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(s.properties ?? {});
      return { pos: at([...path, key], 'key'), message: `unknown key '${key}' in ${where(path)}${didYouMean(key, allowed)}` };
    }
    case 'required': {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      return { pos: at(path, 'key'), message: `missing key '${key}' in ${where(path)}` };
    }
    case 'type':
    case 'minimum':
    case 'maximum': {
      if (s.errorMessage) return { pos: at(path), message: s.errorMessage + got };
      const bound = e.keyword === 'maximum' ? limitOfSchemaPath(e.schemaPath) : undefined;
      if (s.type === 'integer' || s.type === 'number') return { pos: at(path), message: numberRule(s) + got + (bound ? ` (${bound.why})` : '') };
      return { pos: at(path), message: `expected ${TYPE_NAMES[String(s.type)] ?? s.type}${got}` };
    }
    case 'pattern':
      return { pos: at(path), message: (s.patternErrorMessage ?? `must match ${s.pattern}`) + got };
    case 'enum':
    case 'const': {
      const options = (s.enum ?? [s.const]).map((o) => `'${String(o)}'`).join(', ');
      const hint = typeof e.data === 'string' ? didYouMean(e.data, (s.enum ?? [s.const]).map(String)) : '';
      return { pos: at(path), message: (s.errorMessage ?? `expected one of ${options}`) + got + hint };
    }
    case 'minItems':
    case 'maxItems': {
      const n = (e.params as { limit: number }).limit;
      const bound = e.keyword === 'maxItems' ? limitOfSchemaPath(e.schemaPath) : undefined;
      const rule = e.keyword === 'minItems' ? `must list at least ${n} item${n === 1 ? '' : 's'}` : `must list at most ${n.toLocaleString('en-US')} items, got ${Array.isArray(e.data) ? e.data.length.toLocaleString('en-US') : '?'}`;
      return { pos: at(path), message: s.errorMessage ?? `${where(path)} ${rule}${bound ? ` (${bound.why})` : ''}` };
    }
    case 'minLength':
      return { pos: at(path), message: `${where(path)} must not be empty` };
    case 'anyOf':
    case 'oneOf':
      return { pos: at(path), message: s.errorMessage ?? `${where(path)} ${e.message ?? 'is not valid'}` };
    default:
      return { pos: at(path), message: `${where(path)} ${e.message ?? 'is not valid'}` };
  }
}
