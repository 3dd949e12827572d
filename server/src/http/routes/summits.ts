import { RequestError, SessionUpdate, SummitDocument } from '@summit-bridge/protocol';
import { Router } from 'express';
import type { SummitCatalog } from '../../sessions/SummitCatalog.js';
import type { SummitStore } from '../../store/StateStore.js';
import { jsonBody } from '../body.js';
import { parse, route } from '../errors.js';
import type { Guards } from '../guards.js';

export interface SummitRouteDeps {
  guards: Guards;
  summits: SummitCatalog;
  store: SummitStore;
}

/** The secretariat's summit documents (admin token): create, list, read, replace, edit a session. */
export function summitRoutes({ guards, summits, store }: SummitRouteDeps): Router {
  const router = Router();
  // A summit of 500 delegations and dozens of sessions is well under a megabyte and 12 levels deep.
  const body = jsonBody('1mb', 12);
  router.post(
    '/summits',
    guards.admin,
    body,
    route(async (req, res) => {
      const doc = parse(SummitDocument, req.body);
      if (await store.getSummit(doc.id))
        throw new RequestError('conflict', `summit ${doc.id} exists; PUT to replace it`);
      await summits.put(doc);
      res.status(201).json({ ok: true, summit: doc });
    }),
  );
  router.get(
    '/summits',
    guards.admin,
    route(async (_req, res) => {
      res.json({ ok: true, summits: await store.listSummits() });
    }),
  );
  router.get(
    '/summits/:summitId',
    guards.admin,
    route(async (req, res) => {
      res.json({ ok: true, summit: await summits.require(String(req.params.summitId)) });
    }),
  );
  router.put(
    '/summits/:summitId',
    guards.admin,
    body,
    route(async (req, res) => {
      const doc = parse(SummitDocument, req.body);
      if (doc.id !== req.params.summitId)
        throw new RequestError('invalid_payload', 'id does not match the URL', 'id');
      await summits.put(doc);
      res.json({ ok: true, summit: doc });
    }),
  );
  router.patch(
    '/summits/:summitId/sessions/:sessionId',
    guards.admin,
    jsonBody('16kb', 6),
    route(async (req, res) => {
      const doc = await summits.require(String(req.params.summitId));
      const index = doc.sessions.findIndex((s) => s.id === req.params.sessionId);
      if (index < 0) throw new RequestError('not_found', `no session ${req.params.sessionId}`);
      const { speakingLimitSec, ...update } = parse(SessionUpdate, req.body);
      const merged = { ...doc.sessions[index], ...update };
      if (speakingLimitSec === null) delete merged.speakingLimitSec;
      else if (speakingLimitSec !== undefined) merged.speakingLimitSec = speakingLimitSec;
      // The whole document is checked again: the change must keep every cross-reference valid.
      const updated = parse(SummitDocument, {
        ...doc,
        sessions: doc.sessions.map((s, i) => (i === index ? merged : s)),
      });
      await summits.put(updated);
      res.json({ ok: true, session: updated.sessions[index] });
    }),
  );
  return router;
}
