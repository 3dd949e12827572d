// The HTTP API as the secretariat's tools and the join page use it.
import { MeResponse, type Session, type SummitDocument } from '@summit-bridge/protocol';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSummit } from '../src/demo/index.js';
import { startTestServer, type TestServer } from './support/testServer.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

function call(method: string, path: string, { token, body }: { token?: string; body?: unknown } = {}) {
  return fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The bodies this API answers with, loosely: each test reads the fields it checks. */
interface ApiBody {
  ok: boolean;
  error: { code: string; message: string; path?: string };
  summit: SummitDocument;
  session: Session;
  token: string;
  joinUrl: string;
  entries: unknown[];
}
const bodyOf = async (res: Response) => (await res.json()) as ApiBody;

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the demo summit lacks what this test needs');
  return value;
}

const admin = (method: string, path: string, body?: unknown) =>
  call(method, path, { token: server.adminToken, body });

describe('health and metrics', () => {
  it('answers /healthz, exposes /metrics and sends security headers', async () => {
    const health = await call('GET', '/healthz');
    expect(await bodyOf(health)).toEqual({ status: 'ok' });
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
    const metrics = await (await call('GET', '/metrics', { token: server.adminToken })).text();
    expect(metrics).toContain('summit_connected_sockets');
  });
});

