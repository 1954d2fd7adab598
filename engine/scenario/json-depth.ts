/**
 * How deep JSON text nests, found before it is parsed: JSON.parse itself copes with any depth,
 * but JSON.stringify, a schema check and every recursive reader of the value overflow the stack
 * on a value nested 100,000 deep (`Maximum call stack size exceeded`).
 */

/** The deepest a JSON value read from outside may nest: a DAP request nests about 5, a trace event 3. */
export const MAX_JSON_DEPTH = 64;

/**
 * How deep JSON text nests (brackets outside strings), in one pass and without recursion, so a
 * value nested 100,000 deep is refused before JSON.parse or anything reading it can overflow.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * A request's `seq` and `command`, read from the top level of JSON text without parsing it (a
 * frame refused for its depth can still be answered, to its seq), or undefined if not found there.
 */
export function topLevelRequest(text: string): { seq: number; command: string } | undefined {
  const SEQ = /"seq"\s*:\s*(\d{1,15})(?=\s*[,}])/y;
  const COMMAND = /"command"\s*:\s*"((?:[^"\\]|\\.){0,200})"/y;
  let seq: number | undefined;
  let command: string | undefined;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      if (depth === 1) {
        SEQ.lastIndex = i;
        COMMAND.lastIndex = i;
        const s = SEQ.exec(text);
        const m = s === null ? COMMAND.exec(text) : null;
        if (s !== null) seq ??= Number(s[1]);
        else if (m !== null) command ??= JSON.parse(`"${m[1]}"`) as string;
      }
      inString = true;
    } else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return seq !== undefined && command !== undefined ? { seq, command } : undefined;
}
