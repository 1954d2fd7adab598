/**
 * Mechanical fixes as text edits on the files as they are: add a variable to a compose service's
 * `environment:` (in the style it is written, list or mapping), write a value into an empty
 * core.yaml key, replace a value.
 */
import type { FindingEdit } from './finding.js';
import { envName, type DoctorNetwork, type DoctorPeer, type Setting } from './network-model.js';

function lineOf(net: DoctorNetwork, file: string, line: number): string | undefined {
  return net.texts.get(file)?.split('\n')[line - 1]?.replace(/\r$/, '');
}

/** Sets a key for one peer: a new line in its compose environment, or the value of its empty core.yaml key. */
export function setKeyEdit(net: DoctorNetwork, p: DoctorPeer, key: string, value: string): FindingEdit | undefined {
  const name = envName(key);
  const current = p.settings.get(key);
  if (p.compose && current?.from === 'environment') return replaceEdit(net, current, value, `Set ${name}=${value}`);
  if (p.compose) {
    const env = p.compose.environment;
    const file = env.at.file;
    const last = lineOf(net, file, env.lastLine) ?? '';
    const lastIsKey = env.lastLine === env.at.line;
    const indent = lastIsKey ? `${' '.repeat(env.at.col - 1)}  ` : /^\s*/.exec(last)![0];
    const text = env.style === 'list' ? `${indent}- ${name}=${value}` : `${indent}${name}: ${value}`;
    const total = net.texts.get(file)?.split('\n').length ?? 0;
    // After the environment's last line; at the file's end without a final newline, after that line's end.
    if (env.lastLine >= total) return { title: `Add ${name}=${value}`, file, line: env.lastLine, col: last.length + 1, length: 0, text: `\n${text}` };
    return { title: `Add ${name}=${value}`, file, line: env.lastLine + 1, col: 1, length: 0, text: `${text}\n` };
  }
  if (current?.from === 'core.yaml' && current.text === '') {
    const line = lineOf(net, current.origin.file, current.origin.line) ?? '';
    const leaf = key.split('.').pop()!;
    const at = line.indexOf(`${leaf}:`);
    if (at < 0) return undefined;
    return { title: `Set ${key}: ${value}`, file: current.origin.file, line: current.origin.line, col: at + leaf.length + 2, length: 0, text: ` ${value}` };
  }
  if (current?.from === 'core.yaml') return replaceEdit(net, current, value, `Set ${key}: ${value}`);
  return undefined;
}

/** Replaces a value where it is written (only when the file holds it verbatim there). */
export function replaceEdit(net: DoctorNetwork, s: Pick<Setting, 'origin' | 'text'>, value: string, title: string): FindingEdit | undefined {
  const line = lineOf(net, s.origin.file, s.origin.line);
  if (line === undefined || line.substr(s.origin.col - 1, s.text.length) !== s.text) return undefined;
  return { title, file: s.origin.file, line: s.origin.line, col: s.origin.col, length: s.text.length, text: value };
}
