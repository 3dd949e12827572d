// Two media nodes as two hosts (127.0.0.1 and 127.0.0.2): a simulcast camera produced on one is
// piped to the other over SRTP with RTX, consumed there with layer switching; pause and close are
// mirrored; a pipe whose other end fails half-way leaves nothing behind.
import type { MediaNodeEvent, PipeAddress } from '@summit-bridge/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vp8Codec } from '../src/bench/load.js';
import { rtpPacket, rtpPayload, vp8Payload } from '../src/bench/rtp.js';
import {
  createLocalMediaNode,
  type LocalMediaNode,
  NodePipeEnd,
  type PipeEnd,
  PipeLink,
} from '../src/index.js';
import { peer, RtpEndpoint } from './support.js';

const session = 'spanning';
const camera = peer(session, 'camera');
const viewer = peer(session, 'viewer');
const layerSsrcs = [0x5100, 0x5200, 0x5300];

let home: LocalMediaNode;
let far: LocalMediaNode;
let link: PipeLink;
let sender: RtpEndpoint;
let receiver: RtpEndpoint;
let ingestPort = 0;
let producerId = '';
let consumerId = '';
let frame = 0;
const farEvents: MediaNodeEvent[] = [];

beforeAll(async () => {
  home = await createLocalMediaNode({ workers: 1, listenIp: '127.0.0.1' });
  far = await createLocalMediaNode({ workers: 1, listenIp: '127.0.0.2' });
  far.on('consumerClosed', (e) => farEvents.push(e));
  far.on('consumerLayersChanged', (e) => farEvents.push(e));
  await Promise.all([home.openSession(session), far.openSession(session)]);
  sender = await RtpEndpoint.open();
  receiver = await RtpEndpoint.open();
  const ingest = await home.createPlainTransport(camera, { direction: 'send' });
  ingestPort = ingest.port;
  ({ producerId } = await home.produce(camera, ingest.id, {
    kind: 'video',
    rtpParameters: { codecs: [vp8Codec], encodings: layerSsrcs.map((ssrc) => ({ ssrc })) },
  }));
  link = new PipeLink(new NodePipeEnd(home, session, 'far'), new NodePipeEnd(far, session, 'home'));
});

afterAll(async () => {
  await Promise.all([home?.close(), far?.close()]);
  sender?.close();
  receiver?.close();
});

async function sendFrame(): Promise<void> {
  const keyFrame = frame % 5 === 0;
  for (const [layer, ssrc] of layerSsrcs.entries()) {
    const payload = vp8Payload({ pictureId: frame, start: true, keyFrame }, Buffer.from(`layer ${layer}`));
    const header = {
      payloadType: vp8Codec.payloadType,
      sequenceNumber: frame,
      timestamp: frame * 3000,
      ssrc,
    };
    await sender.send(rtpPacket({ ...header, marker: true }, payload), ingestPort);
  }
  frame++;
}

const lastLayer = () => {
  const last = receiver.packets.at(-1);
  return last ? rtpPayload(last).subarray(7).toString() : null;
};

async function sendingUntil(check: () => boolean | Promise<boolean>): Promise<boolean> {
  await sendFrame();
  return check();
}

describe('a session spanning two media nodes', () => {
  it('pipes the producer across with SRTP, once, and the far node consumes it', async () => {
    const [address] = await Promise.all([home.openPipe(session, 'far'), link.carry(producerId)]);
    expect(address.ip).toBe('127.0.0.1');
    expect(address.srtpParameters?.cryptoSuite).toBeTruthy();
    // Asked again, by anyone: the same pipe and the same copy.
    await Promise.all([link.carry(producerId), link.carry(producerId)]);
    expect((await home.openPipe(session, 'far')).port).toBe(address.port);
    expect((await home.objectCounts()).transports).toBe(2); // the ingest and one pipe

    const out = await far.createPlainTransport(viewer, { direction: 'recv' });
    await far.connectPlainTransport(viewer, out.id, { ip: '127.0.0.1', port: receiver.port });
    consumerId = (await far.consume(viewer, out.id, producerId, await far.routerRtpCapabilities(session))).id;
    await far.resumeConsumer(viewer, consumerId);
    await expect.poll(() => sendingUntil(() => lastLayer() === 'layer 2'), { timeout: 8000 }).toBe(true);
  });

  it('switches simulcast layers at the far node', async () => {
    await far.setPreferredLayers(viewer, consumerId, { spatialLayer: 0, temporalLayer: 0 });
    await expect.poll(() => sendingUntil(() => lastLayer() === 'layer 0'), { timeout: 8000 }).toBe(true);
    expect(farEvents.findLast((e) => e.type === 'consumerLayersChanged')).toMatchObject({
      layers: { spatialLayer: 0 },
    });
  });

  it('mirrors a pause to the copy, and a resume', async () => {
    await home.pauseProducer(camera, producerId);
    await far.setPipedPaused(session, producerId, true);
    expect((await far.consumerStats(viewer, consumerId)).producerPaused).toBe(true);
    const before = receiver.packets.length;
    for (let i = 0; i < 10; i++) await sendFrame();
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.packets.length).toBe(before);
    await home.resumeProducer(camera, producerId);
    await far.setPipedPaused(session, producerId, false);
    await expect
      .poll(() => sendingUntil(() => receiver.packets.length > before + 5), { timeout: 8000 })
      .toBe(true);
  });

  it('closes the copy when the original closes, and its consumers with it', async () => {
    await home.closeProducer(camera, producerId);
    await far.closePiped(session, producerId);
    await expect
      .poll(() => farEvents.find((e) => e.type === 'consumerClosed'))
      .toMatchObject({ consumerId, reason: 'producerClosed' });
    expect((await far.objectCounts()).producers).toBe(0);
    expect((await home.objectCounts()).consumers).toBe(0);
  });

  it('leaves no pipe behind when the other end fails half-way, and closes a pipe on request', async () => {
    const broken: PipeEnd = {
      open: () => Promise.reject(new Error('the other node is unreachable')),
      connect: async (_remote: PipeAddress) => {},
      send: () => Promise.reject(new Error('unreachable')),
      receive: async () => {},
      close: async () => {},
    };
    const other = 'other-session';
    await home.openSession(other);
    const half = new PipeLink(new NodePipeEnd(home, other, 'broken'), broken);
    await expect(half.carry('any-producer')).rejects.toThrow('unreachable');
    expect((await home.objectCounts()).transports).toBe(2); // the ingest and the first pipe only

    await link.close();
    expect((await home.objectCounts()).transports).toBe(1);
    expect((await far.objectCounts()).transports).toBe(1); // the viewer's transport
  });
});
