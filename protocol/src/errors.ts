import { z } from 'zod';

// Every failure a client can receive, as a code it can switch on and a message a person can read.
export const errorCodes = [
  'unauthenticated',
  'forbidden',
  'invalid_payload',
  'not_found',
  'conflict',
  'rate_limited',
  'unavailable',
  'internal',
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Where in the payload the problem is, for invalid_payload (e.g. "sessions.0.chairs"). */
  path: z.string().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export type Failure = { ok: false; error: ErrorBody };
export type Success<T extends object = object> = { ok: true } & T;
export type Result<T extends object = object> = Success<T> | Failure;

export function failure(code: ErrorCode, message: string, path?: string): Failure {
  return { ok: false, error: path === undefined ? { code, message } : { code, message, path } };
}

/**
 * A request that failed with a protocol error code: thrown by the server's handlers (and sent as
 * a Failure), and by the client's signaling wrapper for the server's typed errors.
 */
export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Longest message an error carries: a reply or a log line never grows with the input. */
export const MAX_ERROR_MESSAGE = 300;

/** Cuts a string to `max` characters, saying how much was cut. */
export function truncate(text: string, max = MAX_ERROR_MESSAGE): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more)`;
}

/**
 * The first problem of a schema failure as one bounded error: its path and message, each cut
 * short. A payload of 100,000 unknown keys is answered in a few hundred bytes, not megabytes.
 */
export function invalidPayload(error: z.ZodError, prefix?: string): ErrorBody {
  const issue = error.issues[0];
  const path = truncate(issue?.path.map(String).join('.') ?? '', 100);
  const detail = truncate(issue?.message ?? 'invalid', 200);
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : '';
  const where = path || prefix || 'payload';
  const message = truncate(`${prefix && path ? `${prefix}: ` : ''}${where}: ${detail}${more}`);
  return path ? { code: 'invalid_payload', message, path } : { code: 'invalid_payload', message };
}
