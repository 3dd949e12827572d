// Interpretation over the socket: an interpreter works its booth (the session machine decides),
// everyone chooses what they hear (the media service enforces it at the SFU), and boothmates and
// technicians exchange short texts.
import { RequestError, type RequestName } from '@summit-bridge/protocol';
import type { SessionKey } from '../domain/sessionKey.js';
import { sessionKeyId } from '../domain/sessionKey.js';
import type { MediaSessions } from '../media/MediaSessions.js';
import type { SessionService } from '../sessions/SessionService.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import { type Connection, type Handlers, type SignalingServer, telemetryRoom } from './context.js';
import { mediaPeerOf } from './media.js';

type InterpretationRequest = Extract<RequestName, `booth:${string}` | `interpretation:${string}`>;

/** A booth's interpreters: its texts go there (and to the technicians). */
export const boothRoom = (key: SessionKey, language: string) => `booth:${sessionKeyId(key)}:${language}`;

export interface InterpretationDeps {
  io: SignalingServer;
  sessions: SessionService;
  summits: SummitCatalog;
  media: MediaSessions;
}

async function boothsOf(summits: SummitCatalog, key: SessionKey): Promise<string[]> {
  const { ctx } = await summits.context(key.summitId, key.sessionId);
  return ctx.interpretation?.booths ?? [];
}

export function interpretationHandlers({
  io,
  sessions,
  summits,
  media,
}: InterpretationDeps): Handlers<InterpretationRequest> {
  const versioned = async (conn: Connection, command: Parameters<SessionService['execute']>[1]) => ({
    version: (await sessions.execute(conn.key, command, conn.actor)).version,
  });
  return {
    'booth:takeOver': (conn) => versioned(conn, { type: 'takeOver' }),
    'booth:handOver': (conn) => versioned(conn, { type: 'handOver' }),
    'booth:cough': (conn, { on }) => versioned(conn, { type: 'cough', on }),
    'booth:setInput': (conn, { input }) => versioned(conn, { type: 'setBoothInput', input }),
    'booth:message': async (conn, { booth, text }) => {
      // An interpreter writes to its own booth; a technician names the booth it answers.
      const to = conn.grants.booth ?? booth;
      if (to === undefined) throw new RequestError('invalid_payload', 'name the booth', 'booth');
      if (!(await boothsOf(summits, conn.key)).includes(to))
        throw new RequestError('not_found', `no ${to} booth in this session`, 'booth');
      io.to(boothRoom(conn.key, to)).to(telemetryRoom(conn.key)).emit('booth:message', {
        booth: to,
        from: conn.grants.sub,
        name: conn.grants.name,
        role: conn.grants.role,
        text,
        at: Date.now(),
      });
      return {};
    },
    'interpretation:listen': async (conn, { channel }) => {
      if (channel !== 'floor' && !(await boothsOf(summits, conn.key)).includes(channel))
        throw new RequestError('not_found', `no ${channel} channel in this session`, 'channel');
      await media.listen(mediaPeerOf(conn), channel === 'floor' ? null : channel);
      return { channel };
    },
  };
}

/** An interpreter's connection is in: it hears its booth's texts. */
export function joinBooth(conn: Connection): void {
  if (conn.grants.booth) void conn.socket.join(boothRoom(conn.key, conn.grants.booth));
}

/**
 * An interpreter's connection went away. Its last one (on any instance) takes it off air: the
 * booth falls silent and its boothmates are told, never the floor pushed into the channel.
 */
export async function leaveBooth(
  io: SignalingServer,
  sessions: SessionService,
  conn: Connection,
): Promise<void> {
  const booth = conn.grants.booth;
  if (!booth) return;
  const sockets = await io.in(conn.room).fetchSockets();
  if (sockets.some((s) => s.id !== conn.socket.id && s.data.grants?.sub === conn.grants.sub)) return;
  await sessions.execute(conn.key, { type: 'interpreterLeft', participantId: conn.grants.sub, booth }, null);
}
