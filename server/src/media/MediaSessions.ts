import { EventEmitter } from 'node:events';
import type {
  ConsumerOptions,
  ConsumerStats,
  MediaNodeEvent,
  MediaSource,
  PeerStats,
  ProducerCloseReason,
  ProducerInfo,
  TransportOptions,
} from '@summit-bridge/protocol';
import {
  can,
  isPresentationSource,
  kindCarried,
  mayPresent,
  RequestError,
  type Role,
  SerialQueue,
  type SessionState,
} from '@summit-bridge/protocol';
import type {
  ConsumerLayersData,
  DtlsParametersData,
  IceParametersData,
  MediaNode,
  PeerRef,
  RtpCapabilitiesData,
  RtpParametersData,
} from '@summit-bridge/sfu';
import { MediaNodeError } from '@summit-bridge/sfu';
import { type ForwardingPolicy, forwardingPolicy, heldBack } from '../domain/micPolicy.js';
import { type SessionKey, sameSession, sessionKeyId, sessionKeyOf } from '../domain/sessionKey.js';
import type { Logger } from '../log.js';
import type { SessionChange, SessionService } from '../sessions/SessionService.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import type { MediaNodes } from './MediaNodes.js';
import type { ProducerDirectory, ProducerRecord } from './ProducerDirectory.js';

/** One connection's side of the media: a participant may have several (two tabs, two devices). */
export interface MediaPeer {
  key: SessionKey;
  /** The connection's id (its socket id): what the media nodes know the peer by. */
  connectionId: string;
  participantId: string;
  delegation: string | null;
  role: Role;
  /** An interpreter's booth: the channel its voice goes into. */
  booth: string | null;
  /** Waiting in the lobby: it may only show its camera to the staff. */
  waiting: boolean;
}

/** A producer of one of this instance's connections: the pause state it manages. */
interface OwnProducer extends ProducerRecord {
  key: SessionKey;
  transportId: string;
  /** Paused by its owner (microphone off). */
  ownPaused: boolean;
  /** Held back by the server: floor policy or the chair's mute. */
  heldBack: boolean;
}

/** One of this instance's connections, the nodes that hold its media, and its objects there. */
interface OwnConnection {
  key: SessionKey;
  nodes: Set<string>;
  transports: Set<string>;
  consumers: Set<string>;
}

/** A video a participant receives, and the layers its client asked for (null: not yet). */
interface VideoConsumer {
  key: SessionKey;
  connectionId: string;
  delegation: string | null;
  wanted: ConsumerLayersData | null;
}

/** What the media service tells the outside (the socket adapter pushes it, telemetry listens). */
export interface MediaEvents {
  producerAdded: [SessionKey, ProducerInfo];
  producerUpdated: [SessionKey, ProducerInfo];
  /** `reason` when the server closed it, not its owner. */
  producerClosed: [SessionKey, string, reason?: ProducerCloseReason];
  consumerClosed: [connectionId: string, consumerId: string];
  consumerLayers: [connectionId: string, consumerId: string, layers: ConsumerLayersData | null];
  activeSpeaker: [SessionKey, delegation: string | null];
  /** These connections' media broke (a worker or a node died): they must set it up again. */
  mustReconnect: [connectionIds: string[], reason: string];
  /** A connection's ICE or DTLS went bad: its link is worth looking at now, not at the next poll. */
  linkTrouble: [SessionKey, connectionId: string];
  /** A camera shown from the session's lobby came or went: the staff's list of who waits changed. */
  lobbyCameras: [SessionKey];
  /** The level (dBov) of each interpretation channel heard now, of this instance's interpreters. */
  boothLevels: [SessionKey, levels: Record<string, number>];
}

/**
 * What one connection may hold at the SFU: a console needs a send and a receive transport (and
 * two short-lived probes in the pre-join check), a microphone, a camera and a presentation (its
 * screen and its sound), and a consumer for each other producer of a summit. Beyond, requests
 * answer rate_limited.
 */
