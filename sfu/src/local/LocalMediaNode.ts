// The media node in this process, over mediasoup: a router per session on the least-loaded
// worker, spread to more workers through pipes when it fills, rebuilt when its worker dies.
import { availableParallelism } from 'node:os';
import type {
  CloseReason,
  ConsumerOptions,
  ConsumerStats,
  MediaNodeEventType,
  PeerStats,
  PlainTransportOptions,
  PlainTransportRemote,
  ProducerStats,
  TransportOptions,
  TransportStats,
  WorkerUsage,
} from '@summit-bridge/protocol';
import type {
  PlainTransportStat,
  Transport,
  WebRtcTransportStat,
  Worker,
  WorkerLogLevel,
} from 'mediasoup/types';
import { pino } from 'pino';
import { producerCodecsProblem, sessionMediaCodecs } from '../codecs.js';
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
import { mediasoupCall, notFound, translate } from './errors.js';
import type {
  ConsumerEntry,
  Peer,
  ProducerEntry,
  Recovery,
  Session,
  SessionRouter,
  TransportEntry,
} from './model.js';
import { consumerState, consumerStats, producerStats, transportStats } from './stats.js';
import { WorkerPool, type WorkerSlot } from './WorkerPool.js';

export interface LocalMediaNodeOptions {
  /** mediasoup workers (processes); default: one per core. */
  workers?: number;
  /** Address the WebRtcServers and PlainTransports listen on; default 127.0.0.1. */
  listenIp?: string;
  /** Address announced to clients in ICE candidates (public IP or host name), when it differs. */
  announcedAddress?: string;
  /** First worker's WebRtcServer port, UDP and TCP; worker i uses webRtcPort + i. Default: any free port. */
  webRtcPort?: number;
  /** Port range of PlainTransports and pipes; default 40000-49999. */
  rtcMinPort?: number;
  rtcMaxPort?: number;
  /** PEM files for DTLS; default: a certificate each worker generates. */
  dtlsCertificateFile?: string;
  dtlsPrivateKeyFile?: string;
  /** Consumers on a router after which new receive transports go to a router on another worker. */
  routerConsumerThreshold?: number;
  /** Consumers one worker may carry; past it, consume answers unavailable. Default: no limit. */
  workerConsumerLimit?: number;
  activeSpeakerIntervalMs?: number;
  audioLevelIntervalMs?: number;
  logLevel?: WorkerLogLevel;
  /** Where the node logs; JSON lines on stderr by default. */
  logger?: NodeLogger;
}

/** mediasoup object counts, read from the workers' own dumps (not from the node's bookkeeping). */
export interface ObjectCounts {
  routers: number;
  transports: number;
  producers: number;
  consumers: number;
  rtpObservers: number;
  webRtcServerTransports: number;
}

const PIPE_LISTEN_IP = '127.0.0.1';

export async function createLocalMediaNode(options: LocalMediaNodeOptions = {}): Promise<LocalMediaNode> {
  const node = new LocalMediaNode(options);
  await node.start();
  return node;
}

export class LocalMediaNode implements MediaNode {
  private pool: WorkerPool | undefined;
  private readonly log: NodeLogger;
  private readonly events: MediaNodeEvents;
  private readonly sessions = new Map<string, Session>();
  private readonly transports = new Map<string, TransportEntry>();
  private readonly producers = new Map<string, ProducerEntry>();
  private readonly consumers = new Map<string, ConsumerEntry>();
  private readonly listenIp: string;
  private readonly threshold: number;
  private readonly workerConsumerLimit: number;
  private closed = false;

  constructor(private readonly options: LocalMediaNodeOptions) {
    this.log = options.logger ?? pino({ base: null }, pino.destination(2));
    this.events = new MediaNodeEvents(this.log);
    this.listenIp = options.listenIp ?? '127.0.0.1';
    this.threshold = options.routerConsumerThreshold ?? 200;
    this.workerConsumerLimit = options.workerConsumerLimit ?? Number.POSITIVE_INFINITY;
  }

