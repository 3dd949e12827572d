import { InvitationRequest, type InvitationResponse } from '@summit-bridge/protocol';
import { Router } from 'express';
import type { InvitationService } from '../../invitations/InvitationService.js';
import type { SummitCatalog } from '../../sessions/SummitCatalog.js';
import { jsonBody } from '../body.js';
import { parse, route } from '../errors.js';
import type { Guards } from '../guards.js';

/** Invitations (admin token): issue one participant's token and join link, list them, revoke one. */
export function invitationRoutes(
  guards: Guards,
  summits: SummitCatalog,
  invitations: InvitationService,
): Router {
  const router = Router();
  router.post(
    '/summits/:summitId/invitations',
    guards.admin,
    jsonBody('16kb', 6),
    route(async (req, res) => {
      const doc = await summits.require(String(req.params.summitId));
      const body: InvitationResponse = await invitations.issue(doc, parse(InvitationRequest, req.body));
      res.status(201).json(body);
    }),
  );
  router.get(
    '/summits/:summitId/invitations',
    guards.admin,
    route(async (req, res) => {
      res.json({ ok: true, invitations: await invitations.list(String(req.params.summitId)) });
    }),
  );
  router.post(
    '/summits/:summitId/invitations/:jti/revoke',
    guards.admin,
    route(async (req, res) => {
      await invitations.revoke(String(req.params.summitId), String(req.params.jti));
      res.json({ ok: true });
    }),
  );
  return router;
}
