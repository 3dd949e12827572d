// mediasoup's failures as the node's typed errors: a bad parameter is the caller's fault
// (invalid_payload), a vanished object is not_found, a dead or closed worker is unavailable, and
// anything else is the node's own fault (internal) — never blamed on the caller.
import { errors } from 'mediasoup';
import { MediaNodeError } from '../MediaNode.js';

export function notFound(what: string, id: string): MediaNodeError {
  return new MediaNodeError('not_found', `no ${what} ${id}`);
}

export function translate(err: unknown): MediaNodeError {
  if (err instanceof MediaNodeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof errors.WorkerClosedError)
    return new MediaNodeError('unavailable', `media worker closed: ${message}`);
  if (err instanceof errors.NotFoundError) return new MediaNodeError('not_found', message);
  // mediasoup checks a request's parameters in TypeScript (TypeError) and its capabilities
  // (UnsupportedError) before the worker sees it: those are the caller's.
  if (err instanceof TypeError || err instanceof errors.UnsupportedError)
    return new MediaNodeError('invalid_payload', message);
  // The worker refuses a second connect or a duplicate id with a plain Error: a request out of turn.
  if (/already (called|exists|connected)/.test(message)) return new MediaNodeError('conflict', message);
  return new MediaNodeError('internal', message);
}

/** Runs a mediasoup call and turns whatever it throws into a MediaNodeError. */
export async function mediasoupCall<T>(call: () => Promise<T> | T): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw translate(err);
  }
}
