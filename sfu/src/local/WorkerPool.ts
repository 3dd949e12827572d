// mediasoup workers, one per core by default, each with the WebRtcServer its transports listen on.
// A worker that dies is replaced in its slot, on the same ports, so sites reconnect to the same address.
import * as mediasoup from 'mediasoup';
import type { WebRtcServer, Worker, WorkerLogLevel } from 'mediasoup/types';
import type { NodeLogger } from '../MediaNode.js';

export interface WorkerPoolOptions {
  workers: number;
  listenIp: string;
  announcedAddress: string | undefined;
  /** The first worker's WebRtcServer port (UDP and TCP); worker i listens on webRtcPort + i. 0 = any. */
  webRtcPort: number;
  rtcMinPort: number;
  rtcMaxPort: number;
  dtlsCertificateFile: string | undefined;
  dtlsPrivateKeyFile: string | undefined;
  logLevel: WorkerLogLevel;
  log: NodeLogger;
}

export class WorkerSlot {
  /** Consumers of peers on this worker's routers: the load the allocator balances. */
  consumers = 0;
  routers = 0;

  constructor(
    readonly index: number,
    public worker: Worker,
    public webRtcServer: WebRtcServer,
  ) {}

  get alive(): boolean {
    return !this.worker.closed;
  }
}

export class WorkerPool {
  private closed = false;
  private replacements = new Set<Promise<void>>();

  private constructor(
    private readonly options: WorkerPoolOptions,
    readonly slots: WorkerSlot[],
    private readonly onDeath: (slot: WorkerSlot, dead: Worker) => void,
  ) {}

  /** `onDeath` runs once the dead worker's slot holds a live replacement (or could not get one). */
  static async start(
    options: WorkerPoolOptions,
    onDeath: (slot: WorkerSlot, dead: Worker) => void,
  ): Promise<WorkerPool> {
    const started = await Promise.allSettled(
      Array.from({ length: options.workers }, (_, index) => startWorker(options, index)),
    );
    const failure = started.find((s) => s.status === 'rejected');
    if (failure) {
      for (const s of started) if (s.status === 'fulfilled') s.value.worker.close();
      throw failure.reason;
    }
    const slots = started.map((s, index) => {
      const { worker, webRtcServer } = (s as PromiseFulfilledResult<Awaited<ReturnType<typeof startWorker>>>)
        .value;
      return new WorkerSlot(index, worker, webRtcServer);
    });
    const pool = new WorkerPool(options, slots, onDeath);
    for (const slot of slots) pool.watch(slot);
    return pool;
  }

  /** The live worker with the least load, optionally avoiding some. */
  leastLoaded(avoid: ReadonlySet<WorkerSlot> = new Set()): WorkerSlot | undefined {
    const live = this.slots.filter((s) => s.alive);
    const preferred = live.filter((s) => !avoid.has(s));
    return (preferred.length ? preferred : live).sort(
      (a, b) => a.consumers - b.consumers || a.routers - b.routers,
    )[0];
  }

  /** Resolves once no dead worker is waiting for its replacement. */
  async settled(): Promise<void> {
    while (this.replacements.size) await Promise.all(this.replacements);
  }

  close(): void {
    this.closed = true;
    for (const slot of this.slots) slot.worker.close();
  }

  private watch(slot: WorkerSlot): void {
    const worker = slot.worker;
    worker.once('died', () => {
      if (this.closed) return;
      const replacement = this.replace(slot, worker).finally(() => this.replacements.delete(replacement));
      this.replacements.add(replacement);
    });
  }

  private async replace(slot: WorkerSlot, dead: Worker): Promise<void> {
    try {
      const { worker, webRtcServer } = await startWorker(this.options, slot.index);
      if (this.closed) {
        worker.close();
        return;
      }
      slot.worker = worker;
      slot.webRtcServer = webRtcServer;
      this.watch(slot);
    } catch (err) {
      this.options.log.error({ err, worker: slot.index }, 'a mediasoup worker could not be replaced');
    }
    this.onDeath(slot, dead);
  }
}

const ownSignals = ['SIGINT', 'SIGTERM'] as const;

/**
 * mediasoup closes every worker when its process gets SIGINT or SIGTERM. A media node drains on
 * SIGTERM instead (its sessions carry on until empty), and the signaling server closes its node
 * itself: what a signal means is the process's decision, so the worker's own listeners go.
 */
async function withoutSignalListeners<T>(create: () => Promise<T>): Promise<T> {
  const before = new Map(ownSignals.map((s) => [s, new Set(process.listeners(s))]));
  try {
    return await create();
  } finally {
    for (const signal of ownSignals)
      for (const listener of process.listeners(signal))
        if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
  }
}

async function startWorker(options: WorkerPoolOptions, index: number) {
  const worker = await withoutSignalListeners(() =>
    mediasoup.createWorker({
      logLevel: options.logLevel,
      rtcMinPort: options.rtcMinPort,
      rtcMaxPort: options.rtcMaxPort,
      ...(options.dtlsCertificateFile ? { dtlsCertificateFile: options.dtlsCertificateFile } : {}),
      ...(options.dtlsPrivateKeyFile ? { dtlsPrivateKeyFile: options.dtlsPrivateKeyFile } : {}),
    }),
  );
  try {
    const port = options.webRtcPort ? options.webRtcPort + index : undefined;
    const listen = { ip: options.listenIp, announcedAddress: options.announcedAddress, port };
    const webRtcServer = await worker.createWebRtcServer({
      listenInfos: [
        { protocol: 'udp', ...listen },
        { protocol: 'tcp', ...listen },
      ],
    });
    return { worker, webRtcServer };
  } catch (err) {
    worker.close();
    throw err;
  }
}
