// One router's end of a pipe: a mediasoup PipeTransport, to another router of this node or to a
// media node on another host. Between hosts it encrypts (SRTP) and repairs losses (RTX/NACK), as
// mediasoup advises; inside one host neither is needed.
import type { PipeAddress, PipedProducer } from '@summit-bridge/protocol';
import type { PipeTransport, Producer } from 'mediasoup/types';
import { MediaNodeError } from '../MediaNode.js';
import type { PipeEnd } from '../pipes.js';
import { mediasoupCall } from './errors.js';
import type { SessionRouter } from './model.js';

export interface PipeEndOptions {
  listenIp: string;
  announcedAddress?: string | undefined;
  /** Between hosts: SRTP and RTX. */
  betweenHosts: boolean;
  /** A producer arrived at this end (the target side). */
  onArrival: (producer: Producer) => void;
}

export class RouterPipeEnd implements PipeEnd {
  private transport: Promise<PipeTransport> | undefined;
  private remote: PipeAddress | undefined;
  private readonly sent = new Map<string, Promise<PipedProducer>>();
  private readonly received = new Map<string, Promise<void>>();

  constructor(
    readonly home: SessionRouter,
    private readonly options: PipeEndOptions,
  ) {}

  async open(): Promise<PipeAddress> {
    this.transport ??= mediasoupCall(() =>
      this.home.router.createPipeTransport({
        listenInfo: {
          protocol: 'udp',
          ip: this.options.listenIp,
          ...(this.options.announcedAddress ? { announcedAddress: this.options.announcedAddress } : {}),
        },
        enableSrtp: this.options.betweenHosts,
        enableRtx: this.options.betweenHosts,
      }),
    );
    const transport = await this.transport;
    return {
      ip: transport.tuple.localAddress,
      port: transport.tuple.localPort,
      ...(transport.srtpParameters ? { srtpParameters: transport.srtpParameters } : {}),
    };
  }

  async connect(remote: PipeAddress): Promise<void> {
    const transport = await this.opened();
    if (this.remote) {
      if (this.remote.ip === remote.ip && this.remote.port === remote.port) return;
      throw new MediaNodeError('conflict', 'this pipe end is already connected elsewhere');
    }
    this.remote = remote;
    try {
      await mediasoupCall(() =>
        transport.connect({
          ip: remote.ip,
          port: remote.port,
          ...(remote.srtpParameters ? { srtpParameters: remote.srtpParameters as never } : {}),
        }),
      );
    } catch (err) {
      this.remote = undefined;
      throw err;
    }
  }

  send(producerId: string): Promise<PipedProducer> {
    let sending = this.sent.get(producerId);
    if (!sending) {
      sending = this.opened().then(async (transport) => {
        const consumer = await mediasoupCall(() => transport.consume({ producerId }));
        consumer.observer.once('close', () => this.sent.delete(producerId));
        return {
          producerId,
          kind: consumer.kind,
          rtpParameters: consumer.rtpParameters as PipedProducer['rtpParameters'],
          paused: consumer.producerPaused,
        };
      });
      this.sent.set(producerId, sending);
      sending.catch(() => this.sent.delete(producerId));
    }
    return sending;
  }

  receive(piped: PipedProducer): Promise<void> {
    let receiving = this.received.get(piped.producerId);
    if (!receiving) {
      receiving = this.opened().then(async (transport) => {
        const producer = await mediasoupCall(() =>
          transport.produce({
            id: piped.producerId,
            kind: piped.kind,
            rtpParameters: piped.rtpParameters as never,
            paused: piped.paused,
          }),
        );
        producer.observer.once('close', () => this.received.delete(piped.producerId));
        this.options.onArrival(producer);
      });
      this.received.set(piped.producerId, receiving);
      receiving.catch(() => this.received.delete(piped.producerId));
    }
    return receiving;
  }

  async close(): Promise<void> {
    const transport = this.transport;
    this.transport = undefined;
    this.remote = undefined;
    this.sent.clear();
    this.received.clear();
    (await transport?.catch(() => undefined))?.close();
  }

  private opened(): Promise<PipeTransport> {
    if (!this.transport) return Promise.reject(new MediaNodeError('not_found', 'this pipe end is not open'));
    return this.transport;
  }
}
