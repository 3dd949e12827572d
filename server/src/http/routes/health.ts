import { Router } from 'express';
import type { Metrics } from '../../metrics.js';
import { route } from '../errors.js';
import type { Guards } from '../guards.js';

/** GET /healthz for load balancers; GET /metrics for Prometheus, with its token (or the admin's). */
export function healthRoutes(metrics: Metrics, guards: Guards): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get(
    '/metrics',
    guards.metrics,
    route(async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    }),
  );
  return router;
}
