// The synthetic media the benchmark sends: stream profiles, and how a packet carries its send
// time so that a receiver can measure the delay the SFU adds.
import type { SrtpKey } from './srtp.js';
import type { Address, DtlsCertificate, IceCredentials } from './webRtcEnd.js';

export interface StreamProfile {
  kind: 'audio' | 'video';
  packetsPerSecond: number;
  payloadBytes: number;
}

/** Opus speech: 50 packets of 20 ms a second. */
export const audioProfile: StreamProfile = { kind: 'audio', packetsPerSecond: 50, payloadBytes: 160 };
/** About 1 Mbit/s of video in 1,100-byte packets. */
export const videoProfile: StreamProfile = { kind: 'video', packetsPerSecond: 114, payloadBytes: 1100 };
/** A camera's three simulcast streams, low to high: about 150 kbit/s, 400 kbit/s and 1 Mbit/s. */
export const simulcastProfiles: StreamProfile[] = [
  { kind: 'video', packetsPerSecond: 17, payloadBytes: 1100 },
  { kind: 'video', packetsPerSecond: 45, payloadBytes: 1100 },
  videoProfile,
];

export const AUDIO_PT = 100;
export const VIDEO_PT = 101;
export const VP8_DESCRIPTOR_BYTES = 7;

export interface StreamSpec extends StreamProfile {
  ssrc: number;
}

/** One producer's worth of RTP: where it goes, its SRTP key, and its streams (3 for simulcast). */
export interface SourceSpec {
  /** Where the SFU listens for it; 127.0.0.1 if absent. */
  ip?: string;
  port: number;
  srtp: SrtpKey;
  streams: StreamSpec[];
}

/** Where the send time sits in a payload: after the VP8 descriptor for video. */
export const timeOffset = (kind: 'audio' | 'video') => (kind === 'video' ? VP8_DESCRIPTOR_BYTES : 0);

/** Wall-clock milliseconds with sub-millisecond precision, comparable between processes. */
export const nowMs = () => performance.timeOrigin + performance.now();

export const opusCodec = { mimeType: 'audio/opus', payloadType: AUDIO_PT, clockRate: 48000, channels: 2 };
export const vp8Codec = {
  mimeType: 'video/VP8',
  payloadType: VIDEO_PT,
  clockRate: 90000,
  rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
};

/** The RTP parameters of a producer sending these streams (several video streams = simulcast). */
export function producerParameters(streams: StreamSpec[]) {
  const kind = streams[0]?.kind ?? 'audio';
  return {
    kind,
    rtpParameters: {
      codecs: [kind === 'audio' ? opusCodec : vp8Codec],
      encodings: streams.map((s) => ({ ssrc: s.ssrc })),
    },
  };
}

// ---- messages between the benchmark and its sender and receiver processes ------------------

export type SenderCommand = { type: 'start'; sources: SourceSpec[] } | { type: 'stop' };
export type SenderReply = { type: 'started' } | { type: 'stopped'; sent: Record<number, number> };

export interface ConsumerSpec {
  ssrc: number;
  kind: 'audio' | 'video';
  /** The SFU's key for this consumer's transport, to check samples. */
  srtp: SrtpKey;
}

export interface StreamReport {
  received: number;
  /** Packets missing between the first and the highest sequence number seen. */
  gaps: number;
}

export type ReceiverCommand =
  | { type: 'open'; sockets: number }
  /** A WebRTC end (numbered by the benchmark): a socket, ICE and DTLS with an SFU's transport. */
  | { type: 'connect'; id: number; server: Address & IceCredentials; certificate: DtlsCertificate }
  | { type: 'hangUp'; id: number }
  | { type: 'expect'; consumers: ConsumerSpec[] }
  | { type: 'reset' }
  | { type: 'report' };
export type ReceiverReply =
  | { type: 'opened'; ports: number[] }
  | { type: 'ok' }
  | { type: 'connected'; key: SrtpKey }
  | { type: 'failed'; error: string }
  | {
      type: 'report';
      streams: Record<number, StreamReport>;
      delaysMs: number[];
      authFailures: number;
    };
