// How the HTTP API answers a failure: the socket API's ErrorBody with the matching status.
import { type ErrorCode, invalidPayload, RequestError, truncate } from '@summit-bridge/protocol';
import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { errorCodeOf } from '../errors.js';
import type { Logger } from '../log.js';

const statusOf: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  invalid_payload: 400,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** A request body or query checked by its schema; the first problem, bounded, as invalid_payload. */
export function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const { message, path } = invalidPayload(result.error, 'body');
  throw new RequestError('invalid_payload', message, path);
}

type Route = (req: Request, res: Response) => Promise<unknown>;
/** An async route whose failures reach the error handler. */
export const route = (fn: Route) => (req: Request, res: Response, next: NextFunction) =>
  fn(req, res).catch(next);

// body-parser's and the URL decoder's failures: the client's fault, never a 500.
const clientFaults: Record<string, [number, string]> = {
  'entity.too.large': [413, 'body too large'],
  'entity.parse.failed': [400, 'body is not valid JSON'],
  'entity.verify.failed': [400, 'body nested too deep'],
  'encoding.unsupported': [415, 'unsupported body encoding'],
  'charset.unsupported': [415, 'unsupported body charset'],
};

export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const fault = clientFaults[(err as { type?: string }).type ?? ''];
    if (fault) {
      res.status(fault[0]).json({ ok: false, error: { code: 'invalid_payload', message: fault[1] } });
      return;
    }
    // Express's own refusals (a URL that does not decode, say) carry a 4xx status.
    const status = (err as { status?: unknown }).status;
    if (err instanceof URIError || (typeof status === 'number' && status >= 400 && status < 500)) {
      const code = typeof status === 'number' ? status : 400;
      res.status(code).json({ ok: false, error: { code: 'invalid_payload', message: 'malformed request' } });
      return;
    }
    const code = errorCodeOf(err) ?? 'internal';
    // The path, not the query: a query may carry a recording's file link.
    if (code === 'internal') log.error({ err, url: truncate(req.path, 200) }, 'http request failed');
    const message = code === 'internal' ? 'internal error' : (err as Error).message;
    const path = err instanceof RequestError ? err.path : undefined;
    res
      .status(statusOf[code])
      .json({ ok: false, error: path === undefined ? { code, message } : { code, message, path } });
  };
}
