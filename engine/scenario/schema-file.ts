/**
 * Where scenario.schema.json is on disk, and the `$schema` reference a scenario written to some
 * folder should carry so the YAML language server finds it (a bare "scenario.schema.json" pointed
 * at a file that is never beside an imported scenario).
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The schema file: beside this module in the sources, or under engine/scenario/ next to dist/ in a build. */
export function schemaFilePath(): string | undefined {
  const candidates = [join(__dirname, 'scenario.schema.json'), join(__dirname, '..', 'engine', 'scenario', 'scenario.schema.json')];
  return candidates.find((c) => existsSync(c));
}

/** The reference to write into a scenario saved at `scenarioPath` (undefined: printed, not saved: an absolute path). */
export function schemaReference(schemaPath: string, scenarioPath?: string): string {
  if (scenarioPath === undefined) return resolve(schemaPath);
  const rel = relative(dirname(resolve(scenarioPath)), resolve(schemaPath));
  // Another drive on Windows has no relative path: keep the absolute one.
  return isAbsolute(rel) ? rel : rel.split(sep).join('/');
}
