// Media signaling with real WebRTC peers: the floor's microphone policy is enforced at the SFU.
import type { ProducerInfo } from '@summit-bridge/protocol';
import { connectParticipant } from '@summit-bridge/testkit/signaling-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinWithMedia, type MediaParticipant } from './support/mediaParticipant.js';
import { startTestServer, type TestServer } from './support/testServer.js';

let server: TestServer;
let chair: MediaParticipant;
let brunei: MediaParticipant;
let cambodia: MediaParticipant;
const sessionId = 'som';

beforeAll(async () => {
  server = await startTestServer();
  const token = (role: 'chair' | 'head_of_delegation', delegation: string) =>
    server.invite({ role, delegation, sessions: [sessionId] });
  chair = await joinWithMedia(server.url, await token('chair', 'VNM'), sessionId);
  brunei = await joinWithMedia(server.url, await token('head_of_delegation', 'BRN'), sessionId);
  cambodia = await joinWithMedia(server.url, await token('head_of_delegation', 'KHM'), sessionId);
  const opened = await chair.client.request('session:setStatus', { status: 'open' });
  expect(opened.ok).toBe(true);
});

afterAll(async () => {
  await Promise.all([chair, brunei, cambodia].map((p) => p?.close()));
  await server?.close();
});

/** Packets the SFU has sent on one consumer of `who`: what actually left the server. */
async function packetsSent(who: MediaParticipant, consumerId: string): Promise<number> {
  const peer = { sessionId: `asean-2020/${sessionId}`, peerId: who.client.socket.id ?? '' };
  return (await server.mediaNode.consumerStats(peer, consumerId)).stream?.packetCount ?? 0;
}

/** Whether packets keep arriving on a consumer over a second. */
async function flowing(who: MediaParticipant, consumerId: string): Promise<boolean> {
  const before = await packetsSent(who, consumerId);
  await new Promise((r) => setTimeout(r, 1000));
  return (await packetsSent(who, consumerId)) > before + 10;
}

function latestProducer(who: MediaParticipant, producerId: string): ProducerInfo | undefined {
  return [...who.client.pushes('media:producerAdded'), ...who.client.pushes('media:producerUpdated')]
    .filter((p) => p.producerId === producerId)
    .at(-1);
}

describe('microphone policy at the SFU', () => {
  let bruneiMic: string;
  let chairMic: string;
  let bruneiAtCambodia: string;
  let chairAtCambodia: string;

  beforeAll(async () => {
    bruneiMic = await brunei.publishAudio();
    chairMic = await chair.publishAudio();
    bruneiAtCambodia = await cambodia.consume(bruneiMic);
    chairAtCambodia = await cambodia.consume(chairMic);
  });

  it('forwards the chair always, and a delegation without the floor to nobody', async () => {
    await expect.poll(() => latestProducer(cambodia, bruneiMic)?.paused).toBe(true);
    expect(latestProducer(cambodia, chairMic)?.paused).toBe(false);
    await expect.poll(() => flowing(cambodia, chairAtCambodia), { timeout: 10_000 }).toBe(true);
    expect(await flowing(cambodia, bruneiAtCambodia)).toBe(false);
  });

  it('opens the microphone of the delegation given the floor, and closes it when the floor is taken back', async () => {
    expect(await chair.client.request('floor:give', { delegation: 'BRN' })).toMatchObject({ ok: true });
    await expect.poll(() => latestProducer(cambodia, bruneiMic)?.paused).toBe(false);
    await expect.poll(() => flowing(cambodia, bruneiAtCambodia), { timeout: 10_000 }).toBe(true);

    expect(await chair.client.request('floor:takeBack')).toMatchObject({ ok: true });
    await expect.poll(() => latestProducer(cambodia, bruneiMic)?.paused).toBe(true);
    await expect.poll(() => flowing(cambodia, bruneiAtCambodia), { timeout: 10_000 }).toBe(false);
  });

  it('keeps a muted delegation silent even with the floor, and hears everyone unmuted in open mode', async () => {
    expect(await chair.client.request('floor:give', { delegation: 'BRN' })).toMatchObject({ ok: true });
    expect(await chair.client.request('floor:mute', { delegation: 'BRN', muted: true })).toMatchObject({
      ok: true,
    });
    await expect.poll(() => latestProducer(cambodia, bruneiMic)?.paused).toBe(true);
    expect(await chair.client.request('floor:mute', { delegation: 'BRN', muted: false })).toMatchObject({
      ok: true,
    });
    expect(await chair.client.request('floor:takeBack')).toMatchObject({ ok: true });
    expect(await chair.client.request('floor:setMicPolicy', { policy: 'open' })).toMatchObject({ ok: true });
    await expect.poll(() => latestProducer(cambodia, bruneiMic)?.paused).toBe(false);
    await expect.poll(() => flowing(cambodia, bruneiAtCambodia), { timeout: 10_000 }).toBe(true);
    expect(await chair.client.request('floor:setMicPolicy', { policy: 'floor' })).toMatchObject({ ok: true });
    await expect.poll(() => latestProducer(cambodia, bruneiMic)?.paused).toBe(true);
  });

  it('lets nobody pause or resume another participant’s producer', async () => {
    const reply = await cambodia.client.request('media:resumeProducer', { producerId: bruneiMic });
    expect(reply).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(latestProducer(cambodia, bruneiMic)?.paused).toBe(true);
  });

  it('shows the snapshot’s producers with their pause state', async () => {
    const snapshot = await cambodia.client.request('session:snapshot');
    expect(snapshot.ok && snapshot.producers.find((p) => p.producerId === bruneiMic)).toMatchObject({
      delegation: 'BRN',
      source: 'mic',
      paused: true,
    });
  });
});

