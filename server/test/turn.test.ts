// TURN credentials: what the server hands out, in the scheme coturn checks (coturn itself refusing
// bad ones is e2e/test/turn.test.ts).
import { createHmac } from 'node:crypto';
import { connectParticipant } from '@summit-bridge/testkit/signaling-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from '../src/config.js';
import { iceServersFor } from '../src/media/turnCredentials.js';
import { startTestServer, type TestServer } from './support/testServer.js';

const secret = 'a-turn-secret-of-more-than-32-characters';
const urls = 'turn:198.51.100.7:3478?transport=udp,turns:turn.example.org:443?transport=tcp';

describe('TURN credentials', () => {
  it('name their expiry and participant and are signed with the shared secret', () => {
    const { iceServers, validForSec } = iceServersFor(
      { urls: ['turn:x'], secret, ttlSec: 600 },
      'p-1',
      1_700_000_000_123,
    );
    expect(validForSec).toBe(600);
    expect(iceServers).toEqual([
      {
        urls: ['turn:x'],
        username: '1700000600:p-1',
        credential: createHmac('sha1', secret).update('1700000600:p-1').digest('base64'),
      },
    ]);
  });

  it('are none without TURN', () => {
    expect(iceServersFor(undefined, 'p-1', Date.now()).iceServers).toEqual([]);
  });

  it('need the URLs and a long secret together', () => {
    expect(() => configFromEnv({ TURN_URLS: urls })).toThrow(ConfigError);
    expect(() => configFromEnv({ TURN_SECRET: secret })).toThrow(ConfigError);
    expect(() => configFromEnv({ TURN_URLS: urls, TURN_SECRET: 'short' })).toThrow(/32 characters/);
    expect(() => configFromEnv({ TURN_URLS: 'stun:x', TURN_SECRET: secret })).toThrow(/turn: or turns:/);
    expect(configFromEnv({ TURN_URLS: urls, TURN_SECRET: secret }).turn).toEqual({
      urls: urls.split(','),
      secret,
      ttlSec: 3600,
    });
  });
});

describe('transports with TURN configured', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TURN_URLS: urls, TURN_SECRET: secret, TURN_TTL_SEC: '120' });
  });
  afterAll(() => server?.close());

  it('carry fresh credentials for the participant, and so does media:iceServers', async () => {
    const token = await server.invite({ role: 'head_of_delegation', delegation: 'BRN', sessions: ['som'] });
    const client = await connectParticipant(server.url, token, 'som');
    try {
      const me = await client.request('session:snapshot');
      if (!me.ok) throw new Error(me.error.message);
      const participantId = me.you.participantId;
      const before = Math.floor(Date.now() / 1000);
      const transport = await client.request('media:createTransport', { direction: 'recv' });
      if (!transport.ok) throw new Error(transport.error.message);
      const [server0] = transport.iceServers ?? [];
      expect(server0?.urls).toEqual(urls.split(','));
      const [expiry, who] = server0?.username.split(':') ?? [];
      expect(who).toBe(participantId);
      expect(Number(expiry) - before).toBeGreaterThanOrEqual(120);
      expect(Number(expiry) - before).toBeLessThanOrEqual(121);
      expect(server0?.credential).toBe(
        createHmac('sha1', secret)
          .update(server0?.username ?? '')
          .digest('base64'),
      );
      expect(transport.iceServersValidForSec).toBe(120);
      const fresh = await client.request('media:iceServers');
      expect(fresh.ok && fresh.iceServers[0]?.username.endsWith(`:${participantId}`)).toBe(true);
    } finally {
      client.close();
    }
  });
});
