// A three-layer VP8 simulcast producer over RTP: the consumer forwards the layer it prefers,
// switches on request, and the node reports each change.
import type { MediaNodeEvent } from '@summit-bridge/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vp8Codec } from '../src/bench/load.js';
import { rtpPacket, rtpPayload, senderReport, vp8Payload } from '../src/bench/rtp.js';
import { randomSrtpKey, SrtpContext } from '../src/bench/srtp.js';
import { createLocalMediaNode, type LocalMediaNode } from '../src/index.js';
import { peer, RtpEndpoint } from './support.js';

const session = 'stage';
const camera = peer(session, 'camera');
const viewer = peer(session, 'viewer');
const layerSsrcs = [0x1000, 0x2000, 0x3000];
const vp8 = vp8Codec;

let node: LocalMediaNode;
let sender: RtpEndpoint;
let receiver: RtpEndpoint;
let ingestPort = 0;
let consumerId = '';
let frame = 0;
const srtp = randomSrtpKey();
const senderSrtp = new SrtpContext(srtp);
const layerEvents: Extract<MediaNodeEvent, { type: 'consumerLayersChanged' }>[] = [];

beforeAll(async () => {
  node = await createLocalMediaNode({ workers: 1 });
  node.on('consumerLayersChanged', (e) => layerEvents.push(e));
  await node.openSession(session);
  sender = await RtpEndpoint.open();
  receiver = await RtpEndpoint.open();
  // SRTP in, so the sender reports prove the SRTCP we send is right.
  const ingest = await node.createPlainTransport(camera, { direction: 'send', srtp: true });
  await node.connectPlainTransport(camera, ingest.id, { srtpParameters: srtp });
  ingestPort = ingest.port;
  const { producerId } = await node.produce(camera, ingest.id, {
    kind: 'video',
    rtpParameters: { codecs: [vp8], encodings: layerSsrcs.map((ssrc) => ({ ssrc })) },
  });
  const out = await node.createPlainTransport(viewer, { direction: 'recv' });
  await node.connectPlainTransport(viewer, out.id, { ip: '127.0.0.1', port: receiver.port });
  const consumer = await node.consume(viewer, out.id, producerId, await node.routerRtpCapabilities(session));
  consumerId = consumer.id;
  await node.resumeConsumer(viewer, consumerId);
});

afterAll(async () => {
  await node?.close();
  sender?.close();
  receiver?.close();
});

/** One frame on every layer, one packet each; every fifth frame a key frame and sender reports. */
async function sendFrame(): Promise<void> {
  const keyFrame = frame % 5 === 0;
  for (const [layer, ssrc] of layerSsrcs.entries()) {
    if (keyFrame) {
      const report = {
        ssrc,
        wallClockMs: frame * (1000 / 30),
        rtpTimestamp: frame * 3000,
        packetCount: frame,
        octetCount: 0,
      };
      await sender.send(senderSrtp.protectRtcp(senderReport(report)), ingestPort);
    }
    const payload = vp8Payload({ pictureId: frame, start: true, keyFrame }, Buffer.from(`layer ${layer}`));
    await sender.send(
      senderSrtp.protect(
        rtpPacket(
          {
            payloadType: vp8.payloadType,
            sequenceNumber: frame,
            timestamp: frame * 3000,
            ssrc,
            marker: true,
          },
          payload,
        ),
      ),
      ingestPort,
    );
  }
  frame++;
}

const lastLayerReceived = () => {
  const last = receiver.packets.at(-1);
  return last ? rtpPayload(last).subarray(7).toString() : null;
};

describe('simulcast', () => {
  it('forwards the highest layer by default and reports it', async () => {
    await expect
      .poll(
        async () => {
          await sendFrame();
          return lastLayerReceived();
        },
        { timeout: 8000 },
      )
      .toBe('layer 2');
    expect(layerEvents.at(-1)).toMatchObject({ peerId: 'viewer', consumerId, layers: { spatialLayer: 2 } });
  });

  it('switches to the layer the viewer prefers (a gallery tile)', async () => {
    await node.setPreferredLayers(viewer, consumerId, { spatialLayer: 0, temporalLayer: 0 });
    await expect
      .poll(async () => {
        await sendFrame();
        return lastLayerReceived();
      })
      .toBe('layer 0');
    expect(layerEvents.at(-1)?.layers).toMatchObject({ spatialLayer: 0 });
    const stats = await node.consumerStats(viewer, consumerId);
    expect(stats.preferredLayers).toMatchObject({ spatialLayer: 0 });
    expect(stats.currentLayers).toMatchObject({ spatialLayer: 0 });
  });
});
