/** Command-line arguments: positionals, `--name value` / `--name=value` options and bare flags. */

/** A mistake in the command line: exit status 2 with the usage. */
export class UsageError extends Error {}


interface Args {
  positional: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[], valued: Set<string>, bare: Set<string>): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split('=', 2);
    if (valued.has(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, v);
    } else if (bare.has(name) && inline === undefined) flags.set(name, true);
    else throw new UsageError(`unknown option --${name}`);
  }
  return { positional, flags };
}

