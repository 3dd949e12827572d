// The server as the benchmarks run it: in the benchmark's own process (its CPU is that
// process's), one media worker, loopback only, a known admin token.
import { configFromEnv, createLogger, startServer } from '@summit-bridge/server';

export const benchAdminToken = 'bench-admin-token-0123456789';

export async function startBenchServer(clientDir: string) {
  const config = configFromEnv({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    SUMMIT_ADMIN_TOKEN: benchAdminToken,
    MEDIA_WORKERS: '1',
    MEDIA_LISTEN_IP: '127.0.0.1',
    MEDIA_PORT: '0',
    LOG_LEVEL: 'warn',
  });
  const server = await startServer(config, createLogger('warn'), clientDir);
  const mediaNode = server.mediaNode;
  if (!mediaNode) throw new Error('the benchmarks run the embedded media node');
  return { config, server: { ...server, mediaNode } };
}
