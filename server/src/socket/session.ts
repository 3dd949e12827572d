import { findSession, sessionDelegations } from '../domain/summit.js';
import type { MediaSessions } from '../media/MediaSessions.js';
import type { SessionService } from '../sessions/SessionService.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import type { Handlers } from './context.js';
import type { PresenceBoard } from './presence.js';

export interface SessionHandlerDeps {
  presence: PresenceBoard;
  summits: SummitCatalog;
  sessions: SessionService;
  media: MediaSessions;
}

export function sessionHandlers({
  presence: board,
  summits,
  sessions,
  media,
}: SessionHandlerDeps): Handlers<'session:snapshot' | 'session:time' | 'session:setStatus'> {
  return {
    'session:snapshot': async (conn) => {
      const { doc, ctx } = await summits.context(conn.key.summitId, conn.key.sessionId);
      const session = findSession(doc, ctx.sessionId);
      if (!session) throw new Error(`session ${ctx.sessionId} vanished from its summit`);
      const [state, presence, producers] = await Promise.all([
        sessions.state(conn.key),
        board.current(conn.room),
        media.producers(conn.key),
      ]);
      return {
        summit: { id: doc.id, title: doc.title, hostTimeZone: doc.host.timeZone },
        session,
        delegations: sessionDelegations(doc, session),
        state,
        presence,
        producers,
        you: {
          participantId: conn.grants.sub,
          name: conn.grants.name,
          role: conn.grants.role,
          delegation: conn.grants.delegation,
          ...(conn.grants.booth ? { booth: conn.grants.booth } : {}),
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
