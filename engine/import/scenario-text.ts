/**
 * Writes the imported scenario as YAML lines, each value with a comment saying where it came
 * from, and remembers which file position each line stands for (so a scenario error on a
 * generated line can point at the real file instead).
 */
import { originText, type Origin } from './yaml-source.js';

export class ScenarioText {
  private readonly lines: string[] = [];
  /** Scenario line (1-based) → the file position its value came from. */
  readonly origins = new Map<number, Origin>();

  comment(text: string, indent = ''): void {
    for (const l of text.split('\n')) this.add(`${indent}# ${l}`);
  }

  /**
   * Every line goes in here, as one line whatever names from the files it holds: a newline or
   * another control character in an MSP ID, a folder name or a value would otherwise end a comment
   * early and turn the rest of it into YAML (an error at a line no file has).
   */
  private add(line: string): void {
    this.lines.push(oneLine(line));
  }

  blank(): void {
    this.add('');
  }

  /** `key: value  # why` with the value's origin remembered. */
  value(indent: string, key: string, value: string, why: string, origin?: Origin): void {
    const where = origin ? `${originText(origin)}${why ? ': ' : ''}` : '';
    this.add(`${indent}${key}: ${value}${where || why ? `   # ${where}${why}` : ''}`);
    if (origin) this.origins.set(this.lines.length, origin);
  }

  /** A key that opens a mapping or list. */
  open(indent: string, key: string, why = ''): void {
    this.add(`${indent}${key}:${why ? `   # ${why}` : ''}`);
  }

  raw(line: string, origin?: Origin): void {
    this.add(line);
    if (origin) this.origins.set(this.lines.length, origin);
  }

  toString(): string {
    return this.lines.join('\n') + '\n';
  }
}

/** The line with its control characters written as escapes (\n, \t, \u0000). */
export function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** A YAML scalar that reads back as the same string. */
export function yamlString(s: string): string {
  return /^[A-Za-z0-9_.\-/:]+$/.test(s) && !/^(true|false|null|yes|no|on|off|~|[\d.+-].*)$/i.test(s) ? s : JSON.stringify(s);
}
