// When recording cannot go on. The disk guard: a recording stops cleanly, with the reason in the
// audit trail and a critical alert on the technicians' console, when the recording directory has
// less free space than set (here, more than any disk has: the guard trips at once). A recorder
// that cannot run (no FFmpeg, or one that fails at once): the server carries on, the technicians
// are told.
import type { RecordingSummary } from '@summit-bridge/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinWithMedia, type MediaParticipant } from './support/mediaParticipant.js';
import { startTestServer, type TestServer } from './support/testServer.js';

const sessionId = 'som';
let server: TestServer;
let chair: MediaParticipant;
let technician: MediaParticipant;

beforeAll(async () => {
  server = await startTestServer({ RECORDING_MIN_FREE_MB: String(1024 ** 3) });
  chair = await joinWithMedia(
    server.url,
    await server.invite({ role: 'chair', delegation: 'VNM', sessions: [sessionId] }),
    sessionId,
  );
  technician = await joinWithMedia(
    server.url,
    await server.invite({ role: 'technician', sessions: [sessionId] }),
    sessionId,
  );
  expect(await chair.client.request('session:setStatus', { status: 'open' })).toMatchObject({ ok: true });
  await chair.publishAudio();
});

afterAll(async () => {
  await Promise.all([chair, technician].map((p) => p?.close()));
  await server?.close();
});

describe('a recording on a disk that fills', () => {
  it('stops by itself, says why, and alerts the technicians', async () => {
    const started = await chair.client.request('recording:start', {});
    expect(started).toMatchObject({ ok: true });
    await expect
      .poll(() => chair.client.pushes('session:updated').at(-1)?.recording, { timeout: 15_000 })
      .toBeNull();
    await expect
      .poll(async () => {
        const snapshot = await technician.client.request('telemetry:snapshot', {});
        return snapshot.ok ? snapshot.alerts.map((a) => `${a.rule}/${a.delegation}/${a.severity}`) : [];
      })
      .toContain('recording.diskFull/RECORDER/critical');
    const res = await fetch(`${server.url}/api/v1/summits/asean-2020/audit?limit=1000`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    const body = (await res.json()) as { entries: { type: string; detail: Record<string, unknown> }[] };
    expect(body.entries.find((e) => e.type === 'recordingStopped')?.detail.reason).toBe('diskFull');
    // Its files were finished and the recording is listed with its reason.
    const listed = async () => {
      const list = await fetch(`${server.url}/api/v1/summits/asean-2020/sessions/${sessionId}/recordings`, {
        headers: { authorization: `Bearer ${server.adminToken}` },
      });
      return ((await list.json()) as { recordings: RecordingSummary[] }).recordings[0]?.stopReason;
    };
    await expect.poll(listed, { timeout: 20_000 }).toBe('diskFull');
  });
});

describe.each([
  ['is not installed', '/nonexistent/ffmpeg'],
  ['fails at once', '/bin/false'],
])('a recorder whose FFmpeg %s', (_, ffmpeg) => {
  it('leaves the server and the session running, and alerts the technicians', async () => {
    // Its errors are expected here: logged nowhere.
    const broken = await startTestServer({ FFMPEG_PATH: ffmpeg }, { logTo: { write: () => true } });
    const token = (role: 'chair' | 'technician') =>
      broken.invite({ role, ...(role === 'chair' ? { delegation: 'VNM' } : {}), sessions: [sessionId] });
    const host = await joinWithMedia(broken.url, await token('chair'), sessionId);
    const tech = await joinWithMedia(broken.url, await token('technician'), sessionId);
    try {
      expect(await host.client.request('session:setStatus', { status: 'open' })).toMatchObject({ ok: true });
      await host.publishAudio();
      expect(await host.client.request('recording:start', {})).toMatchObject({ ok: true });
      await expect
        .poll(
          async () => {
            const snapshot = await tech.client.request('telemetry:snapshot', {});
            return snapshot.ok ? snapshot.alerts.map((a) => a.rule) : [];
          },
          { timeout: 15_000 },
        )
        .toContain('recording.recorderFailed');
      // Still serving: the floor works, and the recording stops as asked.
      expect(await host.client.request('floor:give', { delegation: 'IDN' })).toMatchObject({ ok: true });
      expect(await host.client.request('recording:stop', {})).toMatchObject({ ok: true });
    } finally {
      await Promise.all([host.close(), tech.close()]);
      await broken.close();
    }
  });
});
