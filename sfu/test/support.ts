// Helpers for the media node's tests: UDP endpoints that send and collect RTP.
import { createSocket, type Socket } from 'node:dgram';
import { opusCodec, vp8Codec } from '../src/bench/load.js';
import { isRtcp, readSsrc, rtpPacket, vp8Payload } from '../src/bench/rtp.js';
import type { SrtpContext } from '../src/bench/srtp.js';
import type { PeerRef } from '../src/index.js';

export class RtpEndpoint {
  readonly packets: Buffer[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('message', (packet) => {
      if (!isRtcp(packet)) this.packets.push(packet);
    });
  }

  static async open(): Promise<RtpEndpoint> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new RtpEndpoint(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  from(ssrc: number): Buffer[] {
    return this.packets.filter((p) => readSsrc(p) === ssrc);
  }

  send(packet: Buffer, port: number): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(packet, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
    );
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * One VP8 frame per body, a packet each (a key frame first), to a port: what a camera sends,
 * from sequence number `firstSeq`, through SRTP if given a context, 30 frames/s unless told.
 */
export async function sendVp8Frames(
  sender: RtpEndpoint,
  to: { port: number; ssrc: number; firstSeq: number },
  bodies: Buffer[],
  options: {
    srtp?: SrtpContext;
    /** RTP time between frames (90 kHz clock). */
    timestampStep?: number;
    /** A pause of `ms` after every `every` packets, to keep a rate a busy machine still forwards. */
    pace?: { every: number; ms: number };
  } = {},
): Promise<void> {
  const { srtp, timestampStep = 3000, pace } = options;
  for (const [i, body] of bodies.entries()) {
    const payload = vp8Payload({ pictureId: i, start: true, keyFrame: i === 0 }, body);
    const header = {
      payloadType: vp8Codec.payloadType,
      sequenceNumber: to.firstSeq + i,
      timestamp: i * timestampStep,
      ssrc: to.ssrc,
      marker: true,
    };
    const packet = rtpPacket(header, payload);
    await sender.send(srtp ? srtp.protect(packet) : packet, to.port);
    if (pace && i % pace.every === pace.every - 1)
      await new Promise((resolve) => setTimeout(resolve, pace.ms));
  }
}

/** Opus RTP parameters for a PlainTransport producer sending on one SSRC. */
export function opusParameters(ssrc: number) {
  return { codecs: [{ ...opusCodec }], encodings: [{ ssrc }] };
}

export function audioPacket(ssrc: number, seq: number, payload: Buffer): Buffer {
  return rtpPacket(
    { payloadType: opusCodec.payloadType, sequenceNumber: seq, timestamp: seq * 960, ssrc },
    payload,
  );
}

export const peer = (sessionId: string, peerId: string): PeerRef => ({ sessionId, peerId });