  async start(): Promise<void> {
    this.pool = await WorkerPool.start(
      {
        workers: this.options.workers ?? availableParallelism(),
        listenIp: this.listenIp,
        announcedAddress: this.options.announcedAddress,
        webRtcPort: this.options.webRtcPort ?? 0,
        rtcMinPort: this.options.rtcMinPort ?? 40000,
        rtcMaxPort: this.options.rtcMaxPort ?? 49999,
        dtlsCertificateFile: this.options.dtlsCertificateFile,
        dtlsPrivateKeyFile: this.options.dtlsPrivateKeyFile,
        logLevel: this.options.logLevel ?? 'warn',
        log: this.log,
      },
      (_slot, dead) => this.workerReplaced(dead),
    );
  }

  on<T extends MediaNodeEventType>(type: T, listener: MediaNodeListener<T>): void {
    this.events.on(type, listener);
  }

  off<T extends MediaNodeEventType>(type: T, listener: MediaNodeListener<T>): void {
    this.events.off(type, listener);
  }

  // ---- sessions --------------------------------------------------------------------------

  async openSession(sessionId: string): Promise<void> {
    this.assertOpen();
    const existing = this.sessions.get(sessionId);
    if (existing) return existing.ready;
    const session: Session = {
      id: sessionId,
      origin: undefined,
      routers: [],
      peers: new Map(),
      ready: Promise.resolve(),
      spreading: undefined,
      recovery: undefined,
      closed: false,
    };
    this.sessions.set(sessionId, session);
    session.ready = this.addOrigin(session).catch((err) => {
      if (this.sessions.get(sessionId) === session) this.sessions.delete(sessionId);
      throw err;
    });
    return session.ready;
  }

  async closeSession(sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (session) this.closeSessionNow(session, 'sessionClosed');
  }

  async routerRtpCapabilities(sessionId: string): Promise<RtpCapabilitiesData> {
    const session = await this.readySession(sessionId);
    return this.originOf(session).router.rtpCapabilities as RtpCapabilitiesData;
  }

  // ---- transports ------------------------------------------------------------------------

