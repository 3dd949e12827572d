// An in-process server on free ports with the demo summit loaded, and invitations on demand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InvitationRequest, Role } from '@summit-bridge/protocol';
import type { MediaNode } from '@summit-bridge/sfu';
import type { DestinationStream } from 'pino';
import { configFromEnv } from '../../src/config.js';
import { demoSummit } from '../../src/demo/index.js';
import { createLogger } from '../../src/log.js';
import { type RunningServer, startServer } from '../../src/server.js';

export interface TestServer extends Omit<RunningServer, 'mediaNode'> {
  /** The media node in the server's process (tests run the embedded default). */
  mediaNode: MediaNode;
  adminToken: string;
  jwtSecret: string;
  /** A token for a participant of the demo summit. */
  invite(request: Partial<InvitationRequest> & { role: Role; sessions: string[] }): Promise<string>;
}

export async function startTestServer(
  env: Record<string, string> = {},
  options: { logTo?: DestinationStream } = {},
): Promise<TestServer> {
  // Recordings go to a directory of this server's own, gone with it (unless the test chose one).
  const ownRecordings = env.RECORDING_DIR ? null : mkdtempSync(join(tmpdir(), 'sb-recordings-'));
  const config = configFromEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    MEDIA_WORKERS: '1',
    MEDIA_LISTEN_IP: '127.0.0.1',
    MEDIA_PORT: '0',
    LOG_LEVEL: 'error',
    ...(ownRecordings ? { RECORDING_DIR: ownRecordings } : {}),
    ...env,
  });
  const logger = options.logTo
    ? createLogger(config.logLevel, { destination: options.logTo })
    : createLogger(config.logLevel);
  const server = await startServer(config, logger);
  await server.summits.put(demoSummit());
  const mediaNode = server.mediaNode;
  if (!mediaNode) throw new Error('the test server runs its media node in process');
  return {
    ...server,
    mediaNode,
    close: async () => {
      await server.close();
      if (ownRecordings) rmSync(ownRecordings, { recursive: true, force: true });
    },
    adminToken: config.adminToken,
    jwtSecret: config.jwtSecret,
    invite: async (request) => {
      const doc = await server.summits.require('asean-2020');
      const { token } = await server.invitations.issue(doc, {
        name: request.name ?? `${request.role} ${request.delegation ?? ''}`.trim(),
        delegation: null,
        ...request,
      });
      return token;
    },
  };
}
