// Telemetry through the real server: a delegate with real media (a WebRTC peer), reports from
// clients, samples and alerts pushed to technicians only, their actions, the history API.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AlertRule,
  type ClientReport,
  type MetricValues,
  metricNames,
  type TelemetrySample,
} from '@summit-bridge/protocol';
import { connectParticipant, type SignalingClient } from '@summit-bridge/testkit/signaling-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinWithMedia, type MediaParticipant } from './support/mediaParticipant.js';
import { startTestServer, type TestServer } from './support/testServer.js';

// Quick rules, so that the test waits for a round or two, not for 10 s.
const rules: AlertRule[] = [
  {
    id: 'rtt',
    severity: 'warning',
    condition: { type: 'above', metric: 'rttMs', raise: 400, clear: 300 },
    raiseAfterMs: 400,
    clearAfterMs: 400,
  },
  {
    id: 'disconnected',
    severity: 'critical',
    condition: { type: 'connection', states: ['disconnected'] },
    raiseAfterMs: 0,
    clearAfterMs: 0,
  },
];

let server: TestServer;
let rulesDir: string;
let technician: SignalingClient;
let brunei: MediaParticipant;
const open: SignalingClient[] = [];
const sessionId = 'som';

const token = (
  role: 'technician' | 'secretariat' | 'head_of_delegation',
  delegation: string | null,
  sessions = [sessionId],
) => server.invite({ role, delegation, sessions });

async function enter(t: string, session = sessionId): Promise<SignalingClient> {
  const client = await connectParticipant(server.url, t, session);
  open.push(client);
  return client;
}

const report = (rttMs: number): ClientReport => ({
  transports: [
    {
      direction: 'send',
      state: 'connected',
      rttMs,
      localCandidate: 'host',
      protocol: 'udp',
      relayProtocol: null,
    },
  ],
  camera: { width: 640, height: 360, fps: 30, qualityLimitation: 'bandwidth' },
  inbound: { lossPct: 0.5, jitterMs: 4, freezes: 0 },
});

/** Reports like a browser does, every interval, until stopped. */
function keepReporting(client: SignalingClient, rttMs: () => number): () => void {
  // A report still in flight when the test closes the socket is rejected: nobody waits for it.
  const timer = setInterval(
    () => void client.request('telemetry:report', report(rttMs())).catch(() => undefined),
    150,
  );
  return () => clearInterval(timer);
}

const latestSite = (client: SignalingClient, delegation: string) =>
  client
    .pushes('telemetry:sample')
    .at(-1)
    ?.sites.find((s) => s.delegation === delegation);

beforeAll(async () => {
  rulesDir = mkdtempSync(join(tmpdir(), 'telemetry-rules-'));
  const rulesFile = join(rulesDir, 'rules.json');
  writeFileSync(rulesFile, JSON.stringify(rules));
  server = await startTestServer({ TELEMETRY_INTERVAL_MS: '200', TELEMETRY_RULES_FILE: rulesFile });
  technician = await enter(await token('technician', null));
  brunei = await joinWithMedia(server.url, await token('head_of_delegation', 'BRN'), sessionId);
  await brunei.publishAudio();
});

afterAll(async () => {
  for (const client of open) client.close();
  await brunei?.close();
  await server?.close();
  rmSync(rulesDir, { recursive: true, force: true });
});

