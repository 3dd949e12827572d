import type { MeResponse } from '@summit-bridge/protocol';
import { Router } from 'express';
import type { SummitCatalog } from '../../sessions/SummitCatalog.js';
import type { SessionStateStore } from '../../store/StateStore.js';
import { route } from '../errors.js';
import { type Guards, participantOf } from '../guards.js';

/** GET /me with a participant token: who you are and which sessions you may join. */
export function meRoutes(guards: Guards, summits: SummitCatalog, store: SessionStateStore): Router {
  const router = Router();
  router.get(
    '/me',
    guards.participant,
    route(async (_req, res) => {
      const grants = participantOf(res);
      const doc = await summits.require(grants.summit);
      const granted = new Set(grants.sessions);
      const body: MeResponse = {
        ok: true,
        participant: {
          id: grants.sub,
          name: grants.name,
          role: grants.role,
          delegation: grants.delegation,
          ...(grants.booth ? { booth: grants.booth } : {}),
        },
        summit: { id: doc.id, title: doc.title, hostTimeZone: doc.host.timeZone },
        sessions: await Promise.all(
          doc.sessions
            .filter((s) => granted.has(s.id))
            .map(async (s) => {
              const state = await store.getSessionState(doc.id, s.id);
              return {
                id: s.id,
                title: s.title,
                kind: s.kind,
                schedule: s.schedule,
                status: state?.status ?? s.status,
              };
            }),
        ),
      };
      res.json(body);
    }),
  );
  return router;
}
