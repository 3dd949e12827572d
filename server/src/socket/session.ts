import { inPrecedenceOrder } from '@summit-bridge/protocol';
import type { Server } from 'socket.io';
import type { MediaSessions } from '../media/MediaSessions.js';
import type { SessionService } from '../sessions/SessionService.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import type { Handlers } from './context.js';
import { presenceOf } from './presence.js';

export interface SessionHandlerDeps {
  io: Server;
  summits: SummitCatalog;
  sessions: SessionService;
  media: MediaSessions;
}

export function sessionHandlers({
  io,
  summits,
  sessions,
  media,
}: SessionHandlerDeps): Handlers<'session:snapshot' | 'session:time' | 'session:setStatus'> {
  return {
    'session:snapshot': async (conn) => {
      const { doc, ctx } = await summits.context(conn.key.summitId, conn.key.sessionId);
      const session = doc.sessions.find((s) => s.id === ctx.sessionId);
      if (!session) throw new Error(`session ${ctx.sessionId} vanished from its summit`);
      const taking = new Set(session.delegations);
      const [state, presence] = await Promise.all([sessions.state(conn.key), presenceOf(io, conn.room)]);
      return {
        summit: { id: doc.id, title: doc.title, hostTimeZone: doc.host.timeZone },
        session,
        delegations: inPrecedenceOrder(doc.delegations.filter((d) => taking.has(d.code))),
        state,
        presence,
        producers: media.producers(conn.key),
        you: {
          participantId: conn.grants.sub,
          name: conn.grants.name,
          role: conn.grants.role,
          delegation: conn.grants.delegation,
        },
        serverTime: Date.now(),
      };
    },
    'session:time': async () => ({ serverTime: Date.now() }),
    'session:setStatus': async (conn, { status }) => {
      const state = await sessions.execute(conn.key, { type: 'setStatus', status }, conn.actor);
      return { version: state.version };
    },
  };
}
