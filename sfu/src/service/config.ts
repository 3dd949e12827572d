// A media node process's configuration, from the environment, checked once at start.
import { hostname } from 'node:os';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const Env = z.object({
  MEDIA_NODE_ID: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{0,62}$/, 'lowercase letters, digits, dots and dashes')
    .default(
      hostname()
        .toLowerCase()
        .replace(/[^a-z0-9.-]/g, '-'),
    ),
  MEDIA_NODE_REGION: optionalText,
  MEDIA_NODE_SECRET: z.string().min(32, 'must be at least 32 characters'),
  MEDIA_NODE_CONTROL_HOST: z.string().default('0.0.0.0'),
  MEDIA_NODE_CONTROL_PORT: port.default(4443),
  MEDIA_NODE_CONTROL_URL: optionalText,
  MEDIA_NODE_MAX_CONSUMERS: z.coerce.number().int().min(1).optional(),
  MEDIA_NODE_DRAIN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(10 * 60_000),
  MEDIA_NODE_ORPHAN_GRACE_MS: z.coerce.number().int().min(0).default(5_000),
  MEDIA_NODE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(10_000).default(1_000),
  REDIS_URL: z.string().min(1, 'the registry is in Redis'),
  REDIS_PREFIX: z.string().default('sb:'),
  MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  MEDIA_LISTEN_IP: z.string().default('0.0.0.0'),
  MEDIA_ANNOUNCED_ADDRESS: optionalText,
  MEDIA_PORT: port.default(40000),
  MEDIA_RTC_MIN_PORT: port.default(40100),
  MEDIA_RTC_MAX_PORT: port.default(49999),
  MEDIA_CONSUMERS_PER_ROUTER: z.coerce.number().int().min(1).default(200),
  /** Where this node writes recordings: the directory every signaling instance reads (RECORDING_DIR). */
  RECORDING_DIR: optionalText,
  FFMPEG_PATH: z.string().default('ffmpeg'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type MediaNodeConfig = z.output<typeof Env>;

export class MediaNodeConfigError extends Error {}

export function mediaNodeConfig(env: NodeJS.ProcessEnv = process.env): MediaNodeConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new MediaNodeConfigError(`bad media node configuration: ${problems}`);
  }
  return parsed.data;
}
