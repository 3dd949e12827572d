import express from 'express';

/**
 * The deepest nesting of arrays and objects in JSON text, stopping as soon as it passes `max`:
 * one pass over the bytes, strings skipped. Run before parsing, so a body of 500,000 nested
 * arrays costs a scan, not a parse.
 */
export function jsonDepthExceeds(buf: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
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

/** A JSON body of at most `limit`, nested at most `maxDepth` deep; put it after the route's guard. */
export function jsonBody(limit: string, maxDepth = 32) {
  return express.json({
    limit,
    verify: (_req, _res, buf) => {
      if (jsonDepthExceeds(buf, maxDepth)) throw new Error(`JSON nested deeper than ${maxDepth}`);
    },
  });
}
