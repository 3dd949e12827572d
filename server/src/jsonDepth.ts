/**
 * Whether JSON text nests arrays and objects deeper than `max`: one pass over the characters,
 * strings skipped, stopping as soon as it knows. Run before parsing, so that a message of 500,000
 * nested arrays costs a scan, not a parse.
 */
export function jsonDepthExceeds(text: string | Buffer, max: number): boolean {
  const codeAt = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i] ?? 0;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = codeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
