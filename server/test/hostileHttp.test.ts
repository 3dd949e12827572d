// Hostile HTTP: malformed URLs, socket.io's polling transport, bodies built to cost the parser.
// Each gets one clear 4xx, costs little, and logs nothing at error level.
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/server.js';

let server: RunningServer;
const adminToken = 'hostile-http-admin-token-0123';
const errorLines: string[] = [];

beforeAll(async () => {
  const config = configFromEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    MEDIA_WORKERS: '1',
    MEDIA_LISTEN_IP: '127.0.0.1',
    MEDIA_PORT: '0',
    SUMMIT_ADMIN_TOKEN: adminToken,
  });
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean))
        if ((JSON.parse(line) as { level: number }).level >= 50) errorLines.push(line);
      done();
    },
  });
  // With the built client, as users run it: static files are where malformed paths hurt.
  const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
  server = await startServer(config, createLogger('info', { destination }), clientDir);
});

afterAll(async () => {
  await server?.close();
});

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('hostile HTTP', () => {
  it('answers malformed URLs with 400, not 500', async () => {
    for (const path of ['/%c0%ae', '/api/v1/summits/%E0%A4%A', '/api/v1/summits/%E0%A4%A/audit']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(400);
    }
    expect(errorLines).toEqual([]);
  });

  it('answers socket.io long-polling once, with a refusal: the server speaks WebSocket only', async () => {
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Transport unknown');
    expect(errorLines).toEqual([]);
  });

  it('refuses a body without a token before reading it, however deep', async () => {
    const body = nested(500_000);
    const res = await fetch(`${server.url}/api/v1/summits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(401);
  });

  it('refuses a body nested deeper than its route allows, before parsing it', async () => {
    const res = await fetch(`${server.url}/api/v1/summits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: nested(100),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', message: 'body nested too deep' },
    });
    // Brackets inside strings are text, not nesting.
    const text = await fetch(`${server.url}/api/v1/summits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ id: nested(100) }),
    });
    expect(((await text.json()) as { error: { message: string } }).error.message).not.toBe(
      'body nested too deep',
    );
    expect(errorLines).toEqual([]);
  });
});
