import type { RouterRtpCodecCapability } from 'mediasoup/types';

// The codecs every session router offers: opus for speech (stereo allowed for music and
// interpretation), VP8 first for simulcast, VP9 for SVC, H264 for hardware encoders in studios.
export const sessionMediaCodecs: RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 1000 } },
  { kind: 'video', mimeType: 'video/VP9', clockRate: 90000, parameters: { 'profile-id': 2 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];

// Codecs that repair or protect a media codec rather than carry media of their own.
const repairCodecs = new Set(['rtx', 'ulpfec', 'flexfec', 'red']);

/**
 * Why a producer's RTP parameters are refused, or null: each media codec must be one the router
 * offers (MIME type, clock rate, channels), and every codec must be of the kind it claims — a
 * "video" producer carrying opus would slip past a policy that holds back audio.
 */
export function producerCodecsProblem(
  kind: 'audio' | 'video',
  codecs: readonly { mimeType: string; clockRate: number; channels?: number }[],
  routerCodecs: readonly { kind: string; mimeType: string; clockRate: number; channels?: number }[],
): string | null {
  for (const codec of codecs) {
    const [type = '', name = ''] = codec.mimeType.toLowerCase().split('/');
    if (type !== kind) return `codec ${codec.mimeType} is not ${kind}`;
    if (repairCodecs.has(name)) continue;
    const offered = routerCodecs.some(
      (r) =>
        r.kind === kind &&
        r.mimeType.toLowerCase() === codec.mimeType.toLowerCase() &&
        r.clockRate === codec.clockRate &&
        (kind !== 'audio' || (r.channels ?? 1) >= (codec.channels ?? 1)),
    );
    if (!offered) return `codec ${codec.mimeType}/${codec.clockRate} is not offered by this session's router`;
  }
  return null;
}
