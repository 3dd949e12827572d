// Wiring: configuration -> HTTP server. Started by `npm start` (see infra/setup.mjs).
import { fileURLToPath } from 'node:url';
import { configFromEnv } from './config.js';
import { createApp } from './http/app.js';

const config = configFromEnv();
const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
const app = createApp({ clientDir });
const server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`Summit Bridge listening on http://localhost:${port} (health: /healthz)`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
