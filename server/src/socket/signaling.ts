import type { Server as HttpServer } from 'node:http';
import { type ErrorBody, Handshake, heartbeat, RequestError, truncate } from '@summit-bridge/protocol';
import proxyaddr from 'proxy-addr';
import { Server } from 'socket.io';
import type { AuditLog } from '../audit/AuditLog.js';
import { type AuthFailureLimiter, auditAuthFailure, authenticateParticipant } from '../auth/authenticate.js';
import { actorOf, admission } from '../domain/summit.js';
import { errorCodeOf } from '../errors.js';
import type { InvitationService } from '../invitations/InvitationService.js';
import type { Logger } from '../log.js';
import type { MediaSessions } from '../media/MediaSessions.js';
import type { TurnConfig } from '../media/turnCredentials.js';
import type { Metrics } from '../metrics.js';
import type { ProceedingsService } from '../proceedings/ProceedingsService.js';
import type { RecordingService } from '../recording/RecordingService.js';
import type { SessionChange, SessionService } from '../sessions/SessionService.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import type { AdmissionStore, InvitationStore } from '../store/StateStore.js';
import type { TelemetryService } from '../telemetry/TelemetryService.js';
import {
  type Connection,
  type SignalingServer,
  type SignalingSocket,
  sessionRoom,
  tokenRoom,
} from './context.js';
import { registerRequests } from './dispatch.js';
import { floorHandlers } from './floor.js';
import { interpretationHandlers, joinBooth, leaveBooth } from './interpretation.js';
import { Lobby, lobbyRoom } from './lobby.js';
import { mediaHandlers, mediaPeerOf, pushMediaEvents } from './media.js';
import { boundedParser } from './parser.js';
import { PresenceBoard } from './presence.js';
import { presentationHandlers } from './presentation.js';
import { proceedingsHandlers, pushProceedings } from './proceedings.js';
import { recordingHandlers } from './recording.js';
import { sessionHandlers } from './session.js';
import { joinTelemetry, leaveTelemetry, pushTelemetryEvents, telemetryHandlers } from './telemetry.js';

export interface SignalingDeps {
  jwtSecret: string;
  /** Other instances share this one's sessions (the Redis adapter): changes are told to them. */
  clustered: boolean;
  /** Peers whose X-Forwarded-For is believed (express's `trust proxy` values). */
  trustProxy: string[];
  limits: { requestsPerSecond: number; requestBurst: number; maxMessageBytes: number };
  store: InvitationStore & AdmissionStore;
  summits: SummitCatalog;
  sessions: SessionService;
  media: MediaSessions;
  /** TURN relays for the clients' transports (undefined: none). */
  turn: TurnConfig | undefined;
  telemetry: TelemetryService;
  proceedings: ProceedingsService;
  recordings: RecordingService;
  invitations: InvitationService;
  audit: AuditLog;
  /** This instance, named in its joins and leaves: a survivor closes them if it dies without a word. */
  instanceId: string;
  authFailures: AuthFailureLimiter;
  metrics: Metrics;
  log: Logger;
}

/** Requests nest a few levels (RTP parameters the deepest): far more is an attack. */
const MAX_MESSAGE_DEPTH = 16;
/** setTimeout's longest delay; a token's end further away is checked again when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function rejection(code: ErrorBody['code'], message: string): Error {
  return Object.assign(new Error(message), { data: { code, message } satisfies ErrorBody });
}

/**
 * The socket adapter: socket.io on the HTTP server. The handshake admits, every request goes
 * through one door, and what the services report becomes pushes to the right rooms.
 */
