// Interpretation channels at the SFU, with real WebRTC peers: a listener receives the channel it
// chose and no other, only the live interpreter of a booth is forwarded (handover, cough, drop),
// a relay booth hears its pivot, and the floor is heard whatever the channel. Bytes counted at
// the SFU: what actually left the server.
import type { SessionState } from '@summit-bridge/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinWithMedia, type MediaParticipant } from './support/mediaParticipant.js';
import { startTestServer, type TestServer } from './support/testServer.js';

// The ASEAN+3 Summit: English on the floor, booths into Vietnamese, Chinese, Japanese and Korean.
const sessionId = 'apt-summit';
let server: TestServer;
let chair: MediaParticipant;
let viet: MediaParticipant;
let china: MediaParticipant;
let vi1: MediaParticipant;
let vi2: MediaParticipant;
let zh1: MediaParticipant;
const voices: Record<string, string> = {};

const settle = () => new Promise((r) => setTimeout(r, 1200));

async function join(request: Parameters<TestServer['invite']>[0]): Promise<MediaParticipant> {
  return joinWithMedia(server.url, await server.invite(request), sessionId);
}

/** Bytes the SFU sent on a participant's consumer. */
async function bytesSent(who: MediaParticipant, consumerId: string): Promise<number> {
  const peer = { sessionId: `asean-2020/${sessionId}`, peerId: who.client.socket.id ?? '' };
  return (await server.mediaNode.consumerStats(peer, consumerId).catch(() => null))?.stream?.byteCount ?? 0;
}

/** Whether a consumer's byte count moves over a second: forwarded now, or not. */
async function flowing(who: MediaParticipant, consumerId: string): Promise<boolean> {
  const before = await bytesSent(who, consumerId);
  await new Promise((r) => setTimeout(r, 1000));
  return (await bytesSent(who, consumerId)) > before + 500;
}

async function ok(who: MediaParticipant, ...request: Parameters<MediaParticipant['client']['request']>) {
  const reply = await who.client.request(...request);
  expect(reply, `${request[0]}: ${JSON.stringify(reply)}`).toMatchObject({ ok: true });
  return reply;
}

const boothOf = (who: MediaParticipant, language: string) =>
  who.client.pushes('session:updated').at(-1)?.booths[language] as SessionState['booths'][string] | undefined;

beforeAll(async () => {
  server = await startTestServer();
  chair = await join({ role: 'chair', delegation: 'VNM', sessions: [sessionId] });
  viet = await join({ role: 'head_of_delegation', delegation: 'LAO', sessions: [sessionId] });
  china = await join({ role: 'head_of_delegation', delegation: 'CHN', sessions: [sessionId] });
  vi1 = await join({ role: 'interpreter', booth: 'vi', sessions: [sessionId], participantId: 'interp-vi-1' });
  vi2 = await join({ role: 'interpreter', booth: 'vi', sessions: [sessionId], participantId: 'interp-vi-2' });
  zh1 = await join({ role: 'interpreter', booth: 'zh', sessions: [sessionId], participantId: 'interp-zh-1' });
  await ok(chair, 'session:setStatus', { status: 'open' });
  // Floor mode, Japan holds the floor: no delegation of the test is heard on the floor.
  await ok(chair, 'floor:give', { delegation: 'JPN' });
  const interpretation = { kind: 'audio', source: 'interpretation' } as const;
  voices.vi1 = await vi1.publishAudio(interpretation);
  voices.vi2 = await vi2.publishAudio(interpretation);
  voices.zh1 = await zh1.publishAudio(interpretation);
}, 60_000);

afterAll(async () => {
  await Promise.all([chair, viet, china, vi1, vi2, zh1].map((p) => p?.close()));
  await server?.close();
});

