// A real WebRTC peer (libwebrtc through @roamhq/wrtc, mediasoup-client) in its own process,
// through the media node: ICE + DTLS to the WebRtcServer over UDP and over TCP, audio both ways,
// and the node's transport-state and speaker events.

import type { MediaNodeEvent } from '@summit-bridge/protocol';
import { NodePeer } from '@summit-bridge/testkit/node-peer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalMediaNode, type LocalMediaNode, type RtpCapabilitiesData } from '../src/index.js';
import { peer } from './support.js';

const session = 'summit';
const delegate = peer(session, 'delegate');

let node: LocalMediaNode;
let client: NodePeer;
let capabilities: RtpCapabilitiesData;
const events: MediaNodeEvent[] = [];

beforeAll(async () => {
  node = await createLocalMediaNode({ workers: 1, activeSpeakerIntervalMs: 100, audioLevelIntervalMs: 200 });
  for (const type of ['transportDtlsState', 'activeSpeaker', 'audioLevels'] as const)
    node.on(type, (e) => events.push(e));
  await node.openSession(session);
  client = await NodePeer.start({
    transportConnect: ({ transportId, dtlsParameters }) =>
      node.connectTransport(delegate, transportId, dtlsParameters as never),
    produce: async ({ transportId, kind, rtpParameters }) => {
      const { producerId } = await node.produce(delegate, transportId, {
        kind,
        rtpParameters: rtpParameters as never,
      });
      return { id: producerId };
    },
  });
  ({ rtpCapabilities: capabilities } = await client.call<{ rtpCapabilities: RtpCapabilitiesData }>('load', {
    routerRtpCapabilities: await node.routerRtpCapabilities(session),
  }));
});

afterAll(async () => {
  await client?.close();
  await node?.close();
});

const of = <T extends MediaNodeEvent['type']>(type: T) =>
  events.filter((e): e is Extract<MediaNodeEvent, { type: T }> => e.type === type);

async function receiveOn(forceTcp: boolean, producerId: string) {
  const transport = await node.createTransport(delegate, { direction: 'recv', forceTcp });
  await client.call('createRecvTransport', transport);
  const consumer = await node.consume(delegate, transport.id, producerId, capabilities);
  await client.call('consume', { transportId: transport.id, ...consumer });
  await node.resumeConsumer(delegate, consumer.id);
  return { transportId: transport.id, consumerId: consumer.id };
}

// RTP packets (20 ms of Opus each) that reached the peer for a consumer.
const packetsOf = async (consumerId: string) =>
  (await client.call<{ packets: number }>('packetsReceived', { consumerId })).packets;

describe('media node with a real WebRTC peer', () => {
  let producerId: string;

  it('connects over UDP and forwards the peer’s audio back to it', async () => {
    const send = await node.createTransport(delegate, { direction: 'send' });
    await client.call('createSendTransport', send);
    ({ id: producerId } = await client.call<{ id: string }>('produceAudio', { transportId: send.id }));
    const { transportId, consumerId } = await receiveOn(false, producerId);

    await expect.poll(() => packetsOf(consumerId), { timeout: 10_000 }).toBeGreaterThan(50);
    expect(
      of('transportDtlsState')
        .filter((e) => e.dtlsState === 'connected')
        .map((e) => e.transportId),
    ).toEqual(expect.arrayContaining([send.id, transportId]));
    const stats = await node.transportStats(delegate, transportId);
    expect(stats).toMatchObject({ dtlsState: 'connected', tuple: { protocol: 'udp' } });
    expect(stats.bytesSent).toBeGreaterThan(0);
    expect((await node.consumerStats(delegate, consumerId)).stream).toMatchObject({
      kind: 'audio',
      score: 10,
    });
  });

  it('connects a TCP-only transport, as a site behind a strict firewall would', async () => {
    const { transportId, consumerId } = await receiveOn(true, producerId);
    await expect.poll(() => packetsOf(consumerId), { timeout: 10_000 }).toBeGreaterThan(50);
    expect((await node.transportStats(delegate, transportId)).tuple?.protocol).toBe('tcp');
  });

  it('names the active speaker and reports audio levels', async () => {
    await expect
      .poll(() => of('activeSpeaker')[0], { timeout: 10_000 })
      .toMatchObject({
        sessionId: session,
        peerId: 'delegate',
        producerId,
      });
    await expect
      .poll(() => of('audioLevels').find((e) => e.levels.length > 0)?.levels[0], { timeout: 10_000 })
      .toMatchObject({ peerId: 'delegate', producerId });
  });

  it('restarts ICE and keeps the audio flowing', async () => {
    const { transportId, consumerId } = await receiveOn(false, producerId);
    await expect.poll(() => packetsOf(consumerId), { timeout: 10_000 }).toBeGreaterThan(10);
    const iceParameters = await node.restartIce(delegate, transportId);
    await client.call('restartIce', { transportId, iceParameters });
    const before = await packetsOf(consumerId);
    await expect.poll(() => packetsOf(consumerId), { timeout: 10_000 }).toBeGreaterThan(before + 50);
  });
});
