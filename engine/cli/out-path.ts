/**
 * Files the user owns: an output path is checked before any work starts (a folder where a file
 * goes, a folder that does not exist), and one that resolves to an input (through `./`, `..`, a
 * symbolic link or a hard link) is refused, so a command never overwrites what it was given.
 */
import { closeSync, openSync, realpathSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './args.js';

/** The path a file would be written at, links and `.`/`..` resolved (its folder must exist). */
export function realPathOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(resolve(path))), basename(path));
    } catch {
      return undefined;
    }
  }
}

/** Whether writing `target` would write over `input` (the same real path, or the same file by inode). */
export function sameFile(target: string, input: string): boolean {
  const a = statSync(target, { throwIfNoEntry: false });
  const b = statSync(input, { throwIfNoEntry: false });
  if (a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino) return true;
  const ra = realPathOf(target);
  return ra !== undefined && ra === realPathOf(input);
}

/**
 * Checks `--flag target` as a file to write, before the work: its folder exists and is a folder,
 * it is not itself a folder, and it is none of `inputs`. Throws UsageError saying which.
 */
export function checkOutFile(flag: string, target: string, inputs: readonly string[], example = 'out.yaml'): void {
  const st = statSync(target, { throwIfNoEntry: false });
  if (st?.isDirectory()) throw new UsageError(`${flag} ${target}: it is a folder; give a file name such as ${join(target, example)}`);
  const folder = dirname(target) || '.';
  const parent = statSync(folder, { throwIfNoEntry: false });
  if (parent === undefined) throw new UsageError(`${flag} ${target}: the folder ${folder} does not exist`);
  if (!parent.isDirectory()) throw new UsageError(`${flag} ${target}: ${folder} is not a folder`);
  checkNotInput(flag, target, inputs);
  // Tried now, not after minutes of runs: a file that exists is opened to append (left as it is),
  // one that does not is made and removed. A pipe or device is left alone (--out /dev/stdout).
  if (st !== undefined && !st.isFile()) return;
  try {
    closeSync(openSync(target, 'a'));
    if (st === undefined) unlinkSync(target);
  } catch (e) {
    throw new UsageError(`${flag} ${target}: cannot write there: ${whyNot(e as NodeJS.ErrnoException)}`);
  }
}

/** Why a path cannot be written, in words. */
export function whyNot(e: NodeJS.ErrnoException): string {
  if (e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS') return 'permission denied';
  if (e.code === 'ENOSPC') return 'no space left on the device';
  if (e.code === 'ENOTDIR') return 'a folder on the way is a file';
  if (e.code === 'ENOENT') return 'a file cannot be made there';
  return e.code ?? e.message;
}

/** Refuses a target that resolves to one of the inputs. */
export function checkNotInput(flag: string, target: string, inputs: readonly string[]): void {
  const hit = inputs.find((input) => sameFile(target, input));
  if (hit !== undefined) throw new UsageError(`${flag} ${target}: that is ${hit}, one of the files this command reads; it never overwrites what you gave it: choose another name`);
}
