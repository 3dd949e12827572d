// Real RTP through the media node: SRTP in through a PlainTransport, out to consumers on the
// session's router and on a router of another worker fed by a pipe.
import type { MediaNodeEvent } from '@summit-bridge/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloadOffset, readSequenceNumber, rtpPayload } from '../src/bench/rtp.js';
import { randomSrtpKey, SrtpContext } from '../src/bench/srtp.js';
import { createLocalMediaNode, type LocalMediaNode, type RtpCapabilitiesData } from '../src/index.js';
import { audioPacket, opusParameters, peer, RtpEndpoint } from './support.js';

const session = 'plenary';
const alice = peer(session, 'alice');
const receivers = ['bob', 'carol', 'dave'].map((id) => peer(session, id));
const ssrc = 0x5e5510;

let node: LocalMediaNode;
let sender: RtpEndpoint;
let senderSrtp: SrtpContext;
let ingestPort: number;
let producerId: string;
let capabilities: RtpCapabilitiesData;
const sinks = new Map<string, { endpoint: RtpEndpoint; srtp: SrtpContext; consumerId: string }>();
const events: MediaNodeEvent[] = [];
let seq = 0;

beforeAll(async () => {
  // A threshold of two consumers: the third receiver lands on the other worker.
  node = await createLocalMediaNode({ workers: 2, routerConsumerThreshold: 2 });
  node.on('consumerClosed', (e) => events.push(e));
  node.on('producerClosed', (e) => events.push(e));
  await node.openSession(session);
  capabilities = await node.routerRtpCapabilities(session);

  sender = await RtpEndpoint.open();
  const ingest = await node.createPlainTransport(alice, { direction: 'send', srtp: true });
  const senderKey = randomSrtpKey();
  senderSrtp = new SrtpContext(senderKey);
  await node.connectPlainTransport(alice, ingest.id, { srtpParameters: senderKey });
  ingestPort = ingest.port;
  ({ producerId } = await node.produce(alice, ingest.id, {
    kind: 'audio',
    rtpParameters: opusParameters(ssrc),
  }));

  for (const receiver of receivers) {
    const endpoint = await RtpEndpoint.open();
    const transport = await node.createPlainTransport(receiver, { direction: 'recv', srtp: true });
    await node.connectPlainTransport(receiver, transport.id, {
      ip: '127.0.0.1',
      port: endpoint.port,
      srtpParameters: randomSrtpKey(),
    });
    const consumer = await node.consume(receiver, transport.id, producerId, capabilities);
    await node.resumeConsumer(receiver, consumer.id);
    sinks.set(receiver.peerId, {
      endpoint,
      srtp: new SrtpContext(transport.srtpParameters as NonNullable<typeof transport.srtpParameters>),
      consumerId: consumer.id,
    });
  }
});

afterAll(async () => {
  await node?.close();
  sender?.close();
  for (const { endpoint } of sinks.values()) endpoint.close();
});

async function send(payloads: Buffer[]): Promise<void> {
  for (const payload of payloads) {
    await sender.send(senderSrtp.protect(audioPacket(ssrc, seq++, payload)), ingestPort);
  }
}

/** Decrypted payloads a receiver got, in arrival order. */
function received(peerId: string): Buffer[] {
  const sink = sinks.get(peerId);
  if (!sink) throw new Error(`no sink ${peerId}`);
  return sink.endpoint.packets.map((packet) => {
    const clear = sink.srtp.unprotect(packet, payloadOffset(packet));
    if (!clear) throw new Error('SRTP authentication failed');
    return rtpPayload(clear);
  });
}

describe('media node with real RTP', () => {
  it('spreads the third receiver to a router on the other worker', async () => {
    const usage = await node.workerUsage();
    expect(usage.map((w) => w.consumers).sort()).toEqual([1, 2]);
    expect(usage.map((w) => w.routers).sort()).toEqual([1, 1]);
  });

  it('forwards SRTP packets in order and intact, on the same router and through the pipe', async () => {
    const payloads = Array.from({ length: 60 }, (_, i) => Buffer.from(`frame ${i} `.repeat(12)));
    await send(payloads);
    for (const receiver of receivers) {
      await expect.poll(() => received(receiver.peerId).length).toBe(payloads.length);
      expect(received(receiver.peerId)).toEqual(payloads);
      const sequence = sinks.get(receiver.peerId)?.endpoint.packets.map(readSequenceNumber) ?? [];
      expect(sequence.every((n, i) => i === 0 || n === (((sequence[i - 1] ?? 0) + 1) & 0xffff))).toBe(true);
    }
  });

  it('forwards nothing of a producer the server paused, on either router', async () => {
    for (const { endpoint } of sinks.values()) endpoint.packets.length = 0;
    await node.pauseProducer(alice, producerId);
    await send(Array.from({ length: 20 }, (_, i) => Buffer.from(`while paused ${i}`)));
    await node.resumeProducer(alice, producerId);
    const after = Array.from({ length: 10 }, (_, i) => Buffer.from(`after resume ${i}`));
    await send(after);
    for (const receiver of receivers) {
      await expect.poll(() => received(receiver.peerId).length).toBeGreaterThanOrEqual(after.length);
      expect(received(receiver.peerId)).toEqual(after);
    }
  });

  it('reports consumer and producer stats', async () => {
    const bob = receivers[0] ?? alice;
    const stats = await node.consumerStats(bob, sinks.get('bob')?.consumerId ?? '');
    expect(stats.stream?.packetCount).toBeGreaterThanOrEqual(70);
    expect(stats.paused).toBe(false);
    const produced = await node.producerStats(alice, producerId);
    expect(produced.streams[0]?.packetCount).toBeGreaterThanOrEqual(90);
  });

  it('closes the consumers of a closed producer, and the pipe router with its last peer', async () => {
    const before = await node.objectCounts();
    expect(before).toMatchObject({ routers: 2, producers: 2, consumers: 4 }); // + the pipe pair
    await node.closeProducer(alice, producerId);
    await expect
      .poll(() => events.filter((e) => e.type === 'consumerClosed').map((e) => e.reason))
      .toEqual(['producerClosed', 'producerClosed', 'producerClosed']);
    expect(events.find((e) => e.type === 'producerClosed')).toMatchObject({
      producerId,
      reason: 'requested',
    });

    await node.closePeer(receivers[2] ?? alice);
    await expect.poll(async () => (await node.objectCounts()).routers).toBe(1);
    expect(await node.objectCounts()).toMatchObject({ transports: 3, producers: 0, consumers: 0 });

    await node.closeSession(session);
    expect(await node.objectCounts()).toEqual({
      routers: 0,
      transports: 0,
      producers: 0,
      consumers: 0,
      rtpObservers: 0,
      webRtcServerTransports: 0,
    });
  });
});