export const perConnection = { transports: 6, producers: 4, consumers: 300 } as const;

const peerRef = (key: SessionKey, connectionId: string): PeerRef => ({
  sessionId: sessionKeyId(key),
  peerId: connectionId,
});

/**
 * Maps sessions and participants onto the media nodes: the media requests, the producers every
 * participant sees (shared by every signaling instance through the producer directory), and the
 * floor's microphone policy enforced at the SFU. Knows nothing of sockets: what participants must
 * hear of comes out as events. Each instance manages the media of its own connections; each
 * media call goes to the node that holds the object.
 */
export class MediaSessions extends EventEmitter<MediaEvents> {
  private readonly own = new Map<string, OwnProducer>();
  private readonly connections = new Map<string, OwnConnection>();
  private readonly transportNodes = new Map<string, string>();
  private readonly consumerNodes = new Map<string, string>();
  private readonly videos = new Map<string, VideoConsumer>();
  /** Highest spatial layer a technician lets a delegation receive, by `<session key>/<delegation>`. */
  private readonly layerLimits = new Map<string, number>();
  /** Policy passes per session run one after another, never interleaved. */
  private readonly policyPasses = new SerialQueue();
  /** The interpretation channel each connection listens to (absent: the floor alone). */
  private readonly listening = new Map<string, string>();
  /** Sessions whose last level report had a channel in it: their silence is worth one report. */
  private readonly boothsHeard = new Set<string>();
  /** Consumers of interpretation channels, by consumer id: their connection and channel. */
  private readonly channelConsumers = new Map<string, { connectionId: string; channel: string }>();

  constructor(
    private readonly nodes: MediaNodes,
    private readonly directory: ProducerDirectory,
    private readonly instanceId: string,
    private readonly summits: SummitCatalog,
    private readonly sessions: SessionService,
    private readonly log: Logger,
  ) {
    super();
    nodes.on('nodeEvent', (nodeId, event) => this.nodeEvent(nodeId, event));
    nodes.on('nodeDown', (nodeId) => void this.nodeDown(nodeId));
  }

  /** The producers of a session as its participants see them, wherever they were produced. */
  async producers(key: SessionKey): Promise<ProducerInfo[]> {
    return (await this.directory.list(key)).filter((r) => !r.lobby).map((r) => r.info);
  }

  /** The cameras shown from the lobby, by connection: for the staff who admit. */
  async lobbyCameras(key: SessionKey): Promise<Map<string, string>> {
    const records = (await this.directory.list(key)).filter((r) => r.lobby);
    return new Map(records.map((r) => [r.connectionId, r.info.producerId]));
  }

  /** A connection was let in from the lobby: its camera is now everyone's. */
  async admitted(peer: MediaPeer): Promise<void> {
    for (const record of this.own.values()) {
      if (record.connectionId !== peer.connectionId || !record.lobby) continue;
      record.lobby = false;
      const { key, transportId: _t, ownPaused: _o, heldBack: _h, ...shared } = record;
      await this.directory.put(key, shared);
      this.emit('producerAdded', key, record.info);
    }
    this.enqueuePolicy(peer.key);
  }

  /** This instance's producers in a session (not those shown only in the lobby), and their nodes. */
  ownProducers(key: SessionKey): { info: ProducerInfo; nodeId: string }[] {
    return [...this.own.values()]
      .filter((r) => sameSession(r.key, key) && !r.lobby)
      .map((r) => ({ info: r.info, nodeId: r.nodeId }));
  }

  /** Every connection of a session with its media, from every node; peer ids are connection ids. */
  async stats(key: SessionKey): Promise<PeerStats[]> {
    const id = sessionKeyId(key);
    const all = await Promise.all(
      this.nodes.nodesOf(key).map((nodeId) =>
        this.node(nodeId)
          .sessionStats(id)
          .catch(() => []),
      ),
    );
    return all.flat();
  }

