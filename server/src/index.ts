export { configFromEnv } from './config.js';
export { demoSummit } from './demo/index.js';
export { createApp } from './http/app.js';
export { createLogger } from './log.js';
export { iceServersFor, turnPassword } from './media/turnCredentials.js';
export { composeArgs, runFfmpeg } from './recording/compose.js';
export { startServer } from './server.js';
export { MemoryStore } from './store/MemoryStore.js';
export { RedisStore } from './store/RedisStore.js';
