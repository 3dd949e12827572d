// The media node in this process, over mediasoup: a router per session on the least-loaded
// worker, spread to more workers through pipes when it fills, rebuilt when its worker dies, and
// piped to other media nodes when the session spans hosts. This file is the API; placement and
// routers (routers.ts), copies and pipes (copies.ts), speakers, recovery and reports beside it.
import { availableParallelism } from 'node:os';
import type {
  CloseReason,
  ConsumerOptions,
  ConsumerStats,
  MediaNodeEventType,
  PeerStats,
  PipeAddress,
  PipedProducer,
  PlainTransportOptions,
  PlainTransportRemote,
  ProducerStats,
  RecordedTrack,
  RecorderSpec,
  TransportOptions,
  TransportStats,
  WorkerUsage,
} from '@summit-bridge/protocol';
import type { PlainTransportStat, Transport, WebRtcTransportStat } from 'mediasoup/types';
import { pino } from 'pino';
import { producerCodecsProblem } from '../codecs.js';
import { MediaNodeEvents } from '../events.js';
import type {
  ConsumerLayersData,
  CreatePlainTransportOptions,
  CreateTransportOptions,
  DtlsParametersData,
  IceParametersData,
  MediaNode,
  MediaNodeListener,
  NodeLogger,
  PeerRef,
  ProduceOptions,
  RtpCapabilitiesData,
} from '../MediaNode.js';
import { MediaNodeError } from '../MediaNode.js';
import { Recordings } from '../recording/Recordings.js';
import { carry, closeCopies, remoteEnd, setCopiesPaused } from './copies.js';
import { mediasoupCall, notFound } from './errors.js';
import type { ConsumerEntry, Peer, ProducerEntry, Session, TransportEntry } from './model.js';
import { workerReplaced } from './recovery.js';
import { type ObjectCounts, objectCounts, sessionStats, workerUsage } from './reports.js';
import {
  addOrigin,
  adopt,
  arrive,
  closePeerNow,
  closeSessionNow,
  newSession,
  originOf,
  routerFor,
} from './routers.js';
import { listenTo } from './speakers.js';
import { invalid, type LocalMediaNodeOptions, type NodeState } from './state.js';
import { consumerStats, producerStats, transportStats } from './stats.js';
import { WorkerPool } from './WorkerPool.js';

export type { ObjectCounts } from './reports.js';
export type { LocalMediaNodeOptions } from './state.js';

export async function createLocalMediaNode(options: LocalMediaNodeOptions = {}): Promise<LocalMediaNode> {
  const node = new LocalMediaNode(options);
  await node.start();
  return node;
}

export class LocalMediaNode implements MediaNode {
  private workers: WorkerPool | undefined;
  private closed = false;
  private readonly state: NodeState;
  private readonly recordings: Recordings;

  constructor(options: LocalMediaNodeOptions) {
    const log: NodeLogger = options.logger ?? pino({ base: null }, pino.destination(2));
    this.state = {
      options,
      log,
      events: new MediaNodeEvents(log),
      sessions: new Map(),
      transports: new Map(),
      producers: new Map(),
      consumers: new Map(),
      listenIp: options.listenIp ?? '127.0.0.1',
      threshold: options.routerConsumerThreshold ?? 200,
      pool: () => {
        if (!this.workers || this.closed) throw new MediaNodeError('unavailable', 'the media node is closed');
        return this.workers;
      },
    };
    this.recordings = new Recordings({
      dir: options.recordingDir,
      ffmpeg: options.ffmpegPath ?? 'ffmpeg',
      log,
      dropRate: options.recordingDropRate,
      onRestart: (sessionId, recordingId, track) =>
        this.state.events.emit({ type: 'recorderRestarted', sessionId, recordingId, track }),
    });
  }

  async start(): Promise<void> {
    const { options, log, listenIp } = this.state;
    this.workers = await WorkerPool.start(
      {
        workers: options.workers ?? availableParallelism(),
        listenIp,
        announcedAddress: options.announcedAddress,
        webRtcPort: options.webRtcPort ?? 0,
        rtcMinPort: options.rtcMinPort ?? 40000,
        rtcMaxPort: options.rtcMaxPort ?? 49999,
        dtlsCertificateFile: options.dtlsCertificateFile,
        dtlsPrivateKeyFile: options.dtlsPrivateKeyFile,
        logLevel: options.logLevel ?? 'warn',
        log,
      },
      (_slot, dead) => workerReplaced(this.state, dead),
    );
  }

