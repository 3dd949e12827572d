// The server process: `node server/dist/main.js [--demo]` (npm start runs it with --demo).
import { fileURLToPath } from 'node:url';
import { ConfigError, configFromEnv } from './config.js';
import { seedDemo } from './demo/seed.js';
import { createLogger } from './log.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  const config = configFromEnv();
  const log = createLogger(config.logLevel);
  const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
  const server = await startServer(config, log, clientDir);
  const mode = config.redisUrl ? `Redis at ${config.redisUrl}` : 'embedded (in-memory state, one process)';
  console.log(`Summit Bridge listening on http://localhost:${server.port} — ${mode}`);
  if (config.adminTokenGenerated)
    console.log(`Admin token (SUMMIT_ADMIN_TOKEN was not set): ${config.adminToken}`);

  if (process.argv.includes('--demo')) {
    const links = await seedDemo(server.summits, server.invitations);
    console.log('\nDemo summit asean-2020 — open a link in a browser (each link is one participant):');
    const width = Math.max(...links.map((l) => l.label.length));
    for (const link of links) console.log(`  ${link.label.padEnd(width)}  ${link.joinUrl}`);
    console.log('');
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
