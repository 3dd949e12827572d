// The benchmark's WebRTC receiving end against a real worker: ICE to a WebRtcServer, DTLS by
// OpenSSL, and the SRTP the worker sends decrypted with the key DTLS exported (Node's crypto,
// not the worker's libsrtp). If any step were wrong, no packet would authenticate.
import * as mediasoup from 'mediasoup';
import type { Router, WebRtcServer, Worker } from 'mediasoup/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vp8Codec } from '../src/bench/load.js';
import { isRtcp, payloadOffset } from '../src/bench/rtp.js';
import { randomSrtpKey, SrtpContext } from '../src/bench/srtp.js';
import {
  connectWebRtc,
  type DtlsCertificate,
  isDtls,
  isStun,
  makeDtlsCertificate,
  serverSrtpKey,
  stunBindingRequest,
} from '../src/bench/webRtcEnd.js';
import { RtpEndpoint, sendVp8Frames } from './support.js';

let worker: Worker;
let router: Router;
let server: WebRtcServer;
let certificate: DtlsCertificate & { remove(): void };

beforeAll(async () => {
  worker = await mediasoup.createWorker({ logLevel: 'warn' });
  router = await worker.createRouter({ mediaCodecs: [{ ...vp8Codec, kind: 'video' }] as never });
  server = await worker.createWebRtcServer({ listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }] });
  certificate = makeDtlsCertificate();
});

afterAll(() => {
  worker?.close();
  certificate?.remove();
});

/** RTP among what a WebRTC socket gets: version 2, not RTCP, not DTLS or STUN. */
const isRtp = (d: Buffer) => d.length >= 12 && (d[0] ?? 0) >> 6 === 2 && !isRtcp(d);

describe('the pieces', () => {
  it('signs a STUN binding request: MESSAGE-INTEGRITY over the message so far, FINGERPRINT last', () => {
    const request = stunBindingRequest({ usernameFragment: 'sfu', password: 'secret' }, 'me');
    expect(request.readUInt16BE(0)).toBe(0x0001);
    expect(request.readUInt16BE(2)).toBe(request.length - 20);
    expect(request.readUInt32BE(4)).toBe(0x2112a442);
    expect(request.subarray(20).toString('latin1')).toContain('sfu:me');
    // The last attribute is FINGERPRINT (4 bytes), before it MESSAGE-INTEGRITY (20).
    expect(request.readUInt16BE(request.length - 8)).toBe(0x8028);
    expect(request.readUInt16BE(request.length - 32)).toBe(0x0008);
    expect(isStun(request)).toBe(true);
    expect(isDtls(request)).toBe(false);
  });

  it('takes the server’s key and salt from the exported keying material (RFC 5764 §4.2)', () => {
    const material = Buffer.concat([
      Buffer.alloc(16, 0xc1),
      Buffer.alloc(16, 0x5e),
      Buffer.alloc(14, 0xc2),
      Buffer.alloc(14, 0x5f),
    ]);
    const key = serverSrtpKey(`x\n    Keying material: ${material.toString('hex').toUpperCase()}\n`);
    expect(key?.cryptoSuite).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(Buffer.from(key?.keyBase64 ?? '', 'base64')).toEqual(
      Buffer.concat([Buffer.alloc(16, 0x5e), Buffer.alloc(14, 0x5f)]),
    );
    expect(serverSrtpKey('no keys here')).toBeUndefined();
  });
});

describe('a WebRTC transport on a WebRtcServer', () => {
  it('connects by ICE and DTLS, and its SRTP decrypts with the exported key', async () => {
    const ssrc = 0x52000001;
    const ingest = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: true,
      enableSrtp: true,
    });
    const senderKey = randomSrtpKey();
    await ingest.connect({ srtpParameters: senderKey as never });
    const producer = await ingest.produce({
      kind: 'video',
      rtpParameters: { codecs: [vp8Codec], encodings: [{ ssrc }] } as never,
    });

    const transport = await router.createWebRtcTransport({ webRtcServer: server });
    await transport.connect({
      dtlsParameters: {
        role: 'client',
        fingerprints: [{ algorithm: 'sha-256', value: certificate.fingerprint }],
      },
    });
    const [candidate] = transport.iceCandidates;
    const end = await RtpEndpoint.open();
    const { key, keepAlive } = await connectWebRtc(
      end.socket,
      { ip: candidate?.address ?? '', port: candidate?.port ?? 0, ...transport.iceParameters },
      certificate,
    );
    expect(transport.iceState).toMatch(/connected|completed/);
    await expect.poll(() => transport.dtlsState).toBe('connected');
    keepAlive();

    const consumer = await transport.consume({
      producerId: producer.id,
      rtpCapabilities: router.rtpCapabilities,
    });
    const outSsrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
    const sender = await RtpEndpoint.open();
    const senderSrtp = new SrtpContext(senderKey);
    const payloads = Array.from({ length: 20 }, (_, i) => Buffer.from(`frame ${i} `.repeat(30)));
    await sendVp8Frames(sender, { port: ingest.tuple.localPort, ssrc, firstSeq: 500 }, payloads, {
      srtp: senderSrtp,
    });
    const rtp = () => end.packets.filter((d) => isRtp(d) && d.readUInt32BE(8) === outSsrc);
    await expect.poll(() => rtp().length, { timeout: 10_000 }).toBe(payloads.length);
    const srtp = new SrtpContext(key);
    const clear = rtp().map((packet) => srtp.unprotect(packet, payloadOffset(packet)));
    expect(clear.map((c) => c?.subarray(payloadOffset(c) + 7))).toEqual(payloads);
    // A key that is not the exported one authenticates nothing.
    const other = new SrtpContext(randomSrtpKey());
    expect(other.unprotect(Buffer.from(rtp()[0] as Buffer), payloadOffset(rtp()[0] as Buffer))).toBeNull();

    sender.close();
    end.close();
    ingest.close();
    transport.close();
  });
});
