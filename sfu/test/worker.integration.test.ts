// Proof that the installed mediasoup worker forwards real media: RTP through PlainTransports,
// and a real WebRTC peer (ICE + DTLS + SRTP) through a WebRtcServer.
import { createSocket, type Socket } from 'node:dgram';
import { NodePeer } from '@summit-bridge/testkit/node-peer';
import * as mediasoup from 'mediasoup';
import type { Router, RtpCapabilities, WebRtcServer, WebRtcTransport, Worker } from 'mediasoup/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionMediaCodecs } from '../src/index.js';

let worker: Worker;
let router: Router;

beforeAll(async () => {
  worker = await mediasoup.createWorker({ logLevel: 'warn' });
  router = await worker.createRouter({ mediaCodecs: sessionMediaCodecs });
});

afterAll(() => worker?.close());

function rtpPacket(seq: number, ssrc: number, payloadType: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = payloadType;
  header.writeUInt16BE(seq, 2);
  header.writeUInt32BE(seq * 960, 4);
  header.writeUInt32BE(ssrc, 8);
  return Buffer.concat([header, payload]);
}

/** The payload of an RTP packet, after the CSRCs and the header extension mediasoup may add. */
function rtpPayload(packet: Buffer): Buffer {
  const csrcCount = packet.readUInt8(0) & 0x0f;
  let offset = 12 + 4 * csrcCount;
  if (packet.readUInt8(0) & 0x10) offset += 4 + 4 * packet.readUInt16BE(offset + 2);
  return packet.subarray(offset);
}

async function boundSocket(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

describe('mediasoup worker', () => {
  it('forwards RTP from a PlainTransport producer to a PlainTransport consumer, payloads intact', async () => {
    const sender = await boundSocket();
    const receiver = await boundSocket();
    const inbound = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: true,
    });
    const outbound = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
    });
    await outbound.connect({ ip: '127.0.0.1', port: receiver.address().port });

    const ssrc = 0x1234;
    const producer = await inbound.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc }],
      },
    });
    const consumer = await outbound.consume({
      producerId: producer.id,
      rtpCapabilities: router.rtpCapabilities,
    });

    const received: Buffer[] = [];
    receiver.on('message', (msg) => {
      if ((msg[1] ?? 0) < 192 || (msg[1] ?? 0) > 223) received.push(msg); // skip RTCP
    });

    const count = 100;
    const payloads = Array.from({ length: count }, (_, i) => Buffer.from(`opus frame ${i} `.repeat(8)));
    for (let i = 0; i < count; i++) {
      sender.send(
        rtpPacket(1000 + i, ssrc, 100, payloads[i] as Buffer),
        inbound.tuple.localPort,
        '127.0.0.1',
      );
      await new Promise((r) => setTimeout(r, 2));
    }
    await expect.poll(() => received.length, { timeout: 5000 }).toBe(count);

    const consumerPayloadType = consumer.rtpParameters.codecs[0]?.payloadType;
    received.forEach((packet, i) => {
      expect(packet.readUInt8(1) & 0x7f).toBe(consumerPayloadType);
      expect(packet.readUInt32BE(8)).toBe(consumer.rtpParameters.encodings?.[0]?.ssrc);
      expect(rtpPayload(packet).equals(payloads[i] as Buffer)).toBe(true);
    });

    sender.close();
    receiver.close();
    inbound.close();
    outbound.close();
  });

  describe('with a real WebRTC peer', () => {
    let webRtcServer: WebRtcServer;
    const transports = new Map<string, WebRtcTransport>();
    let peer: NodePeer;

    beforeAll(async () => {
      webRtcServer = await worker.createWebRtcServer({
        listenInfos: [
          { protocol: 'udp', ip: '127.0.0.1' },
          { protocol: 'tcp', ip: '127.0.0.1' },
        ],
      });
      peer = await NodePeer.start({
        transportConnect: async ({ transportId, dtlsParameters }) => {
          await transports.get(transportId)?.connect({ dtlsParameters: dtlsParameters as never });
        },
        produce: async ({ transportId, kind, rtpParameters }) => {
          const transport = transports.get(transportId);
          if (!transport) throw new Error('unknown transport');
          const producer = await transport.produce({ kind, rtpParameters: rtpParameters as never });
          return { id: producer.id };
        },
      });
    });

    afterAll(async () => {
      await peer?.close();
      webRtcServer?.close();
    });

    async function webRtcTransport() {
      const transport = await router.createWebRtcTransport({ webRtcServer });
      transports.set(transport.id, transport);
      return {
        transport,
        options: {
          id: transport.id,
          iceParameters: transport.iceParameters,
          iceCandidates: transport.iceCandidates,
          dtlsParameters: transport.dtlsParameters,
        },
      };
    }

    it('completes ICE and DTLS, and its audio reaches a consumer', async () => {
      const { rtpCapabilities } = await peer.call<{ rtpCapabilities: RtpCapabilities }>('load', {
        routerRtpCapabilities: router.rtpCapabilities,
      });
      const send = await webRtcTransport();
      const recv = await webRtcTransport();
      await peer.call('createSendTransport', send.options);
      await peer.call('createRecvTransport', recv.options);

      const { id: producerId } = await peer.call<{ id: string }>('produceAudio', {
        transportId: send.transport.id,
      });
      await expect.poll(() => send.transport.dtlsState, { timeout: 10_000 }).toBe('connected');
      expect(send.transport.iceSelectedTuple?.protocol).toBe('udp');

      const consumer = await recv.transport.consume({ producerId, rtpCapabilities, paused: true });
      await peer.call('consume', {
        transportId: recv.transport.id,
        id: consumer.id,
        producerId,
        kind: consumer.kind,
        rtpParameters: consumer.rtpParameters,
      });
      await consumer.resume();
      await expect.poll(() => recv.transport.dtlsState, { timeout: 10_000 }).toBe('connected');

      // 50 packets of 20 ms: one second of the peer's tone received on the way back.
      await expect
        .poll(
          async () =>
            (await peer.call<{ packets: number }>('packetsReceived', { consumerId: consumer.id })).packets,
          { timeout: 10_000 },
        )
        .toBeGreaterThan(50);
      // 20 ms opus packets: a second of audio, counted where the worker sent it.
      await expect.poll(async () => (await consumer.getStats())[0]?.packetCount).toBeGreaterThan(50);
    });
  });
});
