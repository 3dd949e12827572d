// A whole cluster on one machine, for its tests and its benchmark: Redis, media node processes on
// loopback addresses of their own (127.0.0.2 and 127.0.0.3 stand in for other hosts), and
// signaling instances as users run them, all sharing one secret set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NodeRecord, nodeRegistryKeys } from '@summit-bridge/protocol';
import { Redis } from 'ioredis';
import { type AppProcess, startApp } from './appProcess.js';
import { type MediaNodeProcess, startMediaNode } from './mediaNodeProcess.js';
import { type RedisServer, startRedis } from './redisProcess.js';

export const rigSecrets = {
  adminToken: 'cluster-rig-admin-token-0123456789',
  jwtSecret: 'a shared token secret for every instance of the cluster rig',
  nodeSecret: 'the media nodes of the cluster rig trust whoever holds this',
};

export interface NodeSpec {
  id: string;
  /** A loopback address of its own: the node's "host". */
  ip: string;
  region?: string;
  workers?: number;
  maxConsumers?: number;
}

export class ClusterRig {
  readonly nodes = new Map<string, MediaNodeProcess>();
  readonly instances: AppProcess[] = [];
  /** The recordings' directory every node writes and every instance reads, as a shared mount would be. */
  readonly recordingDir = mkdtempSync(join(tmpdir(), 'rig-recordings-'));
  private registry: Redis;
  private readonly keys;

  private constructor(
    readonly redis: RedisServer,
    private readonly prefix: string,
    private readonly instanceEnv: Record<string, string>,
  ) {
    this.registry = new Redis(redis.url);
    this.keys = nodeRegistryKeys(prefix);
  }

  static async start(
    options: { prefix?: string; instanceEnv?: Record<string, string> } = {},
  ): Promise<ClusterRig> {
    return new ClusterRig(await startRedis(), options.prefix ?? 'rig:', options.instanceEnv ?? {});
  }

  async startNode(spec: NodeSpec): Promise<MediaNodeProcess> {
    const node = await startMediaNode({
      MEDIA_NODE_ID: spec.id,
      MEDIA_NODE_SECRET: rigSecrets.nodeSecret,
      MEDIA_NODE_CONTROL_HOST: spec.ip,
      MEDIA_LISTEN_IP: spec.ip,
      MEDIA_WORKERS: String(spec.workers ?? 1),
      MEDIA_NODE_ORPHAN_GRACE_MS: '2000',
      REDIS_URL: this.redis.url,
      REDIS_PREFIX: this.prefix,
      RECORDING_DIR: this.recordingDir,
      ...(spec.region ? { MEDIA_NODE_REGION: spec.region } : {}),
      ...(spec.maxConsumers ? { MEDIA_NODE_MAX_CONSUMERS: String(spec.maxConsumers) } : {}),
    });
    this.nodes.set(spec.id, node);
    return node;
  }

  async startInstance(env: Record<string, string> = {}): Promise<AppProcess> {
    const app = await startApp({
      REDIS_URL: this.redis.url,
      REDIS_PREFIX: this.prefix,
      SUMMIT_JWT_SECRET: rigSecrets.jwtSecret,
      SUMMIT_ADMIN_TOKEN: rigSecrets.adminToken,
      MEDIA_NODES: 'registry',
      MEDIA_NODE_SECRET: rigSecrets.nodeSecret,
      RECORDING_DIR: this.recordingDir,
      LOG_LEVEL: 'warn',
      ...this.instanceEnv,
      ...env,
    });
    this.instances.push(app);
    return app;
  }

  async nodeRecord(id: string): Promise<NodeRecord | null> {
    const raw = await this.registry.get(this.keys.node(id));
    return raw ? (JSON.parse(raw) as NodeRecord) : null;
  }

  /** The node a session's media lives on, as the instances recorded it. */
  async home(summitId: string, sessionId: string): Promise<string | null> {
    return this.registry.get(`${this.prefix}{${summitId}}:mediahome:${sessionId}`);
  }

  async admin(app: AppProcess, method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${app.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${rigSecrets.adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async invite(app: AppProcess, body: object): Promise<string> {
    const res = await this.admin(app, 'POST', '/summits/asean-2020/invitations', body);
    if (res.status !== 201) throw new Error(`invitation refused: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  }

  async stop(): Promise<void> {
    await Promise.all(this.instances.map((app) => app.stop()));
    await Promise.all([...this.nodes.values()].map((node) => node.stop()));
    this.registry.disconnect();
    await this.redis.stop();
    rmSync(this.recordingDir, { recursive: true, force: true });
  }
}
