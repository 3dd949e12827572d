// What the local media node keeps about each session: its routers, peers and their mediasoup
// objects. Plain records; LocalMediaNode owns every change to them.
import type { CloseReason, TransportDirection } from '@summit-bridge/protocol';
import type {
  ActiveSpeakerObserver,
  AudioLevelObserver,
  Consumer,
  PlainTransport,
  Producer,
  Router,
  WebRtcTransport,
  Worker,
} from 'mediasoup/types';
import type { PeerRef } from '../MediaNode.js';
import type { PipeLink } from '../pipes.js';
import type { RouterPipeEnd } from './RouterPipeEnd.js';
import type { WorkerSlot } from './WorkerPool.js';

export interface Speakers {
  activeSpeaker: ActiveSpeakerObserver;
  audioLevels: AudioLevelObserver;
}

/** One router of a session. The origin hosts every send transport, the speaker observers and the
 * pipes to other nodes; the others only receive, fed by pipes from the origin. */
export interface SessionRouter {
  session: Session;
  router: Router;
  /** The worker this router lives on (the slot may later hold a replacement). */
  worker: Worker;
  slot: WorkerSlot;
  speakers: Speakers | undefined;
  consumers: number;
  transports: Set<TransportEntry>;
  /** Transports being created here: an empty spread router is kept while any is on its way. */
  arriving: number;
  /** Copies of producers piped into this router from another router of this node, by producer id. */
  copies: Map<string, Producer>;
}

/** What a session must redo after a worker died under it. */
export interface Recovery {
  deadWorkers: Set<Worker>;
  lostOrigin: boolean;
  lostPeers: Set<string>;
  done: () => void;
}

export interface Session {
  id: string;
  origin: SessionRouter | undefined;
  routers: SessionRouter[];
  peers: Map<string, Peer>;
  /** Settles when the session has its origin router: at open, and again after a worker death. */
  ready: Promise<void>;
  /** A router being added to spread consumers, shared by concurrent callers. */
  spreading: Promise<SessionRouter> | undefined;
  /** Pipes between this session's routers, by `<from router id>><to router id>`. */
  links: Map<string, PipeLink>;
  /** The origin's end of the pipe to each other media node the session spans, by node id. */
  remoteEnds: Map<string, RouterPipeEnd>;
  recovery: Recovery | undefined;
  closed: boolean;
}

export interface Peer {
  ref: PeerRef;
  session: Session;
  transports: Set<TransportEntry>;
  closed: boolean;
}

export type TransportEntry = {
  peer: Peer;
  home: SessionRouter;
  direction: TransportDirection;
  closeReason: CloseReason | undefined;
} & ({ type: 'webrtc'; transport: WebRtcTransport } | { type: 'plain'; transport: PlainTransport });

export interface ProducerEntry {
  producer: Producer;
  /** The router it was produced on, or arrived at through a pipe from another node. */
  home: SessionRouter;
  /** Its peer's send transport; null for a producer that arrived from another node. */
  transport: TransportEntry | null;
  closeReason: CloseReason | undefined;
}

export interface ConsumerEntry {
  consumer: Consumer;
  transport: TransportEntry;
  closeReason: CloseReason | undefined;
}
