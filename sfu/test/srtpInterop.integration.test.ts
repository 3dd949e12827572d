// The worker's SRTP against an implementation that shares nothing with it (Node's crypto, in
// src/bench/srtp.ts), for every suite mediasoup offers: what we encrypt the worker decrypts
// and forwards, what it encrypts (RTP, and its own SRTCP reports) we decrypt and authenticate.
import { spawnSync } from 'node:child_process';
import * as mediasoup from 'mediasoup';
import type { Router, Worker } from 'mediasoup/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vp8Codec } from '../src/bench/load.js';
import { isRtcp, payloadOffset } from '../src/bench/rtp.js';
import { randomSrtpKey, SRTP_SUITES, SrtpContext, type SrtpSuite } from '../src/bench/srtp.js';
import { RtpEndpoint, sendVp8Frames } from './support.js';

const suites = Object.keys(SRTP_SUITES) as SrtpSuite[];
const listenInfo = { protocol: 'udp', ip: '127.0.0.1' } as const;

let worker: Worker;
let router: Router;

beforeAll(async () => {
  worker = await mediasoup.createWorker({ logLevel: 'warn' });
  router = await worker.createRouter({ mediaCodecs: [{ ...vp8Codec, kind: 'video' }] as never });
});

afterAll(() => worker?.close());

/** Raw datagrams a socket got, RTP and RTCP alike. */
function collect(endpoint: RtpEndpoint): Buffer[] {
  const all: Buffer[] = [];
  endpoint.socket.on('message', (packet) => all.push(packet));
  return all;
}

describe('the worker binary', () => {
  it('carries its own libsrtp on OpenSSL: it links neither Debian’s libsrtp2 nor NSS', () => {
    const ldd = spawnSync('ldd', [mediasoup.workerBin], { encoding: 'utf8' });
    expect(ldd.status).toBe(0);
    expect(ldd.stdout).toContain('libcrypto.so');
    expect(ldd.stdout).not.toMatch(/libsrtp2|libnss3|libnspr4/);
  });
});

describe.each(suites)('SRTP interop, %s', (suite) => {
  it('forwards our packets and sends packets and reports we decrypt', async () => {
    const ssrc = 0x51000000 + suites.indexOf(suite);
    const ingest = await router.createPlainTransport({
      listenInfo,
      rtcpMux: true,
      comedia: true,
      enableSrtp: true,
      srtpCryptoSuite: suite,
    });
    const senderKey = randomSrtpKey(suite);
    await ingest.connect({ srtpParameters: senderKey as never });
    const producer = await ingest.produce({
      kind: 'video',
      rtpParameters: { codecs: [vp8Codec], encodings: [{ ssrc }] } as never,
    });

    const receiver = await RtpEndpoint.open();
    const datagrams = collect(receiver);
    const egress = await router.createPlainTransport({
      listenInfo,
      rtcpMux: true,
      enableSrtp: true,
      srtpCryptoSuite: suite,
    });
    await egress.connect({
      ip: '127.0.0.1',
      port: receiver.port,
      srtpParameters: randomSrtpKey(suite) as never,
    });
    expect(egress.srtpParameters?.cryptoSuite).toBe(suite);
    const consumer = await egress.consume({
      producerId: producer.id,
      rtpCapabilities: router.rtpCapabilities,
    });
    const outSsrc = consumer.rtpParameters.encodings?.[0]?.ssrc;

    const sender = await RtpEndpoint.open();
    const senderSrtp = new SrtpContext(senderKey);
    const payloads = Array.from({ length: 40 }, (_, i) => Buffer.from(`${suite} frame ${i} `.repeat(20)));
    await sendVp8Frames(sender, { port: ingest.tuple.localPort, ssrc, firstSeq: 1000 }, payloads, {
      srtp: senderSrtp,
    });

    const rtp = () => datagrams.filter((d) => !isRtcp(d) && d.readUInt32BE(8) === outSsrc);
    await expect.poll(() => rtp().length, { timeout: 10_000 }).toBe(payloads.length);
    const srtp = new SrtpContext(egress.srtpParameters as never);
    const clear = rtp().map((packet) => srtp.unprotect(packet, payloadOffset(packet)));
    expect(clear.every((c) => c !== null)).toBe(true);
    expect(clear.map((c) => c?.subarray(payloadOffset(c) + 7))).toEqual(payloads);

    // The worker's own SRTCP: a sender report for the stream it sends, about once a second.
    const reports = new SrtpContext(egress.srtpParameters as never);
    await expect.poll(() => datagrams.filter(isRtcp).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const report = reports.unprotectRtcp(datagrams.find(isRtcp) as Buffer);
    expect(report?.readUInt8(1)).toBe(200);
    expect(report?.readUInt32BE(4)).toBe(outSsrc);

    // And a check that can fail: one bit changed in the payload fails authentication.
    const tampered = Buffer.from(rtp()[5] as Buffer);
    tampered[tampered.length - 20] = (tampered[tampered.length - 20] ?? 0) ^ 1;
    expect(
      new SrtpContext(egress.srtpParameters as never).unprotect(tampered, payloadOffset(tampered)),
    ).toBeNull();

    sender.close();
    receiver.close();
    ingest.close();
    egress.close();
  });
});
