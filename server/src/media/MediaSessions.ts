import { EventEmitter } from 'node:events';
import type {
  ConsumerOptions,
  ConsumerStats,
  MediaSource,
  PeerStats,
  ProducerInfo,
  TransportOptions,
} from '@summit-bridge/protocol';
import { kindCarried, RequestError, SerialQueue } from '@summit-bridge/protocol';
import type {
  ConsumerLayersData,
  DtlsParametersData,
  IceParametersData,
  MediaNode,
  PeerRef,
  RtpCapabilitiesData,
  RtpParametersData,
} from '@summit-bridge/sfu';
import { audibleDelegations, heldBackByFloor } from '../domain/micPolicy.js';
import { type SessionKey, sameSession, sessionKeyId } from '../domain/sessionKey.js';
import type { Logger } from '../log.js';
import type { SessionChange, SessionService } from '../sessions/SessionService.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';

/** One connection's side of the media: a participant may have several (two tabs, two devices). */
export interface MediaPeer {
  key: SessionKey;
  /** The connection's id (its socket id): what the media node knows the peer by. */
  connectionId: string;
  participantId: string;
  delegation: string | null;
}

interface ProducerRecord {
  key: SessionKey;
  peer: PeerRef;
  info: ProducerInfo;
  /** Paused by its owner (microphone off). */
  ownPaused: boolean;
  /** Held back by the server: floor policy or the chair's mute. */
  heldBack: boolean;
}

/** A video a participant receives, and the layers its client asked for (null: not yet). */
interface VideoConsumer {
  key: SessionKey;
  peer: PeerRef;
  delegation: string | null;
  wanted: ConsumerLayersData | null;
}

/** What the media service tells the outside (the socket adapter pushes it, telemetry listens). */
export interface MediaEvents {
  producerAdded: [SessionKey, ProducerInfo];
  producerUpdated: [SessionKey, ProducerInfo];
  producerClosed: [SessionKey, string];
  consumerClosed: [connectionId: string, consumerId: string];
  consumerLayers: [connectionId: string, consumerId: string, layers: ConsumerLayersData | null];
  activeSpeaker: [SessionKey, delegation: string | null];
  /** These connections' media broke at the node (a worker died): they must set it up again. */
  mustReconnect: [connectionIds: string[], reason: string];
  /** A connection's ICE or DTLS went bad: its link is worth looking at now, not at the next poll. */
  linkTrouble: [SessionKey, connectionId: string];
}

const nodeSessionId = sessionKeyId;
const peerRef = (peer: MediaPeer): PeerRef => ({
  sessionId: nodeSessionId(peer.key),
  peerId: peer.connectionId,
});

/**
 * Maps sessions and participants onto the media node: the media requests, the producers every
 * participant sees, and the floor's microphone policy enforced at the SFU. Knows nothing of
 * sockets: what participants must hear of comes out as events.
 */
export class MediaSessions extends EventEmitter<MediaEvents> {
  private readonly records = new Map<string, ProducerRecord>();
  private readonly videos = new Map<string, VideoConsumer>();
  /** Highest spatial layer a technician lets a delegation receive, by `<node session>/<delegation>`. */
  private readonly layerLimits = new Map<string, number>();
  private readonly opening = new Map<string, Promise<void>>();
  /** Node session id → session key, for the node's events. */
  private readonly keys = new Map<string, SessionKey>();
  /** Policy passes per session run one after another, never interleaved. */
  private readonly policyPasses = new SerialQueue();

  constructor(
    private readonly node: MediaNode,
    private readonly summits: SummitCatalog,
    private readonly sessions: SessionService,
    private readonly log: Logger,
  ) {
    super();
    node.on('producerClosed', ({ producerId }) => this.forget(producerId));
    node.on('consumerClosed', ({ peerId, consumerId }) => {
      this.videos.delete(consumerId);
      this.emit('consumerClosed', peerId, consumerId);
    });
    node.on('consumerLayersChanged', ({ peerId, consumerId, layers }) =>
      this.emit('consumerLayers', peerId, consumerId, layers),
    );
    node.on('activeSpeaker', ({ producerId }) => {
      const record = this.records.get(producerId);
      if (record) this.emit('activeSpeaker', record.key, record.info.delegation);
    });
    const trouble = (sessionId: string, peerId: string) => {
      const key = this.keys.get(sessionId);
      if (key) this.emit('linkTrouble', key, peerId);
    };
    node.on('transportIceState', ({ sessionId, peerId, iceState }) => {
      if (iceState === 'disconnected' || iceState === 'closed') trouble(sessionId, peerId);
    });
    node.on('transportDtlsState', ({ sessionId, peerId, dtlsState }) => {
      if (dtlsState === 'failed' || dtlsState === 'closed') trouble(sessionId, peerId);
    });
    node.on('peersMustReconnect', ({ sessionId, peerIds, reason }) => {
      this.log.warn({ session: sessionId, peers: peerIds.length, reason }, 'media peers must reconnect');
      for (const [producerId, record] of this.records) {
        if (record.peer.sessionId === sessionId && peerIds.includes(record.peer.peerId))
          this.forget(producerId);
      }
      this.emit('mustReconnect', peerIds, reason);
    });
  }

