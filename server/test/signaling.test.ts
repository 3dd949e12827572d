// The socket API as participants use it: admission, snapshot, the floor, typed errors, presence.
import type { SessionState } from '@summit-bridge/protocol';
import {
  connectionFailure,
  connectParticipant,
  type SignalingClient,
} from '@summit-bridge/testkit/signaling-client';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from './support/testServer.js';

let server: TestServer;
const open: SignalingClient[] = [];

async function join(token: string, sessionId = 'som'): Promise<SignalingClient> {
  const client = await connectParticipant(server.url, token, sessionId);
  open.push(client);
  return client;
}

const chairToken = () => server.invite({ role: 'chair', delegation: 'VNM', sessions: ['som', 'acc'] });
const delegationToken = (code: string, sessions = ['som']) =>
  server.invite({ role: 'head_of_delegation', delegation: code, sessions });

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const client of open) client.close();
  await server?.close();
});

describe('admission', () => {
  it('refuses a missing, malformed, forged, expired or revoked token with a typed error', async () => {
    expect(await connectionFailure(server.url, {})).toMatchObject({ code: 'invalid_payload' });
    expect(await connectionFailure(server.url, { token: 'not-a-jwt', sessionId: 'som' })).toMatchObject({
      code: 'unauthenticated',
    });
    const valid = await delegationToken('BRN');
    const claims = jwt.decode(valid) as Record<string, unknown>;
    const forged = jwt.sign(claims, 'another secret that is long enough to be accepted');
    expect(await connectionFailure(server.url, { token: forged, sessionId: 'som' })).toMatchObject({
      code: 'unauthenticated',
    });
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, server.jwtSecret);
    const failure = await connectionFailure(server.url, { token: expired, sessionId: 'som' });
    expect(failure.code).toBe('unauthenticated');
    expect(failure.message).toMatch(/expired/i);

    const doomed = await delegationToken('KHM');
    const { jti } = jwt.decode(doomed) as { jti: string };
    await server.store.revokeToken(jti, Date.now() + 3600_000);
    expect(await connectionFailure(server.url, { token: doomed, sessionId: 'som' })).toMatchObject({
      code: 'unauthenticated',
    });
  });

  it('refuses a session the token does not grant, and a chair role from a delegation that does not chair', async () => {
    const som = await delegationToken('IDN');
    expect(await connectionFailure(server.url, { token: som, sessionId: 'apt-summit' })).toMatchObject({
      code: 'forbidden',
    });
    const fakeChair = jwt.sign(
      { ...(jwt.decode(som) as object), role: 'chair', jti: 'forged-chair-jti' },
      server.jwtSecret,
    );
    expect(await connectionFailure(server.url, { token: fakeChair, sessionId: 'som' })).toMatchObject({
      code: 'forbidden',
    });
  });
});

