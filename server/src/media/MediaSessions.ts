import type { ConsumerStats, PeerStats, ProducerInfo, RequestName } from '@summit-bridge/protocol';
import { kindCarried, RequestError } from '@summit-bridge/protocol';
import type { ConsumerLayersData, MediaNode, PeerRef } from '@summit-bridge/sfu';
import type { Server } from 'socket.io';
import { audibleDelegations } from '../domain/floor.js';
import type { Logger } from '../log.js';
import type { SessionChange, SessionKey, SessionService } from '../sessions/SessionService.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import { type Connection, type Handlers, sessionRoom } from '../socket/context.js';
import { heldBackByFloor } from './micPolicy.js';

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

type MediaRequest = Extract<RequestName, `media:${string}`>;

/** The media node knows sessions by an opaque id: ours is `<summit>/<session>`. */
const nodeSessionId = ({ summitId, sessionId }: SessionKey) => `${summitId}/${sessionId}`;
/** A peer is one connection (socket): a participant with two tabs has two. */
const peerOf = (conn: Connection): PeerRef => ({
  sessionId: nodeSessionId(conn.key),
  peerId: conn.socket.id,
});

/**
 * Maps sessions and participants onto the media node: the media requests, the producers every
 * participant sees, and the floor's microphone policy enforced at the SFU.
 */
export class MediaSessions {
  private io: Server | undefined;
  private readonly records = new Map<string, ProducerRecord>();
  private readonly videos = new Map<string, VideoConsumer>();
  /** Highest spatial layer a technician lets a delegation receive, by `<node session>/<delegation>`. */
  private readonly layerLimits = new Map<string, number>();
  private readonly opening = new Map<string, Promise<void>>();
  /** Policy passes per session run one after another, never interleaved. */
  private readonly policyQueue = new Map<string, Promise<void>>();

  constructor(
    private readonly node: MediaNode,
    private readonly summits: SummitCatalog,
    private readonly sessions: SessionService,
    private readonly log: Logger,
  ) {}

  attach(io: Server): void {
    this.io = io;
    const node = this.node;
    node.on('producerClosed', ({ producerId }) => this.forget(producerId));
    node.on('consumerClosed', ({ peerId, consumerId }) => {
      this.videos.delete(consumerId);
      io.to(peerId).emit('media:consumerClosed', { consumerId });
    });
    node.on('consumerLayersChanged', ({ peerId, consumerId, layers }) =>
      io.to(peerId).emit('media:consumerLayers', { consumerId, layers }),
    );
    node.on('activeSpeaker', ({ producerId }) => {
      const record = this.records.get(producerId);
      if (record)
        io.to(sessionRoom(record.key)).emit('media:activeSpeaker', { delegation: record.info.delegation });
    });
    node.on('peersMustReconnect', ({ sessionId, peerIds, reason }) => {
      this.log.warn('media peers must reconnect', { session: sessionId, peers: peerIds.length, reason });
      for (const [producerId, record] of this.records) {
        if (record.peer.sessionId === sessionId && peerIds.includes(record.peer.peerId))
          this.forget(producerId);
      }
      for (const peerId of peerIds) io.to(peerId).emit('media:reconnect', { reason });
    });
  }

  /** The producers of a session as its participants see them. */
  producers(key: SessionKey): ProducerInfo[] {
    return [...this.records.values()].filter((r) => sameSession(r.key, key)).map((r) => r.info);
  }

  /** Every connection of a session with its media at the node; peer ids are socket ids. */
  stats(key: SessionKey): Promise<PeerStats[]> {
    return this.node.sessionStats(nodeSessionId(key));
  }