  /** The producers of a session as its participants see them. */
  producers(key: SessionKey): ProducerInfo[] {
    return [...this.records.values()].filter((r) => sameSession(r.key, key)).map((r) => r.info);
  }

  /** Every connection of a session with its media at the node; peer ids are connection ids. */
  stats(key: SessionKey): Promise<PeerStats[]> {
    return this.node.sessionStats(nodeSessionId(key));
  }

  /** One consumer's full stats, stream included. */
  consumerStats(key: SessionKey, connectionId: string, consumerId: string): Promise<ConsumerStats> {
    return this.node.consumerStats({ sessionId: nodeSessionId(key), peerId: connectionId }, consumerId);
  }

  layerLimit(key: SessionKey, delegation: string): number | null {
    return this.layerLimits.get(`${nodeSessionId(key)}/${delegation}`) ?? null;
  }

  /**
   * Caps the spatial layer of every video a delegation receives here (null lifts the cap): a
   * technician's remedy for a site whose link cannot carry the high layer.
   */
  async limitLayer(key: SessionKey, delegation: string, spatialLayer: number | null): Promise<void> {
    const limitKey = `${nodeSessionId(key)}/${delegation}`;
    if (spatialLayer === null) this.layerLimits.delete(limitKey);
    else this.layerLimits.set(limitKey, spatialLayer);
    const affected = [...this.videos].filter(
      ([, v]) =>
        v.delegation === delegation && sameSession(v.key, key) && (v.wanted || spatialLayer !== null),
    );
    await Promise.all(
      affected.map(([consumerId, video]) =>
        this.node
          .setPreferredLayers(video.peer, consumerId, this.allowed(video))
          .catch((err) => this.log.warn({ err, consumerId }, 'limiting a layer failed')),
      ),
    );
  }

  /** A connection went away: everything it owned at the SFU goes with it. */
  peerLeft(peer: MediaPeer): void {
    for (const [producerId, record] of this.records) {
      if (record.peer.peerId === peer.connectionId) this.forget(producerId);
    }
    this.node.closePeer(peerRef(peer)).catch((err) => this.log.warn({ err }, 'closing a peer failed'));
  }

  /** A session changed (here or on another instance): re-apply the microphone policy. */
  sessionChanged({ key, state }: SessionChange): void {
    const id = nodeSessionId(key);
    if (state.status === 'closed') {
      this.node.closeSession(id).catch((err) => this.log.warn({ err, session: id }, 'closing media failed'));
      this.opening.delete(id);
      this.keys.delete(id);
      for (const limit of [...this.layerLimits.keys()])
        if (limit.startsWith(`${id}/`)) this.layerLimits.delete(limit);
      return;
    }
    this.enqueuePolicy(key);
  }

  async capabilities(key: SessionKey): Promise<RtpCapabilitiesData> {
    await this.open(key);
    return this.node.routerRtpCapabilities(nodeSessionId(key));
  }

  async createTransport(
    peer: MediaPeer,
    options: { direction: 'send' | 'recv'; forceTcp?: boolean | undefined },
  ): Promise<TransportOptions> {
    await this.open(peer.key);
    return this.node.createTransport(peerRef(peer), options);
  }

  connectTransport(peer: MediaPeer, transportId: string, dtlsParameters: DtlsParametersData): Promise<void> {
    return this.node.connectTransport(peerRef(peer), transportId, dtlsParameters);
  }

  closeTransport(peer: MediaPeer, transportId: string): Promise<void> {
    return this.node.closeTransport(peerRef(peer), transportId);
  }

  restartIce(peer: MediaPeer, transportId: string): Promise<IceParametersData> {
    return this.node.restartIce(peerRef(peer), transportId);
  }

  /**
   * A producer of this connection. What it carries is read from its codecs (the request's schema
   * made kind, source and codecs agree): the floor policy holds it back by that, never by a claim.
   */
  async produce(
    peer: MediaPeer,
    {
      transportId,
      rtpParameters,
      source,
    }: { transportId: string; rtpParameters: RtpParametersData; source: MediaSource },
  ): Promise<string> {
    const kind = kindCarried(rtpParameters);
    if (!kind) throw new RequestError('invalid_payload', 'the codecs name no single media kind');
    const ref = peerRef(peer);
    const existing = [...this.records.values()].find(
      (r) => r.peer.peerId === ref.peerId && r.info.source === source,
    );
    if (existing) throw new RequestError('conflict', `this connection already sends its ${source}`);
    const heldBack = heldBackByFloor(kind, peer.delegation, await this.audible(peer.key));
    const { producerId } = await this.node.produce(ref, transportId, {
      kind,
      rtpParameters,
      paused: heldBack,
    });
    const info: ProducerInfo = {
      producerId,
      participantId: peer.participantId,
      delegation: peer.delegation,
      kind,
      source,
      paused: heldBack,
    };
    this.records.set(producerId, { key: peer.key, peer: ref, info, ownPaused: false, heldBack });
    this.emit('producerAdded', peer.key, info);
    // The floor may have changed while the producer was being created.
    this.enqueuePolicy(peer.key);
    return producerId;
  }

