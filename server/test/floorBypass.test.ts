// The floor policy cannot be bypassed by what a producer claims: for every role, whatever kind and
// source a custom client declares for its microphone, a delegation without the floor is heard by
// nobody. Real WebRTC peers; what the SFU forwards is counted in bytes.
import type { Role } from '@summit-bridge/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Declared, joinWithMedia, type MediaParticipant } from './support/mediaParticipant.js';
import { startTestServer, type TestServer } from './support/testServer.js';

const sessionId = 'som';
let server: TestServer;
let chair: MediaParticipant;
let listener: MediaParticipant;

beforeAll(async () => {
  server = await startTestServer();
  chair = await joinWithMedia(
    server.url,
    await server.invite({ role: 'chair', delegation: 'VNM', sessions: [sessionId] }),
    sessionId,
  );
  listener = await joinWithMedia(
    server.url,
    await server.invite({ role: 'head_of_delegation', delegation: 'LAO', sessions: [sessionId] }),
    sessionId,
  );
  expect(await chair.client.request('session:setStatus', { status: 'open' })).toMatchObject({ ok: true });
  // The floor is elsewhere: Brunei holds it, in floor mode.
  expect(await chair.client.request('floor:give', { delegation: 'BRN' })).toMatchObject({ ok: true });
});

afterAll(async () => {
  await Promise.all([chair, listener].map((p) => p?.close()));
  await server?.close();
});

/** Bytes the SFU has sent on the listener's consumer: what actually left the server. */
async function bytesSent(consumerId: string): Promise<number> {
  const peer = { sessionId: `asean-2020/${sessionId}`, peerId: listener.client.socket.id ?? '' };
  return (await server.mediaNode.consumerStats(peer, consumerId)).stream?.byteCount ?? 0;
}

const declarations: Declared[] = [
  { kind: 'audio', source: 'mic' },
  { kind: 'video', source: 'camera' },
  { kind: 'video', source: 'mic' },
  { kind: 'audio', source: 'camera' },
  // A presentation's sound, or a "screen" carrying a microphone: nobody without the floor presents.
  { kind: 'audio', source: 'screenAudio' },
  { kind: 'video', source: 'screen' },
  { kind: 'audio', source: 'screen' },
  // An interpreter's channel: forwarded only while on air in its booth, never for anyone else.
  { kind: 'audio', source: 'interpretation' },
];

// Every role but the chairs, who are always heard by design.
const attackers: { role: Role; delegation: string | null; booth?: string }[] = [
  { role: 'head_of_delegation', delegation: 'KHM' },
  { role: 'delegate', delegation: 'MYS' },
  { role: 'interpreter', delegation: null, booth: 'vi' },
  { role: 'secretariat', delegation: null },
  { role: 'technician', delegation: null },
  { role: 'observer', delegation: null },
];

describe('no producer escapes the floor policy', () => {
  const accepted: { role: Role; producerId: string; consumerId: string }[] = [];

  it.each(attackers)(
    '$role: whatever its microphone claims to be, nobody hears it',
    async ({ role, delegation, booth }) => {
      const attacker = await joinWithMedia(
        server.url,
        await server.invite({ role, delegation, sessions: [sessionId], ...(booth ? { booth } : {}) }),
        sessionId,
      );
      try {
        for (const declared of declarations) {
          let producerId: string;
          try {
            producerId = await attacker.publishAudio(declared);
          } catch (err) {
            // Refused: with a typed error, never an internal one.
            expect(String(err)).toMatch(/produce failed: (invalid_payload|forbidden|conflict) /);
            continue;
          }
          // Accepted only when the claim is what the codecs carry.
          expect(declared.kind).toBe('audio');
          expect(role === 'interpreter' ? ['mic', 'interpretation'] : ['mic']).toContain(declared.source);
          // A channel is consumed by those who chose it: the listener does, to hear what leaks.
          if (declared.source === 'interpretation')
            expect(await listener.client.request('interpretation:listen', { channel: 'vi' })).toMatchObject({
              ok: true,
            });
          const consumerId = await listener.consume(producerId);
          accepted.push({ role, producerId, consumerId });
          // Long enough for a tone at 50 packets/s to show if any of it is forwarded.
          await new Promise((r) => setTimeout(r, 1500));
          expect(await bytesSent(consumerId)).toBe(0);
        }
      } finally {
        await attacker.close();
      }
    },
  );

  it('was not vacuous: the delegations’ real microphones were accepted and would be heard with the floor', async () => {
    expect(accepted.map((a) => a.role)).toEqual(expect.arrayContaining(['head_of_delegation', 'delegate']));
    // A producer of a participant still here, given the floor, is heard: the count can move.
    const cambodia = await joinWithMedia(
      server.url,
      await server.invite({ role: 'head_of_delegation', delegation: 'KHM', sessions: [sessionId] }),
      sessionId,
    );
    try {
      const mic = await cambodia.publishAudio();
      const consumerId = await listener.consume(mic);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await bytesSent(consumerId)).toBe(0);
      expect(await chair.client.request('floor:give', { delegation: 'KHM' })).toMatchObject({ ok: true });
      await expect.poll(() => bytesSent(consumerId), { timeout: 10_000 }).toBeGreaterThan(1000);
      // And the chair's mute closes it again, whatever it carries.
      expect(await chair.client.request('floor:mute', { delegation: 'KHM', muted: true })).toMatchObject({
        ok: true,
      });
      await new Promise((r) => setTimeout(r, 500));
      const muted = await bytesSent(consumerId);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await bytesSent(consumerId)).toBe(muted);
    } finally {
      await cambodia.close();
    }
  });
});
