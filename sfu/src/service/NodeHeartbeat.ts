// A media node's record in the cluster's registry (Redis): who it is, where its control channel
// is, whether it serves or drains, and its load, rewritten every heartbeat with an expiry so that
// a node that stops beating drops out by itself.
import { type NodeRecord, type NodeState, nodeRegistryKeys } from '@summit-bridge/protocol';
import type { Redis } from 'ioredis';
import type { LocalMediaNode } from '../local/LocalMediaNode.js';
import type { NodeLogger } from '../MediaNode.js';

export interface HeartbeatOptions {
  id: string;
  region: string | undefined;
  controlUrl: string;
  maxConsumers: number;
  prefix: string;
  intervalMs?: number;
  log: NodeLogger;
}

export class NodeHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private state: NodeState = 'SERVING';
  private readonly startedAt = Date.now();
  private lastCpu: { at: number; cpuMs: number } | undefined;
  private readonly keys;
  private readonly intervalMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly node: LocalMediaNode,
    private readonly options: HeartbeatOptions,
  ) {
    this.keys = nodeRegistryKeys(options.prefix);
    this.intervalMs = options.intervalMs ?? 1_000;
  }

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => {
      this.beat().catch((err) => this.options.log.warn({ err }, 'registry heartbeat failed'));
    }, this.intervalMs);
  }

  /** DRAINING shows at once, not at the next beat. */
  async setState(state: NodeState): Promise<void> {
    this.state = state;
    await this.beat();
  }

  /** Leaves the registry: nobody chooses this node any more. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.multi().srem(this.keys.ids, this.options.id).del(this.keys.node(this.options.id)).exec();
  }

  private async beat(): Promise<void> {
    const usage = await this.node.workerUsage();
    const now = Date.now();
    const cpuMs = usage.reduce((sum, w) => sum + w.cpuMs, 0);
    const cpuPct = this.lastCpu
      ? ((cpuMs - this.lastCpu.cpuMs) / Math.max(1, now - this.lastCpu.at)) * 100
      : 0;
    this.lastCpu = { at: now, cpuMs };
    const record: NodeRecord = {
      id: this.options.id,
      ...(this.options.region ? { region: this.options.region } : {}),
      controlUrl: this.options.controlUrl,
      state: this.state,
      startedAt: this.startedAt,
      heartbeatAt: now,
      load: {
        cpuPct: Math.round(cpuPct * 10) / 10,
        consumers: usage.reduce((sum, w) => sum + w.consumers, 0),
        transports: usage.reduce((sum, w) => sum + w.transports, 0),
        sessions: this.node.sessionConsumers(),
      },
      maxConsumers: this.options.maxConsumers,
    };
    // Three missed beats and nothing new is placed here; ten and the record is gone (a node whose
    // control connection is lost is declared down long before, within a second).
    await this.redis
      .multi()
      .sadd(this.keys.ids, this.options.id)
      .set(this.keys.node(this.options.id), JSON.stringify(record), 'PX', this.intervalMs * 10)
      .exec();
  }
}
