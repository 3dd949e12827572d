import { z } from 'zod';
import { MediaId } from './ids.js';
import {
  ConsumerLayers,
  ConsumerOptions,
  DtlsParameters,
  IceParameters,
  MediaKind,
  RtpCapabilities,
  RtpParameters,
  TransportOptions,
} from './media.js';
import { RecordedTrack, RecordingId } from './recording.js';

// What the media node reports to the server: its events, the stats technicians see, and its
// workers' load. The node knows sessions and peers by opaque ids only.

/** A session or a peer as the media node knows it: any short printable id the server chooses. */
export const NodeId = z.string().min(1).max(128);

export const TransportDirection = z.enum(['send', 'recv']);
export type TransportDirection = z.infer<typeof TransportDirection>;

export const IceState = z.enum(['new', 'connected', 'completed', 'disconnected', 'closed']);
export const DtlsState = z.enum(['new', 'connecting', 'connected', 'failed', 'closed']);

/** The network path a transport's media takes: UDP, or TCP for a site behind a strict firewall. */
export const TransportTuple = z.object({
  protocol: z.enum(['udp', 'tcp']),
  localAddress: z.string(),
  localPort: z.number().int(),
  remoteAddress: z.string().optional(),
  remotePort: z.number().int().optional(),
});
export type TransportTuple = z.infer<typeof TransportTuple>;

/** Why a producer or consumer went away. */
export const CloseReason = z.enum([
  'requested', // closed by a closeProducer/closeConsumer call
  'producerClosed', // a consumer whose producer closed
  'transportClosed',
  'peerClosed',
  'sessionClosed',
  'workerDied',
  'nodeClosed',
]);
export type CloseReason = z.infer<typeof CloseReason>;

const peerEvent = { sessionId: NodeId, peerId: NodeId };

export const MediaNodeEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('producerClosed'), ...peerEvent, producerId: MediaId, reason: CloseReason }),
  z.object({
    type: z.literal('consumerClosed'),
    ...peerEvent,
    consumerId: MediaId,
    producerId: MediaId,
    reason: CloseReason,
  }),
  /** The layers a simulcast/SVC consumer now forwards; null when it forwards nothing. */
  z.object({
    type: z.literal('consumerLayersChanged'),
    ...peerEvent,
    consumerId: MediaId,
    layers: ConsumerLayers.nullable(),
  }),
  z.object({ type: z.literal('transportIceState'), ...peerEvent, transportId: MediaId, iceState: IceState }),
  z.object({
    type: z.literal('transportDtlsState'),
    ...peerEvent,
    transportId: MediaId,
    dtlsState: DtlsState,
  }),
  /** The dominant speaker of the session, by audio producer. */
  z.object({ type: z.literal('activeSpeaker'), ...peerEvent, producerId: MediaId }),
  /** The loudest audio producers, loudest first, in dBvo (-127..0); empty when all are silent. */
  z.object({
    type: z.literal('audioLevels'),
    sessionId: NodeId,
    levels: z.array(z.object({ peerId: NodeId, producerId: MediaId, volume: z.number() })),
  }),
  /**
   * A worker died: these peers' transports, producers and consumers are gone; the session is
   * rebuilt and they must create their transports, produce and consume again.
   */
  z.object({
    type: z.literal('peersMustReconnect'),
    sessionId: NodeId,
    peerIds: z.array(NodeId),
    reason: z.literal('workerDied'),
  }),
  /** A recorder process died and another took over: a gap in the track, kept visible. */
  z.object({
    type: z.literal('recorderRestarted'),
    sessionId: NodeId,
    recordingId: RecordingId,
    track: RecordedTrack,
  }),
]);
export type MediaNodeEvent = z.infer<typeof MediaNodeEvent>;

/** What the node records of a producer that lives there, and in which recording. */
export const RecorderSpec = RecordedTrack.omit({ segments: true }).extend({ recordingId: RecordingId });
export type RecorderSpec = z.infer<typeof RecorderSpec>;
export type MediaNodeEventType = MediaNodeEvent['type'];
export type MediaNodeEventOf<T extends MediaNodeEventType> = Extract<MediaNodeEvent, { type: T }>;

/** A consumer's priority when the bandwidth cannot carry every stream (255 = first served). */
export const ConsumerPriority = z.number().int().min(1).max(255);

/** A PlainTransport (RTP without ICE/DTLS: gateways, recorders, load tools) as its remote end sees it. */
export const PlainTransportOptions = z.object({
  id: MediaId,
  ip: z.string(),
  port: z.number().int(),
  /** The node's SRTP key, for the remote end to decrypt what the node sends; absent without SRTP. */
  srtpParameters: z.object({ cryptoSuite: z.string(), keyBase64: z.string() }).optional(),
});
export type PlainTransportOptions = z.infer<typeof PlainTransportOptions>;

/** Where a PlainTransport sends, and the remote end's SRTP key when SRTP is on. */
export const PlainTransportRemote = z.object({
  ip: z.string().optional(),
  port: z.number().int().min(1).max(65535).optional(),
  srtpParameters: z.object({ cryptoSuite: z.string(), keyBase64: z.string() }).optional(),
});
export type PlainTransportRemote = z.infer<typeof PlainTransportRemote>;

