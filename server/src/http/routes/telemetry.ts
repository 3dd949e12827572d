import { Router } from 'express';
import { historyCsv } from '../../domain/telemetry/series.js';
import type { SummitCatalog } from '../../sessions/SummitCatalog.js';
import type { TelemetryStore } from '../../store/StateStore.js';
import { HistoryQuery, readHistory } from '../../telemetry/history.js';
import { parse, route } from '../errors.js';
import type { Guards } from '../guards.js';

/** GET …/sessions/:sessionId/telemetry?site=&metric=&range=&format=: a site's history, JSON or CSV. */
export function telemetryRoutes(guards: Guards, summits: SummitCatalog, store: TelemetryStore): Router {
  const router = Router();
  router.get(
    '/summits/:summitId/sessions/:sessionId/telemetry',
    guards.grant(
      'telemetry.read',
      'reading telemetry needs a technician or secretariat token for this session',
    ),
    route(async (req, res) => {
      const key = { summitId: String(req.params.summitId), sessionId: String(req.params.sessionId) };
      const query = parse(HistoryQuery, req.query);
      const history = await readHistory(store, summits, key, query, Date.now());
      if (query.format === 'json') {
        res.json(history);
        return;
      }
      const file = `telemetry-${key.summitId}-${key.sessionId}-${query.site}-${query.range}.csv`;
      res.type('text/csv').attachment(file).send(historyCsv(history));
    }),
  );
  return router;
}