describe('summit import', () => {
  it('imports a valid document, refuses a duplicate, and points at the bad field of an invalid one', async () => {
    const doc = { ...demoSummit(), id: 'import-test' };
    expect((await admin('POST', '/api/v1/summits', doc)).status).toBe(201);
    expect((await admin('POST', '/api/v1/summits', doc)).status).toBe(409);
    const read = await bodyOf(await admin('GET', '/api/v1/summits/import-test'));
    expect(read.summit.delegations).toHaveLength(doc.delegations.length);

    const broken = structuredClone(doc);
    broken.id = 'broken';
    defined(broken.sessions[1]).chairs = ['ZZZ'];
    const refused = await admin('POST', '/api/v1/summits', broken);
    expect(refused.status).toBe(400);
    const { error } = await bodyOf(refused);
    expect(error).toMatchObject({ code: 'invalid_payload', path: 'sessions.1.chairs.0' });
  });

  it('rejects calls without the admin token, bad JSON and oversized bodies with typed errors', async () => {
    const anonymous = await call('GET', '/api/v1/summits');
    expect(anonymous.status).toBe(401);
    expect((await bodyOf(anonymous)).error.code).toBe('unauthenticated');
    const badJson = await admin('POST', '/api/v1/summits', '{"id": ');
    expect(badJson.status).toBe(400);
    expect((await bodyOf(badJson)).error.code).toBe('invalid_payload');
    const huge = await admin('POST', '/api/v1/summits', { padding: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
  });

  it('updates a session and re-checks the whole document', async () => {
    const doc = demoSummit();
    const session = defined(doc.sessions[0]);
    const ok = await admin('PATCH', `/api/v1/summits/asean-2020/sessions/${session.id}`, {
      speakingLimitSec: 240,
    });
    expect(ok.status).toBe(200);
    expect((await bodyOf(ok)).session.speakingLimitSec).toBe(240);
    const bad = await admin('PATCH', `/api/v1/summits/asean-2020/sessions/${session.id}`, {
      chairs: ['JPN'],
    });
    expect(bad.status).toBe(400);
    expect((await bodyOf(bad)).error.message).toMatch(/JPN/);
  });
});

describe('invitations and the join page', () => {
  it('issues a token whose join link keeps it in the fragment, and /me describes it', async () => {
    const doc = demoSummit();
    const session = defined(doc.sessions[0]);
    const issued = await admin('POST', '/api/v1/summits/asean-2020/invitations', {
      name: 'Head of Delegation, Malaysia',
      delegation: 'MYS',
      role: 'head_of_delegation',
      sessions: [session.id],
    });
    expect(issued.status).toBe(201);
    const { token, joinUrl } = await bodyOf(issued);
    expect(joinUrl).toBe(`${server.publicUrl}/join#token=${token}`);
    const me = MeResponse.parse(await bodyOf(await call('GET', '/api/v1/me', { token })));
    expect(me.participant).toMatchObject({ role: 'head_of_delegation', delegation: 'MYS' });
    expect(me.sessions.map((s) => s.id)).toEqual([session.id]);
  });

  it('refuses an invitation that could never join, and tells expired from revoked', async () => {
    const doc = demoSummit();
    const chairless = defined(doc.sessions.find((s) => !s.chairs.includes('JPN')));
    const refused = await admin('POST', '/api/v1/summits/asean-2020/invitations', {
      name: 'Not a chair',
      delegation: 'JPN',
      role: 'chair',
      sessions: [chairless.id],
    });
    expect(refused.status).toBe(400);

    const token = await server.invite({
      role: 'head_of_delegation',
      delegation: 'SGP',
      sessions: [defined(doc.sessions[0]).id],
    });
    const claims = jwt.decode(token) as { jti: string };
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 5 }, server.jwtSecret);
    const expiredReply = await call('GET', '/api/v1/me', { token: expired });
    expect(expiredReply.status).toBe(401);
    expect((await bodyOf(expiredReply)).error.message).toMatch(/expired/i);

    expect((await admin('POST', `/api/v1/summits/asean-2020/invitations/${claims.jti}/revoke`)).status).toBe(
      200,
    );
    const revokedReply = await call('GET', '/api/v1/me', { token });
    expect(revokedReply.status).toBe(401);
    expect((await bodyOf(revokedReply)).error.message).toMatch(/revoked/i);
  });

  it('binds an interpreter to a booth of its sessions, three at most per booth, and says so in /me', async () => {
    const interpreter = (n: number, booth: string, sessions = ['apt-summit']) =>
      admin('POST', '/api/v1/summits/asean-2020/invitations', {
        participantId: `interp-ja-${n}`,
        name: `Interpreter JA ${n}`,
        delegation: null,
        role: 'interpreter',
        sessions,
        booth,
      });
    const first = await interpreter(1, 'ja');
    expect(first.status).toBe(201);
    const me = MeResponse.parse(
      await bodyOf(await call('GET', '/api/v1/me', { token: (await bodyOf(first)).token })),
    );
    expect(me.participant).toMatchObject({ role: 'interpreter', booth: 'ja' });
    // No Japanese booth at the SOM; no booth at all is no interpreter.
    expect((await interpreter(5, 'ja', ['som'])).status).toBe(400);
    const boothless = await admin('POST', '/api/v1/summits/asean-2020/invitations', {
      name: 'Interpreter',
      delegation: null,
      role: 'interpreter',
      sessions: ['apt-summit'],
    });
    expect(boothless.status).toBe(400);
    expect((await interpreter(2, 'ja')).status).toBe(201);
    expect((await interpreter(3, 'ja')).status).toBe(201);
    // A new token for one already in the booth is not a fourth interpreter; a fourth is refused.
    expect((await interpreter(3, 'ja')).status).toBe(201);
    const fourth = await interpreter(4, 'ja');
    expect(fourth.status).toBe(409);
    expect((await bodyOf(fourth)).error.message).toMatch(/ja booth of apt-summit already has 3 interpreters/);
  });

  it('records refused tokens in the audit trail of the summit they claim, the claim marked and bounded', async () => {
    const token = await server.invite({ role: 'delegate', delegation: 'LAO', sessions: ['som'] });
    const claims = jwt.decode(token) as Record<string, unknown>;
    const forged = jwt.sign(claims, 'not the server secret, but long enough to sign with');
    expect((await call('GET', '/api/v1/me', { token: forged })).status).toBe(401);
    const read = async () =>
      (await bodyOf(await admin('GET', '/api/v1/summits/asean-2020/audit?limit=1000'))).entries;
    expect((await read()).at(-1)).toMatchObject({
      type: 'authFailed',
      detail: { via: 'http', unverifiedParticipant: claims.sub },
    });
    // A forged subject of 2,000 characters leaves a line of bounded size.
    const long = jwt.sign(
      { ...claims, sub: 'x'.repeat(2000) },
      'not the server secret, but long enough to sign',
    );
    expect((await call('GET', '/api/v1/me', { token: long })).status).toBe(401);
    const line = (await read()).at(-1) as { detail: { unverifiedParticipant: string } };
    expect(line.detail.unverifiedParticipant.length).toBeLessThan(100);
    expect(JSON.stringify(line).length).toBeLessThan(1000);
  });

  it('lets technicians read the audit trail, not delegations', async () => {
    const doc = demoSummit();
    const sessions = [defined(doc.sessions[0]).id];
    const technician = await server.invite({ role: 'technician', delegation: null, sessions });
    const delegate = await server.invite({ role: 'delegate', delegation: 'THA', sessions });
    const read = await call('GET', '/api/v1/summits/asean-2020/audit', { token: technician });
    expect(read.status).toBe(200);
    expect(Array.isArray((await bodyOf(read)).entries)).toBe(true);
    expect((await call('GET', '/api/v1/summits/asean-2020/audit', { token: delegate })).status).toBe(403);
  });
});

describe('rate limit on failed authentication', () => {
  it('answers rate_limited after repeated failures from one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++)
      statuses.push((await call('GET', '/api/v1/summits', { token: `wrong-${i}` })).status);
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
