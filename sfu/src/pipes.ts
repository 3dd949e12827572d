// Pipes carry producers from one router to another: between two workers of one node, or between
// two media nodes on different hosts. Both use this one link; only the ends differ (a router in
// this process, or a node behind its control connection).
import type { PipeAddress, PipedProducer } from '@summit-bridge/protocol';
import type { MediaNode } from './MediaNode.js';

/** One end of a pipe. Every call is idempotent: the same producer crosses once, however often asked. */
export interface PipeEnd {
  /** Creates the end's transport once; where it listens. */
  open(): Promise<PipeAddress>;
  /** Points the end at the other end's address. */
  connect(remote: PipeAddress): Promise<void>;
  /** Source side: consumes the producer into the pipe; the parameters the far end produces with. */
  send(producerId: string): Promise<PipedProducer>;
  /** Target side: produces what arrives from the pipe under the same producer id. */
  receive(piped: PipedProducer): Promise<void>;
  /** Closes the end, and with it every producer that arrived through it. */
  close(): Promise<void>;
}

/**
 * A link between two ends, set up once and then shared by every producer that must cross. A link
 * whose setup fails half-way closes both ends, so no orphaned transport stays behind, and the next
 * caller tries afresh.
 */
export class PipeLink {
  private ready: Promise<void> | undefined;
  private readonly carried = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    readonly from: PipeEnd,
    readonly to: PipeEnd,
  ) {}

  /** Makes the producer available at the far end (once; later calls wait for the first). */
  carry(producerId: string): Promise<void> {
    let carrying = this.carried.get(producerId);
    if (!carrying) {
      carrying = this.establish().then(async () => this.to.receive(await this.from.send(producerId)));
      this.carried.set(producerId, carrying);
      carrying.catch(() => this.carried.delete(producerId));
    }
    return carrying;
  }

  /** The producer stopped crossing (it closed): a later carry sets it up again. */
  forget(producerId: string): void {
    this.carried.delete(producerId);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.carried.clear();
    await Promise.allSettled([this.from.close(), this.to.close()]);
  }

  private establish(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the pipe is closed'));
    this.ready ??= this.setUp().catch(async (err) => {
      this.ready = undefined;
      await Promise.allSettled([this.from.close(), this.to.close()]);
      throw err;
    });
    return this.ready;
  }

  private async setUp(): Promise<void> {
    const [a, b] = await Promise.allSettled([this.from.open(), this.to.open()]);
    if (a.status === 'rejected') throw a.reason;
    if (b.status === 'rejected') throw b.reason;
    await Promise.all([this.from.connect(b.value), this.to.connect(a.value)]);
  }
}

/**
 * A media node's end of a session's pipe to another node, through the MediaNode interface: in
 * this process, or on another host behind its control connection.
 */
export class NodePipeEnd implements PipeEnd {
  constructor(
    private readonly node: MediaNode,
    private readonly sessionId: string,
    private readonly remoteNodeId: string,
  ) {}

  open(): Promise<PipeAddress> {
    return this.node.openPipe(this.sessionId, this.remoteNodeId);
  }

  connect(remote: PipeAddress): Promise<void> {
    return this.node.connectPipe(this.sessionId, this.remoteNodeId, remote);
  }

  send(producerId: string): Promise<PipedProducer> {
    return this.node.pipeOut(this.sessionId, this.remoteNodeId, producerId);
  }

  receive(piped: PipedProducer): Promise<void> {
    return this.node.pipeIn(this.sessionId, this.remoteNodeId, piped);
  }

  close(): Promise<void> {
    return this.node.closePipe(this.sessionId, this.remoteNodeId);
  }
}
