import { type ErrorCode, errorCodes } from '@summit-bridge/protocol';

/** Any error carrying a protocol error code (ours, the media node's) keeps it; others are internal. */
export function errorCodeOf(err: unknown): ErrorCode | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (errorCodes as readonly string[]).includes(code)
    ? (code as ErrorCode)
    : null;
}
