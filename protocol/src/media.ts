import { z } from 'zod';
import { DelegationCode, MediaId, ParticipantId } from './ids.js';
import { SpokenLanguage } from './interpretation.js';

// WebRTC parameters are checked here for shape; mediasoup checks their meaning and its errors
// become invalid_payload too.

export const MediaKind = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof MediaKind>;

/**
 * What a producer carries: the studio microphone, the studio camera, an interpreter's voice into
 * its booth's channel, a shared screen (a screen, a window or a tab) and the sound that screen
 * plays, where the browser offers it.
 */
export const MediaSource = z.enum(['mic', 'camera', 'interpretation', 'screen', 'screenAudio']);
export type MediaSource = z.infer<typeof MediaSource>;

/** The one kind each source may carry. */
export const kindOfSource: Readonly<Record<MediaSource, MediaKind>> = {
  mic: 'audio',
  camera: 'video',
  interpretation: 'audio',
  screen: 'video',
  screenAudio: 'audio',
};

/** The sources of a presentation: only a delegation allowed to present may produce them. */
export function isPresentationSource(source: MediaSource): boolean {
  return source === 'screen' || source === 'screenAudio';
}

/** Why the server closed a producer its owner did not close. */
export const ProducerCloseReason = z.enum(['floorMoved', 'stoppedByChair']);
export type ProducerCloseReason = z.infer<typeof ProducerCloseReason>;

/**
 * The kind of media RTP parameters carry, read from their codecs' MIME types (`audio/opus`,
 * `video/rtx`…); null when the codecs disagree or name no kind. What a producer carries is
 * decided by this, never by the kind it claims.
 */
export function kindCarried(rtpParameters: { codecs: readonly { mimeType: string }[] }): MediaKind | null {
  const kinds = new Set(rtpParameters.codecs.map((c) => c.mimeType.split('/')[0]?.toLowerCase()));
  const [kind] = kinds;
  return kinds.size === 1 && (kind === 'audio' || kind === 'video') ? kind : null;
}

const Fingerprint = z.object({ algorithm: z.string().max(32), value: z.string().max(200) });

export const DtlsParameters = z.looseObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z.array(Fingerprint).min(1).max(8),
});

export const IceParameters = z.looseObject({
  usernameFragment: z.string(),
  password: z.string(),
  iceLite: z.boolean().optional(),
});

export const IceCandidate = z.looseObject({
  foundation: z.string(),
  priority: z.number(),
  address: z.string(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int(),
  type: z.string(),
  tcpType: z.string().optional(),
});

const RtpCodec = z.looseObject({
  mimeType: z.string().max(64),
  payloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  rtcpFeedback: z
    .array(z.looseObject({ type: z.string(), parameter: z.string().optional() }))
    .max(32)
    .optional(),
});

export const RtpParameters = z.looseObject({
  mid: z.string().max(32).optional(),
  codecs: z.array(RtpCodec).min(1).max(32),
  headerExtensions: z
    .array(z.looseObject({ uri: z.string(), id: z.number().int() }))
    .max(32)
    .optional(),
  encodings: z.array(z.looseObject({})).max(8).optional(),
  rtcp: z.looseObject({}).optional(),
});

export const RtpCapabilities = z.looseObject({
  codecs: z
    .array(z.looseObject({ kind: MediaKind, mimeType: z.string(), clockRate: z.number() }))
    .max(64)
    .optional(),
  headerExtensions: z.array(z.looseObject({})).max(64).optional(),
});

/**
 * A TURN server and the short-lived credentials for it (the TURN REST API scheme: the username
 * is `<expiry>:<participant>`, the credential an HMAC of it that the TURN server recomputes).
 */
export const IceServer = z.strictObject({
  urls: z
    .array(
      z
        .string()
        .max(256)
        .regex(/^turns?:/, 'a turn: or turns: URL'),
    )
    .min(1)
    .max(8),
  username: z.string().max(256),
  credential: z.string().max(256),
});
export type IceServer = z.infer<typeof IceServer>;

/** The TURN servers a client may relay through, and for how long their credentials hold. */
export const IceServers = z.object({
  iceServers: z.array(IceServer).max(4),
  /** Ask again well before this: a new allocation with expired credentials is refused. */
  validForSec: z.number().int().positive(),
});
export type IceServers = z.infer<typeof IceServers>;

export const TransportOptions = z.object({
  id: MediaId,
  iceParameters: IceParameters,
  iceCandidates: z.array(IceCandidate),
  dtlsParameters: DtlsParameters,
  /** Set by the signaling server when TURN is configured (a media node leaves them out). */
  iceServers: z.array(IceServer).max(4).optional(),
  iceServersValidForSec: z.number().int().positive().optional(),
});
export type TransportOptions = z.infer<typeof TransportOptions>;

export const ConsumerOptions = z.object({
  id: MediaId,
  producerId: MediaId,
  kind: MediaKind,
  rtpParameters: RtpParameters,
});
export type ConsumerOptions = z.infer<typeof ConsumerOptions>;

/** A producer as every participant of the session sees it. */
export const ProducerInfo = z.object({
  producerId: MediaId,
  participantId: ParticipantId,
  delegation: DelegationCode.nullable(),
  kind: MediaKind,
  source: MediaSource,
  /** An interpretation producer's channel: its booth's language. */
  channel: SpokenLanguage.optional(),
  /** Paused by its owner (microphone off) or by the server (floor policy, chair's mute). */
  paused: z.boolean(),
});
export type ProducerInfo = z.infer<typeof ProducerInfo>;

export const ConsumerLayers = z.object({
  spatialLayer: z.number().int().min(0).max(3),
  temporalLayer: z.number().int().min(0).max(3).optional(),
});
