import type { Server as HttpServer } from 'node:http';
import {
  type ErrorBody,
  type Grants,
  Handshake,
  heartbeat,
  isChairRole,
  RequestError,
} from '@summit-bridge/protocol';
import { Server, type Socket } from 'socket.io';
import { type AuthFailureLimiter, auditAuthFailure, authenticateParticipant } from '../auth/authenticate.js';
import type { Actor } from '../domain/floor.js';
import { admission } from '../domain/summit.js';
import { errorCodeOf } from '../errors.js';
import type { Logger } from '../log.js';
import type { MediaSessions } from '../media/MediaSessions.js';
import type { Metrics } from '../metrics.js';
import type { SessionChange, SessionKey, SessionService } from '../sessions/SessionService.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import type { StateStore } from '../store/StateStore.js';
import type { TelemetryService } from '../telemetry/TelemetryService.js';
import { type Connection, sessionRoom, tokenRoom } from './context.js';
import { registerRequests } from './dispatch.js';
import { floorHandlers } from './floor.js';
import { presenceOf } from './presence.js';
import { sessionHandlers } from './session.js';
import { joinTelemetry, leaveTelemetry, telemetryHandlers } from './telemetry.js';

export interface SocketData {
  grants: Grants;
  key: SessionKey;
  actor: Actor;
  room: string;
}

export interface SignalingDeps {
  jwtSecret: string;
  /** Other instances share this one's sessions (the Redis adapter): changes are told to them. */
  clustered: boolean;
  store: StateStore;
  summits: SummitCatalog;
  sessions: SessionService;
  media: MediaSessions;
  telemetry: TelemetryService;
  authFailures: AuthFailureLimiter;
  metrics: Metrics;
  log: Logger;
}

function clientAddress(socket: Socket): string {
  return socket.handshake.address;
}

function rejection(code: ErrorBody['code'], message: string): Error {
  return Object.assign(new Error(message), { data: { code, message } satisfies ErrorBody });
}

/** Attaches socket.io to the HTTP server: the handshake admits, then every request goes through one door. */
export function attachSignaling(httpServer: HttpServer, deps: SignalingDeps): Server {
  const { store, summits, sessions, media, telemetry, metrics, log } = deps;
  const io = new Server(httpServer, {
    maxHttpBufferSize: 256 * 1024,
    // Fast enough for a live meeting, tolerant of a busy machine (see `heartbeat`).
    pingInterval: heartbeat.intervalMs,
    pingTimeout: heartbeat.timeoutMs,
    // A client that drops for a moment gets its rooms back and the pushes it missed.
    connectionStateRecovery: { maxDisconnectionDuration: 30_000, skipMiddlewares: false },
  });
  const handlers = {
    ...sessionHandlers({ io, summits, sessions, media }),
    ...floorHandlers(sessions),
    ...media.handlers(),
    ...telemetryHandlers(io, telemetry, media),
  };

  io.use(async (socket, next) => {
    const address = clientAddress(socket);
    if (deps.authFailures.blocked(address)) {
      metrics.authFailures.inc({ code: 'rate_limited' });
      return next(rejection('rate_limited', 'too many failed attempts from this address, wait a minute'));
    }
    const handshake = Handshake.safeParse(socket.handshake.auth);
    try {
      if (!handshake.success)
        throw new RequestError('invalid_payload', 'the handshake needs { token, sessionId }');
      const grants = await authenticateParticipant(handshake.data.token, deps.jwtSecret, store);
      const doc = await summits.require(grants.summit);
      const admitted = admission(doc, grants, handshake.data.sessionId);
      if (!admitted.ok) throw new RequestError(admitted.error.code, admitted.error.message);
      const key = { summitId: grants.summit, sessionId: handshake.data.sessionId };
      socket.data = {
        grants,
        key,
        actor: { participantId: grants.sub, delegation: grants.delegation, role: grants.role },
        room: sessionRoom(key),
      } satisfies SocketData;
      next();
    } catch (err) {
      const code = errorCodeOf(err) ?? 'internal';
      const message = code === 'internal' ? 'admission failed' : (err as Error).message;
      if (code === 'internal') log.error('admission failed', { err: String(err) });
      deps.authFailures.record(address);
      metrics.authFailures.inc({ code });
      log.warn('socket rejected', { address, code, message });
      const token = handshake.success ? handshake.data.token : undefined;
      const sessionId = handshake.success ? { sessionId: handshake.data.sessionId } : {};
      auditAuthFailure(store, token, { code, message, address, via: 'socket', ...sessionId }).catch((e) =>
        log.error('audit append failed', { err: String(e) }),
      );
      next(rejection(code, message));
    }
  });

  const audit = (conn: Connection, type: string, detail: Record<string, unknown>) =>
    store
      .appendAudit(conn.key.summitId, {
        at: Date.now(),
        sessionId: conn.key.sessionId,
        type,
        actor: conn.actor,
        delegation: conn.grants.delegation,
        detail,
      })
      .catch((err) => log.error('audit append failed', { err: String(err) }));

  // Joins come in bursts (a session opening, a reconnect wave): one presence push per room per
  // moment carries them all, instead of one full list per join to every participant.
  const presencePending = new Set<string>();
  const broadcastPresence = (room: string) => {
    if (presencePending.has(room)) return;
    presencePending.add(room);
    setTimeout(async () => {
      presencePending.delete(room);
      io.to(room).emit('presence:updated', await presenceOf(io, room));
    }, 100).unref();
  };

  io.on('connection', (socket) => {
    const data = socket.data as SocketData;
    const conn: Connection = { socket, ...data };
    metrics.connectedSockets.inc();
    registerRequests(conn, handlers, log, metrics);
    void socket.join([conn.room, tokenRoom(conn.grants.jti)]);
    joinTelemetry(conn, telemetry);
    void sessions.watch(conn.key).catch((err) => log.warn('session watch failed', { err: String(err) }));
    broadcastPresence(conn.room);
    audit(conn, 'join', {});

    socket.on('disconnect', (reason) => {
      metrics.connectedSockets.dec();
      media.peerLeft(conn);
      leaveTelemetry(conn, telemetry);
      broadcastPresence(conn.room);
      audit(conn, 'leave', { reason });
    });
    log.info('participant connected', {
      participant: conn.grants.sub,
      role: conn.grants.role,
      chair: isChairRole(conn.grants.role),
      session: conn.room,
    });
  });

  // Changes made here reach every client of the session on every instance through the adapter;
  // the other instances also hear of them to re-apply their local mic policy and timers.
  sessions.on('changed', (change: SessionChange) => {
    metrics.sessionChanges.inc();
    io.to(sessionRoom(change.key)).emit('session:updated', change.state);
    if (deps.clustered) io.serverSideEmit('session:changed', change);
    media.sessionChanged(change);
  });
  sessions.on('changedElsewhere', (change) => media.sessionChanged(change));
  io.on('session:changed', (change: SessionChange) => sessions.receiveRemoteChange(change));

  return io;
}

/** Ends every live connection made with a revoked token, on every instance. */
export function disconnectToken(io: Server, jti: string): void {
  io.in(tokenRoom(jti)).disconnectSockets(true);
}
