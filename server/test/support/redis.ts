// `useRedis()` ties one real Redis (e2e/src/redisProcess.ts) to a vitest file.
import { type RedisServer, startRedis } from '@summit-bridge/testkit/redis-process';
import { afterAll, beforeAll } from 'vitest';

export { type RedisServer, startRedis };

/** One Redis for the calling test file, started before its tests and stopped after them. */
export function useRedis(): () => RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('Redis is not started: call useRedis() at the top of the test file');
    return server;
  };
}