describe('samples', () => {
  it('shows a connected site with its media as the node sees it, to technicians only', async () => {
    await expect
      .poll(() => latestSite(technician, 'BRN'), { timeout: 15_000 })
      .toMatchObject({ connection: 'connected', path: 'udp', layerLimit: null });
    await expect
      .poll(() => latestSite(technician, 'BRN')?.values.bitrateOutKbps ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(0);
    const sample = technician.pushes('telemetry:sample').at(-1) as TelemetrySample;
    // Only sites connected here: the others show as absent on the console, from the session.
    expect(sample.sites.map((s) => s.delegation)).toEqual(['BRN']);
    expect(brunei.client.pushes('telemetry:sample')).toEqual([]);

    const snapshot = await technician.request('telemetry:snapshot');
    expect(snapshot).toMatchObject({ ok: true, rules, alerts: [] });
    if (snapshot.ok) expect(snapshot.latest?.sites[0]?.delegation).toBe('BRN');
    expect(await brunei.client.request('telemetry:snapshot')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('takes a browser report into the site sample, refusing malformed and too frequent ones', async () => {
    const cambodia = await enter(await token('head_of_delegation', 'KHM'));
    expect(await cambodia.request('telemetry:report', { ...report(50), extra: 1 } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    const bad = { ...report(50), inbound: { lossPct: 140, jitterMs: 1, freezes: 0 } };
    expect(await cambodia.request('telemetry:report', bad)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', path: 'inbound.lossPct' },
    });
    // Two at once: the first taken, the second too soon after it.
    const [first, second] = await Promise.all([
      cambodia.request('telemetry:report', report(50)),
      cambodia.request('telemetry:report', report(50)),
    ]);
    expect(first).toEqual({ ok: true });
    expect(second).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    await expect
      .poll(() => latestSite(technician, 'KHM'), { timeout: 10_000 })
      .toMatchObject({ camera: { width: 640, qualityLimitation: 'bandwidth' }, values: { rttMs: 50 } });
    cambodia.close();
  });
});

describe('alerts', () => {
  it('raises from the samples, is acknowledged by a technician, clears, and is in the audit trail', async () => {
    const indonesia = await enter(await token('head_of_delegation', 'IDN'));
    let rtt = 900;
    const stop = keepReporting(indonesia, () => rtt);
    try {
      await expect
        .poll(() => technician.pushes('telemetry:alert').find((a) => a.delegation === 'IDN'), {
          timeout: 15_000,
        })
        .toMatchObject({ rule: 'rtt', severity: 'warning', value: 900, clearedAt: null });
      const raised = technician.pushes('telemetry:alert').find((a) => a.delegation === 'IDN');
      if (!raised) throw new Error('no alert');

      expect(await indonesia.request('telemetry:acknowledge', { alertId: raised.id })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await technician.request('telemetry:acknowledge', { alertId: 'rtt-IDN-1' })).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
      const acknowledged = await technician.request('telemetry:acknowledge', { alertId: raised.id });
      expect(acknowledged).toMatchObject({ ok: true, alert: { id: raised.id, clearedAt: null } });
      if (!acknowledged.ok) return;
      const you = await technician.request('session:snapshot');
      expect(acknowledged.alert.acknowledgedBy).toBe(you.ok ? you.you.participantId : null);
      expect(acknowledged.alert.acknowledgedAt).not.toBeNull();

      rtt = 40;
      await expect
        .poll(
          () =>
            technician
              .pushes('telemetry:alert')
              .filter((a) => a.id === raised.id)
              .at(-1)?.clearedAt ?? null,
          {
            timeout: 15_000,
          },
        )
        .not.toBeNull();
      const [stored] = (await server.store.listAlerts('asean-2020', sessionId)).filter(
        (a) => a.id === raised.id,
      );
      expect(stored?.acknowledgedAt).toBe(acknowledged.alert.acknowledgedAt);
      const audit = await server.store.readAudit('asean-2020', { limit: 1000 });
      const trail = audit.filter((e) => (e.detail as { alertId?: string }).alertId === raised.id);
      expect(trail.map((e) => e.type)).toEqual(['alertRaised', 'alertAcknowledged', 'alertCleared']);
      expect(trail[1]?.actor?.role).toBe('technician');
    } finally {
      stop();
      indonesia.close();
    }
  });

  it('raises a disconnection when a site drops, and clears what is up when nobody is left to sample', async () => {
    const lao = await enter(await token('head_of_delegation', 'LAO', ['acc']), 'acc');
    const watcher = await enter(await token('technician', null, ['acc']), 'acc');
    await expect.poll(() => latestSite(watcher, 'LAO')?.connection, { timeout: 10_000 }).toBe('connecting');
    lao.close();
    await expect
      .poll(() => watcher.pushes('telemetry:alert').find((a) => a.delegation === 'LAO'), { timeout: 10_000 })
      .toMatchObject({ rule: 'disconnected', severity: 'critical', clearedAt: null });
    expect(server.telemetry.sampling().sessions).toContain('asean-2020/acc');
    watcher.close();
    await expect
      .poll(() => server.telemetry.sampling().sessions, { timeout: 10_000 })
      .not.toContain('asean-2020/acc');
    await expect
      .poll(
        async () => (await server.store.listAlerts('asean-2020', 'acc')).every((a) => a.clearedAt !== null),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
  });
});

describe('actions on a site', () => {
  it('asks every connection of a site to restart ICE', async () => {
    const asked = await technician.request('telemetry:restartIce', { delegation: 'BRN' });
    expect(asked).toEqual({ ok: true, connections: 1 });
    await expect.poll(() => brunei.client.pushes('media:restartIce').length).toBe(1);
    expect(await technician.request('telemetry:restartIce', { delegation: 'MMR' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await brunei.client.request('telemetry:restartIce', { delegation: 'BRN' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('caps the layer a site receives, shows the cap in its samples, and lifts it', async () => {
    expect(await technician.request('telemetry:limitLayer', { delegation: 'BRN', spatialLayer: 0 })).toEqual({
      ok: true,
    });
    await expect.poll(() => latestSite(technician, 'BRN')?.layerLimit, { timeout: 10_000 }).toBe(0);
    expect(
      await technician.request('telemetry:limitLayer', { delegation: 'BRN', spatialLayer: 5 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', path: 'spatialLayer' },
    });
    expect(
      await technician.request('telemetry:limitLayer', { delegation: 'BRN', spatialLayer: null }),
    ).toEqual({
      ok: true,
    });
    await expect.poll(() => latestSite(technician, 'BRN')?.layerLimit, { timeout: 10_000 }).toBeNull();
    const audit = await server.store.readAudit('asean-2020', { limit: 1000 });
    expect(audit.filter((e) => e.type === 'layerLimited').map((e) => e.detail)).toEqual([
      { spatialLayer: 0 },
      { spatialLayer: null },
    ]);
    expect(audit.find((e) => e.type === 'iceRestartRequested')).toMatchObject({ delegation: 'BRN' });
  });
});

describe('the history API', () => {
  const api = (path: string, bearer?: string) =>
    fetch(`${server.url}/api/v1/summits/asean-2020/sessions/${path}`, {
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    });
  const values = (rttMs: number): MetricValues => ({
    ...(Object.fromEntries(metricNames.map((m) => [m, null])) as MetricValues),
    rttMs,
  });

  it('gives technicians, the secretariat and the admin a site history; refuses everyone else', async () => {
    const technicianToken = await token('technician', null);
    expect((await api(`${sessionId}/telemetry?site=BRN`)).status).toBe(401);
    expect(
      (await api(`${sessionId}/telemetry?site=BRN`, await token('head_of_delegation', 'KHM'))).status,
    ).toBe(403);
    expect(
      (await api(`${sessionId}/telemetry?site=BRN`, await token('technician', null, ['acc']))).status,
    ).toBe(403);
    for (const bearer of [technicianToken, await token('secretariat', null), server.adminToken]) {
      const res = await api(`${sessionId}/telemetry?site=BRN&metric=bitrateOutKbps,rttMs`, bearer);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { range: string; stepMs: number; at: number[]; metrics: object };
      expect(body).toMatchObject({ range: '1h', stepMs: 2_000 });
      expect(body.at.length).toBeGreaterThan(3);
      expect(Object.keys(body.metrics)).toEqual(['bitrateOutKbps', 'rttMs']);
    }
  });

  it('answers 48 h as minutes, exports CSV, and names what is wrong in a bad query', async () => {
    const start = Date.now() - 5 * 60_000;
    for (let i = 0; i < 90; i++)
      await server.store.appendTelemetry('asean-2020', sessionId, [
        { site: 'SGP', at: start + i * 2_000, values: values(100 + (i % 30)) },
      ]);
    const res = await api(`${sessionId}/telemetry?site=SGP&metric=rttMs&range=48h`, server.adminToken);
    const body = (await res.json()) as { stepMs: number; at: number[]; metrics: { rttMs: object } };
    expect(body.stepMs).toBe(60_000);
    expect(body.at.length).toBeGreaterThanOrEqual(2);
    expect(body.metrics.rttMs).toMatchObject({
      min: expect.any(Array),
      avg: expect.any(Array),
      max: expect.any(Array),
    });

    const csv = await api(
      `${sessionId}/telemetry?site=SGP&metric=rttMs&range=1h&format=csv`,
      server.adminToken,
    );
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/telemetry-asean-2020-som-SGP-1h\.csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('time,rttMs');
    expect(lines).toHaveLength(91);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,100$/);

    const problem = async (query: string) => {
      const r = await api(`${sessionId}/telemetry?${query}`, server.adminToken);
      return { status: r.status, error: ((await r.json()) as { error: object }).error };
    };
    expect(await problem('site=SGP&metric=speed')).toMatchObject({
      status: 400,
      error: { code: 'invalid_payload', path: 'metric' },
    });
    expect(await problem('site=SGP&range=1w')).toMatchObject({ status: 400, error: { path: 'range' } });
    expect(await problem('metric=rttMs')).toMatchObject({ status: 400, error: { path: 'site' } });
    expect(await problem('site=CHN')).toMatchObject({ status: 404, error: { code: 'not_found' } });
    expect((await api('no-such-session/telemetry?site=SGP', server.adminToken)).status).toBe(404);
  });
});

describe('the sampler', () => {
  it('runs only while some session has connections here', async () => {
    expect(server.telemetry.sampling()).toMatchObject({ sessions: ['asean-2020/som'], timer: true });
    for (const client of open) client.close();
    await brunei.close();
    await expect
      .poll(() => server.telemetry.sampling(), { timeout: 10_000 })
      .toEqual({ sessions: [], timer: false });
  });
});

describe('a link that breaks between rounds', () => {
  it('reaches the technicians at once, not at the next round', async () => {
    // Rounds a minute apart: only the node's ICE event can bring a sample within seconds.
    const slow = await startTestServer({ TELEMETRY_INTERVAL_MS: '60000' });
    try {
      const tech = await connectParticipant(
        slow.url,
        await slow.invite({ role: 'technician', delegation: null, sessions: [sessionId] }),
        sessionId,
      );
      const site = await joinWithMedia(
        slow.url,
        await slow.invite({ role: 'head_of_delegation', delegation: 'KHM', sessions: [sessionId] }),
        sessionId,
      );
      // Over TCP, the media node sees the link go the moment the site's media process dies.
      await site.publishAudio(undefined, { forceTcp: true });
      const dtlsStates = async () =>
        (await slow.mediaNode.sessionStats(`asean-2020/${sessionId}`)).flatMap((p) =>
          p.transports.map((t) => t.dtlsState),
        );
      await expect.poll(dtlsStates, { timeout: 10_000 }).toContain('connected');
      expect(tech.pushes('telemetry:sample')).toEqual([]);
      await site.peer.close();
      await expect.poll(() => latestSite(tech, 'KHM')?.connection, { timeout: 10_000 }).toBe('disconnected');
      tech.close();
      site.client.close();
    } finally {
      await slow.close();
    }
  });
});
