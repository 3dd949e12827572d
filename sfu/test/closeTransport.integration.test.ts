// Closing one transport: its producers and consumers go with it, counted gone in the worker's own
// dump, with the usual close events; only the transport's owner may close it.
import type { MediaNodeEvent } from '@summit-bridge/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalMediaNode, type LocalMediaNode, MediaNodeError } from '../src/index.js';
import { opusParameters, peer } from './support.js';

const session = 'transports';
const speaker = peer(session, 'speaker');
const listener = peer(session, 'listener');
let node: LocalMediaNode;
const events: MediaNodeEvent[] = [];

beforeAll(async () => {
  node = await createLocalMediaNode({ workers: 1 });
  node.on('producerClosed', (e) => events.push(e));
  node.on('consumerClosed', (e) => events.push(e));
  await node.openSession(session);
});

afterAll(() => node?.close());

async function notFound(call: Promise<unknown>): Promise<void> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaNodeError);
  expect((err as MediaNodeError).code).toBe('not_found');
}

describe('closing a transport', () => {
  it('closes a WebRTC transport at the WebRtcServer, and only for its owner', async () => {
    const probe = await node.createTransport(listener, { direction: 'recv' });
    expect(await node.objectCounts()).toMatchObject({ transports: 1, webRtcServerTransports: 1 });
    await notFound(node.closeTransport(speaker, probe.id));
    expect((await node.objectCounts()).transports).toBe(1);

    await node.closeTransport(listener, probe.id);
    expect(await node.objectCounts()).toMatchObject({ transports: 0, webRtcServerTransports: 0 });
    await notFound(node.closeTransport(listener, probe.id));
    await notFound(node.restartIce(listener, probe.id));
  });

  it('takes its consumers along, and leaves the producer they consumed', async () => {
    const send = await node.createPlainTransport(speaker, { direction: 'send' });
    const { producerId } = await node.produce(speaker, send.id, {
      kind: 'audio',
      rtpParameters: opusParameters(0xc105e),
    });
    const capabilities = await node.routerRtpCapabilities(session);
    const recv = await node.createPlainTransport(listener, { direction: 'recv' });
    const consumer = await node.consume(listener, recv.id, producerId, capabilities);
    expect(await node.objectCounts()).toMatchObject({ transports: 2, producers: 1, consumers: 1 });

    await node.closeTransport(listener, recv.id);
    expect(await node.objectCounts()).toMatchObject({ transports: 1, producers: 1, consumers: 0 });
    expect(events.splice(0)).toEqual([
      expect.objectContaining({ type: 'consumerClosed', consumerId: consumer.id, reason: 'transportClosed' }),
    ]);
    await notFound(node.consumerStats(listener, consumer.id));
    await node.closeTransport(speaker, send.id);
    events.length = 0;
  });

  it('takes its producers along, and every consumer of them', async () => {
    const send = await node.createPlainTransport(speaker, { direction: 'send' });
    const { producerId } = await node.produce(speaker, send.id, {
      kind: 'audio',
      rtpParameters: opusParameters(0xc105f),
    });
    const capabilities = await node.routerRtpCapabilities(session);
    const recv = await node.createPlainTransport(listener, { direction: 'recv' });
    const consumer = await node.consume(listener, recv.id, producerId, capabilities);

    await node.closeTransport(speaker, send.id);
    expect(await node.objectCounts()).toMatchObject({ transports: 1, producers: 0, consumers: 0 });
    expect(events).toHaveLength(2);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'producerClosed', producerId, reason: 'transportClosed' }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'consumerClosed', consumerId: consumer.id, reason: 'producerClosed' }),
    );
    await notFound(node.producerStats(speaker, producerId));
    // The listener's transport is still its own to use.
    expect((await node.transportStats(listener, recv.id)).transportId).toBe(recv.id);
  });
});
