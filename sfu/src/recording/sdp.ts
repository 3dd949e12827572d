// The session description FFmpeg reads to receive one recorded stream over RTP: pure.
import type { RtpParameters } from 'mediasoup/types';

/** The codec a recording of this stream is written with, and the container's file extension. */
export function recordableCodec(rtp: RtpParameters): {
  name: string;
  clockRate: number;
  channels?: number;
  payloadType: number;
  fmtp: string;
} {
  const codec = rtp.codecs.find((c) => !/\/(rtx|red|ulpfec|flexfec)$/i.test(c.mimeType));
  if (!codec) throw new Error('the stream has no media codec');
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(';');
  return {
    name: codec.mimeType.split('/')[1] ?? '',
    clockRate: codec.clockRate,
    ...(codec.channels ? { channels: codec.channels } : {}),
    payloadType: codec.payloadType,
    fmtp,
  };
}

/** One m-line on `port` (RTCP on port + 1), unicast on the loopback. */
export function recorderSdp(kind: 'audio' | 'video', rtp: RtpParameters, port: number): string {
  const codec = recordableCodec(rtp);
  const rtpmap = [codec.name, codec.clockRate, ...(codec.channels ? [codec.channels] : [])].join('/');
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=Summit Bridge recorder',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=${kind} ${port} RTP/AVP ${codec.payloadType}`,
    `a=rtpmap:${codec.payloadType} ${rtpmap}`,
    ...(codec.fmtp ? [`a=fmtp:${codec.payloadType} ${codec.fmtp}`] : []),
    'a=recvonly',
    '',
  ].join('\r\n');
}