describe('the floor over the socket API', () => {
  it('gives every participant the same snapshot, in precedence order', async () => {
    const chair = await join(await chairToken());
    const brunei = await join(await delegationToken('BRN'));
    const snapshot = await brunei.request('session:snapshot');
    expect(snapshot.ok).toBe(true);
    if (!snapshot.ok) return;
    expect(snapshot.delegations.map((d) => d.code)).toEqual([
      'BRN',
      'KHM',
      'IDN',
      'LAO',
      'MYS',
      'MMR',
      'PHL',
      'SGP',
      'THA',
      'VNM',
      'ASEC',
    ]);
    expect(snapshot.you).toMatchObject({ role: 'head_of_delegation', delegation: 'BRN' });
    const chairSnapshot = await chair.request('session:snapshot');
    expect(chairSnapshot.ok && chairSnapshot.state).toEqual(snapshot.state);
  });

  it('runs request → give → take back, pushing the same versioned state to everyone', async () => {
    const chair = await join(await chairToken());
    const thailand = await join(await delegationToken('THA'));
    const lao = await join(await delegationToken('LAO'));
    expect(await chair.request('session:setStatus', { status: 'open' })).toMatchObject({ ok: true });

    const requested = await thailand.request('floor:request', { kind: 'speak' });
    expect(requested.ok).toBe(true);
    const version = requested.ok ? requested.version : -1;
    const latest = (c: SignalingClient) => c.pushes('session:updated').at(-1) as SessionState | undefined;
    for (const client of [chair, thailand, lao]) {
      await expect.poll(() => latest(client)?.version).toBe(version);
      expect(latest(client)?.floor.speakersList.map((r) => r.delegation)).toEqual(['THA']);
    }

    // A delegate cannot act as chair, whatever its client shows.
    expect(await lao.request('floor:give', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const given = await chair.request('floor:give', {});
    expect(given.ok).toBe(true);
    for (const client of [chair, thailand, lao]) {
      await expect.poll(() => latest(client)?.floor.current?.delegation).toBe('THA');
    }
    expect(await chair.request('floor:takeBack')).toMatchObject({ ok: true });
    await expect.poll(() => latest(lao)?.floor.current ?? null).toBeNull();
  });

  it('tells no other instance of a change in the embedded default, and logs nothing about it', async () => {
    const warn = vi.spyOn(console, 'warn');
    try {
      const malaysia = await join(await delegationToken('MYS'));
      expect(await malaysia.request('floor:request', { kind: 'speak' })).toMatchObject({ ok: true });
      expect(await malaysia.request('floor:withdraw')).toMatchObject({ ok: true });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('answers a malformed request with invalid_payload and changes nothing', async () => {
    const chair = await join(await chairToken());
    const before = await chair.request('session:snapshot');
    if (!before.ok) throw new Error(`no snapshot before: ${before.error.message}`);
    const bad = await chair.request('floor:move', { delegation: 'not a code', position: -3 } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const extra = await chair.request('floor:takeBack', { sneaky: true } as never);
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const after = await chair.request('session:snapshot');
    if (!after.ok) throw new Error(`no snapshot after: ${after.error.message}`);
    expect(after.state).toEqual(before.state);
  });

  it('answers an unknown request with not_found and a flood with rate_limited', async () => {
    const client = await join(await delegationToken('SGP'));
    const unknown = await client.socket.timeout(5000).emitWithAck('floor:seize', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const replies = await Promise.all(
      Array.from({ length: 120 }, () => client.request('session:time', { clientTime: 0 })),
    );
    expect(replies.some((r) => !r.ok && r.error.code === 'rate_limited')).toBe(true);
    expect(replies.some((r) => r.ok)).toBe(true);
  });

  it('counts unknown requests against the budget, and answers a request with extra arguments', async () => {
    const client = await join(await delegationToken('THA'));
    const extra = await client.socket.timeout(5000).emitWithAck('session:time', { clientTime: 0 }, 'extra');
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    // A flood of unknown names, and a real request right behind it, in one burst.
    const [real, ...unknown] = await Promise.all([
      ...Array.from({ length: 80 }, (_, i) => client.socket.timeout(5000).emitWithAck(`no:such-${i}`, {})),
    ]).then(async (replies) => [await client.request('session:time', { clientTime: 0 }), ...replies]);
    expect(unknown.some((r) => r.error?.code === 'rate_limited')).toBe(true);
    void real;
  });
});

describe('reconnection', () => {
  it('admits a client that comes back with socket.io recovery fields in its handshake', async () => {
    const token = await delegationToken('MYS');
    const recovering = await connectParticipant(server.url, token, 'som');
    open.push(recovering);
    recovering.close();
    const again = await connectParticipant(server.url, token, 'som', {
      pid: 'previous-session',
      offset: '42',
    });
    open.push(again);
    expect((await again.request('session:snapshot')).ok).toBe(true);
  });
});

describe('the speaking timer', () => {
  it('is marked warned, then overrun, by the server at the right moments', async () => {
    const chair = await join(await chairToken(), 'acc');
    expect(await chair.request('session:setStatus', { status: 'open' })).toMatchObject({ ok: true });
    expect(await chair.request('floor:give', { delegation: 'MMR' })).toMatchObject({ ok: true });
    expect(await chair.request('floor:setLimit', { limitSec: 10, scope: 'current' })).toMatchObject({
      ok: true,
    });
    const current = () => (chair.pushes('session:updated').at(-1) as SessionState | undefined)?.floor.current;
    const startedAt = current()?.startedAt ?? 0;
    await expect.poll(() => current()?.warned, { timeout: 12_000 }).toBe(true);
    expect(current()?.overran).toBe(false);
    await expect.poll(() => current()?.overran, { timeout: 12_000 }).toBe(true);
    // The server marked the overrun once the limit had passed, not before.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(10_000);
  }, 30_000);
});

describe('presence and revocation', () => {
  it('tells everyone of joins that follow each other within one presence window', async () => {
    // Tokens first, so that the joins come a few milliseconds apart, inside one push window: a push
    // must carry every join before it, not a list read a moment earlier for someone's snapshot.
    const [chairAt, laosAt, malaysiaAt] = await Promise.all([
      chairToken(),
      delegationToken('LAO'),
      delegationToken('MYS'),
    ]);
    const chair = await join(chairAt);
    await chair.request('session:snapshot');
    const laos = await join(laosAt);
    await laos.request('session:snapshot');
    const malaysia = await join(malaysiaAt);
    await malaysia.request('session:snapshot');
    const seen = (client: SignalingClient) =>
      client
        .pushes('presence:updated')
        .at(-1)
        ?.participants.map((p) => p.delegation)
        .sort();
    for (const client of [chair, laos, malaysia]) {
      await expect
        .poll(() => seen(client), { timeout: 5_000 })
        .toEqual(expect.arrayContaining(['LAO', 'MYS', 'VNM']));
    }
  });

  it('tells the session who is connected, and cuts a revoked participant off at once', async () => {
    const chair = await join(await chairToken());
    const token = await delegationToken('PHL');
    const philippines = await join(token);
    const philippinesPresent = () =>
      chair
        .pushes('presence:updated')
        .at(-1)
        ?.participants.some((p) => p.delegation === 'PHL');
    await expect.poll(philippinesPresent).toBe(true);

    const { jti } = jwt.decode(token) as { jti: string };
    const revoke = await fetch(`${server.url}/api/v1/summits/asean-2020/invitations/${jti}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    expect(revoke.status).toBe(200);
    await expect.poll(() => philippines.socket.connected).toBe(false);
    await expect.poll(philippinesPresent).toBe(false);
  });
});