  /** One consumer's full stats, stream included. */
  consumerStats(key: SessionKey, connectionId: string, consumerId: string): Promise<ConsumerStats> {
    return this.consumerNode(consumerId).consumerStats(peerRef(key, connectionId), consumerId);
  }

  layerLimit(key: SessionKey, delegation: string): number | null {
    return this.layerLimits.get(`${sessionKeyId(key)}/${delegation}`) ?? null;
  }

  /**
   * Caps the spatial layer of every video a delegation receives here (null lifts the cap): a
   * technician's remedy for a site whose link cannot carry the high layer.
   */
  async limitLayer(key: SessionKey, delegation: string, spatialLayer: number | null): Promise<void> {
    const limitKey = `${sessionKeyId(key)}/${delegation}`;
    if (spatialLayer === null) this.layerLimits.delete(limitKey);
    else this.layerLimits.set(limitKey, spatialLayer);
    const affected = [...this.videos].filter(
      ([, v]) =>
        v.delegation === delegation && sameSession(v.key, key) && (v.wanted || spatialLayer !== null),
    );
    await Promise.all(
      affected.map(([consumerId, video]) =>
        this.consumerNode(consumerId)
          .setPreferredLayers(peerRef(video.key, video.connectionId), consumerId, this.allowed(video))
          .catch((err) => this.log.warn({ err, consumerId }, 'limiting a layer failed')),
      ),
    );
  }

  /** A connection went away: everything it owned at the SFU goes with it. */
  peerLeft(peer: MediaPeer): void {
    const conn = this.connections.get(peer.connectionId);
    this.dropConnection(peer.connectionId);
    // With a single node, its peer is closed even when this instance made nothing for it there.
    const single = this.nodes.nodesOf(peer.key);
    for (const nodeId of conn?.nodes ?? (single.length === 1 ? single : []))
      this.node(nodeId)
        .closePeer(peerRef(peer.key, peer.connectionId))
        .catch((err) => this.log.warn({ err }, 'closing a peer failed'));
  }

  /** A session changed (here or on another instance): re-apply the microphone policy. */
  sessionChanged({ key, state }: SessionChange): void {
    if (state.status === 'closed') {
      const id = sessionKeyId(key);
      this.nodes
        .closeSession(key)
        .catch((err) => this.log.warn({ err, session: id }, 'closing media failed'));
      for (const limit of [...this.layerLimits.keys()])
        if (limit.startsWith(`${id}/`)) this.layerLimits.delete(limit);
      return;
    }
    this.enqueuePolicy(key);
  }

  async capabilities(key: SessionKey): Promise<RtpCapabilitiesData> {
    const home = await this.nodes.home(key);
    return this.node(home).routerRtpCapabilities(sessionKeyId(key));
  }

  async createTransport(
    peer: MediaPeer,
    options: { direction: 'send' | 'recv'; forceTcp?: boolean | undefined },
  ): Promise<TransportOptions> {
    const held = this.connections.get(peer.connectionId)?.transports.size ?? 0;
    if (held >= perConnection.transports)
      throw new RequestError(
        'rate_limited',
        `a connection holds at most ${perConnection.transports} transports`,
      );
    const region = await this.regionOf(peer);
    const ref = peerRef(peer.key, peer.connectionId);
    let nodeId = await this.nodes.nodeForTransport(peer.key, options.direction, region);
    let transport: TransportOptions;
    try {
      transport = await this.node(nodeId).createTransport(ref, options);
    } catch (err) {
      if (!(err instanceof MediaNodeError && err.code === 'unavailable')) throw err;
      // The node began to drain since this instance last read the registry: place it again.
      this.nodes.refusedNew(nodeId);
      const elsewhere = await this.nodes.nodeForTransport(peer.key, options.direction, region);
      if (elsewhere === nodeId) throw err;
      nodeId = elsewhere;
      transport = await this.node(nodeId).createTransport(ref, options);
    }
    this.transportNodes.set(transport.id, nodeId);
    const conn = this.connectionOf(peer);
    conn.nodes.add(nodeId);
    conn.transports.add(transport.id);
    return transport;
  }

