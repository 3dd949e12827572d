import { type Handshake, heartbeat } from '@summit-bridge/protocol';
import { io } from 'socket.io-client';
import { Store } from '../../shared/store.js';
import { Signaling, type SignalingSocket } from '../../signaling/Signaling.js';
import { Clock } from './clock.js';
import {
  initialView,
  type Refusal,
  type SessionEvent,
  type SessionView,
  sessionReducer,
  type ViewPush,
  type ViewPushName,
} from './sessionReducer.js';

/** The socket.io client socket, as far as the controller uses it. */
export interface SessionSocket extends SignalingSocket {
  connect(): unknown;
  disconnect(): unknown;
  removeAllListeners(): unknown;
  /** Its manager, which tells of every heartbeat the server sends. */
  readonly io: { on(event: 'ping', listener: () => void): unknown };
}

/** Where the browser says it went offline or came back online (the window). */
export type NetworkEvents = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

export interface SessionControllerOptions {
  token: string;
  sessionId: string;
  createSocket?: (auth: Handshake) => SessionSocket;
  requestTimeoutMs?: number;
  /** Pause before asking again for a snapshot that failed. */
  retryDelayMs?: number;
  /** No heartbeat for this long: the link shows as lost until one comes or the socket drops. */
  stalledAfterMs?: number;
  network?: NetworkEvents | null;
}

const viewPushes: ViewPushName[] = [
  'session:updated',
  'presence:updated',
  'media:producerAdded',
  'media:producerUpdated',
  'media:producerClosed',
  'media:activeSpeaker',
];

// Same origin, default path; the token rides in the handshake, never in a URL.
const sameOriginSocket = (auth: Handshake): SessionSocket =>
  io({ auth, transports: ['websocket'], autoConnect: false });

function refusalOf(error: unknown): Refusal | null {
  const data = (error as { data?: unknown } | null)?.data;
  if (typeof data !== 'object' || data === null) return null;
  const { code, message } = data as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? { code, message } : null;
}

/**
 * One participant's connection to one session: the socket, the session view kept current by
 * pushes, resync by snapshot after any gap or reconnect, and the measured server clock.
 */
export class SessionController {
  readonly store = new Store<SessionView>(initialView);
  readonly clock = new Clock();
  readonly signaling: Signaling;
  private readonly socket: SessionSocket;
  private readonly retryDelayMs: number;
  private readonly reconnectListeners = new Set<() => void>();
  private connectedOnce = false;
  private refusedFromLobby = false;
  private snapshotRequest = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly stalledAfterMs: number;
  private stallTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly network: NetworkEvents | null;
  private closed = false;

  constructor(options: SessionControllerOptions) {
    this.retryDelayMs = options.retryDelayMs ?? 2000;
    this.stalledAfterMs = options.stalledAfterMs ?? heartbeat.intervalMs + heartbeat.graceMs;
    this.network = options.network === undefined ? (globalThis.window ?? null) : options.network;
    this.socket = (options.createSocket ?? sameOriginSocket)({
      token: options.token,
      sessionId: options.sessionId,
    });
    this.signaling = new Signaling(this.socket, {
      timeoutMs: options.requestTimeoutMs ?? 10_000,
      onInvalidPush: (name) => this.dispatch({ type: 'invalidPush', name }),
    });
    for (const name of viewPushes) {
      this.signaling.on(name, (payload) =>
        this.dispatch({ type: 'push', push: { name, payload } as ViewPush }),
      );
    }
    this.signaling.on('lobby:status', ({ state }) => {
      // Refused: the server ends the link, and coming back would only queue again.
      if (state === 'refused') this.refusedFromLobby = true;
      this.dispatch({ type: 'lobby', state });
    });
    this.socket.on('connect', () => this.onConnect());
    this.socket.on('disconnect', (reason) => this.onDisconnect(String(reason)));
    this.socket.on('connect_error', (error) => {
      const refusal = refusalOf(error);
      // A refusal is final (socket.io does not retry it); a network error is retried by socket.io.
      if (refusal) this.dispatch({ type: 'refused', refusal });
    });
    this.socket.io.on('ping', this.onHeartbeat);
    this.network?.addEventListener('offline', this.onOffline);
    this.network?.addEventListener('online', this.onOnline);
  }

