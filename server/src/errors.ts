import type { ErrorCode } from '@summit-bridge/protocol';
import { errorCodes } from '@summit-bridge/protocol';

/** A failure to report to the client as `{ ok: false, error: { code, message } }`. */
export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** Any error carrying a protocol error code (ours, the media node's) keeps it; others are internal. */
export function errorCodeOf(err: unknown): ErrorCode | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (errorCodes as readonly string[]).includes(code)
    ? (code as ErrorCode)
    : null;
}
