// A media node as a service: `node sfu/dist/main.js` (npm run media-node). It runs the
// mediasoup workers, listens for signaling instances on its control channel, and keeps its record
// in the registry. SIGTERM drains it (no new sessions or peers; it exits when empty or after the
// drain timeout); a second signal stops it at once.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createLocalMediaNode } from './local/LocalMediaNode.js';
import { MediaNodeConfigError, mediaNodeConfig } from './service/config.js';
import { NodeControlServer } from './service/NodeControlServer.js';
import { NodeHeartbeat } from './service/NodeHeartbeat.js';

async function main(): Promise<void> {
  const config = mediaNodeConfig();
  const log = pino({ level: config.LOG_LEVEL, base: { node: config.MEDIA_NODE_ID } });
  const workers = config.MEDIA_WORKERS ?? availableParallelism();
  const node = await createLocalMediaNode({
    workers,
    listenIp: config.MEDIA_LISTEN_IP,
    ...(config.MEDIA_ANNOUNCED_ADDRESS ? { announcedAddress: config.MEDIA_ANNOUNCED_ADDRESS } : {}),
    ...(config.MEDIA_PORT > 0 ? { webRtcPort: config.MEDIA_PORT } : {}),
    rtcMinPort: config.MEDIA_RTC_MIN_PORT,
    rtcMaxPort: config.MEDIA_RTC_MAX_PORT,
    routerConsumerThreshold: config.MEDIA_CONSUMERS_PER_ROUTER,
    ...(config.RECORDING_DIR ? { recordingDir: resolve(config.RECORDING_DIR) } : {}),
    ffmpegPath: config.FFMPEG_PATH,
    logger: log,
  });
  const http = createServer();
  const control = new NodeControlServer(http, node, {
    secret: config.MEDIA_NODE_SECRET,
    log,
    orphanGraceMs: config.MEDIA_NODE_ORPHAN_GRACE_MS,
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.MEDIA_NODE_CONTROL_PORT, config.MEDIA_NODE_CONTROL_HOST, resolve);
  });
  const port = (http.address() as AddressInfo).port;
  const host = config.MEDIA_ANNOUNCED_ADDRESS ?? config.MEDIA_NODE_CONTROL_HOST;
  const controlUrl = config.MEDIA_NODE_CONTROL_URL ?? `ws://${host}:${port}`;
  const redis = new Redis(config.REDIS_URL);
  redis.on('error', (err) => log.error({ err }, 'registry connection'));
  const heartbeat = new NodeHeartbeat(redis, node, {
    id: config.MEDIA_NODE_ID,
    region: config.MEDIA_NODE_REGION,
    controlUrl,
    maxConsumers: config.MEDIA_NODE_MAX_CONSUMERS ?? 1_000 * workers,
    prefix: config.REDIS_PREFIX,
    intervalMs: config.MEDIA_NODE_HEARTBEAT_MS,
    log,
  });
  await heartbeat.start();
  // The line the operator (and the tests) wait for.
  console.log(`media node ${config.MEDIA_NODE_ID} serving, control at ${controlUrl}`);

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ why }, 'media node stopping');
    await heartbeat.stop().catch(() => undefined);
    await control.close();
    await node.close();
    redis.disconnect();
    process.exit(0);
  };
  const drain = async () => {
    if (control.isDraining) return stop('second signal');
    control.drain();
    await heartbeat.setState('DRAINING').catch(() => undefined);
    log.info({ timeoutMs: config.MEDIA_NODE_DRAIN_TIMEOUT_MS }, 'media node draining');
    const deadline = Date.now() + config.MEDIA_NODE_DRAIN_TIMEOUT_MS;
    const check = setInterval(() => {
      if (node.occupancy().peers === 0) void stop('drained');
      else if (Date.now() >= deadline) void stop('drain timeout');
    }, 250);
    check.unref();
  };
  process.on('SIGTERM', () => void drain());
  process.on('SIGINT', () => void drain());
}

main().catch((err) => {
  console.error(err instanceof MediaNodeConfigError ? err.message : err);
  process.exit(1);
});
