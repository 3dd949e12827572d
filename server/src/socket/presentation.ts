// The chair's presentation requests: allow a delegation to present without the floor (a session
// command, audited with the floor's), and stop what is shown (closed at the SFU, audited here).
import { RequestError, type RequestName } from '@summit-bridge/protocol';
import type { AuditLog } from '../audit/AuditLog.js';
import { chairsSession } from '../domain/sessionMachine.js';
import type { MediaSessions } from '../media/MediaSessions.js';
import type { SessionService } from '../sessions/SessionService.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import type { Handlers } from './context.js';

type PresentationRequest = Extract<RequestName, `presentation:${string}`>;

export function presentationHandlers(deps: {
  sessions: SessionService;
  summits: SummitCatalog;
  media: MediaSessions;
  audit: AuditLog;
}): Handlers<PresentationRequest> {
  const { sessions, summits, media, audit } = deps;
  return {
    'presentation:allow': async (conn, { delegation, allowed }) => {
      const command = { type: 'allowPresenter', delegation, allowed } as const;
      const state = await sessions.execute(conn.key, command, conn.actor);
      return { version: state.version };
    },
    'presentation:stop': async (conn) => {
      // The permission table lets chairs through; as for the floor, only this session's chairs.
      const { ctx } = await summits.context(conn.key.summitId, conn.key.sessionId);
      if (!chairsSession(conn.actor, ctx))
        throw new RequestError('forbidden', 'your delegation does not chair this session');
      const stopped = await media.stopPresentations(conn.key);
      for (const info of stopped)
        await audit.append(conn.key.summitId, {
          sessionId: conn.key.sessionId,
          type: 'presentationStopped',
          actor: conn.actor,
          delegation: info.delegation,
          detail: { producerId: info.producerId, source: info.source },
        });
      return { stopped: stopped.length };
    },
  };
}