const SrtpParameters = z.object({ cryptoSuite: z.string().max(64), keyBase64: z.string().max(128) });

/** One end of a pipe between two media nodes (or two routers of one): where it listens. */
export const PipeAddress = z.object({
  ip: z.string().max(64),
  port: z.number().int().min(1).max(65535),
  /** The end's SRTP key: set between hosts, absent inside one. */
  srtpParameters: SrtpParameters.optional(),
});
export type PipeAddress = z.infer<typeof PipeAddress>;

/** A producer as it crosses a pipe: the far end produces it under the same id. */
export const PipedProducer = z.object({
  producerId: MediaId,
  kind: MediaKind,
  rtpParameters: z.looseObject({ codecs: z.array(z.looseObject({})).min(1).max(32) }),
  paused: z.boolean(),
});
export type PipedProducer = z.infer<typeof PipedProducer>;

export const TransportStats = z.object({
  transportId: MediaId,
  iceState: IceState.optional(),
  dtlsState: DtlsState.optional(),
  tuple: TransportTuple.optional(),
  bytesReceived: z.number(),
  bytesSent: z.number(),
  recvBitrate: z.number(),
  sendBitrate: z.number(),
  availableOutgoingBitrate: z.number().optional(),
  packetLossReceived: z.number().optional(),
  packetLossSent: z.number().optional(),
});
export type TransportStats = z.infer<typeof TransportStats>;

/** One RTP stream: a producer has one per simulcast layer, a consumer one. */
export const RtpStreamStats = z.object({
  ssrc: z.number().int(),
  rid: z.string().optional(),
  kind: MediaKind,
  mimeType: z.string(),
  packetCount: z.number(),
  byteCount: z.number(),
  bitrate: z.number(),
  packetsLost: z.number(),
  fractionLost: z.number(),
  jitter: z.number().optional(),
  roundTripTime: z.number().optional(),
  nackCount: z.number(),
  pliCount: z.number(),
  firCount: z.number(),
  score: z.number(),
});
export type RtpStreamStats = z.infer<typeof RtpStreamStats>;

export const ProducerStats = z.object({
  producerId: MediaId,
  paused: z.boolean(),
  streams: z.array(RtpStreamStats),
});
export type ProducerStats = z.infer<typeof ProducerStats>;

export const ConsumerStats = z.object({
  consumerId: MediaId,
  producerId: MediaId,
  paused: z.boolean(),
  producerPaused: z.boolean(),
  priority: z.number().int(),
  preferredLayers: ConsumerLayers.nullable(),
  currentLayers: ConsumerLayers.nullable(),
  stream: RtpStreamStats.nullable(),
});
export type ConsumerStats = z.infer<typeof ConsumerStats>;

/** A consumer as the node knows it without asking its worker: cheap to read for hundreds. */
export const ConsumerState = ConsumerStats.omit({ stream: true }).extend({
  kind: MediaKind,
  /** The consumer's score (0-10), as the worker last reported it. */
  score: z.number().int().min(0).max(10),
});
export type ConsumerState = z.infer<typeof ConsumerState>;

/**
 * Everything of one peer at the media node, read in one go: what telemetry samples every 2 s.
 * Transports and producers with their workers' stats; consumers (13 per site in a 14-site
 * summit) by their state only: consumerStats reads one in full.
 */
export const PeerStats = z.object({
  peerId: NodeId,
  transports: z.array(TransportStats.extend({ direction: TransportDirection })),
  producers: z.array(ProducerStats.extend({ kind: MediaKind })),
  consumers: z.array(ConsumerState),
});
export type PeerStats = z.infer<typeof PeerStats>;

/** One mediasoup worker's load: what an allocator or a technician's dashboard reads. */
export const WorkerUsage = z.object({
  index: z.number().int(),
  pid: z.number().int(),
  /** CPU time used since the worker started, user + system, in milliseconds. */
  cpuMs: z.number(),
  maxRssKb: z.number(),
  routers: z.number().int(),
  transports: z.number().int(),
  producers: z.number().int(),
  consumers: z.number().int(),
});
export type WorkerUsage = z.infer<typeof WorkerUsage>;

// ---- The control channel between a signaling instance and a media node process ----------------
// socket.io: one request per MediaNode call, `emit(method, args, ack)`, args as an array; the node
// pushes its events as `event`. Both ends validate every message with these schemas.

export const NodeState = z.enum(['SERVING', 'DRAINING']);
export type NodeState = z.infer<typeof NodeState>;

/**
 * The handshake of a control connection: who connects and a proof it holds the cluster's secret,
 * HMAC-SHA256(secret, `${instanceId}.${at}`) in hex. The secret never crosses the wire, and a proof
 * is only good for a minute.
 */
export const NodeControlHandshake = z.strictObject({
  instanceId: NodeId,
  at: z.number().int(),
  proof: z.string().regex(/^[0-9a-f]{64}$/),
});
export type NodeControlHandshake = z.infer<typeof NodeControlHandshake>;

