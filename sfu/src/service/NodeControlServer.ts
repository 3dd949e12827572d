// A media node's control channel: signaling instances that prove they hold the cluster's secret
// call the node's MediaNode API over socket.io and hear its events. Every request is checked by
// its schema; a wrong secret or a malformed message is refused and logged, never a crash.
import type { Server as HttpServer } from 'node:http';
import {
  invalidPayload,
  MediaNodeEvent,
  NodeControlHandshake,
  type NodeRequestName,
  nodeRequests,
  truncate,
} from '@summit-bridge/protocol';
import { Server } from 'socket.io';
import type { LocalMediaNode } from '../local/LocalMediaNode.js';
import { MediaNodeError, type NodeLogger, type PeerRef } from '../MediaNode.js';
import { proofHolds } from '../remote/proof.js';

export interface NodeControlOptions {
  secret: string;
  log: NodeLogger;
  /** How long a signaling instance may be gone before the peers it created are closed. */
  orphanGraceMs?: number;
}

type Ack = (reply: unknown) => void;

const methods = Object.keys(nodeRequests) as NodeRequestName[];
const eventTypes = MediaNodeEvent.options.map((o) => o.shape.type.value);
const peerKey = (peer: PeerRef) => `${peer.sessionId}\u0000${peer.peerId}`;

// Calls that bring something new to the node: refused while it drains.
const arrivals = new Set<NodeRequestName>([
  'openSession',
  'createTransport',
  'createPlainTransport',
  'openPipe',
]);

export class NodeControlServer {
  readonly io: Server;
  private draining = false;
  /** Which signaling instance created each peer: its peers go when it is gone for good. */
  private readonly peerOwners = new Map<string, { instanceId: string; peer: PeerRef }>();
  private readonly orphanTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    http: HttpServer,
    private readonly node: LocalMediaNode,
    private readonly options: NodeControlOptions,
  ) {
    const { log } = options;
    this.io = new Server(http, { transports: ['websocket'], maxHttpBufferSize: 256 * 1024 });
    this.io.use((socket, next) => {
      const handshake = NodeControlHandshake.safeParse(socket.handshake.auth);
      if (!handshake.success || !proofHolds(options.secret, handshake.data)) {
        log.warn({ address: socket.handshake.address }, 'media node control connection refused: bad proof');
        next(new Error('unauthorized'));
        return;
      }
      socket.data.instanceId = handshake.data.instanceId;
      next();
    });
    this.io.on('connection', (socket) => {
      const instanceId = socket.data.instanceId as string;
      clearTimeout(this.orphanTimers.get(instanceId));
      this.orphanTimers.delete(instanceId);
      log.info({ instance: instanceId }, 'signaling instance connected');
      for (const method of methods) {
        socket.on(method, async (args: unknown, ack: unknown) => {
          if (typeof ack === 'function') (ack as Ack)(await this.handle(instanceId, method, args));
        });
      }
      socket.onAny((event: string, ...rest: unknown[]) => {
        const ack = rest.at(-1);
        if ((methods as string[]).includes(event)) return;
        log.warn({ instance: instanceId, event: truncate(String(event), 64) }, 'unknown control request');
        if (typeof ack === 'function')
          (ack as Ack)({ ok: false, error: { code: 'not_found', message: 'unknown request' } });
      });
      socket.on('disconnect', () => this.instanceLeft(instanceId));
    });
    for (const type of eventTypes) node.on(type, (event) => this.io.emit('event', event));
  }

  /** No new sessions, peers or pipes from now on; what is here carries on. */
  drain(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  close(): Promise<void> {
    for (const timer of this.orphanTimers.values()) clearTimeout(timer);
    return new Promise((resolve) => this.io.close(() => resolve()));
  }

  private async handle(instanceId: string, method: NodeRequestName, raw: unknown): Promise<unknown> {
    const parsed = nodeRequests[method].args.safeParse(raw);
    if (!parsed.success) {
      const error = invalidPayload(parsed.error, method);
      this.options.log.warn({ instance: instanceId, error: error.message }, 'malformed control request');
      return { ok: false, error: { code: error.code, message: error.message } };
    }
    const args = parsed.data as unknown[];
    try {
      this.refuseArrivalWhileDraining(method, args);
      const call = (this.node[method] as (...a: unknown[]) => Promise<unknown>).bind(this.node);
      const result = await call(...args);
      this.trackPeers(instanceId, method, args);
      return { ok: true, result: result ?? {} };
    } catch (err) {
      const code = err instanceof MediaNodeError ? err.code : 'internal';
      if (code === 'internal') this.options.log.error({ err, method }, 'control request failed');
      return { ok: false, error: { code, message: truncate((err as Error).message ?? String(err), 300) } };
    }
  }

  private refuseArrivalWhileDraining(method: NodeRequestName, args: unknown[]): void {
    if (!this.draining || !arrivals.has(method)) return;
    const first = args[0];
    const known =
      typeof first === 'string' ? this.node.hasSession(first) : this.node.hasPeer(first as PeerRef);
    if (!known) throw new MediaNodeError('unavailable', 'this media node is draining');
  }

  private trackPeers(instanceId: string, method: NodeRequestName, args: unknown[]): void {
    if (method === 'createTransport' || method === 'createPlainTransport') {
      const peer = args[0] as PeerRef;
      if (!this.peerOwners.has(peerKey(peer))) this.peerOwners.set(peerKey(peer), { instanceId, peer });
    } else if (method === 'closePeer') this.peerOwners.delete(peerKey(args[0] as PeerRef));
  }

  // A signaling instance that is gone for good leaves peers nobody will close: close them, so
  // every remaining instance hears their producers closed.
  private instanceLeft(instanceId: string): void {
    const stillHere = [...this.io.sockets.sockets.values()].some((s) => s.data.instanceId === instanceId);
    if (stillHere || this.orphanTimers.has(instanceId)) return;
    const timer = setTimeout(() => {
      this.orphanTimers.delete(instanceId);
      const orphans = [...this.peerOwners].filter(([, owner]) => owner.instanceId === instanceId);
      if (orphans.length)
        this.options.log.warn({ instance: instanceId, peers: orphans.length }, 'closing orphaned peers');
      for (const [key, { peer }] of orphans) {
        this.peerOwners.delete(key);
        void this.node.closePeer(peer);
      }
    }, this.options.orphanGraceMs ?? 5_000);
    timer.unref();
    this.orphanTimers.set(instanceId, timer);
  }
}