  /** The owner pauses (microphone off) or resumes its own producer; the floor may still hold it back. */
  async setOwnPause(peer: MediaPeer, producerId: string, paused: boolean): Promise<void> {
    const record = this.records.get(producerId);
    if (!record || record.peer.peerId !== peer.connectionId)
      throw new RequestError('not_found', `no producer ${producerId} of yours`);
    record.ownPaused = paused;
    await this.sync(record);
  }

  async closeProducer(peer: MediaPeer, producerId: string): Promise<void> {
    await this.node.closeProducer(peerRef(peer), producerId);
    this.forget(producerId);
  }

  async consume(
    peer: MediaPeer,
    transportId: string,
    producerId: string,
    rtpCapabilities: RtpCapabilitiesData,
  ): Promise<ConsumerOptions> {
    const ref = peerRef(peer);
    const options = await this.node.consume(ref, transportId, producerId, rtpCapabilities);
    if (options.kind === 'video') {
      const video = { key: peer.key, peer: ref, delegation: peer.delegation, wanted: null };
      this.videos.set(options.id, video);
      if (this.layerLimit(peer.key, video.delegation ?? '') !== null)
        await this.node.setPreferredLayers(ref, options.id, this.allowed(video));
    }
    return options;
  }

  resumeConsumer(peer: MediaPeer, consumerId: string): Promise<void> {
    return this.node.resumeConsumer(peerRef(peer), consumerId);
  }

  pauseConsumer(peer: MediaPeer, consumerId: string): Promise<void> {
    return this.node.pauseConsumer(peerRef(peer), consumerId);
  }

  /** The layers a consumer's client wants, within the technician's cap for its delegation. */
  async setPreferredLayers(peer: MediaPeer, consumerId: string, wanted: ConsumerLayersData): Promise<void> {
    const video = this.videos.get(consumerId);
    const own = video?.peer.peerId === peer.connectionId ? video : undefined;
    if (own) own.wanted = wanted;
    await this.node.setPreferredLayers(peerRef(peer), consumerId, own ? this.allowed(own) : wanted);
  }

  /** What a video consumer gets: what its client wants, within the technician's cap. */
  private allowed(video: VideoConsumer): ConsumerLayersData {
    const wanted = video.wanted ?? { spatialLayer: 2 };
    const limit = this.layerLimit(video.key, video.delegation ?? '');
    if (limit === null || wanted.spatialLayer <= limit) return wanted;
    return { ...wanted, spatialLayer: limit };
  }

  private open(key: SessionKey): Promise<void> {
    const id = nodeSessionId(key);
    let opening = this.opening.get(id);
    if (!opening) {
      this.keys.set(id, key);
      opening = this.node.openSession(id);
      this.opening.set(id, opening);
      opening.catch(() => this.opening.delete(id));
    }
    return opening;
  }

  private async audible(key: SessionKey): Promise<ReadonlySet<string>> {
    const [state, { ctx }] = await Promise.all([
      this.sessions.state(key),
      this.summits.context(key.summitId, key.sessionId),
    ]);
    return audibleDelegations(state, ctx);
  }

  private enqueuePolicy(key: SessionKey): void {
    const id = nodeSessionId(key);
    this.policyPasses
      .run(id, () => this.applyPolicy(key))
      .catch((err) => this.log.error({ err, session: id }, 'microphone policy failed'));
  }

  // Each pass reads the newest session state, so a queued pass never applies a stale floor.
  private async applyPolicy(key: SessionKey): Promise<void> {
    const records = [...this.records.values()].filter((r) => sameSession(r.key, key));
    if (records.length === 0) return;
    const audible = await this.audible(key);
    for (const record of records) {
      record.heldBack = heldBackByFloor(record.info.kind, record.info.delegation, audible);
      await this.sync(record);
    }
  }

  /** Makes the SFU and every participant agree with the record's pause state. */
  private async sync(record: ProducerRecord): Promise<void> {
    const paused = record.ownPaused || record.heldBack;
    if (paused === record.info.paused || !this.records.has(record.info.producerId)) return;
    if (paused) await this.node.pauseProducer(record.peer, record.info.producerId);
    else await this.node.resumeProducer(record.peer, record.info.producerId);
    record.info = { ...record.info, paused };
    this.emit('producerUpdated', record.key, record.info);
  }

  private forget(producerId: string): void {
    const record = this.records.get(producerId);
    if (!record) return;
    this.records.delete(producerId);
    this.emit('producerClosed', record.key, producerId);
  }
}
