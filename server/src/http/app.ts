import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  can,
  type ErrorCode,
  type Grants,
  InvitationRequest,
  type InvitationResponse,
  type MeResponse,
  RequestError,
  SessionUpdate,
  SummitDocument,
} from '@summit-bridge/protocol';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { z } from 'zod';
import { type AuthFailureLimiter, auditAuthFailure, authenticateParticipant } from '../auth/authenticate.js';
import { adminTokenMatches } from '../auth/tokens.js';
import { errorCodeOf } from '../errors.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import { auditIdPattern, type StateStore } from '../store/StateStore.js';
import { historyCsv } from '../telemetry/series.js';
import { type InvitationDeps, issueInvitation } from './invitations.js';
import { HistoryQuery, readHistory } from './telemetry.js';

export interface HttpDeps extends InvitationDeps {
  adminToken: string;
  store: StateStore;
  summits: SummitCatalog;
  metrics: Metrics;
  log: Logger;
  authFailures: AuthFailureLimiter;
  /** Ends the live connections of a revoked token. */
  onRevoke: (jti: string) => void;
  /** Tells the other instances that a summit document changed. */
  onSummitChanged: (summitId: string) => void;
  clientDir?: string;
}

const statusOf: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  invalid_payload: 400,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  throw new RequestError('invalid_payload', `${path || 'body'}: ${issue?.message ?? 'invalid'}`, path);
}

