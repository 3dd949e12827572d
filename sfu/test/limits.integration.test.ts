// The media node's answers to bad ids, other peers' objects, bad parameters, unsupported codecs
// and over-capacity: typed errors, and nothing left behind.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaNodeErrorCode } from '../src/index.js';
import { createLocalMediaNode, type LocalMediaNode, MediaNodeError } from '../src/index.js';
import { opusParameters, peer } from './support.js';

let node: LocalMediaNode;
const session = 'limits';
const owner = peer(session, 'owner');
const stranger = peer(session, 'stranger');

beforeAll(async () => {
  node = await createLocalMediaNode({ workers: 1, workerConsumerLimit: 2 });
  await node.openSession(session);
});

afterAll(() => node?.close());

async function failure(call: Promise<unknown>): Promise<MediaNodeErrorCode> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaNodeError);
  return (err as MediaNodeError).code;
}

describe('media node limits', () => {
  it('offers every session codec and its WebRtcServer on UDP and TCP, or TCP alone', async () => {
    const capabilities = await node.routerRtpCapabilities(session);
    expect(capabilities.codecs?.map((c) => c.mimeType)).toEqual(
      expect.arrayContaining(['audio/opus', 'video/VP8', 'video/VP9', 'video/H264']),
    );
    const both = await node.createTransport(owner, { direction: 'send' });
    expect(both.iceCandidates.map((c) => c.protocol).sort()).toEqual(['tcp', 'udp']);
    const tcpOnly = await node.createTransport(owner, { direction: 'recv', forceTcp: true });
    expect(tcpOnly.iceCandidates.map((c) => c.protocol)).toEqual(['tcp']);
    const [usage] = await node.workerUsage();
    expect(usage).toMatchObject({ routers: 1, transports: 2 });
    const restarted = await node.restartIce(owner, both.id);
    expect(restarted.usernameFragment).not.toBe(both.iceParameters.usernameFragment);
    await node.closeTransport(owner, tcpOnly.id);
    expect((await node.objectCounts()).transports).toBe(1);
    expect(await failure(node.transportStats(owner, tcpOnly.id))).toBe('not_found');
    await node.closePeer(owner);
  });

  it('answers not_found for unknown sessions and ids, and for another peer’s objects', async () => {
    expect(await failure(node.routerRtpCapabilities('nowhere'))).toBe('not_found');
    expect(await failure(node.createTransport(peer('nowhere', 'x'), { direction: 'send' }))).toBe(
      'not_found',
    );
    expect(await failure(node.connectTransport(owner, 'no-such-id', { fingerprints: [] }))).toBe('not_found');
    const transport = await node.createPlainTransport(owner, { direction: 'send' });
    const { producerId } = await node.produce(owner, transport.id, {
      kind: 'audio',
      rtpParameters: opusParameters(1111),
    });
    expect(
      await failure(
        node.produce(stranger, transport.id, { kind: 'audio', rtpParameters: opusParameters(2) }),
      ),
    ).toBe('not_found');
    expect(await failure(node.pauseProducer(stranger, producerId))).toBe('not_found');
    expect(await failure(node.closeProducer(stranger, producerId))).toBe('not_found');
    expect(await failure(node.transportStats(stranger, transport.id))).toBe('not_found');
    expect(await failure(node.closeTransport(stranger, transport.id))).toBe('not_found');
    await node.closeProducer(owner, producerId);
    expect(await failure(node.resumeProducer(owner, producerId))).toBe('not_found');
    expect(await failure(node.consumerStats(owner, producerId))).toBe('not_found');
    await node.closePeer(owner);
    expect(await failure(node.transportStats(owner, transport.id))).toBe('not_found');
  });

  it('answers invalid_payload for bad parameters, unsupported codecs and the wrong direction', async () => {
    const send = await node.createTransport(owner, { direction: 'send' });
    expect(await failure(node.connectTransport(owner, send.id, { fingerprints: [] }))).toBe(
      'invalid_payload',
    );
    expect(
      await failure(
        node.produce(owner, send.id, {
          kind: 'audio',
          rtpParameters: {
            codecs: [{ mimeType: 'audio/G722', payloadType: 9, clockRate: 8000 }],
            encodings: [{ ssrc: 3 }],
          },
        }),
      ),
    ).toBe('invalid_payload');
    expect(
      await failure(node.produce(owner, send.id, { kind: 'audio', rtpParameters: { codecs: [] } as never })),
    ).toBe('invalid_payload');
    const recv = await node.createTransport(owner, { direction: 'recv' });
    expect(
      await failure(node.produce(owner, recv.id, { kind: 'audio', rtpParameters: opusParameters(4) })),
    ).toBe('invalid_payload');
    const plain = await node.createPlainTransport(owner, { direction: 'send' });
    const { producerId } = await node.produce(owner, plain.id, {
      kind: 'audio',
      rtpParameters: opusParameters(5),
    });
    const videoOnly = { codecs: [{ kind: 'video' as const, mimeType: 'video/VP8', clockRate: 90000 }] };
    expect(await failure(node.consume(owner, recv.id, producerId, videoOnly))).toBe('invalid_payload');
    expect(
      await failure(node.consume(owner, plain.id, producerId, await node.routerRtpCapabilities(session))),
    ).toBe('invalid_payload');
    expect(await failure(node.restartIce(owner, plain.id))).toBe('invalid_payload');
    const consumer = await node.consume(
      owner,
      recv.id,
      producerId,
      await node.routerRtpCapabilities(session),
    );
    expect(await failure(node.setConsumerPriority(owner, consumer.id, 0))).toBe('invalid_payload');
    await node.setConsumerPriority(owner, consumer.id, 200);
    expect((await node.consumerStats(owner, consumer.id)).priority).toBe(200);
    await node.closePeer(owner);
  });

  it('answers unavailable past the worker’s consumer limit', async () => {
    const plain = await node.createPlainTransport(owner, { direction: 'send' });
    const { producerId } = await node.produce(owner, plain.id, {
      kind: 'audio',
      rtpParameters: opusParameters(6),
    });
    const capabilities = await node.routerRtpCapabilities(session);
    const viewers = ['v1', 'v2', 'v3'].map((id) => peer(session, id));
    const transports = await Promise.all(
      viewers.map((v) => node.createPlainTransport(v, { direction: 'recv' })),
    );
    await node.consume(viewers[0] ?? owner, transports[0]?.id ?? '', producerId, capabilities);
    await node.consume(viewers[1] ?? owner, transports[1]?.id ?? '', producerId, capabilities);
    expect(
      await failure(node.consume(viewers[2] ?? owner, transports[2]?.id ?? '', producerId, capabilities)),
    ).toBe('unavailable');
    await node.closePeer(viewers[0] ?? owner);
    await node.consume(viewers[2] ?? owner, transports[2]?.id ?? '', producerId, capabilities);
  });

  it('releases every mediasoup object when the session closes, and refuses calls once closed', async () => {
    expect((await node.objectCounts()).transports).toBeGreaterThan(0);
    await node.closeSession(session);
    expect(await node.objectCounts()).toEqual({
      routers: 0,
      transports: 0,
      producers: 0,
      consumers: 0,
      rtpObservers: 0,
      webRtcServerTransports: 0,
    });
    expect(await failure(node.createTransport(owner, { direction: 'send' }))).toBe('not_found');
    await node.close();
    expect(await failure(node.openSession(session))).toBe('unavailable');
  });
});
