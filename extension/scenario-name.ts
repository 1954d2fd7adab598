/** What the scenario pickers show of a scenario file without loading it. */
/** The scenario's `name:` as YAML reads it: a trailing comment (an import writes one on every line) is not part of it. */
export function scenarioName(text: string): string | undefined {
  const raw = /^name\s*:[ \t]*(.*)$/m.exec(text)?.[1];
  if (raw === undefined) return undefined;
  const quoted = /^(["'])(.*?)\1/.exec(raw);
  const name = quoted ? quoted[2] : raw.replace(/(^|\s)#.*$/, '').trim();
  return name === '' ? undefined : name;
}
