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
