import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { createLocalMediaNode, type MediaNode } from '@summit-bridge/sfu';
import { Redis } from 'ioredis';
import { AuditLog } from './audit/AuditLog.js';
import { AuthFailureLimiter } from './auth/authenticate.js';
import type { Config } from './config.js';
import { createApp } from './http/app.js';
import { InvitationService } from './invitations/InvitationService.js';
import type { Logger } from './log.js';
import { ClusterNodes } from './media/cluster/ClusterNodes.js';
import { NodeRegistry } from './media/cluster/NodeRegistry.js';
import { LocalNodes, type MediaNodes } from './media/MediaNodes.js';
import { MediaSessions } from './media/MediaSessions.js';
import { MemoryProducerDirectory, RedisProducerDirectory } from './media/ProducerDirectory.js';
import { auditPresentations } from './media/presentationAudit.js';
import { createMetrics } from './metrics.js';
import { ProceedingsService } from './proceedings/ProceedingsService.js';
import { RecordingService } from './recording/RecordingService.js';
import { SessionService } from './sessions/SessionService.js';
import { SummitCatalog } from './sessions/SummitCatalog.js';
import type { SignalingServer } from './socket/context.js';
import { watchInstances } from './socket/instanceWatch.js';
import { attachSignaling } from './socket/signaling.js';
import { MemoryStore } from './store/MemoryStore.js';
import { RedisStore } from './store/RedisStore.js';
import type { StateStore } from './store/StateStore.js';
import { TelemetryService } from './telemetry/TelemetryService.js';

export interface RunningServer {
  url: string;
  port: number;
  http: HttpServer;
  io: SignalingServer;
  store: StateStore;
  summits: SummitCatalog;
  sessions: SessionService;
  invitations: InvitationService;
  proceedings: ProceedingsService;
  /** The media node in this process (embedded media); null when media nodes are the cluster's. */
  mediaNode: MediaNode | null;
  mediaNodes: MediaNodes;
  instanceId: string;
  telemetry: TelemetryService;
  /** Base of join links. */
  publicUrl: string;
  close(): Promise<void>;
}

/**
 * Wiring: config -> store -> media node -> services -> adapters (HTTP, socket.io). Embedded
 * default without REDIS_URL (one process, MemoryStore); with it, RedisStore and the Redis adapter
 * so instances share state and fan-out. Services emit events; the adapters turn them into pushes.
 */