describe('interpretation channels at the SFU', () => {
  const consumers: Record<string, string> = {};

  it('carry the booth on each interpreter’s producer, and refuse the channel to anyone else', async () => {
    const snapshot = await ok(viet, 'session:snapshot', {});
    const channels = (snapshot as { producers: { producerId: string; channel?: string }[] }).producers
      .filter((p) => p.channel)
      .map((p) => [p.producerId, p.channel]);
    expect(Object.fromEntries(channels)).toEqual({
      [voices.vi1 ?? '']: 'vi',
      [voices.vi2 ?? '']: 'vi',
      [voices.zh1 ?? '']: 'zh',
    });
    // A delegate cannot speak into a channel, whatever it claims.
    await expect(china.publishAudio({ kind: 'audio', source: 'interpretation' })).rejects.toThrow(
      /forbidden/,
    );
    // Nor receive one it has not chosen.
    await expect(viet.consume(voices.vi1 ?? '')).rejects.toThrow(/conflict/);
    expect(await viet.client.request('interpretation:listen', { channel: 'ko-x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    expect(await viet.client.request('interpretation:listen', { channel: 'th' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('forward nothing from a booth with nobody on air, the floor policy notwithstanding', async () => {
    await ok(viet, 'interpretation:listen', { channel: 'vi' });
    consumers.vi1 = await viet.consume(voices.vi1 ?? '');
    consumers.vi2 = await viet.consume(voices.vi2 ?? '');
    await settle();
    expect(await bytesSent(viet, consumers.vi1)).toBe(0);
    expect(await bytesSent(viet, consumers.vi2)).toBe(0);
  });

  it('send a vi listener the live interpreter of the vi booth, and nothing of the zh booth', async () => {
    await ok(vi1, 'booth:takeOver', {});
    await ok(zh1, 'booth:takeOver', {});
    await expect.poll(() => bytesSent(viet, consumers.vi1 ?? ''), { timeout: 10_000 }).toBeGreaterThan(1000);
    expect(await flowing(viet, consumers.vi1 ?? '')).toBe(true);
    expect(await bytesSent(viet, consumers.vi2 ?? '')).toBe(0);
    await expect(viet.consume(voices.zh1 ?? '')).rejects.toThrow(/conflict/);
    // The zh listener gets its own booth.
    await ok(china, 'interpretation:listen', { channel: 'zh' });
    const zh = await china.consume(voices.zh1 ?? '');
    await expect.poll(() => bytesSent(china, zh), { timeout: 10_000 }).toBeGreaterThan(1000);
  });

  it('after "Hand over", forward only the partner', async () => {
    await ok(vi2, 'booth:takeOver', {});
    expect(boothOf(vi1, 'vi')).toMatchObject({
      live: 'interp-vi-1',
      handover: { kind: 'request', by: 'interp-vi-2' },
    });
    // Asked, not yet handed over: still the first voice.
    expect(await flowing(viet, consumers.vi2 ?? '')).toBe(false);
    await ok(vi1, 'booth:handOver', {});
    await expect.poll(() => flowing(viet, consumers.vi2 ?? ''), { timeout: 10_000 }).toBe(true);
    expect(await flowing(viet, consumers.vi1 ?? '')).toBe(false);
  });

  it('silence the live interpreter while the cough button is held', async () => {
    await ok(vi2, 'booth:cough', { on: true });
    await expect.poll(() => flowing(viet, consumers.vi2 ?? ''), { timeout: 10_000 }).toBe(false);
    await ok(vi2, 'booth:cough', { on: false });
    await expect.poll(() => flowing(viet, consumers.vi2 ?? ''), { timeout: 10_000 }).toBe(true);
  });

  it('let a relay booth hear its pivot: zh interprets the vi booth’s output', async () => {
    await ok(zh1, 'booth:setInput', { input: 'vi' });
    expect(await vi1.client.request('booth:setInput', { input: 'zh' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    // An interpreter hears every booth: no choice needed to take a relay.
    const pivot = await zh1.consume(voices.vi2 ?? '');
    await expect.poll(() => bytesSent(zh1, pivot), { timeout: 10_000 }).toBeGreaterThan(1000);
  });

  it('let the listener hear the floor, whose speaker may speak its own language', async () => {
    // Viet Nam (which speaks Vietnamese) takes the floor: the vi listener hears it directly.
    const vietnam = await join({ role: 'head_of_delegation', delegation: 'VNM', sessions: [sessionId] });
    try {
      const mic = await vietnam.publishAudio();
      await ok(chair, 'floor:give', { delegation: 'VNM' });
      const floor = await viet.consume(mic);
      await expect.poll(() => bytesSent(viet, floor), { timeout: 10_000 }).toBeGreaterThan(1000);
    } finally {
      await vietnam.close();
    }
  });

  it('close the old channel’s consumers when the listener switches', async () => {
    await ok(viet, 'interpretation:listen', { channel: 'zh' });
    await expect
      .poll(() => viet.client.pushes('media:consumerClosed').map((p) => p.consumerId), { timeout: 5000 })
      .toEqual(expect.arrayContaining([consumers.vi1, consumers.vi2]));
    await ok(viet, 'interpretation:listen', { channel: 'floor' });
    await expect(viet.consume(voices.zh1 ?? '')).rejects.toThrow(/conflict/);
  });

  it('fall silent when the live interpreter drops, and tell the partner', async () => {
    await vi2.close();
    await expect
      .poll(() => boothOf(vi1, 'vi')?.dropped?.participantId, { timeout: 10_000 })
      .toBe('interp-vi-2');
    expect(boothOf(vi1, 'vi')).toMatchObject({ live: null });
    const audit = (await server.store.readAudit('asean-2020', { limit: 1000 })).filter(
      (e) => e.sessionId === sessionId,
    );
    const types = audit.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'interpreterLive',
        'takeoverRequested',
        'coughChanged',
        'boothInputChanged',
        'interpreterDropped',
      ]),
    );
  });
});
