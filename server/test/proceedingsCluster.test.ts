// Two instances on one Redis: a written silence procedure runs on with nobody connected, and its
// deadline fires exactly once, though both instances look for it.
import type { AuditEntry, ProceedingsState } from '@summit-bridge/protocol';
import { connectParticipant } from '@summit-bridge/testkit/signaling-client';
import { expect, it } from 'vitest';
import { demoSummit } from '../src/demo/index.js';
import { redisCluster } from './support/redisCluster.js';

const cluster = redisCluster('proceedings-cluster', {
  LOG_LEVEL: 'warn',
  // A silence procedure of seconds, so that the test sees its end.
  SILENCE_MIN_SEC: '10',
});
const { api } = cluster;
const startInstance = () => cluster.start();

it('closes a silence procedure once, with nobody connected, whichever instance looks', async () => {
  const [a, b] = await Promise.all([startInstance(), startInstance()]);
  if (!a || !b) throw new Error('instances did not start');
  expect((await api(a, 'POST', '/summits', JSON.stringify(demoSummit()))).status).toBe(201);
  const tabled = await api(
    b,
    'POST',
    `/summits/asean-2020/sessions/som/documents?${new URLSearchParams({ title: 'Declaration', symbol: 'SOM/2020/DEC.1', language: 'en' })}`,
    new TextEncoder().encode('%PDF-1.4\n%%EOF\n'),
    'application/octet-stream',
  );
  expect(tabled.status).toBe(201);

  const invited = await api(
    a,
    'POST',
    '/summits/asean-2020/invitations',
    JSON.stringify({ name: 'Chair', delegation: 'VNM', role: 'chair', sessions: ['som'] }),
  );
  const { token } = (await invited.json()) as { token: string };
  const chair = await connectParticipant(b.url, token, 'som');
  const opened = await chair.request('proceedings:openAdoption', {
    documentId: 'd1',
    version: 1,
    mode: 'silence',
    durationSec: 10,
  });
  expect(opened).toMatchObject({ ok: true });
  // A delegation objecting for another is refused at any instance.
  const idn = await api(
    a,
    'POST',
    '/summits/asean-2020/invitations',
    JSON.stringify({ name: 'Indonesia', delegation: 'IDN', role: 'head_of_delegation', sessions: ['som'] }),
  );
  const indonesia = await connectParticipant(a.url, ((await idn.json()) as { token: string }).token, 'som');
  expect(
    await indonesia.request('proceedings:object', { adoptionId: 'a1', delegation: 'MMR' }),
  ).toMatchObject({
    ok: false,
    error: { code: 'forbidden' },
  });
  expect(await indonesia.request('proceedings:closeVote', { voteId: 'v1' })).toMatchObject({
    ok: false,
    error: { code: 'forbidden' },
  });
  // Everyone leaves; the procedure runs on.
  chair.close();
  indonesia.close();

  const closedLines = async () => {
    const res = await api(a, 'GET', '/summits/asean-2020/audit?limit=1000');
    const { entries } = (await res.json()) as { entries: AuditEntry[] };
    return entries.filter((e) => e.type === 'adoptionClosed');
  };
  await expect.poll(closedLines, { timeout: 30_000, interval: 250 }).toHaveLength(1);
  // Both instances kept looking for two more seconds: still one.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const lines = await closedLines();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ actor: null, detail: { outcome: 'adopted', symbol: 'SOM/2020/DEC.1' } });

  // Whoever comes back, on either instance, sees it adopted.
  const back = await connectParticipant(a.url, token, 'som');
  const snapshot = await back.request('proceedings:snapshot');
  back.close();
  if (!snapshot.ok) throw new Error(snapshot.error.message);
  expect((snapshot as unknown as ProceedingsState).adoptions[0]).toMatchObject({
    status: 'adopted',
    mode: 'silence',
  });
}, 90_000);