function bearer(req: Request): string | undefined {
  const header = req.get('authorization');
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

type Route = (req: Request, res: Response) => Promise<unknown>;
const route = (fn: Route) => (req: Request, res: Response, next: NextFunction) => fn(req, res).catch(next);

/** Express app: health, metrics, the admin and participant API under /api/v1, and the client. */
export function createApp(deps: HttpDeps): Express {
  const { store, summits, log, authFailures } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'connect-src': ["'self'", 'ws:', 'wss:'],
          'img-src': ["'self'", 'data:', 'blob:'],
          'media-src': ["'self'", 'blob:'],
          'style-src': ["'self'", "'unsafe-inline'"],
        },
      },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(
    '/metrics',
    route(async (_req, res) => {
      res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    }),
  );

  const api = express.Router();
  api.use(express.json({ limit: '1mb' }));

  // Failed credentials are counted per address; too many and the address waits.
  function guard(req: Request): void {
    if (authFailures.blocked(req.ip ?? ''))
      throw new RequestError('rate_limited', 'too many failed attempts, wait a minute');
  }
  function failedAuth(req: Request, err: RequestError): never {
    authFailures.record(req.ip ?? '');
    deps.metrics.authFailures.inc({ code: err.code });
    throw err;
  }
  function requireAdmin(req: Request): void {
    guard(req);
    if (!adminTokenMatches(bearer(req), deps.adminToken)) {
      failedAuth(req, new RequestError('unauthenticated', 'an admin token is required'));
    }
  }
  async function requireParticipant(req: Request): Promise<Grants> {
    guard(req);
    try {
      return await authenticateParticipant(bearer(req), deps.jwtSecret, store);
    } catch (err) {
      if (err instanceof RequestError) {
        const failure = { code: err.code, message: err.message, address: req.ip ?? '', via: 'http' as const };
        await auditAuthFailure(store, bearer(req), failure).catch((e) =>
          log.error('audit append failed', { err: String(e) }),
        );
        failedAuth(req, err);
      }
      throw err;
    }
  }

  api.get(
    '/me',
    route(async (req, res) => {
      const grants = await requireParticipant(req);
      const doc = await summits.require(grants.summit);
      const granted = new Set(grants.sessions);
      const body: MeResponse = {
        ok: true,
        participant: { id: grants.sub, name: grants.name, role: grants.role, delegation: grants.delegation },
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

  api.post(
    '/summits',
    route(async (req, res) => {
      requireAdmin(req);
      const doc = parse(SummitDocument, req.body);
      if (await store.getSummit(doc.id))
        throw new RequestError('conflict', `summit ${doc.id} exists; PUT to replace it`);
      await summits.put(doc);
      res.status(201).json({ ok: true, summit: doc });
    }),
  );
  api.get(
    '/summits',
    route(async (req, res) => {
      requireAdmin(req);
      res.json({ ok: true, summits: await store.listSummits() });
    }),
  );
  api.get(
    '/summits/:summitId',
    route(async (req, res) => {
      requireAdmin(req);
      res.json({ ok: true, summit: await summits.require(String(req.params.summitId)) });
    }),
  );
  api.put(
    '/summits/:summitId',
    route(async (req, res) => {
      requireAdmin(req);
      const doc = parse(SummitDocument, req.body);
      if (doc.id !== req.params.summitId)
        throw new RequestError('invalid_payload', 'id does not match the URL', 'id');
      await summits.put(doc);
      deps.onSummitChanged(doc.id);
      res.json({ ok: true, summit: doc });
    }),
  );
  api.patch(
    '/summits/:summitId/sessions/:sessionId',
    route(async (req, res) => {
      requireAdmin(req);
      const doc = await summits.require(String(req.params.summitId));
      const index = doc.sessions.findIndex((s) => s.id === req.params.sessionId);
      if (index < 0) throw new RequestError('not_found', `no session ${req.params.sessionId}`);
      const { speakingLimitSec, ...update } = parse(SessionUpdate, req.body);
      const current = doc.sessions[index];
      const merged = { ...current, ...update };
      if (speakingLimitSec === null) delete merged.speakingLimitSec;
      else if (speakingLimitSec !== undefined) merged.speakingLimitSec = speakingLimitSec;
      // The whole document is checked again: the change must keep every cross-reference valid.
      const updated = parse(SummitDocument, {
        ...doc,
        sessions: doc.sessions.map((s, i) => (i === index ? merged : s)),
      });
      await summits.put(updated);
      deps.onSummitChanged(updated.id);
      res.json({ ok: true, session: updated.sessions[index] });
    }),
  );

  api.post(
    '/summits/:summitId/invitations',
    route(async (req, res) => {
      requireAdmin(req);
      const doc = await summits.require(String(req.params.summitId));
      const body: InvitationResponse = await issueInvitation(deps, doc, parse(InvitationRequest, req.body));
      res.status(201).json(body);
    }),
  );
  api.get(
    '/summits/:summitId/invitations',
    route(async (req, res) => {
      requireAdmin(req);
      res.json({ ok: true, invitations: await store.listInvitations(String(req.params.summitId)) });
    }),
  );
  api.post(
    '/summits/:summitId/invitations/:jti/revoke',
    route(async (req, res) => {
      requireAdmin(req);
      const summitId = String(req.params.summitId);
      const invitation = (await store.listInvitations(summitId)).find((i) => i.jti === req.params.jti);
      if (!invitation) throw new RequestError('not_found', `no invitation ${req.params.jti}`);
      await store.revokeToken(invitation.jti, invitation.expiresAt);
      await store.putInvitation(summitId, { ...invitation, revoked: true });
      await store.appendAudit(summitId, {
        at: Date.now(),
        sessionId: null,
        type: 'invitationRevoked',
        actor: null,
        delegation: invitation.delegation,
        detail: { jti: invitation.jti, participantId: invitation.id },
      });
      deps.onRevoke(invitation.jti);
      res.json({ ok: true });
    }),
  );

  api.get(
    '/summits/:summitId/audit',
    route(async (req, res) => {
      const summitId = String(req.params.summitId);
      if (!adminTokenMatches(bearer(req), deps.adminToken)) {
        const grants = await requireParticipant(req);
        if (grants.summit !== summitId || !can(grants.role, 'audit.read')) {
          throw new RequestError(
            'forbidden',
            'reading the audit trail needs the secretariat or technician role',
          );
        }
      }
      const limit = Math.min(1000, Math.max(1, Number(req.query.limit ?? 200) || 200));
      const after = typeof req.query.after === 'string' ? req.query.after : undefined;
      if (after !== undefined && !auditIdPattern.test(after))
        throw new RequestError('invalid_payload', 'after: not an audit id', 'after');
      res.json({ ok: true, entries: await store.readAudit(summitId, after ? { after, limit } : { limit }) });
    }),
  );

  api.get(
    '/summits/:summitId/sessions/:sessionId/telemetry',
    route(async (req, res) => {
      const key = { summitId: String(req.params.summitId), sessionId: String(req.params.sessionId) };
      if (!adminTokenMatches(bearer(req), deps.adminToken)) {
        const grants = await requireParticipant(req);
        const granted = grants.summit === key.summitId && grants.sessions.includes(key.sessionId);
        if (!granted || !can(grants.role, 'telemetry.read'))
          throw new RequestError(
            'forbidden',
            'reading telemetry needs a technician or secretariat token for this session',
          );
      }
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

  api.use((_req, _res, next) => next(new RequestError('not_found', 'no such API route')));
  app.use('/api/v1', api);

  const clientDir = deps.clientDir;
  if (clientDir && existsSync(join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: 'index.html' }));
    // The client's routes (/join…) are one page: every other GET gets index.html.
    app.get('/{*path}', (_req, res) => res.sendFile(join(clientDir, 'index.html')));
  }

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const bodyError = (err as { type?: string }).type;
    if (bodyError === 'entity.too.large') {
      res.status(413).json({ ok: false, error: { code: 'invalid_payload', message: 'body too large' } });
      return;
    }
    if (bodyError === 'entity.parse.failed') {
      res
        .status(400)
        .json({ ok: false, error: { code: 'invalid_payload', message: 'body is not valid JSON' } });
      return;
    }
    const code = errorCodeOf(err) ?? 'internal';
    if (code === 'internal')
      log.error('http request failed', { url: req.originalUrl, err: String((err as Error).stack ?? err) });
    const message = code === 'internal' ? 'internal error' : (err as Error).message;
    const path = err instanceof RequestError ? err.path : undefined;
    res
      .status(statusOf[code])
      .json({ ok: false, error: path === undefined ? { code, message } : { code, message, path } });
  });
  return app;
}
