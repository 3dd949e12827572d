// What every part of the local media node shares: its options, its bookkeeping of mediasoup
// objects, its events and its workers. LocalMediaNode owns it; the modules beside it act on it.
import type { WorkerLogLevel } from 'mediasoup/types';
import type { MediaNodeEvents } from '../events.js';
import { MediaNodeError, type NodeLogger } from '../MediaNode.js';
import type { ConsumerEntry, ProducerEntry, Session, TransportEntry } from './model.js';
import type { WorkerPool } from './WorkerPool.js';

export interface LocalMediaNodeOptions {
  /** mediasoup workers (processes); default: one per core. */
  workers?: number;
  /** Address the WebRtcServers, PlainTransports and pipes listen on; default 127.0.0.1. */
  listenIp?: string;
  /** Address announced to clients in ICE candidates (public IP or host name), when it differs. */
  announcedAddress?: string;
  /** First worker's WebRtcServer port, UDP and TCP; worker i uses webRtcPort + i. Default: any free port. */
  webRtcPort?: number;
  /** Port range of PlainTransports and pipes; default 40000-49999. */
  rtcMinPort?: number;
  rtcMaxPort?: number;
  /** PEM files for DTLS; default: a certificate each worker generates. */
  dtlsCertificateFile?: string;
  dtlsPrivateKeyFile?: string;
  /** Consumers on a router after which new receive transports go to a router on another worker. */
  routerConsumerThreshold?: number;
  /** Consumers one worker may carry; past it, consume answers unavailable. Default: no limit. */
  workerConsumerLimit?: number;
  activeSpeakerIntervalMs?: number;
  audioLevelIntervalMs?: number;
  logLevel?: WorkerLogLevel;
  /** Where recordings are written (one directory per session and recording); none: no recording. */
  recordingDir?: string | undefined;
  /** The FFmpeg that writes recorded tracks; default `ffmpeg` on the PATH. */
  ffmpegPath?: string | undefined;
  /** Fault injection for tests: the share of packets dropped on the way to a recorder. */
  recordingDropRate?: number | undefined;
  /** Where the node logs; JSON lines on stderr by default. */
  logger?: NodeLogger;
}

export interface NodeState {
  readonly options: LocalMediaNodeOptions;
  readonly log: NodeLogger;
  readonly events: MediaNodeEvents;
  readonly sessions: Map<string, Session>;
  readonly transports: Map<string, TransportEntry>;
  readonly producers: Map<string, ProducerEntry>;
  readonly consumers: Map<string, ConsumerEntry>;
  readonly listenIp: string;
  readonly threshold: number;
  /** The running workers; unavailable once the node is closed. */
  pool(): WorkerPool;
}

export function invalid(message: string): MediaNodeError {
  return new MediaNodeError('invalid_payload', message);
}
