// Retransmission on NACK from the worker's buffers: each consumer's stream keeps the packets it
// sent for a while (the worker's Items, pooled and reused across consumers), and resends the
// ones a receiver reports lost. Forty consumers store and expire thousands of packets; then
// every receiver NACKs ten recent packets, which must come again exactly as first sent, and one
// expired packet, which must not.
import { createSocket, type Socket } from 'node:dgram';
import type { types } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vp8Codec } from '../src/bench/load.js';
import { isRtcp, readSequenceNumber, readSsrc, rtpPayload } from '../src/bench/rtp.js';
import { genericNack } from '../src/recording/rtcp.js';
import { RtpEndpoint, sendVp8Frames } from './support.js';

const TRANSPORTS = 4;
const CONSUMERS_PER_TRANSPORT = 10;
const PACKETS = 400;
/** 10 ms of RTP time a packet: 400 packets span 4 s, twice what the worker keeps for video. */
const TIMESTAMP_STEP = 900;
const PRODUCER_SSRC = 0x0a11;
const NACK_SENDER_SSRC = 0x5eed;
const listenIp = '127.0.0.1';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Received {
  /** Payload as first received, by sequence number. */
  first: Map<number, Buffer>;
  /** How many times each sequence number arrived. */
  times: Map<number, number>;
  resent: { seq: number; payload: Buffer }[];
}

describe('retransmission from the worker', () => {
  let worker: types.Worker;
  const receivers: { socket: Socket; port: number; streams: Map<number, Received> }[] = [];
  const consumers: { consumer: types.Consumer; receiver: number; transportPort: number }[] = [];
  let ingestPort = 0;

  beforeAll(async () => {
    worker = await mediasoup.createWorker({ logLevel: 'warn' });
    const router = await worker.createRouter({ mediaCodecs: [{ ...vp8Codec, kind: 'video' }] as never });
    const ingest = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: listenIp, recvBufferSize: 4 * 1024 * 1024 },
      comedia: true,
    });
    ingestPort = ingest.tuple.localPort;
    const producer = await ingest.produce({
      kind: 'video',
      rtpParameters: { codecs: [{ ...vp8Codec }], encodings: [{ ssrc: PRODUCER_SSRC }] } as never,
    });
    // Without RTX a resent packet comes on the stream itself, as it first came.
    const rtpCapabilities = {
      ...router.rtpCapabilities,
      codecs: router.rtpCapabilities.codecs?.filter((c) => c.mimeType !== 'video/rtx'),
    };
    for (let t = 0; t < TRANSPORTS; t++) {
      const socket = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
      const streams = new Map<number, Received>();
      socket.on('message', (packet) => {
        if (isRtcp(packet)) return;
        const ssrc = readSsrc(packet);
        const seq = readSequenceNumber(packet);
        let stream = streams.get(ssrc);
        if (!stream) {
          stream = { first: new Map(), times: new Map(), resent: [] };
          streams.set(ssrc, stream);
        }
        const times = (stream.times.get(seq) ?? 0) + 1;
        stream.times.set(seq, times);
        if (times === 1) stream.first.set(seq, Buffer.from(rtpPayload(packet)));
        else stream.resent.push({ seq, payload: Buffer.from(rtpPayload(packet)) });
      });
      await new Promise<void>((resolve) => socket.bind(0, listenIp, resolve));
      receivers.push({ socket, port: socket.address().port, streams });
      const egress = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: listenIp } });
      await egress.connect({ ip: listenIp, port: socket.address().port });
      for (let c = 0; c < CONSUMERS_PER_TRANSPORT; c++) {
        const consumer = await egress.consume({
          producerId: producer.id,
          rtpCapabilities: rtpCapabilities as never,
        });
        consumers.push({ consumer, receiver: t, transportPort: egress.tuple.localPort });
      }
    }

    // One frame a packet, each payload its own (so a resend of the wrong Item would show).
    const bodies = Array.from({ length: PACKETS }, (_, i) => {
      const body = Buffer.alloc(1000);
      body.writeUInt32BE(i, 0);
      body.fill(i & 0xff, 4);
      return body;
    });
    const sender = await RtpEndpoint.open();
    // ~500 packets/s in, 20,000 out: well within what one worker forwards, even on a busy CI.
    await sendVp8Frames(sender, { port: ingestPort, ssrc: PRODUCER_SSRC, firstSeq: 1000 }, bodies, {
      timestampStep: TIMESTAMP_STEP,
      pace: { every: 2, ms: 4 },
    });
    sender.close();
    await sleep(500);
  }, 60_000);

  afterAll(() => {
    for (const r of receivers) r.socket.close();
    worker?.close();
  });

  it('forwards every packet to every consumer, once', () => {
    for (const { consumer, receiver } of consumers) {
      const stream = receivers[receiver]?.streams.get(consumer.rtpParameters.encodings?.[0]?.ssrc ?? 0);
      expect(stream?.first.size).toBe(PACKETS);
      expect(stream?.resent).toEqual([]);
    }
  });

  it('resends what a receiver NACKs, as first sent, and nothing expired', async () => {
    const asked: { stream: Received; recent: number[]; expired: number }[] = [];
    for (const { consumer, receiver, transportPort } of consumers) {
      const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc ?? 0;
      const r = receivers[receiver];
      const stream = r?.streams.get(ssrc);
      if (!r || !stream) throw new Error(`no stream for consumer ${consumer.id}`);
      const seqs = [...stream.first.keys()];
      const newest = seqs[seqs.length - 1] ?? 0;
      const oldest = seqs[0] ?? 0;
      // Ten recent packets: the 11th newest to the 2nd newest.
      const recent = Array.from({ length: 10 }, (_, k) => (newest - 10 + k) & 0xffff);
      await new Promise<void>((resolve) =>
        r.socket.send(genericNack(NACK_SENDER_SSRC, ssrc, recent), transportPort, listenIp, () => resolve()),
      );
      await new Promise<void>((resolve) =>
        r.socket.send(genericNack(NACK_SENDER_SSRC, ssrc, [oldest]), transportPort, listenIp, () =>
          resolve(),
        ),
      );
      asked.push({ stream, recent, expired: oldest });
    }
    await sleep(1000);

    for (const { stream, recent, expired } of asked) {
      expect(stream.resent.map((p) => p.seq).sort((a, b) => a - b)).toEqual(
        [...recent].sort((a, b) => a - b),
      );
      for (const { seq, payload } of stream.resent)
        expect(payload.equals(stream.first.get(seq) ?? Buffer.alloc(0))).toBe(true);
      expect(stream.times.get(expired)).toBe(1);
    }
  }, 30_000);
});