describe('who may publish', () => {
  it('refuses a producer from an observer', async () => {
    const token = await server.invite({ role: 'observer', delegation: null, sessions: [sessionId] });
    const observer = await connectParticipant(server.url, token, sessionId);
    const transport = await observer.request('media:createTransport', { direction: 'send' });
    expect(transport.ok).toBe(true);
    const reply = await observer.request('media:produce', {
      transportId: transport.ok ? transport.id : 'none',
      kind: 'audio',
      source: 'mic',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
      },
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    observer.close();
  });
});

describe('giving back a transport', () => {
  const opus = { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 };

  it('closes only the caller’s own transport, once', async () => {
    const token = await server.invite({
      role: 'head_of_delegation',
      delegation: 'LAO',
      sessions: [sessionId],
    });
    const laos = await connectParticipant(server.url, token, sessionId);
    const probe = await laos.request('media:createTransport', { direction: 'recv' });
    if (!probe.ok) throw new Error('no transport');
    const peer = { sessionId: `asean-2020/${sessionId}`, peerId: laos.socket.id ?? '' };
    expect((await server.mediaNode.transportStats(peer, probe.id)).transportId).toBe(probe.id);

    expect(await cambodia.client.request('media:closeTransport', { transportId: probe.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await laos.request('media:closeTransport', { transportId: probe.id })).toEqual({ ok: true });
    await expect(server.mediaNode.transportStats(peer, probe.id)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await laos.request('media:closeTransport', { transportId: probe.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    laos.close();
  });

  it('takes the transport’s producer along, and every participant hears that it closed', async () => {
    const token = await server.invite({
      role: 'head_of_delegation',
      delegation: 'IDN',
      sessions: [sessionId],
    });
    const indonesia = await connectParticipant(server.url, token, sessionId);
    const send = await indonesia.request('media:createTransport', { direction: 'send' });
    if (!send.ok) throw new Error('no transport');
    const produced = await indonesia.request('media:produce', {
      transportId: send.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: { codecs: [opus], encodings: [{ ssrc: 0x1d0 }] },
    });
    if (!produced.ok) throw new Error(`no producer: ${produced.error.message}`);
    await expect
      .poll(() => cambodia.client.pushes('media:producerAdded').map((p) => p.producerId))
      .toContain(produced.producerId);

    expect(await indonesia.request('media:closeTransport', { transportId: send.id })).toEqual({ ok: true });
    await expect
      .poll(() => cambodia.client.pushes('media:producerClosed').map((p) => p.producerId))
      .toContain(produced.producerId);
    const snapshot = await cambodia.client.request('session:snapshot');
    expect(snapshot.ok && snapshot.producers.map((p) => p.producerId)).not.toContain(produced.producerId);
    indonesia.close();
  });

  it('refuses a malformed transport id', async () => {
    expect(await cambodia.client.request('media:closeTransport', { transportId: '' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
  });
});

describe('a media worker dies', () => {
  it('tells the participants whose media it carried to reconnect', async () => {
    const [worker] = await server.mediaNode.workerUsage();
    if (!worker) throw new Error('no media worker');
    process.kill(worker.pid, 'SIGKILL');
    for (const participant of [chair, brunei, cambodia]) {
      await expect
        .poll(() => participant.client.pushes('media:reconnect').length, { timeout: 10_000 })
        .toBe(1);
    }
    // The session is rebuilt on a new worker: media can be set up again.
    const again = await cambodia.client.request('media:capabilities');
    expect(again.ok).toBe(true);
  });
});
