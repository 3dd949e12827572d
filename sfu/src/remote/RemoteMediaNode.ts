// A media node on another host, as the signaling server sees it: the MediaNode interface over an
// authenticated control connection. Every request has a timeout and a typed error; every answer
// and every event is checked by its schema before anyone sees it.
import { EventEmitter } from 'node:events';
import {
  errorCodes,
  MediaNodeEvent,
  type MediaNodeEventType,
  NodeReply,
  type NodeRequestName,
  nodeRequests,
  truncate,
} from '@summit-bridge/protocol';
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import { MediaNodeEvents } from '../events.js';
import {
  type MediaNode,
  MediaNodeError,
  type MediaNodeErrorCode,
  type MediaNodeListener,
  type NodeLogger,
} from '../MediaNode.js';
import { handshakeFor } from './proof.js';

export interface RemoteMediaNodeOptions {
  nodeId: string;
  /** ws://host:port of the node's control channel. */
  controlUrl: string;
  secret: string;
  /** This signaling instance, as the node knows it: its peers are closed if it vanishes. */
  instanceId: string;
  /** How long a request may take before it fails as unavailable. */
  timeoutMs?: number;
  log: NodeLogger;
}

interface ConnectionEvents {
  up: [];
  down: [reason: string];
}

type Args<N extends NodeRequestName> = z.input<(typeof nodeRequests)[N]['args']>;
type Result<N extends NodeRequestName> = z.output<(typeof nodeRequests)[N]['result']>;

const nodeErrorCodes: readonly string[] = [
  'not_found',
  'invalid_payload',
  'conflict',
  'unavailable',
  'internal',
];

export class RemoteMediaNode implements MediaNode {
  readonly id: string;
  /** `up` when the control connection is (re)established, `down` when it is lost. */
  readonly connection = new EventEmitter<ConnectionEvents>();
  private readonly socket: Socket;
  private readonly events: MediaNodeEvents;
  private readonly timeoutMs: number;