  /** One consumer's full stats, stream included. */
  consumerStats(key: SessionKey, peerId: string, consumerId: string): Promise<ConsumerStats> {
    return this.node.consumerStats({ sessionId: nodeSessionId(key), peerId }, consumerId);
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
          .catch((err) => this.log.warn('limiting a layer failed', { consumerId, err: String(err) })),
      ),
    );
  }

  /** What a video consumer gets: what its client wants, within the technician's cap. */
  private allowed(video: VideoConsumer): ConsumerLayersData {
    const wanted = video.wanted ?? { spatialLayer: 2 };
    const limit = this.layerLimit(video.key, video.delegation ?? '');
    if (limit === null || wanted.spatialLayer <= limit) return wanted;
    return { ...wanted, spatialLayer: limit };
  }

  /** A connection went away: everything it owned at the SFU goes with it. */
  peerLeft(conn: Connection): void {
    const peer = peerOf(conn);
    for (const [producerId, record] of this.records) {
      if (record.peer.peerId === peer.peerId) this.forget(producerId);
    }
    this.node.closePeer(peer).catch((err) => this.log.warn('closing a peer failed', { err: String(err) }));
  }

  /** A session changed (here or on another instance): re-apply the microphone policy. */
  sessionChanged({ key, state }: SessionChange): void {
    if (state.status === 'closed') {
      this.node
        .closeSession(nodeSessionId(key))
        .catch((err) => this.log.warn('closing media failed', { err: String(err) }));
      this.opening.delete(nodeSessionId(key));
      for (const limit of [...this.layerLimits.keys()])
        if (limit.startsWith(`${nodeSessionId(key)}/`)) this.layerLimits.delete(limit);
      return;
    }
    this.enqueuePolicy(key);
  }

  handlers(): Handlers<MediaRequest> {
    const node = this.node;
    return {
      'media:capabilities': async (conn) => {
        await this.open(conn.key);
        return { routerRtpCapabilities: await node.routerRtpCapabilities(nodeSessionId(conn.key)) };
      },
      'media:createTransport': async (conn, { direction, forceTcp }) => {
        await this.open(conn.key);
        return node.createTransport(peerOf(conn), { direction, forceTcp });
      },
      'media:connectTransport': async (conn, { transportId, dtlsParameters }) => {
        await node.connectTransport(peerOf(conn), transportId, dtlsParameters);
        return {};
      },
      'media:closeTransport': async (conn, { transportId }) => {
        await node.closeTransport(peerOf(conn), transportId);
        return {};
      },
      'media:restartIce': async (conn, { transportId }) => ({
        iceParameters: await node.restartIce(peerOf(conn), transportId),
      }),
      'media:produce': async (conn, { transportId, rtpParameters, source }) => {
        // The schema made kind, source and codecs agree; the policy still reads the codecs.
        const kind = kindCarried(rtpParameters);
        if (!kind) throw new RequestError('invalid_payload', 'the codecs name no single media kind');
        const peer = peerOf(conn);
        const existing = [...this.records.values()].find(
          (r) => r.peer.peerId === peer.peerId && r.info.source === source,
        );
        if (existing) throw new RequestError('conflict', `this connection already sends its ${source}`);
        const heldBack = heldBackByFloor(kind, conn.grants.delegation, await this.audible(conn.key));
        const { producerId } = await node.produce(peer, transportId, {
          kind,
          rtpParameters,
          paused: heldBack,
        });
        const info: ProducerInfo = {
          producerId,
          participantId: conn.grants.sub,
          delegation: conn.grants.delegation,
          kind,
          source,
          paused: heldBack,
        };
        this.records.set(producerId, { key: conn.key, peer, info, ownPaused: false, heldBack });
        this.io?.to(conn.room).emit('media:producerAdded', info);
        // The floor may have changed while the producer was being created.
        this.enqueuePolicy(conn.key);
        return { producerId };
      },
      'media:pauseProducer': async (conn, { producerId }) => {
        await this.setOwnPause(conn, producerId, true);
        return {};
      },
      'media:resumeProducer': async (conn, { producerId }) => {
        await this.setOwnPause(conn, producerId, false);
        return {};
      },
      'media:closeProducer': async (conn, { producerId }) => {
        await node.closeProducer(peerOf(conn), producerId);
        this.forget(producerId);
        return {};
      },
      'media:consume': async (conn, { transportId, producerId, rtpCapabilities }) => {
        const peer = peerOf(conn);
        const options = await node.consume(peer, transportId, producerId, rtpCapabilities);
        if (options.kind === 'video') {
          const video = { key: conn.key, peer, delegation: conn.grants.delegation, wanted: null };
          this.videos.set(options.id, video);
          if (this.layerLimit(conn.key, video.delegation ?? '') !== null)
            await node.setPreferredLayers(peer, options.id, this.allowed(video));
        }
        return options;
      },
      'media:resumeConsumer': async (conn, { consumerId }) => {
        await node.resumeConsumer(peerOf(conn), consumerId);
        return {};
      },
      'media:pauseConsumer': async (conn, { consumerId }) => {
        await node.pauseConsumer(peerOf(conn), consumerId);
        return {};
      },
      'media:setPreferredLayers': async (conn, { consumerId, spatialLayer, temporalLayer }) => {
        const wanted = temporalLayer === undefined ? { spatialLayer } : { spatialLayer, temporalLayer };
        const video = this.videos.get(consumerId);
        const own = video?.peer.peerId === conn.socket.id ? video : undefined;
        if (own) own.wanted = wanted;
        await node.setPreferredLayers(peerOf(conn), consumerId, own ? this.allowed(own) : wanted);
        return {};
      },
    };
  }

  private open(key: SessionKey): Promise<void> {
    const id = nodeSessionId(key);
    let opening = this.opening.get(id);
    if (!opening) {
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

  private async setOwnPause(conn: Connection, producerId: string, paused: boolean): Promise<void> {
    const record = this.records.get(producerId);
    if (!record || record.peer.peerId !== conn.socket.id)
      throw new RequestError('not_found', `no producer ${producerId} of yours`);
    record.ownPaused = paused;
    await this.sync(record);
  }

  private enqueuePolicy(key: SessionKey): void {
    const id = nodeSessionId(key);
    const previous = this.policyQueue.get(id) ?? Promise.resolve();
    const next = previous
      .then(() => this.applyPolicy(key))
      .catch((err) => this.log.error('microphone policy failed', { session: id, err: String(err) }));
    this.policyQueue.set(id, next);
    void next.then(() => {
      if (this.policyQueue.get(id) === next) this.policyQueue.delete(id);
    });
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
    this.io?.to(sessionRoom(record.key)).emit('media:producerUpdated', record.info);
  }

  private forget(producerId: string): void {
    const record = this.records.get(producerId);
    if (!record) return;
    this.records.delete(producerId);
    this.io?.to(sessionRoom(record.key)).emit('media:producerClosed', { producerId });
  }
}

function sameSession(a: SessionKey, b: SessionKey): boolean {
  return a.summitId === b.summitId && a.sessionId === b.sessionId;
}
