// A participant's socket.io client as the browser uses it, with typed requests for tests.
import type {
  PushName,
  PushPayload,
  RequestName,
  RequestPayload,
  ResponseOf,
  Result,
} from '@summit-bridge/protocol';
import { io, type Socket } from 'socket.io-client';

export interface SignalingClient {
  socket: Socket;
  request<N extends RequestName>(name: N, payload?: RequestPayload<N>): Promise<Result<ResponseOf<N>>>;
  /** Every push of that name received so far, oldest first. */
  pushes<N extends PushName>(name: N): PushPayload<N>[];
  close(): void;
}

export function connectionFailure(
  url: string,
  auth: unknown,
  /** Headers of the handshake, such as a proxy's X-Forwarded-For. */
  extraHeaders: Record<string, string> = {},
): Promise<{ code: string; message: string }> {
  const socket = io(url, {
    auth: auth as object,
    extraHeaders,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.on('connect', () => {
      socket.close();
      reject(new Error('connected, expected a refusal'));
    });
    socket.on('connect_error', (err: Error & { data?: { code: string; message: string } }) => {
      socket.close();
      if (err.data) resolve(err.data);
      else reject(err);
    });
  });
}

export async function connectParticipant(
  url: string,
  token: string,
  sessionId: string,
  /** More handshake fields, such as the ones socket.io-client adds when it recovers a session. */
  extraAuth: object = {},
  extraHeaders: Record<string, string> = {},
): Promise<SignalingClient> {
  const socket = io(url, {
    auth: { token, sessionId, ...extraAuth },
    extraHeaders,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const received = new Map<string, unknown[]>();
  socket.onAny((name: string, payload: unknown) => {
    const list = received.get(name) ?? [];
    list.push(payload);
    received.set(name, list);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (err: Error & { data?: unknown }) =>
      reject(new Error(`${err.message} ${JSON.stringify(err.data)}`)),
    );
  });
  return {
    socket,
    request: (name, payload) => socket.timeout(10_000).emitWithAck(name, payload ?? {}),
    pushes: <N extends PushName>(name: N) => (received.get(name) ?? []) as PushPayload<N>[],
    close: () => socket.close(),
  };
}