  connectTransport(peer: MediaPeer, transportId: string, dtlsParameters: DtlsParametersData): Promise<void> {
    return this.transportNode(transportId).connectTransport(this.ref(peer), transportId, dtlsParameters);
  }

  async closeTransport(peer: MediaPeer, transportId: string): Promise<void> {
    await this.transportNode(transportId).closeTransport(this.ref(peer), transportId);
    this.transportNodes.delete(transportId);
    this.connections.get(peer.connectionId)?.transports.delete(transportId);
    // Its producers went with it: gone for everyone now, not when the node's event arrives.
    for (const [producerId, record] of this.own)
      if (record.transportId === transportId) await this.forget(record.key, producerId);
  }

  restartIce(peer: MediaPeer, transportId: string): Promise<IceParametersData> {
    return this.transportNode(transportId).restartIce(this.ref(peer), transportId);
  }

  /**
   * A producer of this connection. What it carries is read from its codecs (the request's schema
   * made kind, source and codecs agree): the floor policy holds it back by that, never by a claim.
   */
  async produce(
    peer: MediaPeer,
    request: { transportId: string; rtpParameters: RtpParametersData; source: MediaSource },
  ): Promise<string> {
    const { transportId, rtpParameters, source } = request;
    const kind = kindCarried(rtpParameters);
    if (!kind) throw new RequestError('invalid_payload', 'the codecs name no single media kind');
    if (peer.waiting && source !== 'camera')
      throw new RequestError('forbidden', 'from the lobby, only a camera is shown (to the staff)');
    if (source === 'interpretation' && (!peer.booth || !can(peer.role, 'interpretation.interpret')))
      throw new RequestError('forbidden', 'only an interpreter speaks into a booth’s channel');
    const { state, policy } = await this.forwarding(peer.key);
    if (isPresentationSource(source) && !mayPresent(state, peer.delegation))
      throw new RequestError(
        'forbidden',
        'only the floor holder, or a delegation the chair allows, may present',
      );
    const nodeId = this.nodeOfTransport(peer.key, transportId);
    const existing = [...this.own.values()].find(
      (r) => r.connectionId === peer.connectionId && r.info.source === source,
    );
    if (existing) throw new RequestError('conflict', `this connection already sends its ${source}`);
    const producing = [...this.own.values()].filter((r) => r.connectionId === peer.connectionId).length;
    if (producing >= perConnection.producers)
      throw new RequestError(
        'rate_limited',
        `a connection sends at most ${perConnection.producers} producers`,
      );
    const described = {
      participantId: peer.participantId,
      delegation: peer.delegation,
      kind,
      source,
      ...(source === 'interpretation' && peer.booth ? { channel: peer.booth } : {}),
    };
    const held = heldBack(described, policy);
    const { producerId } = await this.node(nodeId).produce(this.ref(peer), transportId, {
      kind,
      rtpParameters,
      paused: held,
    });
    const info: ProducerInfo = { producerId, ...described, paused: held };
    const record = {
      info,
      nodeId,
      connectionId: peer.connectionId,
      instanceId: this.instanceId,
      ...(peer.waiting ? { lobby: true } : {}),
    };
    this.own.set(producerId, { ...record, key: peer.key, transportId, ownPaused: false, heldBack: held });
    await this.directory.put(peer.key, record);
    if (peer.waiting) this.emit('lobbyCameras', peer.key);
    else this.emit('producerAdded', peer.key, info);
    // The floor may have changed while the producer was being created.
    this.enqueuePolicy(peer.key);
    return producerId;
  }

  /** The owner pauses (microphone off) or resumes its own producer; the floor may still hold it back. */
  async setOwnPause(peer: MediaPeer, producerId: string, paused: boolean): Promise<void> {
    const record = this.own.get(producerId);
    if (!record || record.connectionId !== peer.connectionId)
      throw new RequestError('not_found', `no producer ${producerId} of yours`);
    record.ownPaused = paused;
    await this.sync(record);
  }

