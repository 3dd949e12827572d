// mediasoup's failures as the node's typed errors: a bad parameter is the caller's fault
// (invalid_payload), a vanished object is not_found, a dead or closed worker is unavailable.
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
  // TypeError, UnsupportedError and the worker's own rejections all answer a request it refused.
  return new MediaNodeError('invalid_payload', message);
}

/** Runs a mediasoup call and turns whatever it throws into a MediaNodeError. */
export async function mediasoupCall<T>(call: () => Promise<T> | T): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw translate(err);
  }
}
