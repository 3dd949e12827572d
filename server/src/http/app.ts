import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RequestError } from '@summit-bridge/protocol';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { AuditLog } from '../audit/AuditLog.js';
import type { AuthFailureLimiter } from '../auth/authenticate.js';
import type { InvitationService } from '../invitations/InvitationService.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { ProceedingsService } from '../proceedings/ProceedingsService.js';
import type { RecordingService } from '../recording/RecordingService.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import type { StateStore } from '../store/StateStore.js';
import { errorHandler } from './errors.js';
import { createGuards } from './guards.js';
import { auditRoutes } from './routes/audit.js';
import { documentRoutes } from './routes/documents.js';
import { healthRoutes } from './routes/health.js';
import { invitationRoutes } from './routes/invitations.js';
import { meRoutes } from './routes/me.js';
import { recordRoutes } from './routes/record.js';
import { recordingRoutes } from './routes/recordings.js';
import { summitRoutes } from './routes/summits.js';
import { telemetryRoutes } from './routes/telemetry.js';

export interface HttpDeps {
  adminToken: string;
  jwtSecret: string;
  store: StateStore;
  summits: SummitCatalog;
  invitations: InvitationService;
  audit: AuditLog;
  proceedings: ProceedingsService;
  maxDocumentBytes: number;
  /** Where recordings are (RECORDING_DIR), and the service that composes them. */
  recordingDir: string;
  recordings: RecordingService;
  metrics: Metrics;
  log: Logger;
  authFailures: AuthFailureLimiter;
  trustProxy: string[];
  metricsToken: string | undefined;
  clientDir?: string;
}

/** The HTTP adapter: health, metrics, the admin and participant API under /api/v1, and the client. */
export function createApp(deps: HttpDeps): Express {
  const { store, summits } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // 'self' covers the page's own ws: and wss: origin (CSP level 3); no other host.
          'connect-src': ["'self'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'media-src': ["'self'", 'blob:'],
          // A document opens in the browser's own viewer, fetched with the participant's token.
          'frame-src': ["'self'", 'blob:'],
          'style-src': ["'self'", "'unsafe-inline'"],
        },
      },
    }),
  );
  const guards = createGuards(deps);
  app.use(healthRoutes(deps.metrics, guards));

  const api = express.Router();
  api.use(meRoutes(guards, summits, store));
  api.use(summitRoutes({ guards, summits, store }));
  api.use(invitationRoutes(guards, summits, deps.invitations));
  api.use(auditRoutes(guards, deps.audit));
  api.use(telemetryRoutes(guards, summits, store));
  api.use(documentRoutes(guards, deps.proceedings, deps.maxDocumentBytes));
  api.use(recordRoutes(guards, deps.proceedings));
  api.use(
    recordingRoutes({
      guards,
      root: deps.recordingDir,
      recordings: deps.recordings,
      jwtSecret: deps.jwtSecret,
      store,
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
  app.use(errorHandler(deps.log));
  return app;
}
