// Who may call an API route, checked before anything else is read (the body included).
import { type Action, can, type Grants, RequestError } from '@summit-bridge/protocol';
import type { NextFunction, Request, Response } from 'express';
import type { AuditLog } from '../audit/AuditLog.js';
import { type AuthFailureLimiter, auditAuthFailure, authenticateParticipant } from '../auth/authenticate.js';
import { adminTokenMatches } from '../auth/tokens.js';
import type { Metrics } from '../metrics.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import type { InvitationStore } from '../store/StateStore.js';

export interface GuardDeps {
  adminToken: string;
  metricsToken: string | undefined;
  jwtSecret: string;
  store: Pick<InvitationStore, 'isRevoked'>;
  summits: SummitCatalog;
  audit: AuditLog;
  authFailures: AuthFailureLimiter;
  metrics: Metrics;
}

/** Who the guard let through: the admin, or a participant with these grants. */
export type Caller = { admin: true } | { admin: false; grants: Grants };

export function bearer(req: Request): string | undefined {
  const header = req.get('authorization');
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/** The caller a guard admitted, for the route behind it. */
export function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}

/** The grants of the participant the `participant` guard admitted. */
export function participantOf(res: Response): Grants {
  const caller = callerOf(res);
  if (caller.admin) throw new RequestError('forbidden', 'this route needs a participant token');
  return caller.grants;
}

export function createGuards(deps: GuardDeps) {
  // Failed credentials are counted per client address (req.ip, through the trusted proxies only);
  // an address past its failures is answered rate_limited for wrong credentials, without an audit
  // line, but valid credentials still pass: many people may share one address behind a NAT.
  function failed(req: Request, err: RequestError): never {
    const address = req.ip ?? '';
    if (deps.authFailures.blocked(address)) {
      deps.metrics.authFailures.inc({ code: 'rate_limited' });
      throw new RequestError('rate_limited', 'too many failed attempts, wait a minute');
    }
    deps.authFailures.record(address);
    deps.metrics.authFailures.inc({ code: err.code });
    throw err;
  }
  async function participant(req: Request): Promise<Grants> {
    try {
      return await authenticateParticipant(bearer(req), deps.jwtSecret, deps.store);
    } catch (err) {
      if (!(err instanceof RequestError)) throw err;
      if (!deps.authFailures.blocked(req.ip ?? '')) {
        const failure = { code: err.code, message: err.message, address: req.ip ?? '', via: 'http' as const };
        await auditAuthFailure(deps.summits, deps.audit, bearer(req), failure);
      }
      failed(req, err);
    }
  }
  const middleware =
    (check: (req: Request) => Promise<Caller>) => (req: Request, res: Response, next: NextFunction) =>
      check(req).then((caller) => {
        res.locals.caller = caller;
        next();
      }, next);

  return {
    /** Refuses a request whose credentials failed, counting the failure against its address. */
    refuse: (req: Request, err: RequestError): never => failed(req, err),
    /** The admin token, nothing else. */
    admin: middleware(async (req) => {
      if (!adminTokenMatches(bearer(req), deps.adminToken))
        failed(req, new RequestError('unauthenticated', 'an admin token is required'));
      return { admin: true };
    }),
    /** The metrics token, or the admin token: versions and load are not for everyone. */
    metrics: middleware(async (req) => {
      const token = bearer(req);
      const ok =
        (deps.metricsToken && adminTokenMatches(token, deps.metricsToken)) ||
        adminTokenMatches(token, deps.adminToken);
      if (!ok) failed(req, new RequestError('unauthenticated', 'the metrics token is required'));
      return { admin: true };
    }),
    /** Any valid participant token. */
    participant: middleware(async (req) => ({ admin: false, grants: await participant(req) })),
    /**
     * The admin token, or a participant token whose role may do `action` in the summit (and, when
     * the URL names one, the session) of the URL.
     */
    grant: (action: Action, why: string) =>
      middleware(async (req) => {
        if (adminTokenMatches(bearer(req), deps.adminToken)) return { admin: true };
        const grants = await participant(req);
        const { summitId, sessionId } = req.params;
        const inScope =
          grants.summit === summitId &&
          (sessionId === undefined || grants.sessions.includes(String(sessionId)));
        if (!inScope || !can(grants.role, action)) throw new RequestError('forbidden', why);
        return { admin: false, grants };
      }),
  };
}

export type Guards = ReturnType<typeof createGuards>;