export function attachSignaling(httpServer: HttpServer, deps: SignalingDeps): SignalingServer {
  const { summits, sessions, media, telemetry, audit, metrics, log } = deps;
  const io: SignalingServer = new Server(httpServer, {
    // WebSocket only, deliberately: every client uses it, and long-polling would need a load
    // balancer to stick each client to one instance; refused polling requests get a 400 here.
    transports: ['websocket'],
    maxHttpBufferSize: deps.limits.maxMessageBytes,
    parser: boundedParser(MAX_MESSAGE_DEPTH),
    // A lost link is known within seconds (the same heartbeat as the client's, in protocol).
    pingInterval: heartbeat.intervalMs,
    pingTimeout: heartbeat.timeoutMs,
    // A client that drops for a moment gets its rooms back and the pushes it missed.
    connectionStateRecovery: { maxDisconnectionDuration: 30_000, skipMiddlewares: false },
  });
  const presence = new PresenceBoard(io);
  const lobby = new Lobby(io, { admissions: deps.store, audit, media, clustered: deps.clustered, log });
  const handlers = {
    ...lobby.handlers(),
    ...sessionHandlers({ presence, summits, sessions, media }),
    ...floorHandlers(sessions),
    ...mediaHandlers(media, deps.turn),
    ...presentationHandlers({ sessions, summits, media, audit }),
    ...recordingHandlers(deps.recordings),
    ...telemetryHandlers(io, telemetry, media),
    ...interpretationHandlers({ io, sessions, summits, media }),
    ...proceedingsHandlers(deps.proceedings),
  };

  const trust = proxyaddr.compile(deps.trustProxy);
  io.use(async (socket, next) => {
    // The client's own address, through the proxies configured as trusted, and no others.
    const address = proxyaddr(socket.request, trust);
    // An address past its failures still gets in with a valid token: behind a proxy or a NAT,
    // many share one address, and only the failing ones should wait.
    const blocked = deps.authFailures.blocked(address);
    const handshake = Handshake.safeParse(socket.handshake.auth);
    try {
      if (!handshake.success)
        throw new RequestError('invalid_payload', 'the handshake needs { token, sessionId }');
      const grants = await authenticateParticipant(handshake.data.token, deps.jwtSecret, deps.store);
      const doc = await summits.require(grants.summit);
      const admitted = admission(doc, grants, handshake.data.sessionId);
      if (!admitted.ok) throw new RequestError(admitted.error.code, admitted.error.message);
      const key = { summitId: grants.summit, sessionId: handshake.data.sessionId };
      const waiting = await lobby.mustWait(doc, grants, key);
      socket.data = {
        grants,
        key,
        actor: actorOf(grants),
        room: sessionRoom(key),
        waiting,
        since: Date.now(),
      };
      next();
    } catch (err) {
      const code = errorCodeOf(err) ?? 'internal';
      if (blocked) {
        metrics.authFailures.inc({ code: 'rate_limited' });
        return next(rejection('rate_limited', 'too many failed attempts from this address, wait a minute'));
      }
      const message = code === 'internal' ? 'admission failed' : truncate((err as Error).message, 200);
      if (code === 'internal') log.error({ err }, 'admission failed');
      deps.authFailures.record(address);
      metrics.authFailures.inc({ code });
      log.warn({ address, code, message }, 'socket rejected');
      const token = handshake.success ? handshake.data.token : undefined;
      const sessionId = handshake.success ? { sessionId: handshake.data.sessionId } : {};
      void auditAuthFailure(summits, audit, token, { code, message, address, via: 'socket', ...sessionId });
      next(rejection(code, message));
    }
  });

  // A connection lives no longer than its token: at expiry it ends, and the client's reconnect is
  // refused as expired (its console then says to ask for a new invitation).
  const expiry = new Map<string, NodeJS.Timeout>();
  const endWithToken = (socket: SignalingSocket, expiresAt: number) => {
    const timer = setTimeout(
      () => {
        if (Date.now() >= expiresAt) socket.disconnect(true);
        else endWithToken(socket, expiresAt);
      },
      Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - Date.now())),
    );
    timer.unref();
    expiry.set(socket.id, timer);
  };

  // A summit document changed (here, or on another instance): whoever may no longer be in a session
  // (their delegation taken out of it, say) is cut off at once, as a revoked token is.
  const readmit = async (summitId: string) => {
    const doc = await summits.get(summitId).catch(() => null);
    for (const socket of io.of('/').sockets.values()) {
      const { grants, key } = socket.data;
      if (!grants || key.summitId !== summitId) continue;
      if (!doc || !admission(doc, grants, key.sessionId).ok) socket.disconnect(true);
    }
  };
  summits.on('changed', (summitId) => {
    if (deps.clustered) io.serverSideEmit('summit:changed', summitId);
    void readmit(summitId);
  });

  io.on('connection', (socket) => {
    const conn: Connection = { socket, ...socket.data };
    const connLog = log.child({ participant: conn.grants.sub, session: conn.room, connection: socket.id });
    const auditConn = (type: string, detail: Record<string, unknown>) =>
      audit.append(conn.key.summitId, {
        sessionId: conn.key.sessionId,
        type,
        actor: conn.actor,
        delegation: conn.grants.delegation,
        detail,
      });
    metrics.connectedSockets.inc();
    registerRequests(conn, handlers, connLog, metrics, deps.limits);
    endWithToken(socket, conn.grants.exp * 1000);
    void socket.join(tokenRoom(conn.grants.jti));

    // Into the session: its room (state, people, media pushes), telemetry, the timer, presence.
    const enter = async () => {
      socket.data.waiting = false;
      void socket.join(conn.room);
      joinTelemetry(conn, telemetry);
      joinBooth(conn);
      lobby.watchIfAllowed(conn);
      void sessions.watch(conn.key).catch((err) => connLog.warn({ err }, 'session watch failed'));
      presence.changed(conn.room);
      void auditConn('join', { connection: socket.id, instance: deps.instanceId });
      if (conn.waiting) {
        void socket.leave(lobbyRoom(conn.key));
        socket.emit('lobby:status', { state: 'admitted' });
        await media.admitted(mediaPeerOf(conn));
      }
    };
    if (conn.waiting) lobby.wait(conn, enter);
    else void enter();

    socket.on('disconnect', (reason) => {
      clearTimeout(expiry.get(socket.id));
      expiry.delete(socket.id);
      metrics.connectedSockets.dec();
      media.peerLeft(mediaPeerOf(conn));
      if (socket.data.waiting) {
        lobby.left(conn);
        return;
      }
      leaveTelemetry(conn, telemetry);
      leaveBooth(io, sessions, conn).catch((err) => connLog.warn({ err }, 'leaving the booth failed'));
      presence.changed(conn.room);
      void auditConn('leave', { reason, connection: socket.id, instance: deps.instanceId });
    });
    connLog.info({ role: conn.grants.role, waiting: conn.waiting }, 'participant connected');
  });

  pushMediaEvents(io, media);
  pushTelemetryEvents(io, telemetry);
  pushProceedings(io, deps.proceedings);
  // A revoked token's connections end, on every instance (the adapter carries the room).
  deps.invitations.on('revoked', (jti) => io.in(tokenRoom(jti)).disconnectSockets(true));

  // Changes made here reach every client of the session on every instance through the adapter;
  // the other instances also hear of them to re-apply their local mic policy and timers.
  sessions.on('changed', (change: SessionChange) => {
    metrics.sessionChanges.inc();
    io.to(sessionRoom(change.key)).emit('session:updated', change.state);
    if (deps.clustered) io.serverSideEmit('session:changed', change);
    media.sessionChanged(change);
    deps.recordings.sessionChanged(change, true);
  });
  sessions.on('changedElsewhere', (change) => {
    media.sessionChanged(change);
    deps.recordings.sessionChanged(change, false);
  });
  io.on('session:changed', (change: SessionChange) => sessions.receiveRemoteChange(change));
  io.on('summit:changed', (summitId: string) => {
    summits.invalidate(summitId);
    void readmit(summitId);
  });

  return io;
}
