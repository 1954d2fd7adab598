/**
 * Loads a scenario file: YAML → JSON Schema checks → cross-reference checks → `Scenario`.
 * Every failure, of any kind, leaves as one `ScenarioError` listing all problems found in the
 * first stage that had any (syntax, then structure, then meaning: later stages need the earlier
 * ones to hold).
 */
import { isCollection, isMap, isScalar, LineCounter, parseDocument, visit, type ErrorCode, type Node } from 'yaml';
import { buildScenario } from './build.js';
import { Locator, ScenarioError, type Diagnostic } from './diagnostics.js';
import type { Scenario } from './types.js';
import { validateSchema, type SchemaProblem } from './validate.js';
import { LIMITS, MAX_EXACT_INTEGER, atMost, clip } from './bounds.js';
import { decodeUtf8, readBoundedText, showBytes } from './read-text.js';

export { ScenarioError, type Diagnostic } from './diagnostics.js';
export { defaultOrgName } from './build.js';
export { scenarioSchema } from './validate.js';

/** Parses and checks scenario text; `file` is only used in messages. Throws `ScenarioError` only. */
export function loadScenario(text: string, file = '<inline>'): Scenario {
  try {
    return load(text, file);
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    // A bug of ours must still reach the user as a diagnostic, not a stack trace.
    throw new ScenarioError([{ file, line: 1, col: 1, message: `internal error: ${(err as Error)?.message ?? String(err)}` }]);
  }
}

/** Reads and loads a scenario file. Throws `ScenarioError` only (unreadable files included). */
export function loadScenarioFile(path: string): Scenario {
  return loadScenario(readScenarioText(path), path);
}

/**
 * A scenario file's text: every reader of one (CLI, debug adapter, extension commands) goes
 * through this or `scenarioTextOf`, so the size bound holds before it is read, a UTF-16 file is
 * named as UTF-16 and an invalid UTF-8 byte is placed at line:col, never turned into U+FFFD.
 */
export function readScenarioText(path: string): string {
  const read = readBoundedText(path, LIMITS.scenarioBytes.max, 'a scenario');
  if (typeof read !== 'string') throw new ScenarioError([{ file: path, ...read }]);
  return read;
}

/** A file of `size` bytes over the scenario bound, said before it is read (as readBoundedText says it). */
export function scenarioSizeProblem(size: number, file: string): ScenarioError | undefined {
  const max = LIMITS.scenarioBytes.max;
  if (size <= max) return undefined;
  return new ScenarioError([{ file, line: 1, col: 1, message: `the file is ${size.toLocaleString('en-US')} bytes; a scenario is at most ${showBytes(max)}` }]);
}

/** The same checks on bytes already read (VS Code's file system gives bytes). */
export function scenarioTextOf(bytes: Uint8Array, file: string): string {
  const big = scenarioSizeProblem(bytes.length, file);
  if (big !== undefined) throw big;
  const text = decodeUtf8(bytes);
  if (typeof text !== 'string') throw new ScenarioError([{ file, ...text }]);
  return text;
}

/** Plainer words for yaml's messages that mention its own API. */
const YAML_MESSAGES: Partial<Record<ErrorCode, string>> = {
  MULTIPLE_DOCS: "a scenario file holds one YAML document; remove the second '---'",
};

function tooDeep(): string {
  return `the YAML is nested too deeply: a scenario nests ${atMost('nesting')}`;
}

/** The first collection nested deeper than the limit, found without recursion. */
function tooDeepNode(root: unknown): Node | undefined {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!isCollection(node)) continue;
    if (depth > LIMITS.nesting.max) return node as Node;
    for (const item of node.items as unknown[]) {
      if (isCollection(item)) stack.push([item, depth + 1]);
      else if (item !== null && typeof item === 'object' && 'value' in item) stack.push([(item as { value: unknown }).value, depth + 1]);
    }
  }
  return undefined;
}

function load(text: string, file: string): Scenario {
  // Before parsing: a huge text would take gigabytes to parse only to be refused.
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > LIMITS.scenarioBytes.max) {
    throw new ScenarioError([{ file, line: 1, col: 1, message: `the scenario is ${bytes.toLocaleString('en-US')} bytes; a scenario is ${atMost('scenarioBytes', (n) => `${n / (1 << 20)} MiB`)}` }]);
  }
  const lines = new LineCounter();
  // logLevel 'error': yaml must not print warnings of its own; we report what matters.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const loc = new Locator(doc, lines);
  const fail = (problems: SchemaProblem[]): never => {
    throw new ScenarioError(problems.map(({ pos, message }): Diagnostic => ({ file, ...pos, message })));
  };

  if (doc.errors.length > 0) {
    // yaml catches its own stack overflow on deep nesting and reports it as a syntax error.
    const deep = doc.errors.find((e) => /call stack/i.test(e.message));
    if (deep) fail([{ pos: loc.offset(deep.pos[0]), message: tooDeep() }]);
    fail(doc.errors.map((e) => ({ pos: loc.offset(e.pos[0]), message: `YAML: ${YAML_MESSAGES[e.code] ?? e.message}` })));
  }
  const deepNode = tooDeepNode(doc.contents);
  if (deepNode !== undefined) fail([{ pos: loc.offset(deepNode.range?.[0] ?? 0), message: tooDeep() }]);
  if (!isMap(doc.contents)) {
    fail([{ pos: loc.pos([]), message: 'a scenario must be a mapping of keys (name:, orgs:, channels:, ...)' }]);
  }

  // YAML that has no JSON equivalent, which the schema could not see or point at.
  const unusual: SchemaProblem[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key)) {
        unusual.push({ pos: loc.offset((pair.key as Node | null)?.range?.[0] ?? 0), message: 'a key must be a plain word, not a list or mapping' });
      }
    },
    Scalar(_, node) {
      if (typeof node.value === 'number' && !Number.isFinite(node.value)) {
        unusual.push({ pos: loc.offset(node.range?.[0] ?? 0), message: `expected a finite number, got ${clip(String(node.source ?? node.value))}` });
      } else if (typeof node.value === 'number' && Number.isInteger(node.value) && Math.abs(node.value) > MAX_EXACT_INTEGER) {
        // 99999999999999999999999999999 would silently run as 1e+29.
        const text = clip(String(node.source ?? node.value));
        unusual.push({ pos: loc.offset(node.range?.[0] ?? 0), message: `${text} cannot be held exactly: integers here are between -${MAX_EXACT_INTEGER} and ${MAX_EXACT_INTEGER} (2^53 − 1)` });
      }
    },
  });
  if (unusual.length > 0) fail(unusual);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    fail([{ pos: loc.pos([]), message: `YAML: ${(err as Error).message}` }]);
  }

  const schemaProblems = validateSchema(data, loc);
  if (schemaProblems.length > 0) fail(schemaProblems);

  const { scenario, problems } = buildScenario(data, file, loc);
  if (!scenario) return fail(problems);
  return scenario;
}
