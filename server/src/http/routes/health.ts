import { Router } from 'express';
import type { Metrics } from '../../metrics.js';
import { route } from '../errors.js';

/** GET /healthz for load balancers; GET /metrics for Prometheus. */
export function healthRoutes(metrics: Metrics): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get(
    '/metrics',
    route(async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    }),
  );
  return router;
}