  async createTransport(peerRef: PeerRef, options: CreateTransportOptions): Promise<TransportOptions> {
    const peer = await this.peerFor(peerRef);
    const home = await this.homeFor(peer.session, options.direction);
    const transport = await this.arrive(home, () =>
      home.router.createWebRtcTransport({
        webRtcServer: home.slot.webRtcServer,
        enableUdp: !options.forceTcp,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: 1_000_000,
      }),
    );
    const entry = this.adopt(peer, home, options.direction, { type: 'webrtc', transport });
    const ref = peer.ref;
    transport.on('icestatechange', (iceState) =>
      this.events.emit({ type: 'transportIceState', ...ref, transportId: transport.id, iceState }),
    );
    transport.on('dtlsstatechange', (dtlsState) =>
      this.events.emit({ type: 'transportDtlsState', ...ref, transportId: transport.id, dtlsState }),
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
    const home = await this.homeFor(peer.session, options.direction);
    const transport = await this.arrive(home, () =>
      home.router.createPlainTransport({
        listenInfo: {
          protocol: 'udp',
          ip: this.listenIp,
          ...(this.options.announcedAddress ? { announcedAddress: this.options.announcedAddress } : {}),
        },
        rtcpMux: true,
        comedia: options.direction === 'send',
        enableSrtp: options.srtp ?? false,
      }),
    );
    this.adopt(peer, home, options.direction, { type: 'plain', transport });
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
    const problem = producerCodecsProblem(
      options.kind,
      options.rtpParameters.codecs,
      entry.home.router.rtpCapabilities.codecs ?? [],
    );
    if (problem) throw invalid(problem);
    const producer = await mediasoupCall(() =>
      entry.transport.produce({
        kind: options.kind,
        rtpParameters: options.rtpParameters as never,
        paused: options.paused ?? false,
      }),
    );
    const record: ProducerEntry = { producer, transport: entry, closeReason: undefined };
    const ref = entry.peer.ref;
    this.producers.set(producer.id, record);
    producer.on('transportclose', () => {
      record.closeReason ??= transportCloseReason(entry);
    });
    producer.observer.once('close', () => {
      this.producers.delete(producer.id);
      const reason = record.closeReason ?? 'transportClosed';
      this.events.emit({ type: 'producerClosed', ...ref, producerId: producer.id, reason });
    });
    const speakers = entry.home.speakers;
    if (producer.kind === 'audio' && speakers) {
      // A producer closed meanwhile leaves the observers on its own: nothing to undo.
      await Promise.all([
        speakers.activeSpeaker.addProducer({ producerId: producer.id }),
        speakers.audioLevels.addProducer({ producerId: producer.id }),
      ]).catch(() => undefined);
    }
    if (producer.closed) throw notFound('producer', producer.id);
    return { producerId: producer.id };
  }

  async pauseProducer(peer: PeerRef, producerId: string): Promise<void> {
    const { producer } = this.ownProducer(peer, producerId);
    await mediasoupCall(() => producer.pause());
  }

  async resumeProducer(peer: PeerRef, producerId: string): Promise<void> {
    const { producer, transport } = this.ownProducer(peer, producerId);
    await mediasoupCall(async () => {
      await producer.resume();
      await this.resumePipes(producerId, transport.peer.session);
    });
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
    const session = entry.peer.session;
    const source = this.producers.get(producerId);
    if (!source || source.transport.peer.session !== session) throw notFound('producer', producerId);
    const home = entry.home;
    if (home.slot.consumers >= this.workerConsumerLimit)
      throw new MediaNodeError('unavailable', 'the media worker is at its consumer limit');
    const canConsume = await mediasoupCall(() =>
      source.transport.home.router.canConsume({ producerId, rtpCapabilities: rtpCapabilities as never }),
    );
    if (!canConsume) throw invalid(`the receiver cannot decode producer ${producerId}`);
    if (source.transport.home !== home) await this.pipe(source, home);
    const consumer = await mediasoupCall(() =>
      entry.transport.consume({ producerId, rtpCapabilities: rtpCapabilities as never, paused: true }),
    );
    const record: ConsumerEntry = { consumer, transport: entry, closeReason: undefined };
    const ref = entry.peer.ref;
    this.consumers.set(consumer.id, record);
    home.consumers++;
    home.slot.consumers++;
    consumer.on('producerclose', () => {
      record.closeReason ??= 'producerClosed';
    });
    consumer.on('transportclose', () => {
      record.closeReason ??= transportCloseReason(entry);
    });
    consumer.on('layerschange', (layers) =>
      this.events.emit({
        type: 'consumerLayersChanged',
        ...ref,
        consumerId: consumer.id,
        layers: layers ?? null,
      }),
    );
    consumer.observer.once('close', () => {
      this.consumers.delete(consumer.id);
      home.consumers--;
      home.slot.consumers--;
      this.events.emit({
        type: 'consumerClosed',
        ...ref,
        consumerId: consumer.id,
        producerId,
        reason: record.closeReason ?? 'transportClosed',
      });
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

  // ---- peers, stats, close ---------------------------------------------------------------

  async closePeer(ref: PeerRef): Promise<void> {
    const peer = this.sessions.get(ref.sessionId)?.peers.get(ref.peerId);
    if (peer) this.closePeerNow(peer, 'peerClosed');
  }

  async transportStats(peer: PeerRef, transportId: string): Promise<TransportStats> {
    const entry = this.ownTransport(peer, transportId);
    const transport: Transport = entry.transport;
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

  async sessionStats(sessionId: string): Promise<PeerStats[]> {
    const session = this.sessions.get(sessionId);
    if (!session || session.closed) return [];
    const peers = new Map<Peer, PeerStats>();
    for (const peer of session.peers.values())
      peers.set(peer, { peerId: peer.ref.peerId, transports: [], producers: [], consumers: [] });
    const statsOf = (entry: TransportEntry) => peers.get(entry.peer);
    // The reads run together; one whose object closed meanwhile is dropped, the others stand.
    const reads: Promise<void>[] = [];
    const read = <T>(get: () => Promise<T>, keep: (stat: T) => void) =>
      reads.push(get().then(keep, () => undefined));
    for (const entry of this.transports.values()) {
      const into = statsOf(entry);
      if (!into) continue;
      const transport: Transport = entry.transport;
      read(
        () => transport.getStats() as Promise<(WebRtcTransportStat | PlainTransportStat)[]>,
        ([stat]) => {
          if (stat) into.transports.push({ ...transportStats(stat), direction: entry.direction });
        },
      );
    }
    for (const { producer, transport } of this.producers.values()) {
      const into = statsOf(transport);
      if (into)
        read(
          () => producerStats(producer),
          (stat) => into.producers.push({ ...stat, kind: producer.kind }),
        );
    }
    for (const { consumer, transport } of this.consumers.values()) {
      statsOf(transport)?.consumers.push(consumerState(consumer));
    }
    await Promise.all(reads);
    return [...peers.values()];
  }

  async workerUsage(): Promise<WorkerUsage[]> {
    const slots = this.livePool().slots.filter((s) => s.alive);
    return Promise.all(
      slots.map(async (slot) => {
        const usage = await mediasoupCall(() => slot.worker.getResourceUsage());
        const here = [...this.transports.values()].filter((t) => t.home.slot === slot);
        return {
          index: slot.index,
          pid: slot.worker.pid,
          cpuMs: usage.ru_utime + usage.ru_stime,
          maxRssKb: usage.ru_maxrss,
          routers: slot.routers,
          transports: here.length,
          producers: [...this.producers.values()].filter((p) => p.transport.home.slot === slot).length,
          consumers: slot.consumers,
        };
      }),
    );
  }

  /** Counts every mediasoup object the workers hold, from their own dumps: a leak shows here. */
  async objectCounts(): Promise<ObjectCounts> {
    const counts: ObjectCounts = {
      routers: 0,
      transports: 0,
      producers: 0,
      consumers: 0,
      rtpObservers: 0,
      webRtcServerTransports: 0,
    };
    const routers = new Map(
      [...this.sessions.values()].flatMap((s) => s.routers.map((r) => [r.router.id, r.router] as const)),
    );
    for (const slot of this.livePool().slots.filter((s) => s.alive)) {
      const dump = await slot.worker.dump();
      counts.routers += dump.routerIds.length;
      counts.webRtcServerTransports += (await slot.webRtcServer.dump()).webRtcTransportIds.length;
      for (const routerId of dump.routerIds) {
        const router = routers.get(routerId);
        if (!router) continue;
        const routerDump = await router.dump();
        counts.transports += routerDump.transportIds.length;
        counts.producers += routerDump.mapProducerIdConsumerIds.length;
        counts.consumers += routerDump.mapConsumerIdProducerId.length;
        counts.rtpObservers += routerDump.rtpObserverIds.length;
      }
    }
    return counts;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const session of [...this.sessions.values()]) this.closeSessionNow(session, 'nodeClosed');
    this.pool?.close();
    this.events.clear();
  }

  // ---- placement and pipes ---------------------------------------------------------------

  /** A send transport lives on the origin; a receive transport on the first router with room. */
  private async homeFor(session: Session, direction: 'send' | 'recv'): Promise<SessionRouter> {
    const origin = this.originOf(session);
    if (direction === 'send') return origin;
    const open = session.routers.find((r) => r.consumers < this.threshold);
    if (open) return open;
    session.spreading ??= this.spread(session).finally(() => {
      session.spreading = undefined;
    });
    return session.spreading;
  }

  /** A router on a worker the session does not use yet; if every worker has one, the least full. */
  private async spread(session: Session): Promise<SessionRouter> {
    const used = new Set(session.routers.map((r) => r.slot));
    const slot = this.livePool().leastLoaded(used);
    if (slot && !used.has(slot)) return this.addRouter(session, slot, false);
    const [leastFull] = [...session.routers].sort((a, b) => a.consumers - b.consumers);
    if (!leastFull) throw new MediaNodeError('unavailable', 'no media worker is running');
    return leastFull;
  }

  private async addOrigin(session: Session): Promise<void> {
    await this.livePool().settled();
    const slot = this.livePool().leastLoaded();
    if (!slot) throw new MediaNodeError('unavailable', 'no media worker is running');
    session.origin = await this.addRouter(session, slot, true);
  }

  private async addRouter(session: Session, slot: WorkerSlot, origin: boolean): Promise<SessionRouter> {
    const worker = slot.worker;
    const router = await mediasoupCall(() => worker.createRouter({ mediaCodecs: sessionMediaCodecs }));
    let home: SessionRouter | undefined;
    try {
      const speakers = origin
        ? {
            activeSpeaker: await router.createActiveSpeakerObserver({
              interval: this.options.activeSpeakerIntervalMs ?? 300,
            }),
            audioLevels: await router.createAudioLevelObserver({
              maxEntries: 16,
              threshold: -70,
              interval: this.options.audioLevelIntervalMs ?? 800,
            }),
          }
        : undefined;
      if (session.closed) throw notFound('session', session.id);
      home = {
        session,
        router,
        worker,
        slot,
        speakers,
        consumers: 0,
        transports: new Set(),
        arriving: 0,
        pipes: new Map(),
      };
    } catch (err) {
      router.close();
      throw translate(err);
    }
    const added = home;
    slot.routers++;
    session.routers.push(added);
    router.observer.once('close', () => this.routerClosed(added));
    if (added.speakers) this.watchSpeakers(added);
    return added;
  }

  private watchSpeakers(origin: SessionRouter): void {
    const { activeSpeaker, audioLevels } = origin.speakers as NonNullable<SessionRouter['speakers']>;
    const sessionId = origin.session.id;
    activeSpeaker.on('dominantspeaker', ({ producer }) => {
      const owner = this.producers.get(producer.id)?.transport.peer.ref;
      if (owner) this.events.emit({ type: 'activeSpeaker', ...owner, producerId: producer.id });
    });
    audioLevels.on('volumes', (volumes) => {
      const levels = volumes.flatMap(({ producer, volume }) => {
        const owner = this.producers.get(producer.id)?.transport.peer.ref;
        return owner ? [{ peerId: owner.peerId, producerId: producer.id, volume }] : [];
      });
      this.events.emit({ type: 'audioLevels', sessionId, levels });
    });
    audioLevels.on('silence', () => this.events.emit({ type: 'audioLevels', sessionId, levels: [] }));
  }

  /** Pipes a producer from its router into another router of the session, once per pair. */
  private async pipe(source: ProducerEntry, target: SessionRouter): Promise<void> {
    const producerId = source.producer.id;
    let piping = target.pipes.get(producerId);
    if (!piping) {
      piping = mediasoupCall(async () => {
        const { pipeProducer } = await source.transport.home.router.pipeToRouter({
          producerId,
          router: target.router,
          listenInfo: { protocol: 'udp', ip: PIPE_LISTEN_IP },
        });
        if (!pipeProducer) throw notFound('producer', producerId);
        pipeProducer.observer.once('close', () => target.pipes.delete(producerId));
        return pipeProducer;
      });
      target.pipes.set(producerId, piping);
      piping.catch(() => target.pipes.delete(producerId));
    }
    await piping;
  }

  /** mediasoup resumes a pipe's far end on its own, a moment later: wait for it, so that media
   * sent once resumeProducer answers reaches every router. */
  private async resumePipes(producerId: string, session: Session): Promise<void> {
    const pipes = session.routers.flatMap((r) => {
      const pipe = r.pipes.get(producerId);
      return pipe ? [pipe] : [];
    });
    await Promise.all(pipes.map(async (pipe) => (await pipe).resume()));
  }

  // ---- closing ---------------------------------------------------------------------------

  /** Creates a transport on a router; the router counts it as arriving until adopt() takes it. */
  private async arrive<T>(home: SessionRouter, create: () => Promise<T>): Promise<T> {
    home.arriving++;
    try {
      return await mediasoupCall(create);
    } catch (err) {
      home.arriving--;
      this.closeIfEmpty(home);
      throw err;
    }
  }

  /** An empty spread router goes, and its pipes with it. */
  private closeIfEmpty(home: SessionRouter): void {
    const session = home.session;
    if (home === session.origin || home.transports.size || home.arriving || session.closed) return;
    home.router.close();
  }

  private adopt(
    peer: Peer,
    home: SessionRouter,
    direction: 'send' | 'recv',
    created: Pick<TransportEntry, 'type' | 'transport'>,
  ): TransportEntry {
    home.arriving--;
    const entry = { ...created, peer, home, direction, closeReason: undefined } as TransportEntry;
    if (peer.closed || home.router.closed) {
      created.transport.close();
      this.closeIfEmpty(home);
      throw notFound('peer', peer.ref.peerId);
    }
    this.transports.set(entry.transport.id, entry);
    peer.transports.add(entry);
    home.transports.add(entry);
    const transport: Transport = entry.transport;
    transport.observer.once('close', () => this.transportClosed(entry));
    return entry;
  }

  private transportClosed(entry: TransportEntry): void {
    const { peer, home } = entry;
    this.transports.delete(entry.transport.id);
    peer.transports.delete(entry);
    home.transports.delete(entry);
    const session = peer.session;
    if (home.worker.died) this.recoveryOf(session).lostPeers.add(peer.ref.peerId);
    else this.closeIfEmpty(home);
  }

  private routerClosed(home: SessionRouter): void {
    const session = home.session;
    home.slot.routers--;
    session.routers = session.routers.filter((r) => r !== home);
    if (!home.worker.died || session.closed) return;
    const recovery = this.recoveryOf(session);
    recovery.deadWorkers.add(home.worker);
    if (session.origin === home) {
      session.origin = undefined;
      recovery.lostOrigin = true;
    }
  }

  private recoveryOf(session: Session): Recovery {
    if (!session.recovery) {
      let done = () => {};
      const ready = new Promise<void>((resolve) => {
        done = resolve;
      });
      session.recovery = { deadWorkers: new Set(), lostOrigin: false, lostPeers: new Set(), done };
      session.ready = ready;
    }
    return session.recovery;
  }

  /** A dead worker's slot holds its replacement: rebuild the sessions that lost routers. */
  private workerReplaced(dead: Worker): void {
    for (const session of this.sessions.values()) {
      if (session.recovery?.deadWorkers.has(dead)) void this.recover(session, session.recovery);
    }
  }

  private async recover(session: Session, recovery: Recovery): Promise<void> {
    session.recovery = undefined;
    try {
      if (recovery.lostOrigin && !session.closed) await this.addOrigin(session);
    } catch (err) {
      this.log.error({ err, session: session.id }, 'a session could not get a new router');
    }
    const peerIds = [...recovery.lostPeers];
    for (const peerId of peerIds) {
      const peer = session.peers.get(peerId);
      if (peer) this.closePeerNow(peer, 'workerDied');
    }
    recovery.done();
    if (peerIds.length && !session.closed)
      this.events.emit({ type: 'peersMustReconnect', sessionId: session.id, peerIds, reason: 'workerDied' });
  }

  private closePeerNow(peer: Peer, reason: CloseReason): void {
    peer.closed = true;
    if (peer.session.peers.get(peer.ref.peerId) === peer) peer.session.peers.delete(peer.ref.peerId);
    for (const entry of [...peer.transports]) {
      entry.closeReason = reason;
      entry.transport.close();
    }
  }

  private closeSessionNow(session: Session, reason: CloseReason): void {
    session.closed = true;
    this.sessions.delete(session.id);
    for (const peer of [...session.peers.values()]) this.closePeerNow(peer, reason);
    for (const home of [...session.routers]) home.router.close();
    session.recovery?.done();
  }

  // ---- lookups ---------------------------------------------------------------------------

  private livePool(): WorkerPool {
    if (!this.pool || this.closed) throw new MediaNodeError('unavailable', 'the media node is closed');
    return this.pool;
  }

  private assertOpen(): void {
    this.livePool();
  }

  private async readySession(sessionId: string): Promise<Session> {
    this.assertOpen();
    const session = this.sessions.get(sessionId);
    if (!session) throw notFound('session', sessionId);
    await session.ready;
    if (session.closed) throw notFound('session', sessionId);
    return session;
  }

  private originOf(session: Session): SessionRouter {
    if (!session.origin) throw new MediaNodeError('unavailable', `session ${session.id} has no media router`);
    return session.origin;
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
    const entry = this.transports.get(transportId);
    if (!entry || !owns(entry, peer)) throw notFound('transport', transportId);
    return entry;
  }

  private ownProducer(peer: PeerRef, producerId: string): ProducerEntry {
    const entry = this.producers.get(producerId);
    if (!entry || !owns(entry.transport, peer)) throw notFound('producer', producerId);
    return entry;
  }

  private ownConsumer(peer: PeerRef, consumerId: string): ConsumerEntry {
    const entry = this.consumers.get(consumerId);
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

function invalid(message: string): MediaNodeError {
  return new MediaNodeError('invalid_payload', message);
}