  async closeProducer(peer: MediaPeer, producerId: string): Promise<void> {
    const record = this.own.get(producerId);
    if (!record || record.connectionId !== peer.connectionId)
      throw new RequestError('not_found', `no producer ${producerId} of yours`);
    await this.node(record.nodeId).closeProducer(this.ref(peer), producerId);
    await this.forget(peer.key, producerId);
  }

  /**
   * The chair stops every presentation of a session, whichever instance and node hold it: closed
   * for everyone, its owner told why. Returns what was stopped (for the audit trail).
   */
  async stopPresentations(key: SessionKey): Promise<ProducerInfo[]> {
    const shown = (await this.directory.list(key)).filter((r) => isPresentationSource(r.info.source));
    await Promise.all(shown.map((r) => this.closeForOwner(key, r, 'stoppedByChair')));
    return shown.map((r) => r.info);
  }

  /** A consumer on the connection's receive transport; a producer held by another node is piped here. */
  async consume(
    peer: MediaPeer,
    transportId: string,
    producerId: string,
    rtpCapabilities: RtpCapabilitiesData,
  ): Promise<ConsumerOptions> {
    const nodeId = this.nodeOfTransport(peer.key, transportId);
    if ((this.connections.get(peer.connectionId)?.consumers.size ?? 0) >= perConnection.consumers)
      throw new RequestError(
        'rate_limited',
        `a connection receives at most ${perConnection.consumers} consumers`,
      );
    const producer = await this.directory.get(peer.key, producerId);
    // A camera in the lobby is for the staff who admit: nobody else knows it exists.
    if (!producer || (producer.lobby && !can(peer.role, 'lobby.read')))
      throw new RequestError('not_found', `no producer ${producerId}`);
    const channel = producer.info.channel;
    if (channel !== undefined && !this.mayHear(peer, channel))
      throw new RequestError('conflict', `listen to the ${channel} channel first (interpretation:listen)`);
    await this.nodes.carry(peer.key, producerId, producer.nodeId, nodeId);
    const ref = this.ref(peer);
    const options = await this.node(nodeId).consume(ref, transportId, producerId, rtpCapabilities);
    this.consumerNodes.set(options.id, nodeId);
    this.connectionOf(peer).consumers.add(options.id);
    if (channel !== undefined)
      this.channelConsumers.set(options.id, { connectionId: peer.connectionId, channel });
    if (options.kind === 'video') {
      const video = {
        key: peer.key,
        connectionId: peer.connectionId,
        delegation: peer.delegation,
        wanted: null,
      };
      this.videos.set(options.id, video);
      if (this.layerLimit(peer.key, video.delegation ?? '') !== null)
        await this.node(nodeId).setPreferredLayers(ref, options.id, this.allowed(video));
    }
    return options;
  }

  /**
   * What a connection hears: the floor alone, or one interpretation channel besides. Its
   * consumers of any other channel close: a listener receives only the channel it chose.
   */
  async listen(peer: MediaPeer, channel: string | null): Promise<void> {
    if (channel === null) this.listening.delete(peer.connectionId);
    else this.listening.set(peer.connectionId, channel);
    const stale = [...this.channelConsumers].filter(
      ([, c]) => c.connectionId === peer.connectionId && !this.mayHear(peer, c.channel),
    );
    await Promise.all(
      stale.map(async ([consumerId]) => {
        await this.consumerNode(consumerId)
          .closeConsumer(this.ref(peer), consumerId)
          .catch((err) => this.log.warn({ err, consumerId }, 'closing a channel consumer failed'));
        this.consumerClosed(peer.connectionId, consumerId);
      }),
    );
  }

