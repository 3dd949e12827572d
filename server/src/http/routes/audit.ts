import { RequestError } from '@summit-bridge/protocol';
import { Router } from 'express';
import type { AuditLog } from '../../audit/AuditLog.js';
import { auditIdPattern } from '../../store/StateStore.js';
import { route } from '../errors.js';
import { callerOf, type Guards } from '../guards.js';

/** GET …/audit?after=<id>&limit=<n>: the summit's audit trail, oldest first. */
export function auditRoutes(guards: Guards, audit: AuditLog): Router {
  const router = Router();
  router.get(
    '/summits/:summitId/audit',
    guards.grant('audit.read', 'reading the audit trail needs the secretariat or technician role'),
    route(async (req, res) => {
      const limit = Math.min(1000, Math.max(1, Number(req.query.limit ?? 200) || 200));
      const after = typeof req.query.after === 'string' ? req.query.after : undefined;
      if (after !== undefined && !auditIdPattern.test(after))
        throw new RequestError('invalid_payload', 'after: not an audit id', 'after');
      const summitId = String(req.params.summitId);
      const caller = callerOf(res);
      const scope = caller.admin ? undefined : new Set(caller.grants.sessions);
      res.json({
        ok: true,
        entries: await audit.read(summitId, after ? { after, limit } : { limit }, scope),
      });
    }),
  );
  return router;
}
