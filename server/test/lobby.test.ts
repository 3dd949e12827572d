// A session's lobby at the socket: who waits sees nothing of the session; the secretariat or a
// technician admits or refuses, the chair sees who waits; decisions are in the audit trail.
import type { LobbyView } from '@summit-bridge/protocol';
import { connectParticipant, type SignalingClient } from '@summit-bridge/testkit/signaling-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/testServer.js';

let server: TestServer;
let technician: SignalingClient;
let chair: SignalingClient;
const open: SignalingClient[] = [];

async function enter(
  role: 'head_of_delegation' | 'delegate' | 'technician' | 'chair',
  delegation: string | null,
  token?: string,
) {
  const client = await connectParticipant(
    server.url,
    token ?? (await server.invite({ role, delegation, sessions: ['som'] })),
    'som',
  );
  open.push(client);
  return client;
}

const latestLobby = (c: SignalingClient) => c.pushes('lobby:updated').at(-1) as LobbyView | undefined;
const status = (c: SignalingClient) => c.pushes('lobby:status').at(-1)?.state;

beforeAll(async () => {
  server = await startTestServer();
  const res = await fetch(`${server.url}/api/v1/summits/asean-2020/sessions/som`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ lobby: true }),
  });
  expect(res.status).toBe(200);
  technician = await enter('technician', null);
  chair = await enter('chair', 'VNM');
});

afterAll(async () => {
  for (const c of open) c.close();
  await server?.close();
});

describe('the lobby', () => {
  it('lets staff and chairs straight in', () => {
    expect(status(technician)).toBeUndefined();
    expect(status(chair)).toBeUndefined();
  });

  it('keeps a delegation waiting, with nothing of the session, and shows it to the staff and the chair', async () => {
    const laos = await enter('head_of_delegation', 'LAO');
    await expect.poll(() => status(laos)).toBe('waiting');
    expect(await laos.request('session:snapshot')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await laos.request('floor:request', { kind: 'speak' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    // Its camera may go to the staff: a send transport is allowed; a receiving one too (the
    // pre-join connectivity test needs one), but nothing may be consumed on it.
    expect(await laos.request('media:createTransport', { direction: 'send' })).toMatchObject({ ok: true });
    const recv = await laos.request('media:createTransport', { direction: 'recv' });
    if (!recv.ok) throw new Error(`no receiving transport: ${recv.error.message}`);
    const consume = { transportId: recv.id, producerId: 'any-producer', rtpCapabilities: { codecs: [] } };
    expect(await laos.request('media:consume', consume)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    await expect.poll(() => latestLobby(technician)?.waiting.map((w) => w.delegation)).toEqual(['LAO']);
    await expect.poll(() => latestLobby(chair)?.waiting.length).toBe(1);
    expect(await chair.request('lobby:admit', { connectionId: laos.socket.id ?? '' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    // Nothing of the session reached it meanwhile.
    expect(await chair.request('floor:give', { delegation: 'BRN' })).toMatchObject({ ok: false });
    expect(await chair.request('session:setStatus', { status: 'open' })).toMatchObject({ ok: true });
    await expect.poll(() => chair.pushes('session:updated').length).toBeGreaterThan(0);
    expect(laos.pushes('session:updated')).toEqual([]);
    expect(laos.pushes('presence:updated')).toEqual([]);

    const entry = latestLobby(technician)?.waiting[0];
    expect(entry).toMatchObject({
      name: 'head_of_delegation LAO',
      role: 'head_of_delegation',
      delegationInside: false,
    });
    expect(await technician.request('lobby:admit', { connectionId: entry?.connectionId ?? '' })).toEqual({
      ok: true,
    });
    await expect.poll(() => status(laos)).toBe('admitted');
    expect(await laos.request('session:snapshot')).toMatchObject({ ok: true });
    await expect.poll(() => latestLobby(technician)?.waiting).toEqual([]);
  });

  it('lets an admitted participant back in after a reconnect, but shows a second device of a delegation inside', async () => {
    const token = await server.invite({ role: 'head_of_delegation', delegation: 'MMR', sessions: ['som'] });
    const first = await enter('head_of_delegation', 'MMR', token);
    await expect.poll(() => latestLobby(technician)?.waiting.length).toBe(1);
    await technician.request('lobby:admitDelegation', { delegation: 'MMR' });
    await expect.poll(() => status(first)).toBe('admitted');
    first.close();
    const back = await enter('head_of_delegation', 'MMR', token);
    expect((await back.request('session:snapshot')).ok).toBe(true);
    expect(status(back)).toBeUndefined();
    // An adviser of the same delegation, on another device: waits, and is shown as such.
    const adviser = await enter('delegate', 'MMR');
    await expect.poll(() => status(adviser)).toBe('waiting');
    await expect.poll(() => latestLobby(technician)?.waiting[0]?.delegationInside).toBe(true);
  });

  it('refuses: the connection is told and closed, and the decision is audited', async () => {
    const thailand = await enter('head_of_delegation', 'THA');
    await expect.poll(() => latestLobby(technician)?.waiting.some((w) => w.delegation === 'THA')).toBe(true);
    const entry = latestLobby(technician)?.waiting.find((w) => w.delegation === 'THA');
    expect(await technician.request('lobby:refuse', { connectionId: entry?.connectionId ?? '' })).toEqual({
      ok: true,
    });
    await expect.poll(() => thailand.socket.disconnected).toBe(true);
    expect(status(thailand)).toBe('refused');
    const trail = await server.store.readAudit('asean-2020', { limit: 1000 });
    const types = trail.filter((e) => e.sessionId === 'som').map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['lobbyAdmitted', 'lobbyRefused']));
  });
});
