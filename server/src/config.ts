// Configuration from the environment, read and checked once at start.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { type AlertRule, AlertRules, DEFAULT_DOCUMENT_MAX_BYTES } from '@summit-bridge/protocol';
import { z } from 'zod';
import { defaultRules } from './domain/telemetry/rules.js';
import type { TurnConfig } from './media/turnCredentials.js';

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const Env = z.object({
  PORT: port.default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: optionalText,
  REDIS_URL: optionalText,
  REDIS_PREFIX: z.string().default('sb:'),
  SUMMIT_ADMIN_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  SUMMIT_JWT_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  TOKEN_TTL_SEC: z.coerce
    .number()
    .int()
    .min(60)
    .default(3 * 24 * 3600),
  MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  MEDIA_LISTEN_IP: z.string().default('0.0.0.0'),
  MEDIA_ANNOUNCED_ADDRESS: optionalText,
  MEDIA_PORT: port.default(40000),
  MEDIA_CONSUMERS_PER_ROUTER: z.coerce.number().int().min(1).default(200),
  MEDIA_NODES: z.enum(['embedded', 'registry']).default('embedded'),
  MEDIA_NODE_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  MEDIA_SESSION_CONSUMERS_PER_NODE: z.coerce.number().int().min(1).default(500),
  MEDIA_NODE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  DTLS_CERT_FILE: optionalText,
  DTLS_KEY_FILE: optionalText,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  TRUST_PROXY: z.string().default('loopback'),
  METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  SIGNALING_REQUESTS_PER_SEC: z.coerce.number().int().min(1).default(20),
  SIGNALING_REQUEST_BURST: z.coerce.number().int().min(1).default(60),
  SIGNALING_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  TURN_URLS: optionalText,
  TURN_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  TURN_TTL_SEC: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(3600),
  TELEMETRY_RULES_FILE: optionalText,
  TELEMETRY_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  DOCUMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(DEFAULT_DOCUMENT_MAX_BYTES),
  SILENCE_MIN_SEC: z.coerce.number().int().min(10).default(3600),
  INSTANCE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  INSTANCE_LOST_AFTER_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  RECORDING_DIR: z.string().default('recordings'),
  RECORDING_MIN_FREE_MB: z.coerce.number().int().min(1).default(2048),
  FFMPEG_PATH: z.string().default('ffmpeg'),
  /** Fault injection for tests: one in round(1/x) packets dropped on the way to a recorder. */
  RECORDING_TEST_DROP_RATE: z.coerce.number().min(0).max(0.5).default(0),
});

export interface Config {
  port: number;
  host: string;
  /** Base of join links; defaults to http://localhost:<port>. */
  publicUrl: string | undefined;
  redisUrl: string | undefined;
  redisPrefix: string;
  adminToken: string;
  adminTokenGenerated: boolean;
  jwtSecret: string;
  tokenTtlSec: number;
  media: {
    workers: number;
    listenIp: string;
    announcedAddress: string;
    /** Worker i's WebRtcServer listens on UDP and TCP port `basePort + i`; 0 = any free port. */
    basePort: number;
    consumersPerRouter: number;
    dtlsCertificateFile: string | undefined;
    dtlsPrivateKeyFile: string | undefined;
    /**
     * `embedded`: a media node in this process. `registry`: the media nodes registered in Redis,
     * reached over their control channels with `nodeSecret` (the cluster).
     */
    nodes: 'embedded' | 'registry';
    nodeSecret: string | undefined;
    /** A session's consumers on one node past which its receive transports go to another. */
    sessionConsumersPerNode: number;
    nodeTimeoutMs: number;
  };
  /** TURN relays handed to clients with short-lived credentials; undefined: none (direct ICE only). */
  turn: TurnConfig | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /**
   * Which peers may tell the client's address in X-Forwarded-For (express's `trust proxy`: a
   * comma list of addresses, CIDRs or loopback/linklocal/uniquelocal). Default: loopback only.
   */
  trustProxy: string[];
  /** Bearer token for GET /metrics; without it, /metrics takes the admin token. */
  metricsToken: string | undefined;
  signaling: {
    /** Each connection's request budget: refilled per second, and its burst. */
    requestsPerSecond: number;
    requestBurst: number;
    /** Largest message a client may send; socket.io closes the connection beyond. */
    maxMessageBytes: number;
  };
  telemetry: {
    /** The alert rules: defaultRules, or the JSON array in TELEMETRY_RULES_FILE. */
    rules: AlertRule[];
    /** Time between samples; 2 s in production (the stored series assume it), shorter in tests. */
    intervalMs: number;
  };
  recording: {
    /**
     * Where recordings are written (RECORDING_DIR, `recordings` under the working directory by
     * default): by the media node in this process, or in a cluster by every media node and read
     * by every instance, so a directory they all mount.
     */
    dir: string;
    /** Below this much free space in it, a recording stops (RECORDING_MIN_FREE_MB, 2 GiB). */
    minFreeBytes: number;
    ffmpeg: string;
    testDropRate: number;
  };
  proceedings: {
    /** Largest document body accepted (DOCUMENT_MAX_BYTES, 10 MiB by default). */
    maxDocumentBytes: number;
    /** Shortest written silence procedure (SILENCE_MIN_SEC, an hour by default). */
    silenceMinMs: number;
  };
  /** Signs of life between signaling instances (see socket/instanceWatch.ts). */
  instances: {
    /** INSTANCE_HEARTBEAT_MS, 5 s by default. */
    heartbeatMs: number;
    /** INSTANCE_LOST_AFTER_MS, 30 s by default: silent this long, an instance is dead. */
    lostAfterMs: number;
  };
}