  /** Interpreters hear every booth (their input may be a relay), technicians monitor them all. */
  private mayHear(peer: MediaPeer, channel: string): boolean {
    return (
      can(peer.role, 'interpretation.interpret') ||
      can(peer.role, 'telemetry.act') ||
      this.listening.get(peer.connectionId) === channel
    );
  }

  resumeConsumer(peer: MediaPeer, consumerId: string): Promise<void> {
    return this.consumerNode(consumerId).resumeConsumer(this.ref(peer), consumerId);
  }

  pauseConsumer(peer: MediaPeer, consumerId: string): Promise<void> {
    return this.consumerNode(consumerId).pauseConsumer(this.ref(peer), consumerId);
  }

  /** The layers a consumer's client wants, within the technician's cap for its delegation. */
  async setPreferredLayers(peer: MediaPeer, consumerId: string, wanted: ConsumerLayersData): Promise<void> {
    const video = this.videos.get(consumerId);
    const own = video?.connectionId === peer.connectionId ? video : undefined;
    if (own) own.wanted = wanted;
    await this.consumerNode(consumerId).setPreferredLayers(
      this.ref(peer),
      consumerId,
      own ? this.allowed(own) : wanted,
    );
  }

  // ---- what the nodes report -------------------------------------------------------------

  private nodeEvent(nodeId: string, event: MediaNodeEvent): void {
    switch (event.type) {
      case 'producerClosed': {
        const key = sessionKeyOf(event.sessionId);
        if (key) void this.forget(key, event.producerId);
        return;
      }
      case 'consumerClosed':
        this.consumerClosed(event.peerId, event.consumerId);
        return;
      case 'consumerLayersChanged':
        if (this.consumerNodes.has(event.consumerId))
          this.emit('consumerLayers', event.peerId, event.consumerId, event.layers);
        return;
      case 'activeSpeaker': {
        const record = this.own.get(event.producerId);
        if (record) this.emit('activeSpeaker', record.key, record.info.delegation);
        return;
      }
      case 'transportIceState':
      case 'transportDtlsState': {
        const conn = this.connections.get(event.peerId);
        const state = event.type === 'transportIceState' ? event.iceState : event.dtlsState;
        if (conn && ['disconnected', 'failed', 'closed'].includes(state))
          this.emit('linkTrouble', conn.key, event.peerId);
        return;
      }
      case 'peersMustReconnect': {
        this.log.warn(
          { node: nodeId, session: event.sessionId, peers: event.peerIds.length },
          'media peers must reconnect',
        );
        this.reconnect(
          event.peerIds.filter((id) => this.connections.has(id)),
          event.reason,
        );
        return;
      }
      case 'audioLevels': {
        const key = sessionKeyOf(event.sessionId);
        if (key) this.boothLevels(key, event.levels);
        return;
      }
    }
  }

  /**
   * A node died with the media it held: this instance's connections that used it rebuild their
   * media, and the producers it held are closed for everyone (once, whichever instance gets there).
   */
  private async nodeDown(nodeId: string): Promise<void> {
    const affected = [...this.connections].filter(([, c]) => c.nodes.has(nodeId)).map(([id]) => id);
    const sessions = new Map([...this.connections.values()].map((c) => [sessionKeyId(c.key), c.key]));
    this.reconnect(affected, 'nodeDied', nodeId);
    for (const key of sessions.values()) {
      const lost = (await this.directory.list(key).catch(() => [])).filter((r) => r.nodeId === nodeId);
      await Promise.all(lost.map((r) => this.forget(key, r.info.producerId)));
    }
  }

  /** These connections' media is broken: clear it everywhere, and tell them to set it up again. */
  private reconnect(connectionIds: string[], reason: string, deadNode?: string): void {
    if (connectionIds.length === 0) return;
    for (const id of connectionIds) {
      const conn = this.connections.get(id);
      if (!conn) continue;
      this.dropConnection(id);
      for (const nodeId of conn.nodes)
        if (nodeId !== deadNode)
          this.node(nodeId)
            .closePeer(peerRef(conn.key, id))
            .catch(() => undefined);
    }
    this.emit('mustReconnect', connectionIds, reason);
  }