  constructor(options: RemoteMediaNodeOptions) {
    this.id = options.nodeId;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.events = new MediaNodeEvents(options.log);
    this.socket = io(options.controlUrl, {
      transports: ['websocket'],
      // A fresh proof at every (re)connection: a proof is good for a minute only.
      auth: (cb) => cb(handshakeFor(options.secret, options.instanceId)),
      reconnectionDelay: 250,
      reconnectionDelayMax: 2_000,
    });
    this.socket.on('connect', () => this.connection.emit('up'));
    this.socket.on('disconnect', (reason) => this.connection.emit('down', reason));
    this.socket.on('connect_error', (err) =>
      options.log.warn(
        { node: this.id, err: truncate(err.message, 200) },
        'media node control connection refused',
      ),
    );
    this.socket.on('event', (raw: unknown) => {
      const parsed = MediaNodeEvent.safeParse(raw);
      if (parsed.success) this.events.emit(parsed.data);
      else options.log.warn({ node: this.id }, 'a malformed event from a media node was dropped');
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Resolves once the control connection is up (or fails after the timeout). */
  async ready(): Promise<void> {
    if (this.socket.connected) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.connection.off('up', up);
        reject(new MediaNodeError('unavailable', `media node ${this.id} is not reachable`));
      }, this.timeoutMs);
      const up = () => {
        clearTimeout(timer);
        resolve();
      };
      this.connection.once('up', up);
    });
  }

  on<T extends MediaNodeEventType>(type: T, listener: MediaNodeListener<T>): void {
    this.events.on(type, listener);
  }

  off<T extends MediaNodeEventType>(type: T, listener: MediaNodeListener<T>): void {
    this.events.off(type, listener);
  }

  async close(): Promise<void> {
    this.socket.disconnect();
    this.events.clear();
    this.connection.removeAllListeners();
  }

  /** One request: arguments checked before they leave, the answer checked when it comes. */
  private async call<N extends NodeRequestName>(method: N, ...args: Args<N>): Promise<Result<N>> {
    const spec = nodeRequests[method];
    const checked = spec.args.safeParse(args);
    if (!checked.success)
      throw new MediaNodeError('invalid_payload', `${method}: ${checked.error.issues[0]?.message}`);
    if (!this.socket.connected)
      throw new MediaNodeError('unavailable', `media node ${this.id} is not connected`);
    let raw: unknown;
    try {
      raw = await this.socket.timeout(this.timeoutMs).emitWithAck(method, checked.data);
    } catch {
      throw new MediaNodeError(
        'unavailable',
        `media node ${this.id} did not answer ${method} in ${this.timeoutMs} ms`,
      );
    }
    const reply = NodeReply.safeParse(raw);
    if (!reply.success)
      throw new MediaNodeError('internal', `media node ${this.id} answered ${method} out of contract`);
    if (!reply.data.ok) {
      const { code, message } = reply.data.error;
      const known = nodeErrorCodes.includes(code) && (errorCodes as readonly string[]).includes(code);
      throw new MediaNodeError(known ? (code as MediaNodeErrorCode) : 'internal', message);
    }
    const result = spec.result.safeParse(reply.data.result);
    if (!result.success)
      throw new MediaNodeError('internal', `media node ${this.id} answered ${method} out of contract`);
    return result.data as Result<N>;
  }

  openSession = async (sessionId: string) => void (await this.call('openSession', sessionId));
  closeSession = async (sessionId: string) => void (await this.call('closeSession', sessionId));
  routerRtpCapabilities = (sessionId: string) => this.call('routerRtpCapabilities', sessionId);
  createTransport: MediaNode['createTransport'] = (peer, options) =>
    this.call('createTransport', peer, options);
  connectTransport: MediaNode['connectTransport'] = async (peer, transportId, dtls) =>
    void (await this.call('connectTransport', peer, transportId, dtls));
  restartIce: MediaNode['restartIce'] = (peer, transportId) => this.call('restartIce', peer, transportId);
  closeTransport: MediaNode['closeTransport'] = async (peer, transportId) =>
    void (await this.call('closeTransport', peer, transportId));
  createPlainTransport: MediaNode['createPlainTransport'] = (peer, options) =>
    this.call('createPlainTransport', peer, options);
  connectPlainTransport: MediaNode['connectPlainTransport'] = async (peer, transportId, remote) =>
    void (await this.call('connectPlainTransport', peer, transportId, remote));
  produce: MediaNode['produce'] = (peer, transportId, options) =>
    this.call('produce', peer, transportId, options);
  pauseProducer: MediaNode['pauseProducer'] = async (peer, id) =>
    void (await this.call('pauseProducer', peer, id));
  resumeProducer: MediaNode['resumeProducer'] = async (peer, id) =>
    void (await this.call('resumeProducer', peer, id));
  closeProducer: MediaNode['closeProducer'] = async (peer, id) =>
    void (await this.call('closeProducer', peer, id));
  consume: MediaNode['consume'] = (peer, transportId, producerId, caps) =>
    this.call('consume', peer, transportId, producerId, caps);
  pauseConsumer: MediaNode['pauseConsumer'] = async (peer, id) =>
    void (await this.call('pauseConsumer', peer, id));
  resumeConsumer: MediaNode['resumeConsumer'] = async (peer, id) =>
    void (await this.call('resumeConsumer', peer, id));
  closeConsumer: MediaNode['closeConsumer'] = async (peer, id) =>
    void (await this.call('closeConsumer', peer, id));
  setPreferredLayers: MediaNode['setPreferredLayers'] = async (peer, id, layers) =>
    void (await this.call('setPreferredLayers', peer, id, layers));
  setConsumerPriority: MediaNode['setConsumerPriority'] = async (peer, id, priority) =>
    void (await this.call('setConsumerPriority', peer, id, priority));
  closePeer: MediaNode['closePeer'] = async (peer) => void (await this.call('closePeer', peer));
  openPipe: MediaNode['openPipe'] = (sessionId, remote) => this.call('openPipe', sessionId, remote);
  connectPipe: MediaNode['connectPipe'] = async (sessionId, remote, address) =>
    void (await this.call('connectPipe', sessionId, remote, address));
  pipeOut: MediaNode['pipeOut'] = (sessionId, remote, producerId) =>
    this.call('pipeOut', sessionId, remote, producerId);
  pipeIn: MediaNode['pipeIn'] = async (sessionId, remote, piped) =>
    void (await this.call('pipeIn', sessionId, remote, piped));
  setPipedPaused: MediaNode['setPipedPaused'] = async (sessionId, producerId, paused) =>
    void (await this.call('setPipedPaused', sessionId, producerId, paused));
  closePiped: MediaNode['closePiped'] = async (sessionId, producerId) =>
    void (await this.call('closePiped', sessionId, producerId));
  closePipe: MediaNode['closePipe'] = async (sessionId, remote) =>
    void (await this.call('closePipe', sessionId, remote));
  transportStats: MediaNode['transportStats'] = (peer, id) => this.call('transportStats', peer, id);
  producerStats: MediaNode['producerStats'] = (peer, id) => this.call('producerStats', peer, id);
  consumerStats: MediaNode['consumerStats'] = (peer, id) => this.call('consumerStats', peer, id);
  sessionStats: MediaNode['sessionStats'] = (sessionId) => this.call('sessionStats', sessionId);
  workerUsage: MediaNode['workerUsage'] = () => this.call('workerUsage');
  startRecorder: MediaNode['startRecorder'] = async (sessionId, spec) =>
    void (await this.call('startRecorder', sessionId, spec));
  stopRecorder: MediaNode['stopRecorder'] = (sessionId, recordingId, producerId) =>
    this.call('stopRecorder', sessionId, recordingId, producerId);
  stopRecording: MediaNode['stopRecording'] = (sessionId, recordingId) =>
    this.call('stopRecording', sessionId, recordingId);
}
