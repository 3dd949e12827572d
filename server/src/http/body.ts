import express from 'express';
import { jsonDepthExceeds } from '../jsonDepth.js';

/** A JSON body of at most `limit`, nested at most `maxDepth` deep; put it after the route's guard. */
export function jsonBody(limit: string, maxDepth = 32) {
  return express.json({
    limit,
    verify: (_req, _res, buf) => {
      if (jsonDepthExceeds(buf, maxDepth)) throw new Error(`JSON nested deeper than ${maxDepth}`);
    },
  });
}