  /** The channels among the loudest producers, for the technicians (and once more when silent). */
  private boothLevels(key: SessionKey, levels: { producerId: string; volume: number }[]): void {
    const booths: Record<string, number> = {};
    for (const { producerId, volume } of levels) {
      const channel = this.own.get(producerId)?.info.channel;
      if (channel !== undefined) booths[channel] = Math.max(volume, booths[channel] ?? -127);
    }
    const id = sessionKeyId(key);
    const heard = Object.keys(booths).length > 0;
    if (!heard && !this.boothsHeard.has(id)) return;
    if (heard) this.boothsHeard.add(id);
    else this.boothsHeard.delete(id);
    this.emit('boothLevels', key, booths);
  }

  // ---- bookkeeping -----------------------------------------------------------------------

  /** A consumer is gone (its producer closed, or the server closed it): its client is told once. */
  private consumerClosed(connectionId: string, consumerId: string): void {
    if (!this.consumerNodes.has(consumerId)) return;
    this.consumerNodes.delete(consumerId);
    this.connections.get(connectionId)?.consumers.delete(consumerId);
    this.videos.delete(consumerId);
    this.channelConsumers.delete(consumerId);
    this.emit('consumerClosed', connectionId, consumerId);
  }

  private dropConnection(connectionId: string): void {
    const conn = this.connections.get(connectionId);
    this.connections.delete(connectionId);
    this.listening.delete(connectionId);
    for (const [producerId, record] of this.own)
      if (record.connectionId === connectionId) void this.forget(record.key, producerId);
    if (!conn) return;
    for (const id of conn.transports) this.transportNodes.delete(id);
    for (const id of conn.consumers) {
      this.consumerNodes.delete(id);
      this.videos.delete(id);
      this.channelConsumers.delete(id);
    }
  }

  /**
   * The server closes a producer its owner did not: gone for everyone first (with the reason),
   * then at its node (whose close event then finds nothing left to tell).
   */
  private async closeForOwner(
    key: SessionKey,
    record: ProducerRecord,
    reason: ProducerCloseReason,
  ): Promise<void> {
    const { producerId } = record.info;
    await this.forget(key, producerId, reason);
    await this.node(record.nodeId)
      .closeProducer(peerRef(key, record.connectionId), producerId)
      .catch((err) => this.log.warn({ err, producerId }, 'closing a presentation failed'));
  }

  /** A producer closed: gone from the directory, told to everyone, its copies on other nodes closed. */
  private async forget(key: SessionKey, producerId: string, reason?: ProducerCloseReason): Promise<void> {
    const own = this.own.get(producerId);
    this.own.delete(producerId);
    const lobby = own?.lobby;
    if (!(await this.directory.remove(key, producerId).catch(() => false))) return;
    if (lobby) this.emit('lobbyCameras', key);
    else this.emit('producerClosed', key, producerId, reason);
    const id = sessionKeyId(key);
    for (const nodeId of this.nodes.nodesOf(key))
      this.node(nodeId)
        .closePiped(id, producerId)
        .catch(() => undefined);
  }

  private connectionOf(peer: MediaPeer): OwnConnection {
    let conn = this.connections.get(peer.connectionId);
    if (!conn) {
      conn = { key: peer.key, nodes: new Set(), transports: new Set(), consumers: new Set() };
      this.connections.set(peer.connectionId, conn);
    }
    return conn;
  }

  private ref(peer: MediaPeer): PeerRef {
    return peerRef(peer.key, peer.connectionId);
  }

  private node(nodeId: string): MediaNode {
    return this.nodes.get(nodeId);
  }

  private transportNode(transportId: string): MediaNode {
    const nodeId = this.transportNodes.get(transportId);
    if (!nodeId) throw new RequestError('not_found', `no transport ${transportId} of yours`);
    return this.node(nodeId);
  }

