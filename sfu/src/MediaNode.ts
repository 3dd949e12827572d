// The media node as the signaling server sees it. It knows sessions and peers by opaque ids;
// every object id it hands out is a mediasoup id; every failure is a MediaNodeError.
import type {
  ConsumerLayers,
  ConsumerOptions,
  ConsumerStats,
  DtlsParameters,
  ErrorCode,
  IceParameters,
  MediaKind,
  MediaNodeEventOf,
  MediaNodeEventType,
  PeerStats,
  PipeAddress,
  PipedProducer,
  PlainTransportOptions,
  PlainTransportRemote,
  ProducerStats,
  RecordedTrack,
  RecorderSpec,
  RtpCapabilities,
  RtpParameters,
  TransportDirection,
  TransportOptions,
  TransportStats,
  WorkerUsage,
} from '@summit-bridge/protocol';
import type { z } from 'zod';

export type RtpCapabilitiesData = z.infer<typeof RtpCapabilities>;
export type RtpParametersData = z.infer<typeof RtpParameters>;
export type DtlsParametersData = z.infer<typeof DtlsParameters>;
export type IceParametersData = z.infer<typeof IceParameters>;
export type ConsumerLayersData = z.infer<typeof ConsumerLayers>;

/** What a node logs through: pino's Logger fits (object first, then the message). */
export interface NodeLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A participant's media presence in a session: the owner of transports, producers and consumers. */
export interface PeerRef {
  sessionId: string;
  peerId: string;
}

export interface CreateTransportOptions {
  direction: TransportDirection;
  /** Offer only TCP candidates: a site whose firewall blocks UDP. */
  forceTcp?: boolean;
}

export interface CreatePlainTransportOptions {
  direction: TransportDirection;
  /** Encrypt with SRTP (AES_CM_128_HMAC_SHA1_80), as WebRTC does. */
  srtp?: boolean;
}

export interface ProduceOptions {
  kind: MediaKind;
  rtpParameters: RtpParametersData;
  paused?: boolean;
}

export type MediaNodeListener<T extends MediaNodeEventType> = (event: MediaNodeEventOf<T>) => void;

/**
 * Calls that act for a peer take its PeerRef and answer not_found for an object that peer does not
 * own (or, for consume, a producer outside its session): a client cannot touch another's media.
 */
export interface MediaNode {
  /** Idempotent: a session already open stays as it is. */
  openSession(sessionId: string): Promise<void>;
  /** Closes every peer of the session and its routers; unknown sessions are ignored. */
  closeSession(sessionId: string): Promise<void>;
  routerRtpCapabilities(sessionId: string): Promise<RtpCapabilitiesData>;

  createTransport(peer: PeerRef, options: CreateTransportOptions): Promise<TransportOptions>;
  connectTransport(peer: PeerRef, transportId: string, dtlsParameters: DtlsParametersData): Promise<void>;
  restartIce(peer: PeerRef, transportId: string): Promise<IceParametersData>;
  /** Closes the transport with its producers and consumers, whose close events follow as usual. */
  closeTransport(peer: PeerRef, transportId: string): Promise<void>;
  /** RTP without ICE/DTLS, for gateways, recorders and load tools. A send transport learns its
   * remote address from the first packet (comedia). */
  createPlainTransport(peer: PeerRef, options: CreatePlainTransportOptions): Promise<PlainTransportOptions>;
  connectPlainTransport(peer: PeerRef, transportId: string, remote: PlainTransportRemote): Promise<void>;

  produce(peer: PeerRef, transportId: string, options: ProduceOptions): Promise<{ producerId: string }>;
  /** Paused by the server (microphone policy): the producer is forwarded to nobody. */
  pauseProducer(peer: PeerRef, producerId: string): Promise<void>;
  resumeProducer(peer: PeerRef, producerId: string): Promise<void>;
  closeProducer(peer: PeerRef, producerId: string): Promise<void>;

  /** The consumer starts paused: resume it once the client has set it up. */
  consume(
    peer: PeerRef,
    transportId: string,
    producerId: string,
    rtpCapabilities: RtpCapabilitiesData,
  ): Promise<ConsumerOptions>;
  pauseConsumer(peer: PeerRef, consumerId: string): Promise<void>;
  resumeConsumer(peer: PeerRef, consumerId: string): Promise<void>;
  closeConsumer(peer: PeerRef, consumerId: string): Promise<void>;
  setPreferredLayers(peer: PeerRef, consumerId: string, layers: ConsumerLayersData): Promise<void>;
  /** 1..255; a higher priority is served first when bandwidth is short. */
  setConsumerPriority(peer: PeerRef, consumerId: string, priority: number): Promise<void>;

  /** Closes everything the peer owns; an unknown peer is ignored. */
  closePeer(peer: PeerRef): Promise<void>;

  // Pipes between media nodes, for a session that spans several: the cluster sets them up, every
  // call is idempotent (one pipe per node pair and session, one copy per producer).
  /** This node's end of the session's pipe to another node (opening the session if need be). */
  openPipe(sessionId: string, remoteNodeId: string): Promise<PipeAddress>;
  connectPipe(sessionId: string, remoteNodeId: string, remote: PipeAddress): Promise<void>;
  /** Sends a producer of this node into the pipe: the parameters the other node produces it with. */
  pipeOut(sessionId: string, remoteNodeId: string, producerId: string): Promise<PipedProducer>;
  /** Produces what arrives through the pipe under the same producer id: consumable here. */
  pipeIn(sessionId: string, remoteNodeId: string, piped: PipedProducer): Promise<void>;
  /** Mirrors the original's pause on its copy here; a producer not here is ignored. */
  setPipedPaused(sessionId: string, producerId: string, paused: boolean): Promise<void>;
  /** The original closed: its copy here closes, and the consumers of it with it. */
  closePiped(sessionId: string, producerId: string): Promise<void>;
  /** The other node is gone: the pipe to it closes, with every copy that came through it. */
  closePipe(sessionId: string, remoteNodeId: string): Promise<void>;

  transportStats(peer: PeerRef, transportId: string): Promise<TransportStats>;
  producerStats(peer: PeerRef, producerId: string): Promise<ProducerStats>;
  consumerStats(peer: PeerRef, consumerId: string): Promise<ConsumerStats>;
  /** Every peer of a session with the stats of its transports and producers and the state of its
   * consumers, in one call; [] for an unknown session. An object closed while read is left out. */
  sessionStats(sessionId: string): Promise<PeerStats[]>;
  workerUsage(): Promise<WorkerUsage[]>;

  // ---- recording: the producers that live here, written without re-encoding --------------
  /** Records a producer of the session that lives on this node (idempotent). */
  startRecorder(sessionId: string, spec: RecorderSpec): Promise<void>;
  /** Stops recording one producer; the track as written, or null if it was not recorded here. */
  stopRecorder(sessionId: string, recordingId: string, producerId: string): Promise<RecordedTrack | null>;
  /** Stops every track of a recording on this node. */
  stopRecording(sessionId: string, recordingId: string): Promise<RecordedTrack[]>;

  on<T extends MediaNodeEventType>(type: T, listener: MediaNodeListener<T>): void;
  off<T extends MediaNodeEventType>(type: T, listener: MediaNodeListener<T>): void;

  /** Closes every session and worker. */
  close(): Promise<void>;
}

export type MediaNodeErrorCode = Extract<
  ErrorCode,
  'not_found' | 'invalid_payload' | 'conflict' | 'unavailable' | 'internal'
>;

export class MediaNodeError extends Error {
  constructor(
    readonly code: MediaNodeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MediaNodeError';
  }
}
