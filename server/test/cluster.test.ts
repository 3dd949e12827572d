// Redis mode: two server processes on one Redis share state and fan-out, and survive a restart.

import type { SessionState } from '@summit-bridge/protocol';
import type { AppProcess } from '@summit-bridge/testkit/app-process';
import type { SignalingClient } from '@summit-bridge/testkit/signaling-client';
import { expect, it } from 'vitest';
import { demoSummit } from '../src/demo/index.js';
import { redisCluster } from './support/redisCluster.js';

const cluster = redisCluster('cluster-test');
const { apps, clients, join } = cluster;
const startInstance = () => cluster.start();

async function invite(app: AppProcess, body: object): Promise<string> {
  const res = await cluster.api(app, 'POST', '/summits/asean-2020/invitations', JSON.stringify(body));
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

it('a chair on one instance gives the floor, a delegate on the other sees it, and both restarts keep it', async () => {
  const [a, b] = await Promise.all([startInstance(), startInstance()]);
  if (!a || !b) throw new Error('instances did not start');
  const doc = demoSummit();
  const sessionId = doc.sessions[0]?.id ?? '';
  const imported = await cluster.api(a, 'POST', '/summits', JSON.stringify(doc));
  expect(imported.status).toBe(201);

  const chairToken = await invite(a, {
    name: 'Chair',
    delegation: 'VNM',
    role: 'chair',
    sessions: [sessionId],
  });
  const indonesiaToken = await invite(b, {
    name: 'Indonesia',
    delegation: 'IDN',
    role: 'head_of_delegation',
    sessions: [sessionId],
  });
  const myanmarToken = await invite(b, {
    name: 'Myanmar',
    delegation: 'MMR',
    role: 'head_of_delegation',
    sessions: [sessionId],
  });
  const chair = await join(a, chairToken, sessionId);
  const indonesia = await join(b, indonesiaToken, sessionId);
  const myanmar = await join(b, myanmarToken, sessionId);

  expect(await chair.request('session:setStatus', { status: 'open' })).toMatchObject({ ok: true });
  expect(await chair.request('floor:setLimit', { limitSec: 600, scope: 'default' })).toMatchObject({
    ok: true,
  });
  expect(await indonesia.request('floor:request', { kind: 'speak' })).toMatchObject({ ok: true });
  expect(await myanmar.request('floor:request', { kind: 'speak' })).toMatchObject({ ok: true });
  const given = await chair.request('floor:give', {});
  expect(given.ok).toBe(true);

  const latest = (c: SignalingClient) => c.pushes('session:updated').at(-1) as SessionState | undefined;
  await expect.poll(() => latest(indonesia)?.floor.current?.delegation).toBe('IDN');
  await expect.poll(() => latest(myanmar)?.floor.speakersList.map((r) => r.delegation)).toEqual(['MMR']);
  const before = latest(myanmar);

  for (const client of clients.splice(0)) client.close();
  await Promise.all(apps.splice(0).map((app) => app.stop()));
  const [a2, b2] = await Promise.all([startInstance(), startInstance()]);
  if (!a2 || !b2) throw new Error('instances did not restart');

  const again = await join(b2, myanmarToken, sessionId);
  const snapshot = await again.request('session:snapshot');
  if (!snapshot.ok) throw new Error(`no snapshot after the restart: ${snapshot.error.message}`);
  if (!before) throw new Error('Myanmar saw no session state before the restart');
  expect(snapshot.state).toEqual(before);
  expect(snapshot.state.floor.current).toMatchObject({ delegation: 'IDN', limitMs: 600_000 });

  // And the restarted pair still fans out across instances.
  const chairAgain = await join(a2, chairToken, sessionId);
  expect(await chairAgain.request('floor:give', {})).toMatchObject({ ok: true });
  await expect.poll(() => latest(again)?.floor.current?.delegation).toBe('MMR');
}, 90_000);
