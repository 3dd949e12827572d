// Media nodes on several hosts: each session has a home node, recorded in Redis so that every
// signaling instance agrees on it; receive transports go where placement says (a region's own
// node, or another node once home is full); producers cross between nodes by pipes set up once.
import { EventEmitter } from 'node:events';
import type { TransportDirection } from '@summit-bridge/protocol';
import {
  chooseHome,
  hostForTransport,
  type MediaNode,
  MediaNodeError,
  NodePipeEnd,
  PipeLink,
} from '@summit-bridge/sfu';
import type { Redis } from 'ioredis';
import { type SessionKey, sessionKeyId } from '../../domain/sessionKey.js';
import type { Logger } from '../../log.js';
import type { MediaNodes, MediaNodesEvents } from '../MediaNodes.js';
import type { NodeRegistry } from './NodeRegistry.js';

export interface ClusterNodesOptions {
  prefix: string;
  /** Session consumers on one node past which receive transports go to another. */
  sessionConsumersPerNode: number;
}

// Sets the home to ARGV[2] if it is still ARGV[1] ('' = none); answers the home that stands.
const compareAndSetHome = `
local current = redis.call('GET', KEYS[1])
if current == false then current = '' end
if current == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return ARGV[2] end
return current
`;

export class ClusterNodes extends EventEmitter<MediaNodesEvents> implements MediaNodes {
  /** Homes known here, by session key id: kept while the node lives. */
  private readonly homes = new Map<string, Promise<string>>();
  private readonly links = new Map<string, PipeLink>();
  private readonly opened = new Map<string, Promise<void>>();

  constructor(
    private readonly registry: NodeRegistry,
    private readonly redis: Redis,
    private readonly log: Logger,
    private readonly options: ClusterNodesOptions,
  ) {
    super();
    registry.on('nodeEvent', (nodeId, event) => this.emit('nodeEvent', nodeId, event));
    registry.on('nodeDown', (nodeId) => this.nodeDown(nodeId));
  }

  get(nodeId: string): MediaNode {
    return this.registry.get(nodeId);
  }

  home(key: SessionKey): Promise<string> {
    const id = sessionKeyId(key);
    let home = this.homes.get(id);
    if (!home) {
      home = this.settleHome(key);
      this.homes.set(id, home);
      home.catch(() => this.homes.delete(id));
    }
    return home;
  }

  async nodeForTransport(key: SessionKey, direction: TransportDirection, region?: string): Promise<string> {
    const home = await this.home(key);
    const id = sessionKeyId(key);
    const used = new Map<string, number>([[home, this.registry.record(home)?.load.sessions[id] ?? 0]]);
    for (const nodeId of this.registry.aliveIds()) {
      const consumers = this.registry.record(nodeId)?.load.sessions[id];
      if (consumers !== undefined) used.set(nodeId, consumers);
    }
    const spread = { home, used, threshold: this.options.sessionConsumersPerNode };
    const chosen = hostForTransport(direction, spread, this.registry.candidates(), region);
    await this.open(chosen, id);
    return chosen;
  }

  refusedNew(nodeId: string): void {
    this.registry.markDraining(nodeId);
  }

  async carry(key: SessionKey, producerId: string, from: string, to: string): Promise<void> {
    if (from === to) return;
    const id = sessionKeyId(key);
    const linkKey = `${id}|${from}|${to}`;
    let link = this.links.get(linkKey);
    if (!link || link.isClosed) {
      link = new PipeLink(new NodePipeEnd(this.get(from), id, to), new NodePipeEnd(this.get(to), id, from));
      this.links.set(linkKey, link);
    }
    await link.carry(producerId);
  }

  /** Every live node: a handful, and a session's copies may be on any of them. */
  nodesOf(): string[] {
    return this.registry.aliveIds();
  }

  async closeSession(key: SessionKey): Promise<void> {
    const id = sessionKeyId(key);
    this.homes.delete(id);
    for (const [linkKey, link] of this.links) {
      if (linkKey.startsWith(`${id}|`)) {
        this.links.delete(linkKey);
        void link.close();
      }
    }
    for (const nodeId of this.registry.aliveIds()) this.opened.delete(`${nodeId}|${id}`);
    await this.redis.del(this.homeKey(key));
    await Promise.allSettled(this.registry.aliveIds().map((nodeId) => this.get(nodeId).closeSession(id)));
  }

  async close(): Promise<void> {
    for (const link of this.links.values()) void link.close();
    this.links.clear();
    await this.registry.close();
  }

  private homeKey({ summitId, sessionId }: SessionKey): string {
    return `${this.options.prefix}{${summitId}}:mediahome:${sessionId}`;
  }

  /**
   * The recorded home while it lives (sticky: moving it would cut everyone off), else a new one by
   * placement, set only if nobody set another meanwhile; then the session is opened there.
   */
  private async settleHome(key: SessionKey): Promise<string> {
    const homeKey = this.homeKey(key);
    const recorded = await this.redis.get(homeKey);
    let home = recorded && this.registry.alive(recorded) ? recorded : null;
    if (!home) {
      await this.registry.someCandidate();
      const chosen = chooseHome(null, this.registry.candidates());
      if (!chosen) throw new MediaNodeError('unavailable', 'no media node is available');
      home = String(await this.redis.eval(compareAndSetHome, 1, homeKey, recorded ?? '', chosen));
      if (!this.registry.alive(home)) throw new MediaNodeError('unavailable', `media node ${home} is gone`);
      if (home !== recorded) this.log.info({ session: sessionKeyId(key), node: home }, 'session homed');
    }
    await this.open(home, sessionKeyId(key));
    return home;
  }

  private open(nodeId: string, sessionId: string): Promise<void> {
    const openKey = `${nodeId}|${sessionId}`;
    let opening = this.opened.get(openKey);
    if (!opening) {
      opening = this.get(nodeId).openSession(sessionId);
      this.opened.set(openKey, opening);
      opening.catch(() => this.opened.delete(openKey));
    }
    return opening;
  }

  // The node's media is gone: forget it as anyone's home, close the pipes that touched it on the
  // nodes that remain, and let the media service tell the participants.
  private nodeDown(nodeId: string): void {
    const sessions = new Set([
      ...this.homes.keys(),
      ...[...this.opened.keys()].map((k) => k.split('|')[1] ?? ''),
    ]);
    for (const [id, home] of this.homes) {
      void home.then(
        (h) => {
          if (h === nodeId) this.homes.delete(id);
        },
        () => undefined,
      );
    }
    for (const openKey of [...this.opened.keys()])
      if (openKey.startsWith(`${nodeId}|`)) this.opened.delete(openKey);
    // Closing a link closes the surviving end's pipe too, and the copies that came through it.
    for (const [linkKey, link] of this.links) {
      const [, from, to] = linkKey.split('|');
      if (from !== nodeId && to !== nodeId) continue;
      this.links.delete(linkKey);
      void link.close();
    }
    // Pipes another instance set up to the dead node: every live node drops its end (idempotent).
    for (const sessionId of sessions)
      for (const survivor of this.registry.aliveIds())
        this.get(survivor)
          .closePipe(sessionId, nodeId)
          .catch((err) => this.log.warn({ err, node: survivor }, 'closing a pipe to a dead node failed'));
    this.emit('nodeDown', nodeId);
  }
}