const Peer = z.strictObject({ sessionId: NodeId, peerId: NodeId });
const none = z.object({});
const call = <A extends z.ZodTuple, R extends z.ZodType>(args: A, result: R) => ({ args, result });

/** Every MediaNode call as a control request: its arguments and its result. */
export const nodeRequests = {
  openSession: call(z.tuple([NodeId]), none),
  closeSession: call(z.tuple([NodeId]), none),
  routerRtpCapabilities: call(z.tuple([NodeId]), RtpCapabilities),
  createTransport: call(
    z.tuple([Peer, z.strictObject({ direction: TransportDirection, forceTcp: z.boolean().optional() })]),
    TransportOptions,
  ),
  connectTransport: call(z.tuple([Peer, MediaId, DtlsParameters]), none),
  restartIce: call(z.tuple([Peer, MediaId]), IceParameters),
  closeTransport: call(z.tuple([Peer, MediaId]), none),
  createPlainTransport: call(
    z.tuple([Peer, z.strictObject({ direction: TransportDirection, srtp: z.boolean().optional() })]),
    PlainTransportOptions,
  ),
  connectPlainTransport: call(z.tuple([Peer, MediaId, PlainTransportRemote]), none),
  produce: call(
    z.tuple([
      Peer,
      MediaId,
      z.strictObject({ kind: MediaKind, rtpParameters: RtpParameters, paused: z.boolean().optional() }),
    ]),
    z.object({ producerId: MediaId }),
  ),
  pauseProducer: call(z.tuple([Peer, MediaId]), none),
  resumeProducer: call(z.tuple([Peer, MediaId]), none),
  closeProducer: call(z.tuple([Peer, MediaId]), none),
  consume: call(z.tuple([Peer, MediaId, MediaId, RtpCapabilities]), ConsumerOptions),
  pauseConsumer: call(z.tuple([Peer, MediaId]), none),
  resumeConsumer: call(z.tuple([Peer, MediaId]), none),
  closeConsumer: call(z.tuple([Peer, MediaId]), none),
  setPreferredLayers: call(z.tuple([Peer, MediaId, ConsumerLayers]), none),
  setConsumerPriority: call(z.tuple([Peer, MediaId, z.number().int()]), none),
  closePeer: call(z.tuple([Peer]), none),
  openPipe: call(z.tuple([NodeId, NodeId]), PipeAddress),
  connectPipe: call(z.tuple([NodeId, NodeId, PipeAddress]), none),
  pipeOut: call(z.tuple([NodeId, NodeId, MediaId]), PipedProducer),
  pipeIn: call(z.tuple([NodeId, NodeId, PipedProducer]), none),
  setPipedPaused: call(z.tuple([NodeId, MediaId, z.boolean()]), none),
  closePiped: call(z.tuple([NodeId, MediaId]), none),
  closePipe: call(z.tuple([NodeId, NodeId]), none),
  transportStats: call(z.tuple([Peer, MediaId]), TransportStats),
  producerStats: call(z.tuple([Peer, MediaId]), ProducerStats),
  consumerStats: call(z.tuple([Peer, MediaId]), ConsumerStats),
  sessionStats: call(z.tuple([NodeId]), z.array(PeerStats)),
  workerUsage: call(z.tuple([]), z.array(WorkerUsage)),
  startRecorder: call(z.tuple([NodeId, RecorderSpec]), none),
  stopRecorder: call(z.tuple([NodeId, RecordingId, MediaId]), RecordedTrack.nullable()),
  stopRecording: call(z.tuple([NodeId, RecordingId]), z.array(RecordedTrack)),
} as const;
export type NodeRequestName = keyof typeof nodeRequests;

/** A control request's answer: its result, or a typed error. */
export const NodeReply = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.string().max(32), message: z.string().max(1000) }),
  }),
]);
export type NodeReply = z.infer<typeof NodeReply>;

/** What a media node tells the registry of itself, every heartbeat. */
export const NodeRecord = z.object({
  id: NodeId,
  region: z.string().max(64).optional(),
  /** Where signaling instances reach its control channel (ws://host:port). */
  controlUrl: z.string().max(256),
  state: NodeState,
  startedAt: z.number(),
  heartbeatAt: z.number(),
  load: z.object({
    /** Worker CPU, percent of one core summed over workers, over the last heartbeat. */
    cpuPct: z.number(),
    consumers: z.number().int(),
    transports: z.number().int(),
    /** Consumers per session here (by the node's session id). */
    sessions: z.record(z.string(), z.number().int()),
  }),
  /** Consumers the node takes at most; past it, it is never chosen. */
  maxConsumers: z.number().int(),
});
export type NodeRecord = z.infer<typeof NodeRecord>;

/** Where media nodes register in Redis: a set of ids, and one expiring record per node. */
export function nodeRegistryKeys(prefix: string) {
  return { ids: `${prefix}nodes`, node: (id: string) => `${prefix}node:${id}` };
}
