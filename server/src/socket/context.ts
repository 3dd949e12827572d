import type { Grants, ParsedPayload, RequestName, ResponseOf } from '@summit-bridge/protocol';
import type { Socket } from 'socket.io';
import type { Actor } from '../domain/floor.js';
import type { SessionKey } from '../sessions/SessionService.js';

/** Who is on the other end of a socket, settled once by the handshake. */
export interface Connection {
  socket: Socket;
  grants: Grants;
  actor: Actor;
  key: SessionKey;
  /** socket.io room of the session: every push for the session goes there. */
  room: string;
}

export type Handler<N extends RequestName> = (
  conn: Connection,
  payload: ParsedPayload<N>,
) => Promise<ResponseOf<N>>;
export type Handlers<N extends RequestName = RequestName> = { [K in N]: Handler<K> };

export const sessionRoom = ({ summitId, sessionId }: SessionKey) => `session:${summitId}/${sessionId}`;
export const tokenRoom = (jti: string) => `token:${jti}`;
