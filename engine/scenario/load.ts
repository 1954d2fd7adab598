/**
 * Loads a scenario file: YAML → JSON Schema checks → cross-reference checks → `Scenario`.
 * Every failure, of any kind, leaves as one `ScenarioError` listing all problems found in the
 * first stage that had any (syntax, then structure, then meaning: later stages need the earlier
 * ones to hold).
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, visit, type ErrorCode, type Node } from 'yaml';
import { buildScenario } from './build.js';
import { Locator, ScenarioError, type Diagnostic } from './diagnostics.js';
import type { Scenario } from './types.js';
import { validateSchema, type SchemaProblem } from './validate.js';

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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScenarioError([{ file: path, line: 1, col: 1, message: `cannot read the file: ${(err as Error).message}` }]);
  }
  return loadScenario(text, path);
}

/** Plainer words for yaml's messages that mention its own API. */
const YAML_MESSAGES: Partial<Record<ErrorCode, string>> = {
  MULTIPLE_DOCS: "a scenario file holds one YAML document; remove the second '---'",
};

function load(text: string, file: string): Scenario {
  const lines = new LineCounter();
  // logLevel 'error': yaml must not print warnings of its own; we report what matters.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const loc = new Locator(doc, lines);
  const fail = (problems: SchemaProblem[]): never => {
    throw new ScenarioError(problems.map(({ pos, message }): Diagnostic => ({ file, ...pos, message })));
  };

  if (doc.errors.length > 0) {
    fail(doc.errors.map((e) => ({ pos: loc.offset(e.pos[0]), message: `YAML: ${YAML_MESSAGES[e.code] ?? e.message}` })));
  }
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
        unusual.push({ pos: loc.offset(node.range?.[0] ?? 0), message: `expected a finite number, got ${node.source ?? node.value}` });
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
