// Synthetic RTP for tests and the benchmark: packets a real decoder would not enjoy, but whose
// headers and VP8 descriptors mediasoup parses exactly as it parses a browser's.

import { isRtcp, payloadOffset } from '../recording/rtcp.js';

export interface RtpHeader {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  marker?: boolean;
}

export function rtpPacket(header: RtpHeader, payload: Buffer): Buffer {
  const packet = Buffer.allocUnsafe(12 + payload.length);
  packet[0] = 0x80;
  packet[1] = (header.marker ? 0x80 : 0) | header.payloadType;
  packet.writeUInt16BE(header.sequenceNumber & 0xffff, 2);
  packet.writeUInt32BE(header.timestamp >>> 0, 4);
  packet.writeUInt32BE(header.ssrc >>> 0, 8);
  payload.copy(packet, 12);
  return packet;
}

// Reading RTP and RTCP is the recorder's too: one implementation, kept beside it.
export { isRtcp, payloadOffset };

export function rtpPayload(packet: Buffer): Buffer {
  return packet.subarray(payloadOffset(packet));
}

export const readSequenceNumber = (packet: Buffer) => packet.readUInt16BE(2);
export const readSsrc = (packet: Buffer) => packet.readUInt32BE(8);

/**
 * A VP8 payload descriptor (RFC 7741) with a 15-bit picture id, TL0PICIDX and temporal layer 0,
 * then the first byte of a VP8 frame header, whose low bit is 0 on a key frame.
 */
export function vp8Payload(
  opts: { pictureId: number; start: boolean; keyFrame: boolean },
  body: Buffer,
): Buffer {
  const head = Buffer.from([
    0x80 | (opts.start ? 0x10 : 0),
    0xe0,
    0x80 | ((opts.pictureId >> 8) & 0x7f),
    opts.pictureId & 0xff,
    opts.pictureId & 0xff,
    0x00,
    opts.keyFrame ? 0x00 : 0x01,
  ]);
  return Buffer.concat([head, body]);
}

const NTP_EPOCH_OFFSET_S = 2_208_988_800;

/**
 * An RTCP sender report: it maps a stream's RTP clock to wall time, which mediasoup needs before
 * it switches a consumer between simulcast streams.
 */
export function senderReport(report: {
  ssrc: number;
  wallClockMs: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
}): Buffer {
  const packet = Buffer.alloc(28);
  packet[0] = 0x80;
  packet[1] = 200;
  packet.writeUInt16BE(6, 2);
  packet.writeUInt32BE(report.ssrc >>> 0, 4);
  const seconds = Math.floor(report.wallClockMs / 1000);
  packet.writeUInt32BE((seconds + NTP_EPOCH_OFFSET_S) >>> 0, 8);
  packet.writeUInt32BE(Math.floor(((report.wallClockMs % 1000) / 1000) * 2 ** 32) >>> 0, 12);
  packet.writeUInt32BE(report.rtpTimestamp >>> 0, 16);
  packet.writeUInt32BE(report.packetCount >>> 0, 20);
  packet.writeUInt32BE(report.octetCount >>> 0, 24);
  return packet;
}
