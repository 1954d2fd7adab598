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
