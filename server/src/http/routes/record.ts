import { Router } from 'express';
import type { ProceedingsService } from '../../proceedings/ProceedingsService.js';
import { recordHtml } from '../../proceedings/recordHtml.js';
import { route } from '../errors.js';
import type { Guards } from '../guards.js';

/** GET …/sessions/:sessionId/record (JSON) and …/record.html (printable): the record of the meeting. */
export function recordRoutes(guards: Guards, proceedings: ProceedingsService): Router {
  const router = Router();
  const read = guards.grant('record.read', 'the record of the meeting is for the secretariat and the chair');
  const keyOf = (params: Record<string, string | string[] | undefined>) => ({
    summitId: String(params.summitId),
    sessionId: String(params.sessionId),
  });
  router.get(
    '/summits/:summitId/sessions/:sessionId/record',
    read,
    route(async (req, res) => {
      res.json({ ok: true, record: await proceedings.record(keyOf(req.params)) });
    }),
  );
  router.get(
    '/summits/:summitId/sessions/:sessionId/record.html',
    read,
    route(async (req, res) => {
      const record = await proceedings.record(keyOf(req.params));
      res
        .type('html')
        .attachment(`record-${record.summit.id}-${record.session.id}.html`)
        .send(recordHtml(record));
    }),
  );
  return router;
}
