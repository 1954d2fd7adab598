/**
 * Text from a file, safe to print on a terminal: control bytes (ESC sequences that would recolour
 * or move the cursor, BEL, backspace, NUL…) and the Unicode controls that reorder or hide text
 * are shown escaped (`\x1b`, `\u202e`), never sent raw.
 */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
