import type { MediaKind, MediaSource, ProducerInfo, RequestName } from '@summit-bridge/protocol';
import type { MediaNode, PeerRef } from '@summit-bridge/sfu';
import type { Server } from 'socket.io';
import { audibleDelegations } from '../domain/floor.js';
import { RequestError } from '../errors.js';
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

type MediaRequest = Extract<RequestName, `media:${string}`>;

const kindOfSource: Record<MediaSource, MediaKind> = { mic: 'audio', camera: 'video' };

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
    node.on('consumerClosed', ({ peerId, consumerId }) =>
      io.to(peerId).emit('media:consumerClosed', { consumerId }),
    );
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
      'media:produce': async (conn, { transportId, kind, rtpParameters, source }) => {
        if (kindOfSource[source] !== kind)
          throw new RequestError('invalid_payload', `a ${source} carries ${kindOfSource[source]}`);
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
      'media:consume': async (conn, { transportId, producerId, rtpCapabilities }) =>
        node.consume(peerOf(conn), transportId, producerId, rtpCapabilities),
      'media:resumeConsumer': async (conn, { consumerId }) => {
        await node.resumeConsumer(peerOf(conn), consumerId);
        return {};
      },
      'media:pauseConsumer': async (conn, { consumerId }) => {
        await node.pauseConsumer(peerOf(conn), consumerId);
        return {};
      },
      'media:setPreferredLayers': async (conn, { consumerId, spatialLayer, temporalLayer }) => {
        const layers = temporalLayer === undefined ? { spatialLayer } : { spatialLayer, temporalLayer };
        await node.setPreferredLayers(peerOf(conn), consumerId, layers);
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
