// Signaling instances on one Redis, as a cluster runs them: Redis starts before the file's tests,
// and everything stops after them. Each instance is a real server process.
import { type AppProcess, startApp } from '@summit-bridge/testkit/app-process';
import { connectParticipant, type SignalingClient } from '@summit-bridge/testkit/signaling-client';
import { afterAll, beforeAll } from 'vitest';
import { startRedis } from './redis.js';

export function redisCluster(name: string, env: Record<string, string> = {}) {
  const adminToken = `${name}-admin-token-0123456789`;
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  /** The instances running, for a test that stops them itself (`splice(0)`). */
  const apps: AppProcess[] = [];
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(apps.map((app) => app.stop()));
    await redis?.stop();
  });

  return {
    adminToken,
    apps,
    clients,
    async start(): Promise<AppProcess> {
      if (!redis) throw new Error('Redis has not started');
      const app = await startApp({
        REDIS_URL: redis.url,
        REDIS_PREFIX: `${name}:`,
        SUMMIT_JWT_SECRET: `a shared secret for every instance of ${name}`,
        SUMMIT_ADMIN_TOKEN: adminToken,
        MEDIA_WORKERS: '1',
        MEDIA_LISTEN_IP: '127.0.0.1',
        MEDIA_PORT: '0',
        ...env,
      });
      apps.push(app);
      return app;
    },
    /** The admin API of one instance. */
    api(
      app: AppProcess,
      method: string,
      path: string,
      body?: string | Uint8Array,
      type = 'application/json',
    ) {
      return fetch(`${app.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': type },
        ...(body === undefined ? {} : { body }),
      });
    },
    /** A participant connected to one instance, closed after the file's tests. */
    async join(app: AppProcess, token: string, sessionId: string): Promise<SignalingClient> {
      const client = await connectParticipant(app.url, token, sessionId);
      clients.push(client);
      return client;
    },
  };
}
