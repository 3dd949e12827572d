// Presentations with real WebRTC peers: only the floor holder, or a delegation the chair allows,
// may share a screen; the floor moving on and the chair's stop close it for everyone; what the
// SFU forwards is counted in packets.
import type { ProducerInfo } from '@summit-bridge/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinWithMedia, type MediaParticipant } from './support/mediaParticipant.js';
import { startTestServer, type TestServer } from './support/testServer.js';

const sessionId = 'som';
let server: TestServer;
let chair: MediaParticipant;
let brunei: MediaParticipant;
let cambodia: MediaParticipant;
let lao: MediaParticipant;

beforeAll(async () => {
  server = await startTestServer();
  const token = (role: 'chair' | 'head_of_delegation', delegation: string) =>
    server.invite({ role, delegation, sessions: [sessionId] });
  chair = await joinWithMedia(server.url, await token('chair', 'VNM'), sessionId);
  brunei = await joinWithMedia(server.url, await token('head_of_delegation', 'BRN'), sessionId);
  cambodia = await joinWithMedia(server.url, await token('head_of_delegation', 'KHM'), sessionId);
  lao = await joinWithMedia(server.url, await token('head_of_delegation', 'LAO'), sessionId);
  expect(await chair.client.request('session:setStatus', { status: 'open' })).toMatchObject({ ok: true });
});

afterAll(async () => {
  await Promise.all([chair, brunei, cambodia, lao].map((p) => p?.close()));
  await server?.close();
});

async function packetsSent(who: MediaParticipant, consumerId: string): Promise<number> {
  const peer = { sessionId: `asean-2020/${sessionId}`, peerId: who.client.socket.id ?? '' };
  return (await server.mediaNode.consumerStats(peer, consumerId)).stream?.packetCount ?? 0;
}

/** Whether packets keep leaving the SFU on a consumer over a second. */
async function flowing(who: MediaParticipant, consumerId: string): Promise<boolean> {
  const before = await packetsSent(who, consumerId);
  await new Promise((r) => setTimeout(r, 1000));
  return (await packetsSent(who, consumerId)) > before + 2;
}

function added(who: MediaParticipant, producerId: string): ProducerInfo | undefined {
  return [...who.client.pushes('media:producerAdded'), ...who.client.pushes('media:producerUpdated')]
    .filter((p) => p.producerId === producerId)
    .at(-1);
}

function closedReason(who: MediaParticipant, producerId: string): string | null | undefined {
  const push = who.client.pushes('media:producerClosed').find((p) => p.producerId === producerId);
  return push ? (push.reason ?? null) : undefined;
}

async function refusal(attempt: Promise<string>): Promise<string> {
  try {
    await attempt;
  } catch (err) {
    return String(err);
  }
  throw new Error('the server accepted it');
}

async function auditTypes(): Promise<{ type: string; delegation: string | null }[]> {
  const trail = await server.store.readAudit('asean-2020', { limit: 1000 });
  return trail.filter((e) => e.sessionId === sessionId).map(({ type, delegation }) => ({ type, delegation }));
}

describe('who may present', () => {
  it('refuses a screen, and its sound, from a delegation without the floor', async () => {
    expect(await refusal(cambodia.publishVideo('screen'))).toMatch(/produce failed: forbidden /);
    expect(await refusal(cambodia.publishAudio({ kind: 'audio', source: 'screenAudio' }))).toMatch(
      /produce failed: forbidden /,
    );
    // The chair is not the floor holder either: chairing is not presenting.
    expect(await refusal(chair.publishVideo('screen'))).toMatch(/produce failed: forbidden /);
  });

  it('refuses a screen whose codecs carry sound, or a screen sound that is video', async () => {
    expect(await chair.client.request('floor:give', { delegation: 'BRN' })).toMatchObject({ ok: true });
    expect(await refusal(brunei.publishAudio({ kind: 'video', source: 'screen' }))).toMatch(
      /produce failed: invalid_payload /,
    );
    expect(await refusal(brunei.publishAudio({ kind: 'audio', source: 'screen' }))).toMatch(
      /produce failed: invalid_payload /,
    );
    expect(await chair.client.request('floor:takeBack')).toMatchObject({ ok: true });
  });

  it('lets nobody but this session’s chairs allow or stop a presentation', async () => {
    for (const request of [
      cambodia.client.request('presentation:allow', { delegation: 'KHM', allowed: true }),
      cambodia.client.request('presentation:stop', {}),
    ])
      expect(await request).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      await chair.client.request('presentation:allow', { delegation: 'KHM', extra: 1 } as never),
    ).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });
});

