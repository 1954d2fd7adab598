/**
 * Output files checked before the work that fills them starts: a folder, a missing folder, a
 * file that cannot be written, or a file that is one of the inputs is refused in words, so a long
 * reading is never lost at its end, and no input is overwritten.
 */
import { accessSync, constants, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './args.js';

/** The file a path names, resolved through symlinks as far as it exists. */
function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return resolve(realpathSync(dirname(path)), path.split(/[\\/]/).pop() ?? '');
    } catch {
      return resolve(path);
    }
  }
}

/** What is at a path, or undefined when nothing is (or a part of it is not a folder). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** `outputs`: each option with its path (undefined when not given); `inputs`: files the command reads. */
export function checkOutputPaths(outputs: [option: string, path: string | undefined][], inputs: string[]): void {
  const inputReal = new Map(inputs.map((p) => [realTarget(p), p]));
  const taken = new Map<string, string>();
  for (const [option, path] of outputs) {
    if (path === undefined) continue;
    const refuse = (why: string) => {
      throw new UsageError(`${option} ${path}: ${why}`);
    };
    if (path === '') refuse('an empty path: give a file name');
    const st = statOf(path);
    if (st?.isDirectory()) refuse('a folder: give a file name in it, such as logs.jsonl');
    if (st && !st.isFile()) refuse('not a regular file (a device, FIFO or socket): give a file name');
    const folder = dirname(path);
    const dir = statOf(folder);
    if (!dir) refuse(`the folder ${folder} does not exist`);
    if (!dir!.isDirectory()) refuse(`${folder} is not a folder`);
    try {
      accessSync(st ? path : folder, constants.W_OK);
    } catch {
      refuse(st ? 'the file cannot be written (permission denied)' : `the folder ${folder} cannot be written in (permission denied)`);
    }
    const real = realTarget(path);
    const input = inputReal.get(real);
    if (input !== undefined) refuse(`is the input ${input}: writing it would destroy the log`);
    const other = taken.get(real);
    if (other !== undefined) refuse(`is also where ${other} writes`);
    taken.set(real, option);
  }
}
