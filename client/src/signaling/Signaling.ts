import {
  clientRequests,
  ErrorBody,
  invalidPayload,
  type PushName,
  type PushPayload,
  RequestError,
  type RequestName,
  type RequestPayload,
  type ResponseOf,
  serverPushes,
} from '@summit-bridge/protocol';
import type { z } from 'zod';

/** The part of a socket.io client socket this wrapper needs. */
export interface SignalingSocket {
  readonly connected: boolean;
  emit(event: string, payload: unknown, ack: (answer: unknown) => void): unknown;
  on(event: string, listener: (payload: unknown) => void): unknown;
  off(event: string, listener: (payload: unknown) => void): unknown;
}

export interface SignalingOptions {
  timeoutMs?: number;
  /** A push that fails its schema: the state it carried is lost, so the owner resyncs. */
  onInvalidPush?: (name: PushName, problem: string) => void;
}

type Schemas = { payload: z.ZodType; response: z.ZodType };

/**
 * The one door to the signaling server: requests and pushes named and typed by `protocol`,
 * every payload checked by its schema both ways, every request bounded by a timeout.
 */
export class Signaling {
  private readonly timeoutMs: number;
  private readonly onInvalidPush: NonNullable<SignalingOptions['onInvalidPush']>;

  constructor(
    private readonly socket: SignalingSocket,
    options: SignalingOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.onInvalidPush = options.onInvalidPush ?? (() => undefined);
  }

  request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseOf<N>> {
    const schemas: Schemas = clientRequests[name];
    const parsed = schemas.payload.safeParse(payload);
    if (!parsed.success) {
      const { message, path } = invalidPayload(parsed.error, name);
      return Promise.reject(new RequestError('invalid_payload', message, path));
    }
    // socket.io buffers emits while offline and sends them on reconnect: an action must not fire late.
    if (!this.socket.connected) return Promise.reject(new RequestError('unavailable', 'not connected'));
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new RequestError('unavailable', `${name} got no answer in ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.socket.emit(name, parsed.data, (answer: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        try {
          resolve(readAnswer(name, schemas.response, answer) as ResponseOf<N>);
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /** Listens to a push; a payload out of contract is reported, never handed on. */
  on<N extends PushName>(name: N, handler: (payload: PushPayload<N>) => void): () => void {
    const schema: z.ZodType = serverPushes[name];
    const listener = (payload: unknown) => {
      const parsed = schema.safeParse(payload);
      if (parsed.success) handler(parsed.data as PushPayload<N>);
      else this.onInvalidPush(name, invalidPayload(parsed.error).message);
    };
    this.socket.on(name, listener);
    return () => this.socket.off(name, listener);
  }
}

function readAnswer(name: string, response: z.ZodType, answer: unknown): unknown {
  if (typeof answer !== 'object' || answer === null || !('ok' in answer)) {
    throw new RequestError('internal', `${name}: the answer is not { ok, … }`);
  }
  if (answer.ok !== true) {
    const error = ErrorBody.safeParse((answer as { error?: unknown }).error);
    if (!error.success) throw new RequestError('internal', `${name}: the error is out of contract`);
    throw new RequestError(error.data.code, error.data.message, error.data.path);
  }
  const parsed = response.safeParse(answer);
  if (!parsed.success) {
    const { message, path } = invalidPayload(parsed.error, 'answer');
    throw new RequestError('internal', `${name}: answer out of contract: ${message}`, path);
  }
  return parsed.data;
}
