// The socket adapter's types: what a socket carries once admitted, and the typed socket.io server.
import type {
  Grants,
  ParsedPayload,
  PushName,
  PushPayload,
  RequestName,
  ResponseOf,
} from '@summit-bridge/protocol';
import type { Server, Socket } from 'socket.io';
import type { SessionKey } from '../domain/sessionKey.js';
import { sessionKeyId } from '../domain/sessionKey.js';
import type { Actor } from '../domain/sessionMachine.js';
import type { SessionChange } from '../sessions/SessionService.js';

/** Who is on the other end of a socket, settled once by the handshake. */
export interface SocketData {
  grants: Grants;
  actor: Actor;
  key: SessionKey;
  /** socket.io room of the session: every push for the session goes there. */
  room: string;
  /** In the session's lobby: it sees nothing of the session until admitted. */
  waiting: boolean;
  /** When it connected, ms. */
  since: number;
}

/** Requests carry a payload and an acknowledgement; the dispatcher checks both. */
export type ClientEvents = Record<RequestName, (...args: unknown[]) => void>;
export type ServerEvents = { [N in PushName]: (payload: PushPayload<N>) => void };
/** What instances tell each other through the adapter. */
export interface InterServerEvents {
  'session:changed': (change: SessionChange) => void;
  'summit:changed': (summitId: string) => void;
  /** Let a socket of this instance out of the lobby (admitted through another instance). */
  'lobby:admit': (connectionId: string) => void;
}

export type SignalingServer = Server<ClientEvents, ServerEvents, InterServerEvents, SocketData>;
export type SignalingSocket = Socket<ClientEvents, ServerEvents, InterServerEvents, SocketData>;

/** An admitted socket and what it carries. */
export type Connection = SocketData & { socket: SignalingSocket };

export type Handler<N extends RequestName> = (
  conn: Connection,
  payload: ParsedPayload<N>,
) => Promise<ResponseOf<N>>;
export type Handlers<N extends RequestName = RequestName> = { [K in N]: Handler<K> };

export const sessionRoom = (key: SessionKey) => `session:${sessionKeyId(key)}`;
export const tokenRoom = (jti: string) => `token:${jti}`;
/** Pushes for technicians: only sockets allowed `telemetry.read` join it. */
export const telemetryRoom = (key: SessionKey) => `telemetry:${sessionKeyId(key)}`;