  /**
   * The node of a transport this instance made; with a single node, that node (a load tool may
   * make a connection's PlainTransports at the node itself; the node still checks the owner).
   */
  private nodeOfTransport(key: SessionKey, transportId: string): string {
    const nodeId = this.transportNodes.get(transportId);
    if (nodeId) return nodeId;
    const [only, ...others] = this.nodes.nodesOf(key);
    if (only !== undefined && others.length === 0) return only;
    throw new RequestError('not_found', `no transport ${transportId} of yours`);
  }

  private consumerNode(consumerId: string): MediaNode {
    const nodeId = this.consumerNodes.get(consumerId);
    if (!nodeId) throw new RequestError('not_found', `no consumer ${consumerId} of yours`);
    return this.node(nodeId);
  }

  /** What a video consumer gets: what its client wants, within the technician's cap. */
  private allowed(video: VideoConsumer): ConsumerLayersData {
    const wanted = video.wanted ?? { spatialLayer: 2 };
    const limit = this.layerLimit(video.key, video.delegation ?? '');
    if (limit === null || wanted.spatialLayer <= limit) return wanted;
    return { ...wanted, spatialLayer: limit };
  }

  private async regionOf(peer: MediaPeer): Promise<string | undefined> {
    if (peer.delegation === null) return undefined;
    const doc = await this.summits.get(peer.key.summitId);
    return doc?.delegations.find((d) => d.code === peer.delegation)?.region;
  }

  /** The session's state and what the SFU forwards by it, read once per pass. */
  private async forwarding(key: SessionKey): Promise<{ state: SessionState; policy: ForwardingPolicy }> {
    const [state, { ctx }] = await Promise.all([
      this.sessions.state(key),
      this.summits.context(key.summitId, key.sessionId),
    ]);
    return { state, policy: forwardingPolicy(state, ctx) };
  }

  private enqueuePolicy(key: SessionKey): void {
    const id = sessionKeyId(key);
    this.policyPasses
      .run(id, () => this.applyPolicy(key))
      .catch((err) => this.log.error({ err, session: id }, 'microphone policy failed'));
  }

  // Each pass reads the newest session state, so a queued pass never applies a stale floor. Each
  // instance applies it to its own connections' producers: once per change, wherever they live.
  private async applyPolicy(key: SessionKey): Promise<void> {
    const records = [...this.own.values()].filter((r) => sameSession(r.key, key));
    if (records.length === 0) return;
    const { state, policy } = await this.forwarding(key);
    for (const record of records) {
      // A presentation ends when the floor moves on (or the chair's allowance is withdrawn).
      if (isPresentationSource(record.info.source) && !mayPresent(state, record.info.delegation)) {
        await this.closeForOwner(key, record, 'floorMoved');
        continue;
      }
      record.heldBack = heldBack(record.info, policy);
      await this.sync(record);
    }
  }

  /** Makes the nodes, the directory and every participant agree with the record's pause state. */
  private async sync(record: OwnProducer): Promise<void> {
    const paused = record.ownPaused || record.heldBack;
    const { producerId } = record.info;
    if (paused === record.info.paused || !this.own.has(producerId)) return;
    const ref = peerRef(record.key, record.connectionId);
    const origin = this.node(record.nodeId);
    await (paused ? origin.pauseProducer(ref, producerId) : origin.resumeProducer(ref, producerId));
    const id = sessionKeyId(record.key);
    for (const nodeId of this.nodes.nodesOf(record.key))
      if (nodeId !== record.nodeId)
        this.node(nodeId)
          .setPipedPaused(id, producerId, paused)
          .catch((err) => this.log.warn({ err, node: nodeId }, 'mirroring a pause failed'));
    record.info = { ...record.info, paused };
    const { key, transportId: _t, ownPaused: _o, heldBack: _h, ...shared } = record;
    await this.directory.put(key, shared);
    this.emit('producerUpdated', record.key, record.info);
  }
}
