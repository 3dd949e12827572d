// The media nodes of the cluster as this signaling instance sees them: their registry records
// (read from Redis every second) and a control connection to each. A node whose connection stays
// lost past a grace, or whose heartbeat stops, is declared down, once.
import { EventEmitter } from 'node:events';
import { MediaNodeEvent, NodeRecord, nodeRegistryKeys } from '@summit-bridge/protocol';
import { type Candidate, MediaNodeError, RemoteMediaNode } from '@summit-bridge/sfu';
import type { Redis } from 'ioredis';
import type { Logger } from '../../log.js';

export interface NodeRegistryOptions {
  prefix: string;
  secret: string;
  instanceId: string;
  /** A node whose heartbeat is older than this is not chosen for anything new (ms). */
  staleMs?: number;
  /** A node whose heartbeat is older than this is declared down (ms): a partition, a hung node. */
  deadMs?: number;
  /** A lost control connection not back within this is a dead node (ms). */
  downGraceMs?: number;
  pollMs?: number;
  requestTimeoutMs?: number;
}

interface RegistryEvents {
  nodeEvent: [nodeId: string, event: MediaNodeEvent];
  nodeDown: [nodeId: string];
}

interface Known {
  record: NodeRecord;
  node: RemoteMediaNode;
  downTimer: NodeJS.Timeout | undefined;
}

const eventTypes = MediaNodeEvent.options.map((o) => o.shape.type.value);

export class NodeRegistry extends EventEmitter<RegistryEvents> {
  private readonly known = new Map<string, Known>();
  /** Nodes declared down, by `<id>@<startedAt>`: their lingering records are not reconnected. */
  private readonly dead = new Set<string>();
  private readonly keys;
  private timer: NodeJS.Timeout | undefined;
  private readonly staleMs: number;
  private readonly deadMs: number;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    private readonly options: NodeRegistryOptions,
  ) {
    super();
    this.keys = nodeRegistryKeys(options.prefix);
    this.staleMs = options.staleMs ?? 3_000;
    this.deadMs = options.deadMs ?? 10_000;
  }

  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => {
      this.poll().catch((err) => this.log.warn({ err }, 'reading the media node registry failed'));
    }, this.options.pollMs ?? 1_000);
    this.timer.unref();
  }

  /** A node that is alive (connected, not declared down): any state, any load. */
  alive(nodeId: string): boolean {
    const known = this.known.get(nodeId);
    return !!known && known.node.connected;
  }

  aliveIds(): string[] {
    return [...this.known.keys()].filter((id) => this.alive(id));
  }

  get(nodeId: string): RemoteMediaNode {
    const known = this.known.get(nodeId);
    if (!known) throw new MediaNodeError('unavailable', `media node ${nodeId} is gone`);
    return known.node;
  }

  record(nodeId: string): NodeRecord | undefined {
    return this.known.get(nodeId)?.record;
  }

  /** What a node said before its next record shows it: that it drains. */
  markDraining(nodeId: string): void {
    const known = this.known.get(nodeId);
    if (known) known.record = { ...known.record, state: 'DRAINING' };
  }

  /** Nodes that may be chosen for something new: alive, serving, under their consumer limit. */
  candidates(): Candidate[] {
    return [...this.known.values()]
      .filter((k) => this.alive(k.record.id) && this.fresh(k.record) && k.record.state === 'SERVING')
      .filter((k) => k.record.load.consumers < k.record.maxConsumers)
      .map((k) => ({
        id: k.record.id,
        // Consumers weigh first; CPU breaks ties between nodes of different sizes.
        load: k.record.load.consumers / k.record.maxConsumers + k.record.load.cpuPct / 10_000,
        region: k.record.region,
      }));
  }

  /** Waits until at least one node can be chosen (or gives up as unavailable). */
  async someCandidate(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.candidates().length === 0) {
      if (Date.now() > deadline) throw new MediaNodeError('unavailable', 'no media node is available');
      await this.poll();
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const known of this.known.values()) {
      clearTimeout(known.downTimer);
      await known.node.close();
    }
    this.known.clear();
  }

  private fresh(record: NodeRecord): boolean {
    return Date.now() - record.heartbeatAt <= this.staleMs;
  }

  private async poll(): Promise<void> {
    if (this.closed) return;
    const ids = await this.redis.smembers(this.keys.ids);
    const raws = ids.length ? await this.redis.mget(ids.map((id) => this.keys.node(id))) : [];
    const seen = new Set<string>();
    for (const raw of raws) {
      const record = raw ? parseRecord(raw) : null;
      if (!record) continue;
      seen.add(record.id);
      const known = this.known.get(record.id);
      // A node restarted under the same id is a new node: its predecessor's media is gone.
      if (known && known.record.startedAt !== record.startedAt) this.down(record.id, 'restarted');
      const current = this.known.get(record.id);
      if (current) current.record = record;
      else if (this.fresh(record) && !this.dead.has(incarnation(record))) this.connect(record);
    }
    for (const [id, known] of this.known) {
      if (!seen.has(id)) this.down(id, 'left the registry');
      else if (Date.now() - known.record.heartbeatAt > this.deadMs) this.down(id, 'heartbeat stopped');
    }
  }

  private connect(record: NodeRecord): void {
    const node = new RemoteMediaNode({
      nodeId: record.id,
      controlUrl: record.controlUrl,
      secret: this.options.secret,
      instanceId: this.options.instanceId,
      timeoutMs: this.options.requestTimeoutMs ?? 5_000,
      log: this.log,
    });
    const known: Known = { record, node, downTimer: undefined };
    this.known.set(record.id, known);
    for (const type of eventTypes) node.on(type, (event) => this.emit('nodeEvent', record.id, event));
    node.connection.on('up', () => {
      clearTimeout(known.downTimer);
      known.downTimer = undefined;
    });
    node.connection.on('down', (reason) => {
      if (this.closed || known.downTimer) return;
      known.downTimer = setTimeout(
        () => this.down(record.id, `control connection lost (${reason})`),
        this.options.downGraceMs ?? 1_000,
      );
    });
  }

  private down(nodeId: string, why: string): void {
    const known = this.known.get(nodeId);
    if (!known) return;
    this.known.delete(nodeId);
    this.dead.add(incarnation(known.record));
    clearTimeout(known.downTimer);
    void known.node.close();
    this.log.warn({ node: nodeId, why }, 'media node down');
    this.emit('nodeDown', nodeId);
  }
}

/** One run of a node: a node restarted under the same id is another incarnation. */
const incarnation = (record: NodeRecord) => `${record.id}@${record.startedAt}`;

function parseRecord(raw: string): NodeRecord | null {
  try {
    const parsed = NodeRecord.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
