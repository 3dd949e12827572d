// An instance of a Redis cluster dies without a word (kill -9): no leave line is written for its
// connections. The survivors notice its silence, one of them writes `instanceLost` into the
// session's audit trail, and the record of the meeting closes those periods of attendance when
// the instance was last seen alive, while the delegations on the survivors stay present.
import type { AuditEntry, MeetingRecord } from '@summit-bridge/protocol';
import type { AppProcess } from '@summit-bridge/testkit/app-process';
import { expect, it } from 'vitest';
import { demoSummit } from '../src/demo/index.js';
import { redisCluster } from './support/redisCluster.js';

const HEARTBEAT_MS = 200;
const LOST_AFTER_MS = 2_000;
const cluster = redisCluster('instance-loss', {
  INSTANCE_HEARTBEAT_MS: String(HEARTBEAT_MS),
  INSTANCE_LOST_AFTER_MS: String(LOST_AFTER_MS),
});
const api = (app: AppProcess, method: string, path: string, body?: object) =>
  cluster.api(app, method, path, body === undefined ? undefined : JSON.stringify(body));

it('closes the attendance of a killed instance’s delegations when it was last seen, once', async () => {
  const [a, b, doomed] = await Promise.all([cluster.start(), cluster.start(), cluster.start()]);
  const doc = demoSummit();
  const sessionId = doc.sessions[0]?.id ?? '';
  expect((await api(a, 'POST', '/summits', doc)).status).toBe(201);
  const join = async (app: AppProcess, delegation: string, role: string) => {
    const res = await api(app, 'POST', `/summits/${doc.id}/invitations`, {
      name: delegation,
      delegation,
      role,
      sessions: [sessionId],
    });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    return cluster.join(app, token, sessionId);
  };
  await join(a, 'VNM', 'chair');
  await join(b, 'SGP', 'head_of_delegation');
  await join(doomed, 'IDN', 'head_of_delegation');
  // Indonesia's join is written, and its instance has said it holds the session.
  await new Promise((resolve) => setTimeout(resolve, 4 * HEARTBEAT_MS));

  const killedAt = Date.now();
  await doomed.kill();
  const record = async () =>
    (
      (await (await api(a, 'GET', `/summits/${doc.id}/sessions/${sessionId}/record`)).json()) as {
        record: MeetingRecord;
      }
    ).record;
  const periodsOf = async (code: string) =>
    (await record()).attendance.find((line) => line.delegation === code)?.periods ?? [];
  await expect
    .poll(async () => (await periodsOf('IDN'))[0]?.to?.at ?? null, { timeout: 15_000 })
    .not.toBeNull();

  const [indonesia] = await periodsOf('IDN');
  const closedAt = indonesia?.to?.at ?? 0;
  // Closed at its last sign of life: before the kill, by no more than a heartbeat and some slack.
  expect(closedAt).toBeLessThanOrEqual(killedAt);
  expect(killedAt - closedAt).toBeLessThan(HEARTBEAT_MS + 1_000);
  // The delegations on the survivors are still there.
  for (const code of ['VNM', 'SGP']) expect((await periodsOf(code))[0]?.to).toBeNull();

  // Two survivors looked; one wrote.
  await new Promise((resolve) => setTimeout(resolve, 5 * HEARTBEAT_MS));
  const trail = (await (await api(b, 'GET', `/summits/${doc.id}/audit?limit=1000`)).json()) as {
    entries: AuditEntry[];
  };
  const lost = trail.entries.filter((e) => e.type === 'instanceLost' && e.sessionId === sessionId);
  expect(lost).toHaveLength(1);
  expect(lost[0]?.detail.lastSeen).toBe(closedAt);
}, 90_000);
