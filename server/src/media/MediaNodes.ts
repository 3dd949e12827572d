// The media nodes a signaling instance uses, and where a session's media goes on them. Embedded:
// one node in this process. Cluster: nodes on other hosts, found in the registry (ClusterNodes).
import { EventEmitter } from 'node:events';
import { MediaNodeEvent, type TransportDirection } from '@summit-bridge/protocol';
import type { MediaNode } from '@summit-bridge/sfu';
import { type SessionKey, sessionKeyId } from '../domain/sessionKey.js';

export interface MediaNodesEvents {
  /** Something a node reports (producer closed, ICE state…), with the node it came from. */
  nodeEvent: [nodeId: string, event: MediaNodeEvent];
  /** A node is gone (its control connection lost, its heartbeat stopped): its media is lost. */
  nodeDown: [nodeId: string];
}

export interface MediaNodes extends EventEmitter<MediaNodesEvents> {
  /** A node by id; unavailable once it is gone. */
  get(nodeId: string): MediaNode;
  /** The session's home (where its send transports and producers live), opened there. */
  home(key: SessionKey): Promise<string>;
  /** Where a new transport of a participant goes (its delegation's region, when it has one). */
  nodeForTransport(key: SessionKey, direction: TransportDirection, region?: string): Promise<string>;
  /** A node refused something new (it began to drain): nothing more goes there until it says otherwise. */
  refusedNew(nodeId: string): void;
  /** Makes a producer held by `from` consumable on `to`: piped across once, shared by all. */
  carry(key: SessionKey, producerId: string, from: string, to: string): Promise<void>;
  /** Every node that may hold media of the session, home first. */
  nodesOf(key: SessionKey): string[];
  /** The session closed: its media goes everywhere, and it opens afresh if it reopens. */
  closeSession(key: SessionKey): Promise<void>;
  close(): Promise<void>;
}

const eventTypes = MediaNodeEvent.options.map((o) => o.shape.type.value);

/** The embedded default: one media node, in this process; nothing to place, nothing to pipe. */
export class LocalNodes extends EventEmitter<MediaNodesEvents> implements MediaNodes {
  static readonly ID = 'local';
  private readonly opening = new Map<string, Promise<void>>();

  constructor(private readonly node: MediaNode) {
    super();
    for (const type of eventTypes) node.on(type, (event) => this.emit('nodeEvent', LocalNodes.ID, event));
  }

  get(): MediaNode {
    return this.node;
  }

  async home(key: SessionKey): Promise<string> {
    const id = sessionKeyId(key);
    let opening = this.opening.get(id);
    if (!opening) {
      opening = this.node.openSession(id);
      this.opening.set(id, opening);
      opening.catch(() => this.opening.delete(id));
    }
    await opening;
    return LocalNodes.ID;
  }

  nodeForTransport(key: SessionKey): Promise<string> {
    return this.home(key);
  }

  refusedNew(): void {}

  async carry(): Promise<void> {}

  nodesOf(): string[] {
    return [LocalNodes.ID];
  }

  async closeSession(key: SessionKey): Promise<void> {
    const id = sessionKeyId(key);
    this.opening.delete(id);
    await this.node.closeSession(id);
  }

  close(): Promise<void> {
    return this.node.close();
  }
}