  on<T extends MediaNodeEventType>(type: T, listener: MediaNodeListener<T>): void {
    this.state.events.on(type, listener);
  }

  off<T extends MediaNodeEventType>(type: T, listener: MediaNodeListener<T>): void {
    this.state.events.off(type, listener);
  }

  // ---- sessions --------------------------------------------------------------------------

  async openSession(sessionId: string): Promise<void> {
    this.state.pool();
    const existing = this.state.sessions.get(sessionId);
    if (existing) return existing.ready;
    const session = newSession(sessionId);
    this.state.sessions.set(sessionId, session);
    session.ready = addOrigin(this.state, session).catch((err) => {
      if (this.state.sessions.get(sessionId) === session) this.state.sessions.delete(sessionId);
      throw err;
    });
    return session.ready;
  }

  async closeSession(sessionId: string): Promise<void> {
    const session = this.state.sessions.get(sessionId);
    if (session) closeSessionNow(this.state, session, 'sessionClosed');
  }

  async routerRtpCapabilities(sessionId: string): Promise<RtpCapabilitiesData> {
    const session = await this.readySession(sessionId);
    return originOf(session).router.rtpCapabilities as RtpCapabilitiesData;
  }

  // ---- transports ------------------------------------------------------------------------

  async createTransport(peerRef: PeerRef, options: CreateTransportOptions): Promise<TransportOptions> {
    const peer = await this.peerFor(peerRef);
    const home = await routerFor(this.state, peer.session, options.direction);
    const transport = await arrive(home, () =>
      home.router.createWebRtcTransport({
        webRtcServer: home.slot.webRtcServer,
        enableUdp: !options.forceTcp,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: 1_000_000,
      }),
    );
    const entry = adopt(this.state, peer, home, options.direction, { type: 'webrtc', transport });
    const ref = peer.ref;
    const { events } = this.state;
    transport.on('icestatechange', (iceState) =>
      events.emit({ type: 'transportIceState', ...ref, transportId: transport.id, iceState }),
    );
    transport.on('dtlsstatechange', (dtlsState) =>
      events.emit({ type: 'transportDtlsState', ...ref, transportId: transport.id, dtlsState }),
    );
    return {
      id: entry.transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async createPlainTransport(
    peerRef: PeerRef,
    options: CreatePlainTransportOptions,
  ): Promise<PlainTransportOptions> {
    const peer = await this.peerFor(peerRef);
    const home = await routerFor(this.state, peer.session, options.direction);
    const { listenIp } = this.state;
    const announcedAddress = this.state.options.announcedAddress;
    const transport = await arrive(home, () =>
      home.router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: listenIp, ...(announcedAddress ? { announcedAddress } : {}) },
        rtcpMux: true,
        comedia: options.direction === 'send',
        enableSrtp: options.srtp ?? false,
      }),
    );
    adopt(this.state, peer, home, options.direction, { type: 'plain', transport });
    return {
      id: transport.id,
      ip: transport.tuple.localAddress,
      port: transport.tuple.localPort,
      ...(transport.srtpParameters ? { srtpParameters: transport.srtpParameters } : {}),
    };
  }

  async connectTransport(peer: PeerRef, transportId: string, dtlsParameters: DtlsParametersData) {
    const entry = this.ownTransport(peer, transportId);
    if (entry.type !== 'webrtc') throw invalid(`transport ${transportId} is not a WebRTC transport`);
    await mediasoupCall(() => entry.transport.connect({ dtlsParameters: dtlsParameters as never }));
  }

  async connectPlainTransport(peer: PeerRef, transportId: string, remote: PlainTransportRemote) {
    const entry = this.ownTransport(peer, transportId);
    if (entry.type !== 'plain') throw invalid(`transport ${transportId} is not a plain transport`);
    await mediasoupCall(() =>
      entry.transport.connect({
        ...(remote.ip === undefined ? {} : { ip: remote.ip }),
        ...(remote.port === undefined ? {} : { port: remote.port }),
        ...(remote.srtpParameters ? { srtpParameters: remote.srtpParameters as never } : {}),
      }),
    );
  }

  async restartIce(peer: PeerRef, transportId: string): Promise<IceParametersData> {
    const entry = this.ownTransport(peer, transportId);
    if (entry.type !== 'webrtc') throw invalid(`transport ${transportId} has no ICE`);
    return mediasoupCall(() => entry.transport.restartIce());
  }

  async closeTransport(peer: PeerRef, transportId: string): Promise<void> {
    const transport: Transport = this.ownTransport(peer, transportId).transport;
    transport.close();
  }

  // ---- producers -------------------------------------------------------------------------

  async produce(
    peer: PeerRef,
    transportId: string,
    options: ProduceOptions,
  ): Promise<{ producerId: string }> {
    const entry = this.ownTransport(peer, transportId);
    if (entry.direction !== 'send') throw invalid(`transport ${transportId} is a receive transport`);
    const codecs = entry.home.router.rtpCapabilities.codecs ?? [];
    const problem = producerCodecsProblem(options.kind, options.rtpParameters.codecs, codecs);
    if (problem) throw invalid(problem);
    const producer = await mediasoupCall(() =>
      entry.transport.produce({
        kind: options.kind,
        rtpParameters: options.rtpParameters as never,
        paused: options.paused ?? false,
      }),
    );
    const record: ProducerEntry = { producer, home: entry.home, transport: entry, closeReason: undefined };
    const ref = entry.peer.ref;
    const session = entry.peer.session;
    this.state.producers.set(producer.id, record);
    producer.on('transportclose', () => {
      record.closeReason ??= transportCloseReason(entry);
    });
    producer.observer.once('close', () => {
      this.state.producers.delete(producer.id);
      closeCopies(session, producer.id);
      const reason = record.closeReason ?? 'transportClosed';
      this.state.events.emit({ type: 'producerClosed', ...ref, producerId: producer.id, reason });
    });
    await listenTo(entry.home, producer);
    if (producer.closed) throw notFound('producer', producer.id);
    return { producerId: producer.id };
  }

  async pauseProducer(peer: PeerRef, producerId: string): Promise<void> {
    await this.setPaused(this.ownProducer(peer, producerId), true);
  }

  async resumeProducer(peer: PeerRef, producerId: string): Promise<void> {
    await this.setPaused(this.ownProducer(peer, producerId), false);
  }

  async closeProducer(peer: PeerRef, producerId: string): Promise<void> {
    const record = this.ownProducer(peer, producerId);
    record.closeReason = 'requested';
    record.producer.close();
  }

  // ---- consumers -------------------------------------------------------------------------

  async consume(
    peer: PeerRef,
    transportId: string,
    producerId: string,
    rtpCapabilities: RtpCapabilitiesData,
  ): Promise<ConsumerOptions> {
    const entry = this.ownTransport(peer, transportId);
    if (entry.direction !== 'recv') throw invalid(`transport ${transportId} is a send transport`);
    const source = this.state.producers.get(producerId);
    if (!source || source.home.session !== entry.peer.session) throw notFound('producer', producerId);
    const home = entry.home;
    if (home.slot.consumers >= (this.state.options.workerConsumerLimit ?? Number.POSITIVE_INFINITY))
      throw new MediaNodeError('unavailable', 'the media worker is at its consumer limit');
    const canConsume = await mediasoupCall(() =>
      source.home.router.canConsume({ producerId, rtpCapabilities: rtpCapabilities as never }),
    );
    if (!canConsume) throw invalid(`the receiver cannot decode producer ${producerId}`);
    if (source.home !== home) await carry(source, home);
    const consumer = await mediasoupCall(() =>
      entry.transport.consume({ producerId, rtpCapabilities: rtpCapabilities as never, paused: true }),
    );
    const record: ConsumerEntry = { consumer, transport: entry, closeReason: undefined };
    const ref = entry.peer.ref;
    const { events } = this.state;
    this.state.consumers.set(consumer.id, record);
    home.consumers++;
    home.slot.consumers++;
    consumer.on('producerclose', () => {
      record.closeReason ??= 'producerClosed';
    });
    consumer.on('transportclose', () => {
      record.closeReason ??= transportCloseReason(entry);
    });
    consumer.on('layerschange', (layers) =>
      events.emit({ type: 'consumerLayersChanged', ...ref, consumerId: consumer.id, layers: layers ?? null }),
    );
    consumer.observer.once('close', () => {
      this.state.consumers.delete(consumer.id);
      home.consumers--;
      home.slot.consumers--;
      const reason = record.closeReason ?? 'transportClosed';
      events.emit({ type: 'consumerClosed', ...ref, consumerId: consumer.id, producerId, reason });
    });
    if (consumer.closed) throw notFound('producer', producerId);
    return {
      id: consumer.id,
      producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters as ConsumerOptions['rtpParameters'],
    };
  }

  async pauseConsumer(peer: PeerRef, consumerId: string): Promise<void> {
    const { consumer } = this.ownConsumer(peer, consumerId);
    await mediasoupCall(() => consumer.pause());
  }

  async resumeConsumer(peer: PeerRef, consumerId: string): Promise<void> {
    const { consumer } = this.ownConsumer(peer, consumerId);
    await mediasoupCall(() => consumer.resume());
  }

  async closeConsumer(peer: PeerRef, consumerId: string): Promise<void> {
    const record = this.ownConsumer(peer, consumerId);
    record.closeReason = 'requested';
    record.consumer.close();
  }

  async setPreferredLayers(peer: PeerRef, consumerId: string, layers: ConsumerLayersData): Promise<void> {
    const { consumer } = this.ownConsumer(peer, consumerId);
    await mediasoupCall(() =>
      consumer.setPreferredLayers({
        spatialLayer: layers.spatialLayer,
        ...(layers.temporalLayer === undefined ? {} : { temporalLayer: layers.temporalLayer }),
      }),
    );
  }

  async setConsumerPriority(peer: PeerRef, consumerId: string, priority: number): Promise<void> {
    const { consumer } = this.ownConsumer(peer, consumerId);
    if (!Number.isInteger(priority) || priority < 1 || priority > 255)
      throw invalid('priority must be an integer from 1 to 255');
    await mediasoupCall(() => consumer.setPriority(priority));
  }

  // ---- peers -----------------------------------------------------------------------------

  async closePeer(ref: PeerRef): Promise<void> {
    const peer = this.state.sessions.get(ref.sessionId)?.peers.get(ref.peerId);
    if (peer) closePeerNow(peer, 'peerClosed');
  }

  // ---- pipes to other media nodes --------------------------------------------------------

  async openPipe(sessionId: string, remoteNodeId: string): Promise<PipeAddress> {
    await this.openSession(sessionId);
    return (await this.remoteEndOf(sessionId, remoteNodeId)).open();
  }

  async connectPipe(sessionId: string, remoteNodeId: string, remote: PipeAddress): Promise<void> {
    await (await this.remoteEndOf(sessionId, remoteNodeId)).connect(remote);
  }

  async pipeOut(sessionId: string, remoteNodeId: string, producerId: string): Promise<PipedProducer> {
    const source = this.state.producers.get(producerId);
    if (!source || source.transport === null || source.home.session.id !== sessionId)
      throw notFound('producer', producerId);
    const end = await this.remoteEndOf(sessionId, remoteNodeId);
    // The pipe leaves from the origin: a producer produced elsewhere is first copied there.
    if (source.home !== end.home) await carry(source, end.home);
    return end.send(producerId);
  }

  async pipeIn(sessionId: string, remoteNodeId: string, piped: PipedProducer): Promise<void> {
    await (await this.remoteEndOf(sessionId, remoteNodeId)).receive(piped);
  }

  async setPipedPaused(sessionId: string, producerId: string, paused: boolean): Promise<void> {
    const copy = this.state.producers.get(producerId);
    if (!copy || copy.transport !== null || copy.home.session.id !== sessionId) return;
    await this.setPaused(copy, paused);
  }

  async closePiped(sessionId: string, producerId: string): Promise<void> {
    const copy = this.state.producers.get(producerId);
    if (copy && copy.transport === null && copy.home.session.id === sessionId) copy.producer.close();
  }

  async closePipe(sessionId: string, remoteNodeId: string): Promise<void> {
    const session = this.state.sessions.get(sessionId);
    const end = session?.remoteEnds.get(remoteNodeId);
    if (!session || !end) return;
    session.remoteEnds.delete(remoteNodeId);
    await end.close();
  }

  // ---- stats and reports -----------------------------------------------------------------

  async transportStats(peer: PeerRef, transportId: string): Promise<TransportStats> {
    const transport: Transport = this.ownTransport(peer, transportId).transport;
    const [stat] = (await mediasoupCall(() => transport.getStats())) as (
      | WebRtcTransportStat
      | PlainTransportStat
    )[];
    if (!stat) throw notFound('transport', transportId);
    return transportStats(stat);
  }

  async producerStats(peer: PeerRef, producerId: string): Promise<ProducerStats> {
    const { producer } = this.ownProducer(peer, producerId);
    return mediasoupCall(() => producerStats(producer));
  }

  async consumerStats(peer: PeerRef, consumerId: string): Promise<ConsumerStats> {
    const { consumer } = this.ownConsumer(peer, consumerId);
    return mediasoupCall(() => consumerStats(consumer));
  }

  sessionStats(sessionId: string): Promise<PeerStats[]> {
    return sessionStats(this.state, sessionId);
  }

  workerUsage(): Promise<WorkerUsage[]> {
    return workerUsage(this.state);
  }

  /** Counts every mediasoup object the workers hold, from their own dumps: a leak shows here. */
  objectCounts(): Promise<ObjectCounts> {
    return objectCounts(this.state);
  }

  /** Sessions and peers here: what a draining node waits to see at zero. */
  occupancy(): { sessions: number; peers: number } {
    let peers = 0;
    for (const session of this.state.sessions.values()) peers += session.peers.size;
    return { sessions: this.state.sessions.size, peers };
  }

  hasSession(sessionId: string): boolean {
    return this.state.sessions.has(sessionId);
  }

  hasPeer(ref: PeerRef): boolean {
    return this.state.sessions.get(ref.sessionId)?.peers.has(ref.peerId) ?? false;
  }

  /** Consumers per session here: what the cluster's placement weighs. */
  sessionConsumers(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [id, session] of this.state.sessions)
      counts[id] = session.routers.reduce((sum, r) => sum + r.consumers, 0);
    return counts;
  }

  // ---- recording -------------------------------------------------------------------------

  async startRecorder(sessionId: string, spec: RecorderSpec): Promise<void> {
    const entry = this.state.producers.get(spec.producerId);
    if (!entry || entry.home.session.id !== sessionId || entry.home.session.closed)
      throw notFound('producer', spec.producerId);
    if (entry.producer.kind !== spec.kind) throw invalid(`producer ${spec.producerId} is not ${spec.kind}`);
    await mediasoupCall(() => this.recordings.start(sessionId, entry.home.router, spec));
  }

  stopRecorder(_sessionId: string, recordingId: string, producerId: string): Promise<RecordedTrack | null> {
    return this.recordings.stop(recordingId, producerId);
  }

  stopRecording(_sessionId: string, recordingId: string): Promise<RecordedTrack[]> {
    return this.recordings.stopAll(recordingId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.recordings.close();
    for (const session of [...this.state.sessions.values()])
      closeSessionNow(this.state, session, 'nodeClosed');
    this.closed = true;
    this.workers?.close();
    this.state.events.clear();
  }

  // ---- lookups ---------------------------------------------------------------------------

  /** Pauses or resumes a producer (an original or a copy from another node) and its copies here. */
  private async setPaused(entry: ProducerEntry, paused: boolean): Promise<void> {
    await mediasoupCall(async () => {
      await (paused ? entry.producer.pause() : entry.producer.resume());
      await setCopiesPaused(entry.home.session, entry.producer.id, paused);
    });
  }

  private async remoteEndOf(sessionId: string, remoteNodeId: string) {
    const session = await this.readySession(sessionId);
    return remoteEnd(this.state, session, originOf(session), remoteNodeId);
  }

  private async readySession(sessionId: string): Promise<Session> {
    this.state.pool();
    const session = this.state.sessions.get(sessionId);
    if (!session) throw notFound('session', sessionId);
    await session.ready;
    if (session.closed) throw notFound('session', sessionId);
    return session;
  }

  private async peerFor(ref: PeerRef): Promise<Peer> {
    const session = await this.readySession(ref.sessionId);
    let peer = session.peers.get(ref.peerId);
    if (!peer) {
      peer = {
        ref: { sessionId: ref.sessionId, peerId: ref.peerId },
        session,
        transports: new Set(),
        closed: false,
      };
      session.peers.set(ref.peerId, peer);
    }
    return peer;
  }

  private ownTransport(peer: PeerRef, transportId: string): TransportEntry {
    const entry = this.state.transports.get(transportId);
    if (!entry || !owns(entry, peer)) throw notFound('transport', transportId);
    return entry;
  }

  private ownProducer(peer: PeerRef, producerId: string): ProducerEntry {
    const entry = this.state.producers.get(producerId);
    if (!entry?.transport || !owns(entry.transport, peer)) throw notFound('producer', producerId);
    return entry;
  }

  private ownConsumer(peer: PeerRef, consumerId: string): ConsumerEntry {
    const entry = this.state.consumers.get(consumerId);
    if (!entry || !owns(entry.transport, peer)) throw notFound('consumer', consumerId);
    return entry;
  }
}

function owns(entry: TransportEntry, peer: PeerRef): boolean {
  return entry.peer.ref.sessionId === peer.sessionId && entry.peer.ref.peerId === peer.peerId;
}

function transportCloseReason(entry: TransportEntry): CloseReason {
  return entry.closeReason ?? (entry.home.worker.died ? 'workerDied' : 'transportClosed');
}
