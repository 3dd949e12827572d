// A mediasoup worker killed with SIGKILL: the node replaces it, rebuilds the session, tells
// which peers must reconnect their media, and the session carries media again.
import type { MediaNodeEvent } from '@summit-bridge/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rtpPayload } from '../src/bench/rtp.js';
import { createLocalMediaNode, type LocalMediaNode, type PeerRef } from '../src/index.js';
import { audioPacket, opusParameters, peer, RtpEndpoint } from './support.js';

const session = 'council';
const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((id) => peer(session, id)) as [
  PeerRef,
  PeerRef,
  PeerRef,
];
const ssrc = 0xdead;

let node: LocalMediaNode;
let sender: RtpEndpoint;
const endpoints = new Map<string, RtpEndpoint>();
const events: MediaNodeEvent[] = [];
let ingestPort = 0;
let producerId = '';
let seq = 0;

beforeAll(async () => {
  node = await createLocalMediaNode({ workers: 2, routerConsumerThreshold: 1 });
  for (const type of ['peersMustReconnect', 'consumerClosed', 'producerClosed'] as const)
    node.on(type, (e) => events.push(e));
  await node.openSession(session);
  sender = await RtpEndpoint.open();
  for (const p of [bob, carol]) endpoints.set(p.peerId, await RtpEndpoint.open());
});

afterAll(async () => {
  await node?.close();
  sender?.close();
  for (const endpoint of endpoints.values()) endpoint.close();
});

async function startSending(): Promise<void> {
  const ingest = await node.createPlainTransport(alice, { direction: 'send' });
  ingestPort = ingest.port;
  ({ producerId } = await node.produce(alice, ingest.id, {
    kind: 'audio',
    rtpParameters: opusParameters(ssrc),
  }));
}

async function receive(receiver: PeerRef): Promise<void> {
  const endpoint = endpoints.get(receiver.peerId) as RtpEndpoint;
  const transport = await node.createPlainTransport(receiver, { direction: 'recv' });
  await node.connectPlainTransport(receiver, transport.id, { ip: '127.0.0.1', port: endpoint.port });
  const consumer = await node.consume(
    receiver,
    transport.id,
    producerId,
    await node.routerRtpCapabilities(session),
  );
  await node.resumeConsumer(receiver, consumer.id);
}

/** Sends a packet until the receiver has it: proof that media flows end to end. */
async function flows(receiver: PeerRef): Promise<void> {
  const endpoint = endpoints.get(receiver.peerId) as RtpEndpoint;
  const marker = Buffer.from(`probe ${seq}`);
  await expect
    .poll(async () => {
      await sender.send(audioPacket(ssrc, seq++, marker), ingestPort);
      return endpoint.packets.some((p) => rtpPayload(p).equals(marker));
    })
    .toBe(true);
}

async function workerOf(predicate: (w: { producers: number; consumers: number }) => boolean) {
  const usage = await node.workerUsage();
  const worker = usage.find(predicate);
  if (!worker) throw new Error(`no such worker in ${JSON.stringify(usage)}`);
  return worker;
}

describe('worker death', () => {
  it('loses only the peers of a dead receiving worker, and they reconnect to its replacement', async () => {
    await startSending();
    await receive(bob); // the origin router is now full: carol lands on the other worker
    await receive(carol);
    await flows(carol);
    const spread = await workerOf((w) => w.producers === 0);
    expect(spread.consumers).toBe(1);

    process.kill(spread.pid, 'SIGKILL');
    await expect
      .poll(() => events.find((e) => e.type === 'peersMustReconnect'), { timeout: 5000 })
      .toEqual({
        type: 'peersMustReconnect',
        sessionId: session,
        peerIds: ['carol'],
        reason: 'workerDied',
      });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'consumerClosed', peerId: 'carol', reason: 'workerDied' }),
    );
    const replaced = await node.workerUsage();
    expect(replaced).toHaveLength(2);
    expect(replaced.map((w) => w.pid)).not.toContain(spread.pid);

    await flows(bob);
    await receive(carol);
    await flows(carol);
  });

  it('rebuilds the session when the worker of its origin router dies', async () => {
    events.length = 0;
    const origin = await workerOf((w) => w.producers === 1);
    process.kill(origin.pid, 'SIGKILL');
    await expect
      .poll(() => events.find((e) => e.type === 'peersMustReconnect'), { timeout: 5000 })
      .toEqual({
        type: 'peersMustReconnect',
        sessionId: session,
        peerIds: expect.arrayContaining(['alice', 'bob']),
        reason: 'workerDied',
      });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'producerClosed', producerId, reason: 'workerDied' }),
    );
    // carol's consumer lived on the other worker: it closes with its producer, she stays connected.
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'consumerClosed', peerId: 'carol', reason: 'producerClosed' }),
    );

    await startSending();
    await receive(bob);
    await flows(bob);
    await node.closePeer(carol);
    await receive(carol);
    await flows(carol);

    await node.closeSession(session);
    expect(await node.objectCounts()).toMatchObject({
      routers: 0,
      transports: 0,
      producers: 0,
      consumers: 0,
    });
  });
});