export async function startServer(config: Config, log: Logger, clientDir?: string): Promise<RunningServer> {
  const store: StateStore = config.redisUrl
    ? await RedisStore.connect({
        url: config.redisUrl,
        prefix: config.redisPrefix,
        onError: (err) => log.error({ err }, 'redis store connection'),
      })
    : new MemoryStore();
  // The socket.io adapter needs its own pair of connections (one of them only subscribes).
  const publisher = config.redisUrl ? new Redis(config.redisUrl) : null;
  const subscriber = publisher?.duplicate();
  for (const connection of [publisher, subscriber])
    connection?.on('error', (err) => log.error({ err }, 'redis adapter connection'));
  const instanceId = randomUUID();
  const media = await startMedia(config, log, instanceId);
  const metrics = createMetrics();
  const audit = new AuditLog(store, log);
  const summits = new SummitCatalog(store);
  const sessions = new SessionService(store, summits, audit, log);
  const authFailures = new AuthFailureLimiter();
  const http = createServer();
  const mediaSessions = new MediaSessions(media.nodes, media.directory, instanceId, summits, sessions, log);
  const telemetry = new TelemetryService(mediaSessions, store, summits, audit, log, config.telemetry);
  const proceedings = new ProceedingsService(store, summits, audit, log, config.proceedings);
  auditPresentations(mediaSessions, audit);
  const recordings = new RecordingService(
    sessions,
    mediaSessions,
    media.nodes,
    telemetry,
    log,
    config.recording,
  );

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, resolve);
  });
  const port = (http.address() as AddressInfo).port;
  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;
  const invitations = new InvitationService(
    { jwtSecret: config.jwtSecret, tokenTtlSec: config.tokenTtlSec, publicUrl },
    store,
    audit,
  );
  const clustered = publisher !== null;
  // The app first: socket.io then takes its own path (/socket.io/) and hands every other request to
  // it. Attached the other way round, both would answer socket.io's polling requests.
  const app = createApp({
    adminToken: config.adminToken,
    jwtSecret: config.jwtSecret,
    store,
    summits,
    invitations,
    audit,
    proceedings,
    maxDocumentBytes: config.proceedings.maxDocumentBytes,
    recordingDir: config.recording.dir,
    recordings,
    metrics,
    log,
    authFailures,
    trustProxy: config.trustProxy,
    metricsToken: config.metricsToken,
    ...(clientDir ? { clientDir } : {}),
  });
  http.on('request', app);
  const io = attachSignaling(http, {
    jwtSecret: config.jwtSecret,
    clustered,
    trustProxy: config.trustProxy,
    limits: config.signaling,
    store,
    summits,
    sessions,
    media: mediaSessions,
    turn: config.turn,
    telemetry,
    proceedings,
    recordings,
    invitations,
    audit,
    instanceId,
    authFailures,
    metrics,
    log,
  });
  if (publisher && subscriber) io.adapter(createAdapter(publisher, subscriber));
  proceedings.start();
  const instances = watchInstances(io, { instanceId, store, audit, log, ...config.instances });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    http,
    io,
    store,
    summits,
    sessions,
    invitations,
    proceedings,
    mediaNode: media.local,
    mediaNodes: media.nodes,
    instanceId,
    telemetry,
    publicUrl,
    close: async () => {
      sessions.close();
      proceedings.close();
      recordings.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await instances.close();
      await telemetry.close();
      await media.close();
      await store.close();
      publisher?.disconnect();
      subscriber?.disconnect();
    },
  };
}

/** The media nodes: one in this process (embedded), or the cluster's, found in the registry. */
async function startMedia(config: Config, log: Logger, instanceId: string) {
  const { media } = config;
  if (media.nodes === 'registry' && config.redisUrl && media.nodeSecret) {
    const redis = new Redis(config.redisUrl);
    redis.on('error', (err) => log.error({ err }, 'media registry connection'));
    const registry = new NodeRegistry(redis, log.child({ component: 'media-registry' }), {
      prefix: config.redisPrefix,
      secret: media.nodeSecret,
      instanceId,
      requestTimeoutMs: media.nodeTimeoutMs,
    });
    await registry.start();
    const nodes = new ClusterNodes(registry, redis, log, {
      prefix: config.redisPrefix,
      sessionConsumersPerNode: media.sessionConsumersPerNode,
    });
    const close = async () => {
      await nodes.close();
      redis.disconnect();
    };
    return { nodes, directory: new RedisProducerDirectory(redis, config.redisPrefix), local: null, close };
  }
  if (config.redisUrl)
    log.warn('media stays in this process: with several instances, run media nodes (MEDIA_NODES=registry)');
  const local = await createLocalMediaNode({
    workers: media.workers,
    listenIp: media.listenIp,
    announcedAddress: media.announcedAddress,
    ...(media.basePort > 0 ? { webRtcPort: media.basePort } : {}),
    routerConsumerThreshold: media.consumersPerRouter,
    logger: log.child({ component: 'media-node' }),
    ...(media.dtlsCertificateFile ? { dtlsCertificateFile: media.dtlsCertificateFile } : {}),
    ...(media.dtlsPrivateKeyFile ? { dtlsPrivateKeyFile: media.dtlsPrivateKeyFile } : {}),
    recordingDir: config.recording.dir,
    ffmpegPath: config.recording.ffmpeg,
    recordingDropRate: config.recording.testDropRate,
  });
  const nodes = new LocalNodes(local);
  return { nodes, directory: new MemoryProducerDirectory(), local, close: () => nodes.close() };
}
