export { configFromEnv } from './config.js';
export { createApp } from './http/app.js';