export class ConfigError extends Error {}

/** The first non-internal IPv4 address: what browsers on other machines can reach. */
function reachableAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

function alertRulesFrom(file: string | undefined): AlertRule[] {
  if (!file) return defaultRules;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`TELEMETRY_RULES_FILE ${file}: ${(err as Error).message}`);
  }
  const rules = AlertRules.safeParse(json);
  if (!rules.success) {
    const issue = rules.error.issues[0];
    throw new ConfigError(`TELEMETRY_RULES_FILE ${file}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return rules.data;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`bad configuration: ${problems}`);
  }
  const e = parsed.data;
  // Instances behind one load balancer must agree on the token secret: Redis mode needs it set.
  if (e.REDIS_URL && !e.SUMMIT_JWT_SECRET) {
    throw new ConfigError(
      'SUMMIT_JWT_SECRET must be set when REDIS_URL is (every instance verifies the same tokens)',
    );
  }
  if (e.MEDIA_NODES === 'registry' && (!e.REDIS_URL || !e.MEDIA_NODE_SECRET)) {
    throw new ConfigError('MEDIA_NODES=registry needs REDIS_URL (the registry) and MEDIA_NODE_SECRET');
  }
  const turnUrls = (e.TURN_URLS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (turnUrls.length > 0 !== Boolean(e.TURN_SECRET))
    throw new ConfigError(
      "TURN_URLS and TURN_SECRET go together (the secret is coturn's static-auth-secret)",
    );
  const badUrl = turnUrls.find((u) => !/^turns?:[^\s]+$/.test(u));
  if (badUrl) throw new ConfigError(`TURN_URLS: ${badUrl} is not a turn: or turns: URL`);
  // A live instance that missed a beat or two (a pause, a slow Redis) must not be buried.
  if (e.INSTANCE_LOST_AFTER_MS < 3 * e.INSTANCE_HEARTBEAT_MS)
    throw new ConfigError('INSTANCE_LOST_AFTER_MS must be at least three times INSTANCE_HEARTBEAT_MS');
  const listenIp = e.MEDIA_LISTEN_IP;
  const loopback = listenIp === '127.0.0.1' || listenIp === '::1';
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    adminToken: e.SUMMIT_ADMIN_TOKEN ?? randomBytes(24).toString('base64url'),
    adminTokenGenerated: !e.SUMMIT_ADMIN_TOKEN,
    jwtSecret: e.SUMMIT_JWT_SECRET ?? randomBytes(48).toString('base64url'),
    tokenTtlSec: e.TOKEN_TTL_SEC,
    media: {
      workers: e.MEDIA_WORKERS ?? availableParallelism(),
      listenIp,
      announcedAddress: e.MEDIA_ANNOUNCED_ADDRESS ?? (loopback ? listenIp : reachableAddress()),
      basePort: e.MEDIA_PORT,
      consumersPerRouter: e.MEDIA_CONSUMERS_PER_ROUTER,
      dtlsCertificateFile: e.DTLS_CERT_FILE,
      dtlsPrivateKeyFile: e.DTLS_KEY_FILE,
      nodes: e.MEDIA_NODES,
      nodeSecret: e.MEDIA_NODE_SECRET,
      sessionConsumersPerNode: e.MEDIA_SESSION_CONSUMERS_PER_NODE,
      nodeTimeoutMs: e.MEDIA_NODE_TIMEOUT_MS,
    },
    turn: e.TURN_SECRET ? { urls: turnUrls, secret: e.TURN_SECRET, ttlSec: e.TURN_TTL_SEC } : undefined,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY.split(',')
      .map((v) => v.trim())
      .filter(Boolean),
    metricsToken: e.METRICS_TOKEN,
    signaling: {
      requestsPerSecond: e.SIGNALING_REQUESTS_PER_SEC,
      requestBurst: e.SIGNALING_REQUEST_BURST,
      maxMessageBytes: e.SIGNALING_MAX_MESSAGE_BYTES,
    },
    telemetry: { rules: alertRulesFrom(e.TELEMETRY_RULES_FILE), intervalMs: e.TELEMETRY_INTERVAL_MS },
    proceedings: { maxDocumentBytes: e.DOCUMENT_MAX_BYTES, silenceMinMs: e.SILENCE_MIN_SEC * 1000 },
    instances: { heartbeatMs: e.INSTANCE_HEARTBEAT_MS, lostAfterMs: e.INSTANCE_LOST_AFTER_MS },
    recording: {
      dir: resolve(e.RECORDING_DIR),
      minFreeBytes: e.RECORDING_MIN_FREE_MB * 1024 * 1024,
      ffmpeg: e.FFMPEG_PATH,
      testDropRate: e.RECORDING_TEST_DROP_RATE,
    },
  };
}