  /** Connects; resolves once admitted, rejects with the server's refusal. */
  start(): Promise<void> {
    const admitted = new Promise<void>((resolve, reject) => {
      const unsubscribe = this.store.subscribe(() => {
        const view = this.store.get();
        if (view.refusal) reject(view.refusal);
        else if (view.link === 'connected') resolve();
        else return;
        unsubscribe();
      });
    });
    this.socket.connect();
    return admitted;
  }

  /** Called after every reconnect (not the first connect): the media path must be rebuilt. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  dispatch(event: SessionEvent): void {
    if (this.closed) return;
    this.store.update((view) => sessionReducer(view, event));
    if (event.type === 'snapshot') this.clock.roughly(event.snapshot.serverTime);
    this.resyncIfNeeded();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.watchHeartbeat(false);
    this.network?.removeEventListener('offline', this.onOffline);
    this.network?.removeEventListener('online', this.onOnline);
    this.reconnectListeners.clear();
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  private onConnect(): void {
    const reconnect = this.connectedOnce;
    this.connectedOnce = true;
    this.watchHeartbeat(true);
    this.dispatch({ type: 'connected' });
    this.measureClock();
    if (reconnect) for (const listener of [...this.reconnectListeners]) listener();
  }

  private onDisconnect(reason: string): void {
    this.watchHeartbeat(false);
    this.dispatch({ type: 'disconnected' });
    // The server dropped us on purpose (socket.io will not retry): ask again, the answer will say why.
    if (reason === 'io server disconnect' && !this.closed && !this.refusedFromLobby) {
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = null;
        if (!this.closed) this.socket.connect();
      }, this.retryDelayMs);
    }
  }

  // socket.io drops a link only after interval + timeout without a ping: the participant must
  // not look at stale state as if live meanwhile. A ping that comes after all restores it.
  private readonly onHeartbeat = (): void => {
    if (!this.socket.connected) return;
    this.watchHeartbeat(true);
    this.dispatch({ type: 'alive' });
  };

  private watchHeartbeat(on: boolean): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = on ? setTimeout(() => this.dispatch({ type: 'stalled' }), this.stalledAfterMs) : null;
  }

  private readonly onOffline = (): void => this.dispatch({ type: 'stalled' });

  // Back online: try at once rather than at the end of socket.io's back-off (up to 5 s).
  private readonly onOnline = (): void => {
    if (this.closed || this.socket.connected || this.retryTimer) return;
    this.socket.disconnect();
    this.socket.connect();
  };

  private resyncIfNeeded(): void {
    const view = this.store.get();
    // From the lobby there is nothing of the session to ask for.
    if (
      view.lobby ||
      !view.needsResync ||
      view.awaitingSnapshot ||
      view.link !== 'connected' ||
      this.retryTimer
    )
      return;
    const request = ++this.snapshotRequest;
    this.dispatch({ type: 'snapshotRequested' });
    this.signaling.request('session:snapshot', {}).then(
      (snapshot) => {
        if (request === this.snapshotRequest) this.dispatch({ type: 'snapshot', snapshot });
      },
      () => {
        if (request !== this.snapshotRequest || this.closed) return;
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.resyncIfNeeded();
        }, this.retryDelayMs);
        this.dispatch({ type: 'snapshotFailed' });
      },
    );
  }

  private measureClock(): void {
    this.clock
      .measure(
        async (clientTime) => (await this.signaling.request('session:time', { clientTime })).serverTime,
      )
      .catch(() => undefined); // the snapshot's serverTime stays the estimate until the next connect
  }
}