describe('the floor holder presents', () => {
  let screen: string;
  let atCambodia: string;

  it('shares a screen that everyone receives through the SFU', async () => {
    expect(await chair.client.request('floor:give', { delegation: 'BRN' })).toMatchObject({ ok: true });
    screen = await brunei.publishVideo('screen');
    await expect
      .poll(() => added(cambodia, screen))
      .toMatchObject({
        delegation: 'BRN',
        kind: 'video',
        source: 'screen',
        paused: false,
      });
    atCambodia = await cambodia.consume(screen);
    await expect.poll(() => flowing(cambodia, atCambodia), { timeout: 15_000 }).toBe(true);
    const snapshot = await lao.client.request('session:snapshot');
    expect(snapshot.ok && snapshot.producers.find((p) => p.producerId === screen)?.source).toBe('screen');
  });

  it('ends when the floor moves on: closed at the SFU, every participant told why', async () => {
    expect(await chair.client.request('floor:give', { delegation: 'KHM' })).toMatchObject({ ok: true });
    await expect.poll(() => closedReason(cambodia, screen)).toBe('floorMoved');
    expect(closedReason(brunei, screen)).toBe('floorMoved');
    await expect
      .poll(() => cambodia.client.pushes('media:consumerClosed').some((p) => p.consumerId === atCambodia))
      .toBe(true);
    const snapshot = await lao.client.request('session:snapshot');
    expect(snapshot.ok && snapshot.producers.some((p) => p.source === 'screen')).toBe(false);
    // Without the floor, sharing again is refused.
    expect(await refusal(brunei.publishVideo('screen'))).toMatch(/produce failed: forbidden /);
    // The audit trail has when it began and why it ended.
    await expect
      .poll(async () =>
        (await server.store.readAudit('asean-2020', { limit: 1000 }))
          .filter((e) => e.detail.producerId === screen)
          .map((e) => [e.type, e.delegation, e.detail.reason ?? null]),
      )
      .toEqual([
        ['presentationStarted', 'BRN', null],
        ['presentationEnded', 'BRN', 'floorMoved'],
      ]);
  });

  it('is stopped by the chair, and the stop is in the audit trail', async () => {
    const shown = await cambodia.publishVideo('screen');
    const atLao = await lao.consume(shown);
    await expect.poll(() => flowing(lao, atLao), { timeout: 15_000 }).toBe(true);
    expect(await chair.client.request('presentation:stop', {})).toEqual({ ok: true, stopped: 1 });
    await expect.poll(() => closedReason(lao, shown)).toBe('stoppedByChair');
    await expect
      .poll(() => lao.client.pushes('media:consumerClosed').some((p) => p.consumerId === atLao))
      .toBe(true);
    expect(await auditTypes()).toContainEqual({ type: 'presentationStopped', delegation: 'KHM' });
    // Nothing left to stop.
    expect(await chair.client.request('presentation:stop', {})).toEqual({ ok: true, stopped: 0 });
    expect(await chair.client.request('floor:takeBack')).toMatchObject({ ok: true });
  });
});

describe('a delegation the chair allows to present', () => {
  it('shares without the floor, its sound heard while its microphone is not', async () => {
    expect(
      await chair.client.request('presentation:allow', { delegation: 'LAO', allowed: true }),
    ).toMatchObject({
      ok: true,
    });
    const screen = await lao.publishVideo('screen');
    const sound = await lao.publishAudio({ kind: 'audio', source: 'screenAudio' });
    const mic = await lao.publishAudio();
    await expect.poll(() => added(brunei, sound)?.paused).toBe(false);
    await expect.poll(() => added(brunei, mic)?.paused).toBe(true);
    const soundAtBrunei = await brunei.consume(sound);
    await expect.poll(() => flowing(brunei, soundAtBrunei), { timeout: 15_000 }).toBe(true);

    // The floor moving elsewhere does not end an allowed presentation.
    expect(await chair.client.request('floor:give', { delegation: 'BRN' })).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 500));
    expect(closedReason(brunei, screen)).toBeUndefined();

    // Withdrawing the allowance ends it, sound and all.
    expect(
      await chair.client.request('presentation:allow', { delegation: 'LAO', allowed: false }),
    ).toMatchObject({ ok: true });
    await expect.poll(() => closedReason(brunei, screen)).toBe('floorMoved');
    await expect.poll(() => closedReason(brunei, sound)).toBe('floorMoved');
    expect(closedReason(brunei, mic)).toBeUndefined();
    const trail = await auditTypes();
    expect(trail).toContainEqual({ type: 'presenterAllowed', delegation: 'LAO' });
    expect(await refusal(lao.publishVideo('screen'))).toMatch(/produce failed: forbidden /);
  });
});
