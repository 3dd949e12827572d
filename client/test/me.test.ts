import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchMe, problemOf } from '../src/features/join/me.js';
import { snapshot } from './fixtures.js';

const seen: IncomingMessage[] = [];
let server: Server;
let base: string;

const failures: Record<string, [number, unknown]> = {
  'Bearer expired': [401, { ok: false, error: { code: 'unauthenticated', message: 'token expired' } }],
  'Bearer revoked': [401, { ok: false, error: { code: 'unauthenticated', message: 'token revoked' } }],
  'Bearer forged': [401, { ok: false, error: { code: 'unauthenticated', message: 'bad signature' } }],
  'Bearer broken': [401, { ok: false, error: { code: 'unauthenticated', message: 'malformed token' } }],
  'Bearer crash': [500, { ok: false, error: { code: 'internal', message: 'boom' } }],
  'Bearer odd': [200, { ok: true, participant: { id: 'x' } }],
};

beforeAll(async () => {
  const demo = snapshot();
  server = createServer((req, res) => {
    seen.push(req);
    const [status, body] = failures[req.headers.authorization ?? ''] ?? [
      200,
      {
        ok: true,
        participant: {
          id: 'hod-khm',
          name: 'Head of delegation of Cambodia',
          role: 'head_of_delegation',
          delegation: 'KHM',
        },
        summit: demo.summit,
        sessions: [
          {
            id: 'som',
            title: demo.session.title,
            kind: demo.session.kind,
            schedule: demo.session.schedule,
            status: 'open',
          },
        ],
      },
    ];
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

// The page calls a same-origin path; in Node the origin has to be spelled out.
const sameOrigin: typeof fetch = (input, init) => fetch(new URL(String(input), base), init);

describe('who am I', () => {
  it('sends the token as a bearer, never in the URL', async () => {
    const result = await fetchMe('eyJ.good.token', sameOrigin);
    expect(result.ok && result.me.participant.delegation).toBe('KHM');
    const request = seen.at(-1);
    expect(request?.url).toBe('/api/v1/me');
    expect(request?.headers.authorization).toBe('Bearer eyJ.good.token');
  });

  it('tells an expired, a revoked and a wrong token apart', async () => {
    const problem = async (token: string) => {
      const result = await fetchMe(token, sameOrigin);
      return result.ok ? 'ok' : result.problem;
    };
    expect(await problem('expired')).toBe('expired');
    expect(await problem('revoked')).toBe('revoked');
    expect(await problem('forged')).toBe('invalid');
    expect(await problem('broken')).toBe('invalid');
    expect(await problem('crash')).toBe('unreachable');
    expect(await problem('odd')).toBe('unreachable');
  });

  it('says unreachable when the server cannot be reached', async () => {
    const nowhere: typeof fetch = (input, init) => fetch(new URL(String(input), 'http://127.0.0.1:1'), init);
    const result = await fetchMe('token', nowhere);
    expect(result.ok ? 'ok' : result.problem).toBe('unreachable');
  });

  it('sorts socket refusals the same way', () => {
    expect(problemOf('unauthenticated', 'token expired')).toBe('expired');
    expect(problemOf('forbidden', 'not invited to this session')).toBe('refused');
  });
});
